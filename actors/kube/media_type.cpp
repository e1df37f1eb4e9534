#include "actors/kube/media_type.hpp"

#include <algorithm>
#include <cctype>

namespace berth::kube {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

/// Splits at each `sep`; the last piece runs to the end.
std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (;;) {
    auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

}  // namespace

std::string media_range::param(const std::string& key) const {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

std::vector<media_range> parse_accept(std::string_view accept) {
  std::vector<media_range> out;
  for (std::string_view range : split(accept, ',')) {
    auto parts = split(range, ';');
    media_range m;
    m.type = lower(trim(parts[0]));
    if (m.type.empty()) continue;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      std::string_view p = trim(parts[i]);
      auto eq = p.find('=');
      if (eq == std::string_view::npos) continue;
      std::string_view value = trim(p.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      m.params[lower(trim(p.substr(0, eq)))] = std::string(value);
    }
    out.push_back(std::move(m));
  }
  return out;
}

bool accepts_json(const media_range& m) {
  return m.type == "application/json" || m.type == "application/*" || m.type == "*/*";
}

}  // namespace berth::kube
