#include "actors/manifest/names.hpp"

#include <fmt/format.h>

namespace berth::manifest {
namespace {

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

/// Kubernetes' RegexError: "msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')".
std::string regex_error(std::string_view msg, std::string_view format,
                        std::initializer_list<std::string_view> examples) {
  std::string out(msg);
  out += " (e.g. ";
  bool first = true;
  for (std::string_view e : examples) {
    if (!first) out += " or ";
    first = false;
    out += fmt::format("'{}', ", e);
  }
  out += fmt::format("regex used for validation is '{}')", format);
  return out;
}

std::string max_len_error(std::size_t n) { return fmt::format("must be no more than {} characters", n); }

constexpr std::string_view k_dns1123_label_fmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view k_dns1123_subdomain_fmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
constexpr std::string_view k_dns1035_label_fmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view k_label_key_fmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
constexpr std::string_view k_label_value_fmt = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
constexpr std::string_view k_label_key_msg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character";

/// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool matches_dns1123_label(std::string_view s) {
  if (s.empty() || !is_lower_alnum(s.front()) || !is_lower_alnum(s.back())) return false;
  for (char c : s)
    if (!is_lower_alnum(c) && c != '-') return false;
  return true;
}

bool matches_dns1123_subdomain(std::string_view s) {
  while (true) {
    auto dot = s.find('.');
    if (!matches_dns1123_label(s.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

/// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool matches_label_name(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

}  // namespace

messages check_dns1123_label(std::string_view value) {
  messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  if (!matches_dns1123_label(value)) {
    if (matches_dns1123_subdomain(value)) {
      out.push_back("must not contain dots");
    } else {
      out.push_back(
          regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                      "and must start and end with an alphanumeric character",
                      k_dns1123_label_fmt, {"my-name", "123-abc"}));
    }
  }
  return out;
}

messages check_dns1123_subdomain(std::string_view value) {
  messages out;
  if (value.size() > 253) out.push_back(max_len_error(253));
  if (!matches_dns1123_subdomain(value)) {
    out.push_back(
        regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
                    "or '.', and must start and end with an alphanumeric character",
                    k_dns1123_subdomain_fmt, {"example.com"}));
  }
  return out;
}

messages check_dns1035_label(std::string_view value) {
  messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  bool ok = !value.empty() && value.front() >= 'a' && value.front() <= 'z' && matches_dns1123_label(value);
  if (!ok) {
    out.push_back(
        regex_error("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
                    "an alphabetic character, and end with an alphanumeric character",
                    k_dns1035_label_fmt, {"my-name", "abc-123"}));
  }
  return out;
}

messages check_label_key(std::string_view value) {
  messages out;
  std::string_view name = value;
  auto slash = value.find('/');
  if (slash != std::string_view::npos) {
    if (value.find('/', slash + 1) != std::string_view::npos) {
      out.push_back("a valid label key " +
                    regex_error(k_label_key_msg, k_label_key_fmt, {"MyName", "my.name", "123-abc"}) +
                    " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return out;
    }
    std::string_view prefix = value.substr(0, slash);
    name = value.substr(slash + 1);
    if (prefix.empty()) {
      out.push_back("prefix part must be non-empty");
    } else {
      for (auto& m : check_dns1123_subdomain(prefix)) out.push_back("prefix part " + m);
    }
  }
  if (name.empty()) {
    out.push_back("name part must be non-empty");
  } else if (name.size() > 63) {
    out.push_back("name part " + max_len_error(63));
  }
  if (!matches_label_name(name)) {
    out.push_back("name part " + regex_error(k_label_key_msg, k_label_key_fmt, {"MyName", "my.name", "123-abc"}));
  }
  return out;
}

messages check_label_value(std::string_view value) {
  messages out;
  if (value.size() > 63) out.push_back(max_len_error(63));
  if (!value.empty() && !matches_label_name(value)) {
    out.push_back(
        regex_error("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' "
                    "or '.', and must start and end with an alphanumeric character",
                    k_label_value_fmt, {"MyValue", "my_value", "12345"}));
  }
  return out;
}

messages check_port_name(std::string_view value) {
  messages out;
  if (value.size() > 15) out.push_back(max_len_error(15));
  bool charset = !value.empty();
  bool letter = false;
  for (char c : value) {
    charset = charset && (is_lower_alnum(c) || c == '-');
    letter = letter || (c >= 'a' && c <= 'z');
  }
  if (!charset) out.push_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (!letter) out.push_back("must contain at least one letter (a-z)");
  if (value.find("--") != std::string_view::npos) out.push_back("must not contain consecutive hyphens");
  if (!value.empty() && (value.front() == '-' || value.back() == '-'))
    out.push_back("must not begin or end with a hyphen");
  return out;
}

messages check_env_var_name(std::string_view value) {
  messages out;
  bool ok = !value.empty() && !is_digit(value.front());
  for (char c : value) ok = ok && (is_alnum(c) || c == '-' || c == '.' || c == '_');
  if (!ok) {
    out.push_back(
        regex_error("a valid environment variable name must consist of alphabetic characters, digits, '_', "
                    "'-', or '.', and must not start with a digit",
                    "[-._a-zA-Z][-._a-zA-Z0-9]*", {"my.env-name", "MY_ENV.NAME", "MyEnvName1"}));
  }
  if (value == ".") {
    out.push_back("must not be '.'");
  } else if (value == "..") {
    out.push_back("must not be '..'");
  } else if (value.substr(0, 2) == "..") {
    out.push_back("must not start with '..'");
  }
  return out;
}

messages check_port_number(long long value) {
  if (value >= 1 && value <= 65535) return {};
  return {"must be between 1 and 65535, inclusive"};
}

bool is_ipv4_address(std::string_view value) {
  int parts = 0;
  while (true) {
    auto dot = value.find('.');
    std::string_view part = value.substr(0, dot);
    if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
    int n = 0;
    for (char c : part) {
      if (!is_digit(c)) return false;
      n = n * 10 + (c - '0');
    }
    if (n > 255 || ++parts > 4) return false;
    if (dot == std::string_view::npos) break;
    value.remove_prefix(dot + 1);
  }
  return parts == 4;
}

}  // namespace berth::manifest
