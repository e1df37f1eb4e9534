#pragma once
// The replication controller's decision: which pods to create and which to
// delete so that `replicas` active pods exist (Nomad-style reconciler: a pure
// function from explicit inputs to a printable, sorted plan; the RC actor
// appends the plan as pod_created / pod_deleted events, and replay never
// re-runs it).
//
// Ownership: a pod belongs to an RC when its controller owner reference has the
// RC's uid. Pods that merely match the selector are NOT adopted (berth creates
// every RC pod itself, so an ownerless matching pod was made by a user and is
// left alone). Only active pods count: not terminating, not Succeeded/Failed.

#include <set>
#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/reconcile/pod_facts.hpp"

namespace berth::reconcile {

/// A pod to create, complete (name, uid, owner reference, creation time).
struct pod_creation {
  model::pod pod;
  model::reason why;  // {"ScaleUp", "3 < 5 replicas"}
  bool operator==(const pod_creation&) const = default;
};

/// A pod to delete (gracefully: it goes Terminating).
struct pod_deletion {
  pod_ref pod;
  model::reason why;  // {"ScaleDown", "5 > 2 replicas"}, {"OwnerDeleted", ...}
  bool operator==(const pod_deletion&) const = default;
};

/// What one RC sync decided. `create` is sorted by pod name; `remove` is in
/// deletion-priority order (see delete_before), which is itself deterministic.
struct rc_plan {
  model::object_reference rc;
  std::vector<pod_creation> create;
  std::vector<pod_deletion> remove;
  /// The status the RC should report, counted over the active owned pods as
  /// they are now (before the plan is applied), like Kubernetes.
  model::replication_controller_status status;
  /// True when status differs from the RC's current status (an update is due).
  bool status_changed = false;

  /// No pod to create or delete (a status change alone leaves the plan empty).
  bool empty() const { return create.empty() && remove.empty(); }
  /// Several lines, for logs and test failure messages.
  std::string to_string() const;
  bool operator==(const rc_plan&) const = default;
};

/// Plans the pods of `rc`. `pods`: the pods of the RC's namespace (others are
/// ignored). `now` stamps creation timestamps; `names` supplies name suffixes
/// and uids, skipping any name already taken in the namespace. A terminating
/// RC (deletion_timestamp set) creates nothing and deletes its active pods.
/// Never fails: every input has a plan.
rc_plan reconcile_rc(const model::replication_controller& rc, const std::vector<model::pod>& pods, model::time_ns now,
                     name_generator& names);

/// Deletion priority, Kubernetes' ActivePods order: unscheduled before
/// scheduled, then Pending before Unknown before Running, then not ready before
/// ready, then newer before older, then by name.
bool delete_before(const model::pod& a, const model::pod& b);

/// Pods whose controller is a ReplicationController whose uid is not in
/// `live_rc_uids`, and that are not already terminating: delete them with
/// reason "OwnerDeleted". Sorted by namespace, then name.
std::vector<pod_deletion> delete_orphans(const std::vector<model::pod>& pods,
                                         const std::set<std::string>& live_rc_uids);

}  // namespace berth::reconcile
