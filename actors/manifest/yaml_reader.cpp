#include "actors/manifest/yaml_reader.hpp"

#include <charconv>
#include <limits>
#include <set>

#include "actors/manifest/timestamp.hpp"

namespace berth::manifest::detail {
namespace {

/// Parses a core-schema integer; false on overflow.
bool parse_integer(std::string_view s, std::int64_t& out) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) {
    base = s[1] == 'o' ? 8 : 16;
    s.remove_prefix(2);
  } else if (!s.empty() && s[0] == '+') {
    s.remove_prefix(1);
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size();
}

constexpr std::string_view k_not_supported = "not supported by berth yet";

}  // namespace

scalar_type resolve(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return scalar_type::null;
  if (!n.IsScalar()) return scalar_type::string;
  const std::string& tag = n.Tag();
  if (tag == "!" || tag == "tag:yaml.org,2002:str") return scalar_type::string;
  if (tag == "tag:yaml.org,2002:int") return scalar_type::integer;
  if (tag == "tag:yaml.org,2002:float") return scalar_type::floating;
  if (tag == "tag:yaml.org,2002:bool") return scalar_type::boolean;
  return resolve_plain(n.Scalar());
}

std::string shown(const YAML::Node& n) {
  if (n.IsMap() || n.IsSequence()) return {};
  switch (resolve(n)) {
    case scalar_type::null: return "null";
    case scalar_type::string: return go_quoted(n.Scalar());
    default: return n.Scalar();
  }
}

bool reader::expect_map(const YAML::Node& n, const std::string& path) {
  if (n.IsMap()) return true;
  add(invalid_shown(path, shown(n), "must be a map"));
  return false;
}

bool reader::fields(const YAML::Node& n, const std::string& path, const field_fn& on_field,
                    std::initializer_list<std::string_view> not_supported,
                    std::initializer_list<std::string_view> ignored) {
  if (!expect_map(n, path)) return false;
  std::set<std::string, std::less<>> seen;
  for (const auto& entry : n) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    std::string entry_path = child_path(path, key);
    if (!entry.first.IsScalar()) {
      add(invalid_shown(path, "", "map keys must be strings"));
      continue;
    }
    if (!seen.insert(key).second) {
      add(duplicate(path, key));
      continue;
    }
    if (resolve(entry.second) == scalar_type::null) continue;
    auto in = [&key](std::initializer_list<std::string_view> names) {
      for (std::string_view name : names)
        if (name == key) return true;
      return false;
    };
    if (in(ignored)) continue;
    if (in(not_supported)) {
      add(forbidden(entry_path, k_not_supported));
      continue;
    }
    if (!on_field(key, entry.second, entry_path)) add(unknown_field(entry_path));
  }
  return true;
}

bool reader::read(const YAML::Node& n, const std::string& path, std::string& out) {
  if (!n.IsScalar() || resolve(n) != scalar_type::string) {
    add(invalid_shown(path, shown(n), "must be a string"));
    return false;
  }
  out = n.Scalar();
  return true;
}

bool reader::read(const YAML::Node& n, const std::string& path, bool& out) {
  if (!n.IsScalar() || resolve(n) != scalar_type::boolean) {
    add(invalid_shown(path, shown(n), "must be a boolean"));
    return false;
  }
  char c = n.Scalar()[0];
  out = c == 't' || c == 'T';
  return true;
}

bool reader::read_integer(const YAML::Node& n, const std::string& path, std::int64_t& out) {
  if (!n.IsScalar() || resolve(n) != scalar_type::integer) {
    add(invalid_shown(path, shown(n), "must be an integer"));
    return false;
  }
  if (!parse_integer(n.Scalar(), out)) {
    add(invalid_shown(path, n.Scalar(), "must be a 64-bit integer"));
    return false;
  }
  return true;
}

bool reader::read(const YAML::Node& n, const std::string& path, std::int64_t& out) {
  return read_integer(n, path, out);
}

bool reader::read(const YAML::Node& n, const std::string& path, std::int32_t& out) {
  std::int64_t v = 0;
  if (!read_integer(n, path, v)) return false;
  if (v < std::numeric_limits<std::int32_t>::min() || v > std::numeric_limits<std::int32_t>::max()) {
    add(invalid(path, v, "must be a 32-bit integer"));
    return false;
  }
  out = static_cast<std::int32_t>(v);
  return true;
}

bool reader::read(const YAML::Node& n, const std::string& path, std::uint64_t& out) {
  // resourceVersion: Kubernetes writes it as a string of digits; accept a number too.
  std::string_view text = n.IsScalar() ? std::string_view(n.Scalar()) : std::string_view();
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (!n.IsScalar() || text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    add(invalid_shown(path, shown(n), "must be an unsigned 64-bit integer"));
    return false;
  }
  return true;
}

bool reader::read(const YAML::Node& n, const std::string& path, model::string_map& out) {
  if (!expect_map(n, path)) return false;
  bool ok = true;
  out.clear();
  for (const auto& entry : n) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    if (out.count(key)) {
      add(duplicate(path, key));
      ok = false;
      continue;
    }
    std::string value;
    // A null value is the empty string here: `app:` in a selector means app="".
    if (resolve(entry.second) != scalar_type::null && !read(entry.second, key_path(path, key), value)) {
      ok = false;
      continue;
    }
    out.emplace(std::move(key), std::move(value));
  }
  return ok;
}

bool reader::read(const YAML::Node& n, const std::string& path, std::vector<std::string>& out) {
  out.clear();
  return read_list(n, path, [&](const YAML::Node& item, const std::string& item_path) {
    std::string s;
    if (read(item, item_path, s)) out.push_back(std::move(s));
  });
}

bool reader::read(const YAML::Node& n, const std::string& path, model::resource_list& out) {
  if (!expect_map(n, path)) return false;
  bool ok = true;
  out.clear();
  for (const auto& entry : n) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
    std::string entry_path = key_path(path, key);
    const YAML::Node& v = entry.second;
    scalar_type t = resolve(v);
    if (!v.IsScalar() || t == scalar_type::null || t == scalar_type::boolean) {
      add(invalid_shown(entry_path, shown(v), "must be a quantity"));
      ok = false;
      continue;
    }
    std::string why;
    auto q = model::parse_quantity(v.Scalar(), &why);
    if (!q) {
      add(invalid(entry_path, v.Scalar(), why));
      ok = false;
      continue;
    }
    out[key] = *q;
  }
  return ok;
}

bool reader::read(const YAML::Node& n, const std::string& path, model::int_or_string& out) {
  scalar_type t = n.IsScalar() ? resolve(n) : scalar_type::null;
  if (t == scalar_type::string) {
    out.value = n.Scalar();
    return true;
  }
  if (t == scalar_type::integer) {
    std::int32_t v = 0;
    if (!read(n, path, v)) return false;
    out.value = v;
    return true;
  }
  add(invalid_shown(path, shown(n), "must be an integer or a string"));
  return false;
}

bool reader::read_time(const YAML::Node& n, const std::string& path, model::time_ns& out) {
  std::string text;
  if (!read(n, path, text)) return false;
  auto t = parse_rfc3339(text);
  if (!t) {
    add(invalid(path, text, "must be an RFC 3339 timestamp (e.g. '2026-11-26T10:15:00Z')"));
    return false;
  }
  out = *t;
  return true;
}

bool reader::read_list(const YAML::Node& n, const std::string& path,
                       const std::function<void(const YAML::Node&, const std::string&)>& item) {
  if (!n.IsSequence()) {
    add(invalid_shown(path, shown(n), "must be a list"));
    return false;
  }
  std::size_t before = error_count();
  for (std::size_t i = 0; i < n.size(); ++i) item(n[i], index_path(path, i));
  return error_count() == before;
}

void reader::add_unsupported(const std::string& path, std::string_view value,
                             const std::vector<std::string_view>& supported) {
  add(unsupported(path, value, supported));
}

}  // namespace berth::manifest::detail
