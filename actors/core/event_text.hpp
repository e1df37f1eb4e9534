#pragma once
// Journal events in words, for `berth describe`'s Events section and logs.
// Pure: no CAF, no journal.

#include <string>

#include "actors/control_plane.hpp"
#include "actors/model/events.hpp"

namespace berth::actors {

/// One line for people: "Bound to node n1", "Scaled to 5 replicas", ...
std::string event_message(const model::event& e);

/// The event as describe shows it (seq, time, family, type, who, cause, message).
event_summary summarize(const model::event& e);

}  // namespace berth::actors
