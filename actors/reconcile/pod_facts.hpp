#pragma once
// Facts about pods and nodes that several decision functions ask the same way:
// is a pod active, is it ready, which controller owns it, is a node Ready.
//
// Kept in one place so that the RC reconciler, the scheduler and the endpoints
// computation can never disagree about what "active" means. Readiness itself is
// model::is_pod_ready / model::is_node_ready (actors/model/objects.hpp).

#include <cstdint>
#include <string>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"

namespace berth::reconcile {

/// Which pod an action targets: enough to name it in an event header.
struct pod_ref {
  std::string namespace_;
  std::string name;
  std::string uid;
  bool operator==(const pod_ref&) const = default;
  auto operator<=>(const pod_ref&) const = default;
};

/// The reference of `p` (namespace, name, uid).
pod_ref ref_of(const model::pod& p);

/// "ns/name".
std::string to_string(const pod_ref& r);

/// "Reason: message" (or just the reason when the message is empty).
std::string to_string(const model::reason& r);

/// True when the pod has a deletion timestamp: it is on its way out.
bool is_terminating(const model::pod& p);

/// True when the pod's phase is Succeeded or Failed: its containers are done.
bool is_finished(const model::pod& p);

/// Active = neither terminating nor finished; such a pod counts as a replica.
bool is_active(const model::pod& p);

/// The node's Ready condition, or nullptr when it has none.
const model::condition* node_ready_condition(const model::node& n);

/// The owner reference marked controller=true, or nullptr.
const model::owner_reference* controller_of(const model::pod& p);

/// Whole seconds in `ns`, rounded down, as text: "75s" (for messages).
std::string seconds_text(std::int64_t ns);

}  // namespace berth::reconcile
