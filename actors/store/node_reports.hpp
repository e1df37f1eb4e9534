#pragma once
// What node agents tell the store, as pure decisions: a join becomes a
// node_registered observation (the node is Ready: its agent just proved it is
// alive); a pod status report becomes a pod_status_observed event only when it
// is a transition and not already on its way to the journal. CAF-free.

#include <map>
#include <optional>
#include <string>

#include "actors/control_plane.hpp"
#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::store {

/// The node_registered event for a join at `now`; `new_uid` is used for a node
/// seen for the first time. nullopt with `error` set when the join is invalid.
std::optional<model::event> registration_event(const model::cluster_state& s, model::node reported,
                                               const std::string& new_uid, model::time_ns now,
                                               actors::api_field_error& error);

/// The pod a report names, if it exists with that uid and is bound to the reporting node.
const model::pod* reported_pod(const model::cluster_state& s, const std::string& node, const std::string& ns,
                               const std::string& name, const std::string& uid);

/// The pod_event_observed event for `report`, or nullopt when the pod is gone,
/// is another pod of that name, or is not bound to the reporting node.
std::optional<model::event> pod_event_of(const model::cluster_state& s, const actors::pod_event_report& report);

/// Deduplicates status reports: remembers what was appended until it is folded.
class status_reports {
 public:
  /// The event to append for `report`, or nullopt when it changes nothing
  /// (pod gone or moved, same as stored, same as a report in flight).
  std::optional<model::event> observe(const model::cluster_state& s, actors::pod_status_report report);
  /// The report's event was folded (or failed).
  void settled(const model::object_key& pod) { in_flight_.erase(pod); }
  std::size_t in_flight() const { return in_flight_.size(); }

 private:
  std::map<model::object_key, model::pod_status> in_flight_;
};

}  // namespace berth::store
