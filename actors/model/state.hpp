#pragma once
// The cluster state: a pure fold over the journal (docs/control-plane.md).
// No CAF, no RocksDB, no clock: the live control plane
// and the replay tools call the same apply().

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"

namespace berth::model {

/// Namespaced objects are keyed by (namespace, name); std::map keeps every
/// iteration (and so the state hash and snapshots) in one deterministic order.
struct object_key {
  std::string namespace_;
  std::string name;
  auto operator<=>(const object_key&) const = default;
  bool operator==(const object_key&) const = default;
};

struct cluster_state {
  std::uint64_t seq = 0;  // last event folded in
  std::map<object_key, pod> pods;
  std::map<object_key, replication_controller> rcs;
  std::map<object_key, service> services;
  std::map<object_key, endpoints> endpoints_;  // keyed like their service
  std::map<std::string, node> nodes;           // nodes are cluster-scoped
  std::uint64_t ignored_events = 0;            // events that named a missing/conflicting object
  /// Created namespaces, cluster-scoped; the ones that exist without being
  /// created are derived (actors/model/namespaces.hpp).
  std::map<std::string, namespace_object> namespaces;
  /// Secrets, their data sealed (model::secret::sealed; `data` stays empty).
  std::map<object_key, secret> secrets;
  std::map<object_key, limit_range> limit_ranges;
  /// Quotas as specified (status stays empty: actors/model/quota.hpp counts it).
  std::map<object_key, resource_quota> resource_quotas;
  /// Persistent volumes (cluster-scoped) and claims, their status as folded
  /// (actors/model/state_volumes.hpp has the rules).
  std::map<std::string, persistent_volume> volumes;
  std::map<object_key, persistent_volume_claim> claims;
  std::map<object_key, pod_template> pod_templates;
  bool operator==(const cluster_state&) const = default;
};

/// What apply() did with one event.
enum class apply_outcome : std::uint8_t {
  applied,  // the state changed
  ignored,  // the event named a missing object or conflicted (counted in ignored_events)
};

/// Folds one event into `s` in place (the fold must not copy the whole state
/// per event). Precondition: e.seq > s.seq. Total and deterministic: every
/// event applies or is ignored, the same events always give the same state.
/// See state.cpp for each event's rule.
apply_outcome apply(cluster_state& s, const event& e);

/// The pods whose controller is the RC with `rc_uid`: what an RC deleted with
/// orphanDependents releases (their owner reference goes, the pods stay).
std::vector<object_key> pods_controlled_by(const cluster_state& s, const std::string& rc_uid);

}  // namespace berth::model
