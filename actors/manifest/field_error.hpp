#pragma once
// Field errors in the style of Kubernetes' k8s.io/apimachinery field errors.
//
// Every message a user sees about a manifest is one of these, so that berth's
// errors read like kube-apiserver's: `spec.containers[0].image: Required value`,
// `spec.replicas: Invalid value: "three": must be an integer`. The factories
// below produce the exact message shapes; callers supply the field path
// (`spec.ports[1].name`, map keys as `metadata.labels[app]`) and the details.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace berth::manifest {

/// One problem with one field. A value type.
struct field_error {
  std::string field;    // "spec.containers[0].image"; empty for the whole document
  std::string message;  // "Required value", "Invalid value: 0: must be between 1 and 65535, inclusive"
  bool operator==(const field_error&) const = default;

  /// "field: message", or just the message when `field` is empty.
  std::string to_string() const;
};

using field_errors = std::vector<field_error>;

// ------------------------------------------------------------- field paths

/// `parent.name` (or `name` when parent is empty).
std::string child_path(std::string_view parent, std::string_view name);

/// `parent[index]`.
std::string index_path(std::string_view parent, std::size_t index);

/// `parent[key]` (Kubernetes' field.Path.Key).
std::string key_path(std::string_view parent, std::string_view key);

// ------------------------------------------------------------- value text

/// A string as Go's %q shows it, because Kubernetes' field errors (which
/// berth's copy word for word) are written with %q: double quotes, `"` and
/// `\` escaped, control characters as \n, \t, \r or \xNN. Not JSON: JSON
/// strings are quoted by text::json_quote (actors/text/json_quote.hpp).
std::string go_quoted(std::string_view s);

// ------------------------------------------------------------- factories
// Each returns the error with Kubernetes' wording; `detail` is appended after
// ": " when not empty.

/// "Required value[: detail]".
field_error required(std::string field, std::string_view detail = {});

/// "Invalid value: "<value>": detail" — a string value, quoted.
field_error invalid(std::string field, std::string_view value, std::string_view detail);

/// "Invalid value: <value>: detail" — a number, unquoted.
field_error invalid(std::string field, std::int64_t value, std::string_view detail);

/// "Invalid value: <shown>: detail" — `shown` is written as given (already
/// quoted, a Go map literal, ...); an empty `shown` is left out entirely.
field_error invalid_shown(std::string field, std::string_view shown, std::string_view detail);

/// `Unsupported value: "<value>": supported values: "A", "B"`.
field_error unsupported(std::string field, std::string_view value, std::initializer_list<std::string_view> supported);

/// The same, with the supported values in a vector.
field_error unsupported(std::string field, std::string_view value, const std::vector<std::string_view>& supported);

/// `Duplicate value: "<value>"`.
field_error duplicate(std::string field, std::string_view value);

/// `Duplicate value: <value>`.
field_error duplicate(std::string field, std::int64_t value);

/// `Not found: "<value>"` (a reference to something that does not exist).
field_error not_found(std::string field, std::string_view value);

/// "Forbidden: detail".
field_error forbidden(std::string field, std::string_view detail);

/// "Unknown field": a field berth does not know at all (a typo, or another API).
field_error unknown_field(std::string field);

/// "Too long: must have at most <limit> bytes".
field_error too_long(std::string field, std::size_t limit);

}  // namespace berth::manifest
