#include "actors/reconcile/selector.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

// ------------------------------------------------------------------- lexing

enum class token_kind : std::uint8_t { end, ident, comma, lparen, rparen, eq, eqeq, neq, bang };

struct token {
  token_kind kind = token_kind::end;
  std::string_view text;
  std::size_t offset = 0;
};

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

/// Characters that end an identifier; everything else (but spaces) is part of one,
/// so that bad characters reach the key/value checks and get a precise message.
bool is_delimiter(char c) { return c == ',' || c == '(' || c == ')' || c == '=' || c == '!' || is_space(c); }

class lexer {
 public:
  explicit lexer(std::string_view text) : text_(text) {}

  token peek() {
    if (!peeked_) peeked_ = scan();
    return *peeked_;
  }
  token next() {
    token t = peek();
    peeked_.reset();
    return t;
  }
  std::size_t size() const { return text_.size(); }

 private:
  token scan() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    const std::size_t start = pos_;
    if (pos_ == text_.size()) return {token_kind::end, {}, start};
    const char c = text_[pos_];
    auto symbol = [&](token_kind k, std::size_t len) {
      pos_ += len;
      return token{k, text_.substr(start, len), start};
    };
    const bool next_is_eq = pos_ + 1 < text_.size() && text_[pos_ + 1] == '=';
    switch (c) {
      case ',': return symbol(token_kind::comma, 1);
      case '(': return symbol(token_kind::lparen, 1);
      case ')': return symbol(token_kind::rparen, 1);
      case '=': return next_is_eq ? symbol(token_kind::eqeq, 2) : symbol(token_kind::eq, 1);
      case '!': return next_is_eq ? symbol(token_kind::neq, 2) : symbol(token_kind::bang, 1);
      default: break;
    }
    while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
    return {token_kind::ident, text_.substr(start, pos_ - start), start};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<token> peeked_;
};

std::string describe(const token& t) {
  if (t.kind == token_kind::end) return "end of input";
  return fmt::format("\"{}\"", t.text);
}

std::string unexpected(const token& t, std::string_view expected) {
  return fmt::format("unexpected {} at offset {}, expected {}", describe(t), t.offset, expected);
}

// ------------------------------------------------------------------ parsing

/// Recursive descent over the grammar in selector.hpp. Each parse_* returns an
/// error message, empty on success.
class parser {
 public:
  explicit parser(std::string_view text) : lex_(text) {}

  std::string parse(label_selector& out) {
    if (lex_.peek().kind == token_kind::end) return {};
    for (;;) {
      label_requirement r;
      if (auto err = parse_requirement(r); !err.empty()) return err;
      out.requirements.push_back(std::move(r));
      const token t = lex_.next();
      if (t.kind == token_kind::end) return {};
      if (t.kind != token_kind::comma) return unexpected(t, "\",\" or end of input");
    }
  }

 private:
  std::string parse_key(const token& t, std::string& key) {
    if (t.kind != token_kind::ident) return unexpected(t, "a label key");
    if (auto why = check_label_key(t.text); !why.empty()) {
      return fmt::format("invalid label key \"{}\" at offset {}: {}", t.text, t.offset, why);
    }
    key = std::string(t.text);
    return {};
  }

  std::string parse_value(const token& t, std::string& value) {
    if (auto why = check_label_value(t.text); !why.empty()) {
      return fmt::format("invalid label value \"{}\" at offset {}: {}", t.text, t.offset, why);
    }
    value = std::string(t.text);
    return {};
  }

  std::string parse_requirement(label_requirement& r) {
    token t = lex_.next();
    if (t.kind == token_kind::bang) {
      r.op = selector_op::does_not_exist;
      return parse_key(lex_.next(), r.key);
    }
    if (auto err = parse_key(t, r.key); !err.empty()) return err;
    t = lex_.peek();
    switch (t.kind) {
      case token_kind::end:
      case token_kind::comma: r.op = selector_op::exists; return {};
      case token_kind::eq:
      case token_kind::eqeq: r.op = selector_op::equals; break;
      case token_kind::neq: r.op = selector_op::not_equals; break;
      case token_kind::ident:
        if (t.text == "in" || t.text == "notin") {
          lex_.next();
          r.op = t.text == "in" ? selector_op::in : selector_op::not_in;
          return parse_set(r.values);
        }
        [[fallthrough]];
      default: return unexpected(t, "\"=\", \"==\", \"!=\", \"in\", \"notin\", \",\" or end of input");
    }
    lex_.next();
    t = lex_.peek();
    std::string value;  // `a=` and `a=,b` compare with the empty value, as in kubectl
    if (t.kind == token_kind::ident) {
      lex_.next();
      if (auto err = parse_value(t, value); !err.empty()) return err;
    } else if (t.kind != token_kind::end && t.kind != token_kind::comma) {
      return unexpected(t, "a label value");
    }
    r.values.push_back(std::move(value));
    return {};
  }

  std::string parse_set(std::vector<std::string>& values) {
    if (token t = lex_.next(); t.kind != token_kind::lparen) return unexpected(t, "\"(\"");
    for (;;) {
      const token t = lex_.next();
      if (t.kind != token_kind::ident) return unexpected(t, "a label value");
      std::string value;
      if (auto err = parse_value(t, value); !err.empty()) return err;
      values.push_back(std::move(value));
      const token sep = lex_.next();
      if (sep.kind == token_kind::rparen) break;
      if (sep.kind != token_kind::comma) return unexpected(sep, "\",\" or \")\"");
    }
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    return {};
  }

  lexer lex_;
};

void canonicalize(label_selector& s) {
  std::stable_sort(s.requirements.begin(), s.requirements.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
}

/// [A-Za-z0-9] at both ends, [-_.A-Za-z0-9] inside, at most 63 characters.
std::string check_name(std::string_view s, std::string_view what) {
  if (s.size() > 63) return fmt::format("{} must be no more than 63 characters, got {}", what, s.size());
  if (!is_alnum(s.front()) || !is_alnum(s.back())) {
    return fmt::format("{} must start and end with an alphanumeric character", what);
  }
  for (char c : s) {
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') {
      return fmt::format("{} may contain only alphanumerics, \"-\", \"_\" and \".\", found \"{}\"", what, c);
    }
  }
  return {};
}

/// A DNS-1123 subdomain: lowercase alphanumerics, "-" and ".", alphanumeric ends.
std::string check_prefix(std::string_view s) {
  if (s.empty()) return "prefix part must not be empty";
  if (s.size() > 253) return fmt::format("prefix part must be no more than 253 characters, got {}", s.size());
  auto lower_alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_alnum(s.front()) || !lower_alnum(s.back())) {
    return "prefix part must start and end with a lowercase alphanumeric character";
  }
  for (char c : s) {
    if (!lower_alnum(c) && c != '-' && c != '.') {
      return fmt::format("prefix part may contain only lowercase alphanumerics, \"-\" and \".\", found \"{}\"", c);
    }
  }
  return {};
}

bool holds(const label_requirement& r, const model::string_map& labels) {
  const auto it = labels.find(r.key);
  const bool present = it != labels.end();
  auto listed = [&] { return present && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end(); };
  switch (r.op) {
    case selector_op::equals:
    case selector_op::in: return listed();
    case selector_op::not_equals:
    case selector_op::not_in: return !listed();
    case selector_op::exists: return present;
    case selector_op::does_not_exist: return !present;
  }
  return false;
}

std::string requirement_text(const label_requirement& r) {
  switch (r.op) {
    case selector_op::equals: return r.key + "=" + r.values.front();
    case selector_op::not_equals: return r.key + "!=" + r.values.front();
    case selector_op::in: return fmt::format("{} in ({})", r.key, fmt::join(r.values, ","));
    case selector_op::not_in: return fmt::format("{} notin ({})", r.key, fmt::join(r.values, ","));
    case selector_op::exists: return r.key;
    case selector_op::does_not_exist: return "!" + r.key;
  }
  return {};
}

}  // namespace

std::string check_label_key(std::string_view key) {
  if (key.empty()) return "name part must not be empty";
  const auto slash = key.find('/');
  if (slash == std::string_view::npos) return check_name(key, "name part");
  if (key.find('/', slash + 1) != std::string_view::npos) return "a key may contain at most one \"/\"";
  if (auto why = check_prefix(key.substr(0, slash)); !why.empty()) return why;
  const auto name = key.substr(slash + 1);
  if (name.empty()) return "name part must not be empty";
  return check_name(name, "name part");
}

std::string check_label_value(std::string_view value) {
  if (value.empty()) return {};
  return check_name(value, "a value");
}

result<label_selector> parse_label_selector(std::string_view text) {
  label_selector s;
  if (auto err = parser(text).parse(s); !err.empty()) return result<label_selector>::failure(err);
  canonicalize(s);
  return result<label_selector>::success(std::move(s));
}

label_selector from_map(const model::string_map& selector) {
  label_selector s;
  for (const auto& [k, v] : selector) s.requirements.push_back({k, selector_op::equals, {v}});
  return s;  // already sorted: the map is ordered by key
}

bool matches(const label_selector& s, const model::string_map& labels) {
  return std::all_of(s.requirements.begin(), s.requirements.end(), [&](const auto& r) { return holds(r, labels); });
}

std::string to_string(const label_selector& s) {
  std::vector<std::string> parts;
  parts.reserve(s.requirements.size());
  for (const auto& r : s.requirements) parts.push_back(requirement_text(r));
  return fmt::format("{}", fmt::join(parts, ","));
}

}  // namespace berth::reconcile
