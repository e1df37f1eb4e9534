#include "actors/manifest/plain_scalar.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace berth::manifest::detail {
namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}
bool is_dec(char c) { return c >= '0' && c <= '9'; }
bool is_oct(char c) { return c >= '0' && c <= '7'; }
bool is_hex(char c) { return is_dec(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// YAML 1.2 core schema int: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+.
bool looks_integer(std::string_view s) {
  if (s.size() > 2 && s[0] == '0' && s[1] == 'o') return all_of(s.substr(2), is_oct);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') return all_of(s.substr(2), is_hex);
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  return all_of(s, is_dec);
}

/// YAML 1.2 core schema float: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, ±.inf, .nan.
bool looks_float(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  std::size_t i = 0, int_digits = 0, frac_digits = 0;
  while (i < s.size() && is_dec(s[i])) ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_dec(s[i])) ++i, ++frac_digits;
  }
  if (int_digits == 0 && frac_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < s.size() && is_dec(s[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

/// YAML 1.1 booleans that YAML 1.2 reads as strings.
bool is_yaml11_bool(std::string_view s) {
  static constexpr std::string_view words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
                                               "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};
  return std::find(std::begin(words), std::end(words), s) != std::end(words);
}

/// What Go's yaml reads as a number: ParseInt (base prefixes 0x/0o/0b) or
/// ParseFloat of the text with '_' removed, for text starting like a number.
bool is_go_number(std::string_view s) {
  if (s.empty() || std::string_view("-+.0123456789").find(s.front()) == std::string_view::npos) return false;
  std::string t;
  for (char c : s)
    if (c != '_') t += c;
  std::string_view v = t;
  if (!v.empty() && (v[0] == '-' || v[0] == '+')) v.remove_prefix(1);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) return all_of(v.substr(2), is_hex);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'O')) return all_of(v.substr(2), is_oct);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'b' || v[1] == 'B'))
    return all_of(v.substr(2), [](char c) { return c == '0' || c == '1'; });
  double d = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
  return end == v.data() + v.size() && ec != std::errc::invalid_argument;
}

/// YYYY-MM-DD at the start: a YAML 1.1 timestamp (kubectl quotes these too).
bool starts_like_date(std::string_view s) {
  return s.size() >= 10 && all_of(s.substr(0, 4), is_dec) && s[4] == '-' && all_of(s.substr(5, 2), is_dec) &&
         s[7] == '-' && all_of(s.substr(8, 2), is_dec);
}

}  // namespace

scalar_type resolve_plain(std::string_view s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return scalar_type::null;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE")
    return scalar_type::boolean;
  if (looks_integer(s)) return scalar_type::integer;
  if (looks_float(s)) return scalar_type::floating;
  return scalar_type::string;
}

bool needs_quotes(std::string_view s) {
  if (resolve_plain(s) != scalar_type::string || is_yaml11_bool(s) || is_go_number(s) || starts_like_date(s))
    return true;
  // Then the syntax: indicators that cannot start a plain scalar, ": " and
  // " #" inside it, and anything outside a plain, printable ASCII set.
  char first = s.front();
  if (!is_alnum(first) && first != '/' && first != '_' && first != '.') return true;
  if (s.back() == ' ' || s.back() == ':') return true;
  if (s.find(": ") != std::string_view::npos || s.find(" #") != std::string_view::npos) return true;
  for (char c : s) {
    if (!is_alnum(c) && std::string_view("-_./:@+=~^()$; ").find(c) == std::string_view::npos) return true;
  }
  return false;
}

}  // namespace berth::manifest::detail
