#pragma once
// Routing: which actors hear of a folded change (docs/control-plane.md). A pure
// function of the diff and the state after the fold; the store actor carries
// the plan out (sends, spawns, stops). Also the state queries the store uses
// to give a newly spawned object actor its inputs.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/state.hpp"
#include "actors/reconcile/namespace_cleanup.hpp"
#include "actors/reconcile/volume_binder.hpp"
#include "actors/store/fold_diff.hpp"

namespace berth::store {

/// Where one touched object's change goes.
struct route_plan {
  enum class object_action : std::uint8_t {
    none,    // nothing for the object's own actor
    update,  // send the new object to its actor (spawning it when absent)
    stop,    // the object is gone: tell its actor, which then stops
  };
  object_action own = object_action::none;
  /// A pod's change: the RC that controls it (empty name: none).
  model::object_key controller;
  /// A pod's change: the nodes it is or was bound to (once each).
  std::vector<std::string> nodes;
  /// A pod's change: the services whose selector matches it now or did before.
  std::vector<model::object_key> services;
  bool wake_scheduler = false;   // a pod waits for a node, capacity or nodes changed
  bool push_services = false;    // services or endpoints changed: tell the agents
  bool push_secrets = false;     // a secret changed: any node's set of secrets may have
  /// A pod's change: the nodes whose set of secrets may have changed (node_secrets.hpp).
  std::vector<std::string> secret_nodes;
  bool collect_garbage = false;  // an RC or node is gone: its pods may be orphans
  bool wake_namespaces = false;  // a namespace is Terminating, or something in one changed
  /// A limit range or quota changed, or a pod left a namespace with a quota:
  /// the namespace's RCs look again (a pod refused before may pass now).
  bool wake_controllers = false;
  /// A volume or claim changed, or a recycler pod did: the volume controller looks again.
  bool wake_volumes = false;
  bool operator==(const route_plan&) const = default;
};

/// The routing of one touched object, given the state after the fold.
route_plan plan_route(const model::cluster_state& after, const touched_object& t);

/// Does the service's selector pick this pod (same namespace, non-empty selector)?
bool selects(const model::service& svc, const model::pod& p);

/// Pods controlled by `rc` (by uid), in key order.
std::vector<model::pod> owned_pods(const model::cluster_state& s, const model::replication_controller& rc);
/// Pods the service's selector matches, in key order.
std::vector<model::pod> matching_pods(const model::cluster_state& s, const model::service& svc);
/// Pods bound to `node`, in key order.
std::vector<model::pod> bound_pods(const model::cluster_state& s, const std::string& node);
/// Pods of one namespace, in key order.
std::vector<model::pod> pods_in_namespace(const model::cluster_state& s, const std::string& ns);

/// Everything the scheduler needs for one batch, read from the folded state.
struct scheduling_inputs {
  std::uint64_t seq = 0;            // the state they were read at
  std::vector<model::pod> pending;  // unbound, active pods, sorted by key
  std::vector<model::node> nodes;   // all nodes, sorted by name
  std::vector<model::pod> bound;    // pods bound to some node (for capacity)
};
scheduling_inputs make_scheduling_inputs(const model::cluster_state& s);

/// Everything the namespace controller needs: each Terminating namespace
/// with what is still in it, read from the folded state at `seq`.
struct namespace_inputs {
  std::uint64_t seq = 0;
  std::vector<reconcile::terminating_namespace> terminating;  // by name
};
namespace_inputs make_namespace_inputs(const model::cluster_state& s);

/// Everything the volume controller needs (reconcile::plan_volumes): every
/// volume, the Pending claims, the recycler pods, read at `seq`.
struct volume_inputs {
  std::uint64_t seq = 0;
  reconcile::volume_inputs in;
};
volume_inputs make_volume_inputs(const model::cluster_state& s);

}  // namespace berth::store
