#pragma once
// The scheduler's decision: which node a pending pod goes to, or why it fits
// nowhere (Kubernetes' filter-then-score design, reduced to the filters and
// scores issue 3 asks for). Pure: the scheduler actor builds node_infos from
// the folded state, calls schedule_batch, and appends pod_bound /
// pod_unschedulable events.
//
// Filters, in order (a node is rejected by the first filter it fails, except
// that all insufficient resources of one node are reported together):
//   Ready condition True            "node(s) were not ready"
//   spec.unschedulable false        "node(s) were unschedulable"
//   nodeSelector ⊆ node labels      "node(s) didn't match node selector"
//   host ports free                 "node(s) didn't have free ports for the requested pod ports"
//   cpu, memory, pod count fit      "Insufficient cpu", "Insufficient memory", "Too many pods"
// Scores, in order: fewest pods of the same controller on the node (spread),
// then most free cpu+memory after placement (least requested), then node name.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "actors/model/objects.hpp"
#include "actors/reconcile/pod_facts.hpp"

namespace berth::reconcile {

/// Cpu in millicores, memory in bytes (Kubernetes' MilliValue / Value).
struct resource_amounts {
  std::int64_t milli_cpu = 0;
  std::int64_t memory = 0;
  bool operator==(const resource_amounts&) const = default;
};

/// A host port in use; an empty or "0.0.0.0" ip means every address.
struct host_port {
  model::protocol protocol_ = model::protocol::tcp;
  std::string ip;
  std::int32_t port = 0;
  auto operator<=>(const host_port&) const = default;
  bool operator==(const host_port&) const = default;
};

/// A node as the scheduler sees it: the node and what its pods already use.
/// Counts the pods bound to it (spec.nodeName) that are not Succeeded/Failed;
/// terminating pods still count, they hold their resources until removed.
struct node_info {
  model::node node;
  resource_amounts allocatable;         // status.allocatable, else capacity; absent = 0
  std::int64_t allowed_pods = 0;        // allocatable "pods"; absent = 0, as in Kubernetes
  resource_amounts requested;           // sum of the pods' requests
  resource_amounts non_zero_requested;  // same, with defaults for request-less pods (scoring only)
  std::int64_t pod_count = 0;
  std::set<host_port> used_ports;
  std::map<std::string, std::int64_t> pods_per_owner;  // controller uid -> pod count
  bool operator==(const node_info&) const = default;
};

/// One node_info per node, sorted by node name, with every pod in `pods`
/// whose spec.nodeName names that node (pods naming an unknown node are ignored).
std::vector<node_info> build_node_infos(const std::vector<model::node>& nodes, const std::vector<model::pod>& pods);

/// Adds `p` to `info` as if bound there (used by build_node_infos and batches).
void add_pod(node_info& info, const model::pod& p);

/// The sum of the pod's container requests.
resource_amounts pod_requests(const model::pod& p);

/// Why `p` cannot go on `info`: empty when it fits, else the reasons (several
/// only for resources: "Insufficient cpu", "Insufficient memory", "Too many pods").
std::vector<std::string> check_fit(const model::pod& p, const node_info& info);

/// A node for one pod, or why there is none.
struct placement {
  std::string node_name;  // empty: the pod fits nowhere
  /// When node_name is empty: `0/3 nodes are available: 2 Insufficient cpu,
  /// 1 node(s) didn't match node selector.` (counts descending, then text).
  std::string why;
  bool ok() const { return !node_name.empty(); }
  bool operator==(const placement&) const = default;
};

/// Picks the best node for `p` among `infos`. Deterministic; never fails.
placement schedule_one(const model::pod& p, const std::vector<node_info>& infos);

struct binding {
  pod_ref pod;
  std::string node_name;
  bool operator==(const binding&) const = default;
};

struct scheduling_failure {
  pod_ref pod;
  model::reason why;  // {"Unschedulable", "0/3 nodes are available: ..."}
  bool operator==(const scheduling_failure&) const = default;
};

/// The outcome of one batch. Bindings and failures sorted by namespace, name.
struct batch_plan {
  std::vector<binding> bindings;
  std::vector<scheduling_failure> failures;
  std::vector<node_info> nodes;   // the infos with the bound pods added
  std::string to_string() const;  // bindings and failures, one per line
  bool operator==(const batch_plan&) const = default;
};

/// Schedules the unbound, non-terminating pods of `pods` one at a time (oldest
/// first, then by namespace and name), adding each placed pod to the infos so
/// that one batch never overfills a node. Pods already bound or terminating
/// are skipped (neither bound nor failed).
batch_plan schedule_batch(const std::vector<model::pod>& pods, std::vector<node_info> infos);

}  // namespace berth::reconcile
