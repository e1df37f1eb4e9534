// Reading an HTTP/1.1 request head (request_head.hpp).
#include "actors/kube/request_head.hpp"

#include <cctype>

#include <fmt/format.h>

namespace berth::kube {
namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool is_tchar(char c) {
  static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
  return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

head_parse bad(std::size_t at, std::string what) {
  head_parse r;
  r.what = head_parse::status::bad;
  r.error = fmt::format("request head: byte {}: {}", at, what);
  return r;
}

/// The request line "METHOD SP TARGET SP HTTP/1.x", or an error.
std::optional<head_parse> request_line(std::string_view line, request_head& h) {
  auto sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return bad(0, "expected a method followed by a space");
  for (std::size_t i = 0; i < sp1; ++i)
    if (!is_tchar(line[i])) return bad(i, fmt::format("expected a method character, found 0x{:02x}", std::uint8_t(line[i])));
  auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return bad(sp1 + 1, "expected a request target followed by a space");
  for (std::size_t i = sp1 + 1; i < sp2; ++i)
    if (static_cast<unsigned char>(line[i]) <= 0x20 || line[i] == 0x7F)
      return bad(i, fmt::format("expected a request target character, found 0x{:02x}", std::uint8_t(line[i])));
  auto version = line.substr(sp2 + 1);
  if (version.size() != 8 || version.substr(0, 7) != "HTTP/1." || !std::isdigit(static_cast<unsigned char>(version[7])))
    return bad(sp2 + 1, fmt::format("expected HTTP/1.0 or HTTP/1.1, found \"{}\"", version));
  h.method = std::string(line.substr(0, sp1));
  h.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  h.version = std::string(version);
  return std::nullopt;
}

}  // namespace

std::optional<std::string> request_head::field(std::string_view name) const {
  std::optional<std::string> out;
  for (const auto& [n, v] : fields) {
    if (!iequal(n, name)) continue;
    if (out)
      *out += ", " + v;
    else
      out = v;
  }
  return out;
}

bool request_head::has_token(std::string_view name, std::string_view token) const {
  auto value = field(name);
  if (!value) return false;
  std::string_view rest = *value;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = trim(rest.substr(0, comma));
    if (iequal(item, token)) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

head_parse parse_request_head(std::string_view bytes, std::size_t max_length) {
  auto end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (bytes.size() >= max_length) return bad(max_length, fmt::format("no end of the head within {} bytes", max_length));
    // A bare LF or a NUL in what has come so far is already wrong.
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] == '\0') return bad(i, "expected header text, found a NUL byte");
      if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) return bad(i, "expected CRLF, found a bare LF");
    }
    return {};
  }
  if (end + 4 > max_length) return bad(max_length, fmt::format("no end of the head within {} bytes", max_length));
  head_parse r;
  auto& h = r.head;
  h.length = end + 4;
  std::size_t at = 0;
  bool first = true;
  while (at < end + 2) {
    auto eol = bytes.find("\r\n", at);
    auto line = bytes.substr(at, eol - at);
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '\n') return bad(at + i, "expected CRLF, found a bare LF");
      if (line[i] == '\0') return bad(at + i, "expected header text, found a NUL byte");
    }
    if (first) {
      if (auto error = request_line(line, h)) return *error;  // the line starts at byte 0
      first = false;
    } else {
      auto colon = line.find(':');
      if (colon == std::string_view::npos) return bad(at, "expected a header field \"name: value\", found no colon");
      if (colon == 0) return bad(at, "expected a header field name before the colon");
      for (std::size_t i = 0; i < colon; ++i)
        if (!is_tchar(line[i]))
          return bad(at + i, fmt::format("expected a header name character, found 0x{:02x}", std::uint8_t(line[i])));
      h.fields.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    }
    at = eol + 2;
  }
  r.what = head_parse::status::complete;
  return r;
}

upgrade_kind upgrade_of(const request_head& head) {
  if (!head.has_token("Connection", "upgrade")) return upgrade_kind::none;
  auto upgrade = head.field("Upgrade");
  if (!upgrade) return upgrade_kind::none;
  if (head.has_token("Upgrade", "SPDY/3.1")) return upgrade_kind::spdy;
  if (head.has_token("Upgrade", "websocket")) return upgrade_kind::websocket;
  return upgrade_kind::other;
}

}  // namespace berth::kube
