#pragma once
// `berth describe`: an object in kubectl's describe layout — "Key:  value"
// lines aligned per section, nested sections indented — ending with an Events
// section built from the object's journal events (seq, age, principal, event
// type, message). Pure: the command layer fetches everything first.

#include <optional>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"

namespace berth::cli {

/// What describe shows besides the object itself.
struct describe_inputs {
  std::vector<actors::event_summary> events;  // oldest first
  model::time_ns now = 0;                     // for ages
  std::vector<model::pod> pods;               // RC: the pods its selector matches; node: the pods bound to it;
                                              // claim: the pods that mount it
  std::optional<model::endpoints> endpoints;  // service: its endpoints, when they exist
};

/// The whole text, ending in '\n'.
std::string describe_object(const actors::any_object& o, const describe_inputs& in);

}  // namespace berth::cli
