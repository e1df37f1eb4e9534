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

/// "default" unless -n was given.
std::string namespace_of(const std::optional<std::string>& flag);

}  // namespace berth::cli
