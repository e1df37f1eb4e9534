#pragma once
// Typed, error-collecting access to a parsed YAML/JSON tree (internal to the
// manifest decoder; the public headers never show yaml-cpp).
//
// yaml-cpp hands every scalar back as text; it does not resolve types. We
// resolve them with the YAML 1.2 core schema, using the node's tag: a quoted
// scalar ("3", '3') is always a string, a plain one is null, a bool, an int, a
// float or a string by its spelling. That is how Kubernetes tells `replicas: 3`
// from `replicas: "3"` (the second is a type error there and here).
//
// Every read reports its own errors into the reader and returns false; the
// caller carries on with the next field, so one pass finds every problem.

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "actors/manifest/field_error.hpp"
#include "actors/manifest/plain_scalar.hpp"
#include "actors/model/objects.hpp"

namespace berth::manifest::detail {

/// The resolved type of a scalar or null node (collections: string, unused).
scalar_type resolve(const YAML::Node& n);

/// How a value appears after "Invalid value: ": strings quoted, numbers and
/// booleans as written, nothing at all for maps and lists.
std::string shown(const YAML::Node& n);

/// Called for each non-null entry of a map: (key, value, path of the entry).
/// Returns false when the key is not a field it knows.
using field_fn = std::function<bool(std::string_view, const YAML::Node&, const std::string&)>;

/// A name → enumerant table for enum fields; the order is the order of the
/// "supported values" list in the error.
template <class E>
using enum_table = std::initializer_list<std::pair<std::string_view, E>>;

class reader {
 public:
  /// Errors go to `errors`, which must outlive the reader.
  explicit reader(field_errors& errors) : errors_(errors) {}

  void add(field_error e) { errors_.push_back(std::move(e)); }
  std::size_t error_count() const { return errors_.size(); }

  /// Walks the entries of map `n` at `path`. Null values are skipped (as
  /// Kubernetes treats `field: null`). Keys in `ignored` are accepted and
  /// skipped; keys in `not_supported` get "Forbidden: not supported by berth
  /// yet"; other keys `on_field` rejects get "Unknown field"; a key given
  /// twice gets "Duplicate value". False when `n` is not a map.
  bool fields(const YAML::Node& n, const std::string& path, const field_fn& on_field,
              std::initializer_list<std::string_view> not_supported = {},
              std::initializer_list<std::string_view> ignored = {});

  /// Checks that `n` is a map (error "Invalid value: must be a map" if not).
  bool expect_map(const YAML::Node& n, const std::string& path);

  /// Typed reads: on a type mismatch they report "Invalid value: ...: must be
  /// a string|a boolean|an integer|a 32-bit integer|a map|a list|a quantity"
  /// at `path`, leave `out` as it was and return false. Map values are
  /// reported at `path[key]`, list items at `path[i]`.
  bool read(const YAML::Node& n, const std::string& path, std::string& out);
  bool read(const YAML::Node& n, const std::string& path, bool& out);
  bool read(const YAML::Node& n, const std::string& path, std::int32_t& out);
  bool read(const YAML::Node& n, const std::string& path, std::int64_t& out);
  bool read(const YAML::Node& n, const std::string& path, std::uint64_t& out);
  bool read(const YAML::Node& n, const std::string& path, model::string_map& out);
  bool read(const YAML::Node& n, const std::string& path, std::vector<std::string>& out);
  bool read(const YAML::Node& n, const std::string& path, model::resource_list& out);
  bool read(const YAML::Node& n, const std::string& path, model::int_or_string& out);

  /// An RFC 3339 timestamp string.
  bool read_time(const YAML::Node& n, const std::string& path, model::time_ns& out);

  /// A list: calls `item(node, path_of_item)` for each element.
  bool read_list(const YAML::Node& n, const std::string& path,
                 const std::function<void(const YAML::Node&, const std::string&)>& item);

  /// A string that must be one of the names in `table`.
  template <class E>
  bool read_enum(const YAML::Node& n, const std::string& path, E& out, enum_table<E> table) {
    std::string text;
    if (!read(n, path, text)) return false;
    for (const auto& [name, value] : table) {
      if (text == name) {
        out = value;
        return true;
      }
    }
    std::vector<std::string_view> names;
    for (const auto& entry : table) names.push_back(entry.first);
    add_unsupported(path, text, names);
    return false;
  }

 private:
  bool read_integer(const YAML::Node& n, const std::string& path, std::int64_t& out);
  void add_unsupported(const std::string& path, std::string_view value, const std::vector<std::string_view>& supported);

  field_errors& errors_;
};

}  // namespace berth::manifest::detail
