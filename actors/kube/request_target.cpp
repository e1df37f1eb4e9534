#include "actors/kube/request_target.hpp"

#include <vector>

#include <fmt/format.h>

namespace berth::kube {
namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    auto end = path.find('/', i);
    if (end == std::string_view::npos) end = path.size();
    if (end > i) out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s, std::size_t offset, std::string& error) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%') {
      int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
      int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        if (error.empty()) error = fmt::format("query: bad percent-escape at byte {}", offset + i);
        out += s[i];
        continue;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::pair<std::string_view, std::string_view> split_url(std::string_view url) {
  auto q = url.find('?');
  if (q == std::string_view::npos) return {url, {}};
  return {url.substr(0, q), url.substr(q + 1)};
}

request_target parse_target(std::string_view path) {
  using w = request_target::what;
  request_target t;
  auto s = segments(path);
  if (s.size() == 1 && s[0] == "version") return t.kind = w::version, t;
  if (s.size() == 1 && s[0] == "api") return t.kind = w::api, t;
  if (s.size() == 1 && s[0] == "apis") return t.kind = w::apis, t;
  if (s.size() == 2 && s[0] == "openapi" && s[1] == "v2") return t.kind = w::openapi_v2, t;
  if (s.size() >= 2 && s[0] == "openapi" && s[1] == "v3") return t.kind = w::openapi_v3, t;
  if (s.size() < 2 || s[0] != "api" || s[1] != "v1") return t;
  if (s.size() == 2) return t.kind = w::api_v1, t;
  std::size_t i = 2;
  // /api/v1/namespaces/{ns}/{resource}...; but /api/v1/namespaces[/{name}[/status|finalize]] is the
  // namespaces resource itself (requestinfo.go's namespaceSubresources).
  if (s[i] == "namespaces" && s.size() >= i + 3 && s[i + 2] != "status" && s[i + 2] != "finalize") {
    t.namespace_ = std::string(s[i + 1]);
    i += 2;
  }
  if (s.size() - i > 3) return request_target{};  // deeper than resource/name/subresource
  t.kind = w::resource;
  t.resource = std::string(s[i]);
  if (s.size() > i + 1) t.name = std::string(s[i + 1]);
  if (s.size() > i + 2) t.subresource = std::string(s[i + 2]);
  return t;
}

std::vector<std::pair<std::string, std::string>> parse_query_pairs(std::string_view query, std::string& error) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i <= query.size()) {
    auto end = query.find('&', i);
    if (end == std::string_view::npos) end = query.size();
    auto part = query.substr(i, end - i);
    if (!part.empty()) {
      auto eq = part.find('=');
      auto key = decode(part.substr(0, eq), i, error);
      auto value = eq == std::string_view::npos ? std::string() : decode(part.substr(eq + 1), i + eq + 1, error);
      out.emplace_back(std::move(key), std::move(value));
    }
    i = end + 1;
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query, std::string& error) {
  std::map<std::string, std::string> out;
  for (auto& [key, value] : parse_query_pairs(query, error)) out[key] = std::move(value);
  return out;
}

}  // namespace berth::kube
