#pragma once
// The namespace controller's decision (Kubernetes' namespace lifecycle
// controller): for each Terminating namespace, delete what is in it, and
// once nothing is left, remove the namespace. A pure function from explicit
// inputs to a printable, sorted plan; the namespace controller actor
// (actors/core/namespace_actor.cpp) appends it, and replay never re-runs it.
//
// Per namespace:
//   every replication controller  -> delete   (its pods go with it: the
//                                               garbage collector deletes the
//                                               pods of an RC that is gone)
//   every service                 -> delete   (its endpoints go with it)
//   every secret                  -> delete   (secretRemoved)
//   endpoints of no service       -> delete   (endpointsRemoved; written by
//                                               a user, they have no service
//                                               to go with)
//   every claim                   -> delete   (persistentVolumeClaimRemoved;
//                                               its volume is Released)
//   every pod template            -> delete   (podTemplateRemoved)
//   every pod no RC controls,
//     not terminating yet         -> delete   (gracefully: its node stops it)
//   a terminating pod, or a pod an RC controls -> wait
//   nothing left                  -> remove the namespace
//
// Re-running on the state after the plan converges: what was deleted is gone
// or terminating, and an empty namespace is removed exactly once.

#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/kinds.hpp"
#include "actors/model/objects.hpp"

namespace berth::reconcile {

/// One Terminating namespace and everything still in it.
struct terminating_namespace {
  model::namespace_object ns;
  std::vector<model::pod> pods;
  std::vector<model::replication_controller> rcs;
  std::vector<model::service> services;
  // Default-initialized: callers (and table tests) that list pods, RCs and
  // services only need not spell out the kinds added later.
  std::vector<model::secret> secrets = {};      // sealed: only their names and uids matter here
  std::vector<model::endpoints> endpoints = {};  // only those no service has: a service's go with it
  std::vector<model::limit_range> limit_ranges = {};
  std::vector<model::resource_quota> resource_quotas = {};
  std::vector<model::persistent_volume_claim> claims = {};
  std::vector<model::pod_template> pod_templates = {};
};

/// An object to delete, with why.
struct object_deletion {
  model::kind kind = model::kind::pod;  // pod, replication_controller, service, secret, endpoints, limit range, quota
  model::object_reference object;       // kind name, namespace, name, uid
  model::reason why;                    // {"NamespaceTerminating", "namespace \"x\" is being deleted"}
  bool operator==(const object_deletion&) const = default;
};

/// A namespace to remove: nothing is left in it.
struct namespace_removal {
  model::object_reference ns;  // kind "Namespace", name, uid
  model::reason why;           // {"NamespaceEmpty", "nothing is left in namespace \"x\""}
  bool operator==(const namespace_removal&) const = default;
};

/// What one pass decided. Deletions are in namespace order and, within a
/// namespace, replication controllers, then services, then pods, then
/// secrets, then endpoints, then limit ranges, then quotas, then claims, then
/// pod templates, each by name.
struct namespace_plan {
  std::vector<object_deletion> deletions;
  std::vector<namespace_removal> removals;
  bool empty() const { return deletions.empty() && removals.empty(); }
  /// One line per action, for logs and test failure messages.
  std::string to_string() const;
  bool operator==(const namespace_plan&) const = default;
};

/// Plans the cleanup of `namespaces` (each Terminating; one that is not is
/// left alone). The inputs may come in any order: the plan is sorted.
namespace_plan plan_namespace_cleanup(std::vector<terminating_namespace> namespaces);

}  // namespace berth::reconcile
