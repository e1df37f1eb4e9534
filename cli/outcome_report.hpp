#pragma once
// How a failed outcome is printed (shared by the commands; internal to the CLI).

#include <optional>
#include <ostream>
#include <string>

#include "actors/control_plane.hpp"

namespace berth::cli {

/// Prints a failed outcome to `err` and returns its exit code:
///   invalid        error: replicationcontroller/web is invalid: spec.selector: Required value   (one line per field) → 1
///   not found      Error from server (NotFound): pods "x" not found                              → 1
///   already exists Error from server (AlreadyExists): ...                                        → 1
///   conflict       Error from server (Conflict): ...                                             → 1
///   unavailable    Error from server (ServiceUnavailable): ...                                   → 2
int report_failure(const actors::outcome& o, actors::kind k, const std::string& name, std::ostream& err);

/// Puts -n's namespace on an object that has none; a different one is an error
/// (kubectl's rule: the manifest and the flag must agree), returned as its
/// message. decode_manifests defaults a missing namespace to "default", so
/// "default" is taken as "none given": `namespace: default` written out with
/// `-n other` goes to other.
std::optional<std::string> apply_namespace_flag(actors::any_object& o, const std::optional<std::string>& flag);

/// "default" unless -n was given.
std::string namespace_of(const std::optional<std::string>& flag);

}  // namespace berth::cli
