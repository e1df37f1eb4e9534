#pragma once
// What a plain (unquoted) YAML scalar means, for reading and for writing.
//
// Reading: YAML 1.2's core schema decides whether `3`, `true`, `~` or `abc`
// is an integer, a boolean, null or a string. Writing: a string is written
// plain only when every reader we care about reads it back as that string:
// YAML 1.2 (yaml-cpp, here) and YAML 1.1 as Go's yaml reads it (kubectl),
// which also takes `yes`/`no`/`on`/`off`, `1_000` and dates as non-strings.
// Internal to the manifest library.

#include <cstdint>
#include <string_view>

namespace berth::manifest::detail {

enum class scalar_type : std::uint8_t { null, boolean, integer, floating, string };

/// The core-schema type of plain scalar text.
scalar_type resolve_plain(std::string_view s);

/// True when `s` must be double-quoted in block YAML to read back as this
/// exact string (by either reader above).
bool needs_quotes(std::string_view s);

}  // namespace berth::manifest::detail
