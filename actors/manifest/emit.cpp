#include "actors/manifest/emit.hpp"

#include "actors/manifest/plain_scalar.hpp"
#include "actors/text/json_quote.hpp"

#include <algorithm>
#include <numeric>

#include <fmt/format.h>

namespace berth::manifest::detail {
namespace {

/// A YAML double-quoted scalar (YAML 1.2, section 7.3.1): YAML's own escapes,
/// `\xXX` for other control characters. JSON goes through text::json_quote.
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out += ch;
        }
    }
  }
  return out + "\"";
}

std::string yaml_scalar(const doc& d) {
  switch (d.type()) {
    case doc::kind::integer: return std::to_string(d.number());
    case doc::kind::boolean: return d.number() ? "true" : "false";
    case doc::kind::map: return "{}";
    case doc::kind::list: return "[]";
    default: return needs_quotes(d.text()) ? yaml_quoted(d.text()) : d.text();
  }
}

bool is_block(const doc& d) { return (d.type() == doc::kind::map || d.type() == doc::kind::list) && !d.empty(); }

void write_yaml_list(const doc& d, std::size_t indent, std::string& out);

/// Map entries, sorted by key; with `inline_first` the first entry continues
/// the current line (after a list item's "- ").
void write_yaml_map(const doc& d, std::size_t indent, bool inline_first, std::string& out) {
  std::vector<std::size_t> order(d.keys().size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](auto a, auto b) { return d.keys()[a] < d.keys()[b]; });
  bool first = true;
  for (std::size_t i : order) {
    if (!(first && inline_first)) out.append(indent, ' ');
    first = false;
    const std::string& key = d.keys()[i];
    out += needs_quotes(key) ? yaml_quoted(key) : key;
    const doc& v = d.items()[i];
    out += ':';
    if (!is_block(v)) {
      out += ' ' + yaml_scalar(v) + '\n';
    } else if (v.type() == doc::kind::map) {
      out += '\n';
      write_yaml_map(v, indent + 2, false, out);
    } else {
      out += '\n';
      write_yaml_list(v, indent, out);  // kubectl puts "- " at the key's indent
    }
  }
}

void write_yaml_list(const doc& d, std::size_t indent, std::string& out) {
  for (const doc& item : d.items()) {
    out.append(indent, ' ');
    out += "- ";
    if (!is_block(item)) {
      out += yaml_scalar(item) + '\n';
    } else if (item.type() == doc::kind::map) {
      write_yaml_map(item, indent + 2, true, out);
    } else {
      out += '\n';
      write_yaml_list(item, indent + 2, out);
    }
  }
}

void write_json_value(const doc& d, std::size_t indent, std::string& out) {
  switch (d.type()) {
    case doc::kind::integer: out += std::to_string(d.number()); return;
    case doc::kind::boolean: out += d.number() ? "true" : "false"; return;
    case doc::kind::string: out += text::json_quote(d.text()); return;
    default: break;
  }
  bool is_map = d.type() == doc::kind::map;
  if (d.empty()) {
    out += is_map ? "{}" : "[]";
    return;
  }
  out += is_map ? "{\n" : "[\n";
  for (std::size_t i = 0; i < d.items().size(); ++i) {
    out.append(indent + 4, ' ');
    if (is_map) out += text::json_quote(d.keys()[i]) + ": ";
    write_json_value(d.items()[i], indent + 4, out);
    out += i + 1 < d.items().size() ? ",\n" : "\n";
  }
  out.append(indent, ' ');
  out += is_map ? '}' : ']';
}

void write_json_compact_value(const doc& d, std::string& out) {
  switch (d.type()) {
    case doc::kind::map:
    case doc::kind::list: break;
    default: write_json_value(d, 0, out); return;  // scalars are the same in both layouts
  }
  bool is_map = d.type() == doc::kind::map;
  out += is_map ? '{' : '[';
  for (std::size_t i = 0; i < d.items().size(); ++i) {
    if (i != 0) out += ',';
    if (is_map) out += text::json_quote(d.keys()[i]) + ':';
    write_json_compact_value(d.items()[i], out);
  }
  out += is_map ? '}' : ']';
}

}  // namespace

doc doc::str(std::string s) {
  doc d(kind::string);
  d.text_ = std::move(s);
  return d;
}

doc doc::integer(std::int64_t v) {
  doc d(kind::integer);
  d.number_ = v;
  return d;
}

doc doc::boolean(bool v) {
  doc d(kind::boolean);
  d.number_ = v ? 1 : 0;
  return d;
}

doc& doc::set(std::string key, doc value) {
  keys_.push_back(std::move(key));
  items_.push_back(std::move(value));
  return *this;
}

doc& doc::push(doc value) {
  items_.push_back(std::move(value));
  return *this;
}

doc& doc::set_nonempty(std::string key, std::string value) {
  return value.empty() ? *this : set(std::move(key), str(std::move(value)));
}

doc& doc::set_nonzero(std::string key, std::int64_t value) {
  return value == 0 ? *this : set(std::move(key), integer(value));
}

doc& doc::set_nonempty(std::string key, doc value) {
  return value.empty() ? *this : set(std::move(key), std::move(value));
}

doc& doc::set_true(std::string key, bool value) { return value ? set(std::move(key), boolean(true)) : *this; }

std::string write_yaml(const doc& d) {
  std::string out;
  if (is_block(d) && d.type() == doc::kind::map) {
    write_yaml_map(d, 0, false, out);
  } else if (is_block(d)) {
    write_yaml_list(d, 0, out);
  } else {
    out = yaml_scalar(d) + '\n';
  }
  return out;
}

std::string write_json(const doc& d) {
  std::string out;
  write_json_value(d, 0, out);
  return out + '\n';
}

std::string write_json_compact(const doc& d) {
  std::string out;
  write_json_compact_value(d, out);
  return out;
}

}  // namespace berth::manifest::detail
