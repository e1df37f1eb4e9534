#include "actors/model/state.hpp"

#include <algorithm>

#include "actors/model/fold_common.hpp"
#include "actors/model/namespaces.hpp"
#include "actors/model/state_volumes.hpp"
#include <type_traits>
#include <utility>

// The rules of the fold, one function per event kind (see apply() at the end
// for the table of contents). Common to all of them:
// - the object an event concerns is named by header.object (kind, namespace,
//   name; and uid when the header carries one: a stale event about an earlier
//   object of the same name must not touch its successor), except for events
//   that carry the object in full (created, replaced, podCreated,
//   endpointsUpdated, nodeRegistered), which use the object's own metadata;
// - an event naming a missing object, or conflicting with the state, is
//   `ignored` and counted in ignored_events;
// - every object an applied event touches gets resource_version := e.seq, and
//   state.seq := e.seq for every event, applied or not.

namespace berth::model {
namespace {

constexpr std::string_view k_pod_scheduled = "PodScheduled";
constexpr std::string_view k_ready = "Ready";

using outcome = apply_outcome;

object_key key_of(const object_meta& m) { return {m.namespace_, m.name}; }
object_key key_of(const object_reference& r) { return {r.namespace_, r.name}; }

using fold_detail::init_meta;
using fold_detail::names;

template <class T>
std::map<object_key, T>& objects_of(cluster_state& s) {
  if constexpr (std::is_same_v<T, pod>)
    return s.pods;
  else if constexpr (std::is_same_v<T, replication_controller>)
    return s.rcs;
  else
    return s.services;
}

template <class T>
constexpr std::string_view kind_of() {
  if constexpr (std::is_same_v<T, pod>)
    return k_kind_pod;
  else if constexpr (std::is_same_v<T, replication_controller>)
    return k_kind_rc;
  else
    return k_kind_service;
}

/// Looks up the namespaced object the header names; nullptr when it is missing
/// or the header's kind or uid does not match it.
template <class T>
T* find_named(std::map<object_key, T>& objects, const event& e) {
  auto it = objects.find(key_of(e.header.object));
  if (it == objects.end() || !names(e.header.object, kind_of<T>(), it->second.metadata)) {
    return nullptr;
  }
  return &it->second;
}

node* find_named_node(cluster_state& s, const event& e) {
  auto it = s.nodes.find(e.header.object.name);
  if (it == s.nodes.end() || !names(e.header.object, k_kind_node, it->second.metadata)) return nullptr;
  return &it->second;
}


/// Sets condition `type`; its last_transition_time moves to `now` only when it
/// is new or its status changes (Kubernetes' meaning of a transition).
condition& set_condition(std::vector<condition>& conditions, std::string_view type, condition_status status,
                         time_ns now) {
  auto it = std::find_if(conditions.begin(), conditions.end(), [type](const condition& c) { return c.type == type; });
  if (it == conditions.end()) {
    conditions.push_back(condition{std::string(type), status, {}, {}, now, 0, 0});
    return conditions.back();
  }
  if (it->status != status) it->last_transition_time = now;
  it->status = status;
  return *it;
}

void mark_scheduled(pod& p, time_ns now) {
  condition& c = set_condition(p.status.conditions, k_pod_scheduled, condition_status::is_true, now);
  c.reason.clear();
  c.message.clear();
}

// ------------------------------------------------------------------ commands

template <class T>
outcome create(cluster_state& s, const T& given, const event& e) {
  auto& objects = objects_of<T>(s);
  object_key key = key_of(given.metadata);
  if (objects.contains(key)) return outcome::ignored;
  T obj = given;
  init_meta(obj.metadata, e);
  if constexpr (std::is_same_v<T, pod>) {
    // PodScheduled belongs to the fold (as in observe_pod_status): a pod
    // created already bound is scheduled now, whatever the producer wrote.
    obj.status.phase = pod_phase::pending;
    std::erase_if(obj.status.conditions, [](const condition& c) { return c.type == k_pod_scheduled; });
    if (!obj.spec.node_name.empty()) mark_scheduled(obj, e.time);
  }
  objects.emplace(std::move(key), std::move(obj));
  return outcome::applied;
}

template <class T>
outcome replace(cluster_state& s, const T& given, const event& e) {
  auto& objects = objects_of<T>(s);
  auto it = objects.find(key_of(given.metadata));
  if (it == objects.end()) return outcome::ignored;
  T& obj = it->second;
  auto spec = given.spec;
  if constexpr (std::is_same_v<T, pod>) spec.node_name = obj.spec.node_name;  // binding is not the user's
  if (!(spec == obj.spec)) {
    obj.spec = std::move(spec);
    ++obj.metadata.generation;
  }
  obj.metadata.labels = given.metadata.labels;
  obj.metadata.annotations = given.metadata.annotations;
  obj.metadata.resource_version = e.seq;
  return outcome::applied;
}

/// Graceful deletion of a pod: it goes Terminating when a live node has to
/// stop it; a pod no node runs (unbound, or its node is gone) is removed now.
outcome delete_pod(cluster_state& s, pod& p, std::int64_t grace, const event& e) {
  if (p.spec.node_name.empty() || !s.nodes.contains(p.spec.node_name)) {
    s.pods.erase(key_of(p.metadata));
    return outcome::applied;
  }
  if (p.metadata.deletion_timestamp == 0) p.metadata.deletion_timestamp = e.time;
  p.metadata.deletion_grace_period_seconds = grace >= 0 ? grace : p.spec.termination_grace_period_seconds;
  p.metadata.resource_version = e.seq;
  return outcome::applied;
}

// ---------------------------------------------------------------- namespaces

/// A namespace the event may change: the stored one, or a derived one
/// ("default", or one that exists because objects live in it) made a stored
/// object now, created at this event. Nullptr when it does not exist, or the
/// header's uid names an earlier namespace of the same name.
namespace_object* stored_namespace(cluster_state& s, const event& e) {
  const auto& name = e.header.object.name;
  if (auto it = s.namespaces.find(name); it != s.namespaces.end())
    return names(e.header.object, k_kind_namespace, it->second.metadata) ? &it->second : nullptr;
  if (!find_namespace(s, name)) return nullptr;
  namespace_object n;
  n.metadata.name = name;
  init_meta(n.metadata, e);
  return &s.namespaces.emplace(name, std::move(n)).first->second;
}

outcome create_namespace(cluster_state& s, const namespace_object& given, const event& e) {
  if (s.namespaces.contains(given.metadata.name)) return outcome::ignored;
  namespace_object n = given;
  init_meta(n.metadata, e);
  n.metadata.namespace_.clear();  // cluster-scoped
  n.status.phase = namespace_phase::active;
  s.namespaces.emplace(n.metadata.name, std::move(n));
  return outcome::applied;
}

/// Labels and annotations only: a namespace has no spec of the user's.
outcome replace_namespace(cluster_state& s, const namespace_object& given, const event& e) {
  if (given.metadata.name != e.header.object.name) return outcome::ignored;
  namespace_object* n = stored_namespace(s, e);
  if (!n) return outcome::ignored;
  n->metadata.labels = given.metadata.labels;
  n->metadata.annotations = given.metadata.annotations;
  n->metadata.resource_version = e.seq;
  return outcome::applied;
}

/// Deleting a namespace makes it Terminating; the namespace controller then
/// deletes what is in it and removes it (namespaceRemoved). The built-in
/// namespaces are never deleted.
outcome delete_namespace(cluster_state& s, const event& e) {
  if (is_builtin_namespace(e.header.object.name)) return outcome::ignored;
  namespace_object* n = stored_namespace(s, e);
  if (!n) return outcome::ignored;
  if (n->metadata.deletion_timestamp == 0) n->metadata.deletion_timestamp = e.time;
  n->status.phase = namespace_phase::terminating;
  n->metadata.resource_version = e.seq;
  return outcome::applied;
}

/// Only a Terminating namespace with nothing left in it goes: a removal
/// decided on a stale view (an object created meanwhile) is ignored.
outcome remove_namespace(cluster_state& s, const event& e) {
  auto it = s.namespaces.find(e.header.object.name);
  if (it == s.namespaces.end() || !names(e.header.object, k_kind_namespace, it->second.metadata) ||
      it->second.status.phase != namespace_phase::terminating || has_objects(s, it->first))
    return outcome::ignored;
  s.namespaces.erase(it);
  return outcome::applied;
}

/// Kubernetes' orphaning: the RC's pods lose their controller reference (so
/// no garbage collector takes them) and keep running.
void release_pods_of(cluster_state& s, const std::string& rc_uid, std::uint64_t seq) {
  for (const auto& key : pods_controlled_by(s, rc_uid)) {
    pod& p = s.pods.at(key);
    std::erase_if(p.metadata.owner_references,
                  [&](const owner_reference& r) { return r.controller && r.uid == rc_uid; });
    p.metadata.resource_version = seq;
  }
}

// ------------------------------------------------------------------- secrets

/// The fold keeps what the event carries: the sealed data, never plaintext
/// (a `data` an event should not have carried is dropped, so the state and
/// its hash hold ciphertext only).
outcome create_secret(cluster_state& s, const secret& given, const event& e) {
  auto key = key_of(given.metadata);
  if (s.secrets.contains(key)) return outcome::ignored;
  secret n = given;
  n.data.clear();
  init_meta(n.metadata, e);
  s.secrets.emplace(key, std::move(n));
  return outcome::applied;
}

outcome replace_secret(cluster_state& s, const secret& given, const event& e) {
  auto it = s.secrets.find(key_of(e.header.object));
  if (it == s.secrets.end() || !names(e.header.object, k_kind_secret, it->second.metadata) ||
      given.metadata.name != e.header.object.name)
    return outcome::ignored;
  secret& n = it->second;
  n.type = given.type;
  n.sealed = given.sealed;
  n.metadata.labels = given.metadata.labels;
  n.metadata.annotations = given.metadata.annotations;
  n.metadata.resource_version = e.seq;
  ++n.metadata.generation;
  return outcome::applied;
}

outcome remove_secret(cluster_state& s, const event& e) {
  auto it = s.secrets.find(key_of(e.header.object));
  if (it == s.secrets.end() || !names(e.header.object, k_kind_secret, it->second.metadata)) return outcome::ignored;
  s.secrets.erase(it);
  return outcome::applied;
}

// ------------------------------------------------- limit ranges and quotas
// Kept as written: they act at admission (actors/model/limit_ranges.hpp, quota.hpp), on
// commands planned against the folded state, never in the fold itself.

template <class T>
outcome create_policy(std::map<object_key, T>& m, const T& given, const event& e) {
  auto key = key_of(given.metadata);
  if (m.contains(key)) return outcome::ignored;
  T n = given;
  init_meta(n.metadata, e);
  m.emplace(key, std::move(n));
  return outcome::applied;
}

template <class T, class Copy>
outcome replace_policy(std::map<object_key, T>& m, const char* kind, const T& given, const event& e, Copy copy) {
  auto it = m.find(key_of(e.header.object));
  if (it == m.end() || !names(e.header.object, kind, it->second.metadata) ||
      given.metadata.name != e.header.object.name)
    return outcome::ignored;
  T& n = it->second;
  copy(n, given);
  n.metadata.labels = given.metadata.labels;
  n.metadata.annotations = given.metadata.annotations;
  n.metadata.resource_version = e.seq;
  ++n.metadata.generation;
  return outcome::applied;
}

template <class T>
outcome remove_policy(std::map<object_key, T>& m, const char* kind, const event& e) {
  auto it = m.find(key_of(e.header.object));
  if (it == m.end() || !names(e.header.object, kind, it->second.metadata)) return outcome::ignored;
  m.erase(it);
  return outcome::applied;
}

outcome create_quota(cluster_state& s, resource_quota given, const event& e) {
  given.status = {};  // counted when asked, never stored
  return create_policy(s.resource_quotas, given, e);
}

/// A refusal changes nothing but needs its RC (a stray one is ignored, counted).
outcome refused_create(const cluster_state& s, const event& e) {
  auto it = s.rcs.find(key_of(e.header.object));
  if (it == s.rcs.end() || !names(e.header.object, k_kind_rc, it->second.metadata)) return outcome::ignored;
  return outcome::applied;
}

/// A node's report about its pod (the store checked it came from the pod's
/// node): applied when the pod still exists; it changes nothing else.
outcome pod_event(cluster_state& s, const event& e) {
  return find_named(s.pods, e) ? outcome::applied : outcome::ignored;
}

outcome delete_object(cluster_state& s, const object_deleted& d, const event& e) {
  const object_reference& ref = e.header.object;
  if (ref.kind == k_kind_pod) {
    pod* p = find_named(s.pods, e);
    return p ? delete_pod(s, *p, d.grace_period_seconds, e) : outcome::ignored;
  }
  if (ref.kind == k_kind_rc) {
    const replication_controller* rc = find_named(s.rcs, e);
    if (!rc) return outcome::ignored;
    if (d.orphan_dependents) release_pods_of(s, rc->metadata.uid, e.seq);
    s.rcs.erase(key_of(ref));  // unless orphaned, its pods go through later podDeleted decisions
    return outcome::applied;
  }
  if (ref.kind == k_kind_service) {
    if (!find_named(s.services, e)) return outcome::ignored;
    s.services.erase(key_of(ref));
    s.endpoints_.erase(key_of(ref));
    return outcome::applied;
  }
  if (ref.kind == k_kind_node) {
    if (!find_named_node(s, e)) return outcome::ignored;
    s.nodes.erase(ref.name);
    return outcome::applied;
  }
  if (ref.kind == k_kind_namespace) return delete_namespace(s, e);
  return outcome::ignored;  // Endpoints or an unknown kind: not deletable by users
}

outcome scale(cluster_state& s, const rc_scaled& r, const event& e) {
  replication_controller* rc = find_named(s.rcs, e);
  if (!rc) return outcome::ignored;
  if (rc->spec.replicas != r.replicas) {
    rc->spec.replicas = r.replicas;
    ++rc->metadata.generation;
  }
  rc->metadata.resource_version = e.seq;
  return outcome::applied;
}

// ----------------------------------------------------------------- decisions

outcome bind(cluster_state& s, const pod_bound& b, const event& e) {
  pod* p = find_named(s.pods, e);
  if (!p || !p->spec.node_name.empty() || p->metadata.deletion_timestamp != 0) return outcome::ignored;
  p->spec.node_name = b.node_name;
  mark_scheduled(*p, e.time);
  p->metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome unschedulable(cluster_state& s, const pod_unschedulable& u, const event& e) {
  pod* p = find_named(s.pods, e);
  if (!p || !p->spec.node_name.empty()) return outcome::ignored;
  condition& c = set_condition(p->status.conditions, k_pod_scheduled, condition_status::is_false, e.time);
  c.reason = "Unschedulable";
  c.message = u.why.message;
  p->metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome evict(cluster_state& s, const pod_evicted& v, const event& e) {
  pod* p = find_named(s.pods, e);
  if (!p) return outcome::ignored;
  p->status.reason = v.why.reason;  // harmless when delete_pod removes the pod
  p->status.message = v.why.message;
  return delete_pod(s, *p, -1, e);
}

outcome controller_delete(cluster_state& s, const event& e) {
  pod* p = find_named(s.pods, e);
  return p ? delete_pod(s, *p, -1, e) : outcome::ignored;
}

outcome remove(cluster_state& s, const event& e) {
  pod* p = find_named(s.pods, e);
  if (!p) return outcome::ignored;
  s.pods.erase(key_of(e.header.object));
  return outcome::applied;
}

outcome update_endpoints(cluster_state& s, const endpoints& given, const event& e) {
  object_key key = key_of(given.metadata);
  if (!s.services.contains(key)) return outcome::ignored;  // endpoints live only beside their service
  auto it = s.endpoints_.find(key);
  if (it == s.endpoints_.end()) {
    endpoints ep = given;
    init_meta(ep.metadata, e);
    s.endpoints_.emplace(std::move(key), std::move(ep));
    return outcome::applied;
  }
  it->second.subsets = given.subsets;
  it->second.metadata.resource_version = e.seq;
  return outcome::applied;
}

/// A user's endpoints (endpointsReplaced): created when the name has none,
/// else their subsets, labels and annotations replaced. No service is needed
/// (Kubernetes lets the endpoints come first). A header uid that is not the
/// stored one's is a stale write: ignored.
outcome replace_endpoints(cluster_state& s, const endpoints& given, const event& e) {
  object_key key = key_of(given.metadata);
  if (key != key_of(e.header.object)) return outcome::ignored;
  auto it = s.endpoints_.find(key);
  if (it == s.endpoints_.end()) {
    endpoints ep = given;
    init_meta(ep.metadata, e);
    s.endpoints_.emplace(std::move(key), std::move(ep));
    return outcome::applied;
  }
  if (!names(e.header.object, k_kind_endpoints, it->second.metadata)) return outcome::ignored;
  endpoints& ep = it->second;
  ep.subsets = given.subsets;
  ep.metadata.labels = given.metadata.labels;
  ep.metadata.annotations = given.metadata.annotations;
  ep.metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome remove_endpoints(cluster_state& s, const event& e) {
  auto it = s.endpoints_.find(key_of(e.header.object));
  if (it == s.endpoints_.end() || !names(e.header.object, k_kind_endpoints, it->second.metadata))
    return outcome::ignored;
  s.endpoints_.erase(it);
  return outcome::applied;
}

// -------------------------------------------------------------- observations

outcome register_node(cluster_state& s, const node& given, const event& e) {
  auto it = s.nodes.find(given.metadata.name);
  if (it == s.nodes.end()) {
    node n = given;
    init_meta(n.metadata, e);
    n.metadata.namespace_.clear();  // cluster-scoped
    s.nodes.emplace(n.metadata.name, std::move(n));
    return outcome::applied;
  }
  node& n = it->second;  // re-registration: same node, new facts
  n.metadata.labels = given.metadata.labels;
  auto spec = given.spec;
  spec.unschedulable = n.spec.unschedulable;  // a user's cordon, not the agent's to undo
  if (!(n.spec == spec)) {
    n.spec = std::move(spec);
    ++n.metadata.generation;
  }
  n.status = given.status;
  n.metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome readiness(cluster_state& s, const node_readiness& r, const event& e) {
  node* n = find_named_node(s, e);
  if (!n) return outcome::ignored;
  auto status = r.ready ? condition_status::is_true : condition_status::is_false;
  condition& c = set_condition(n->status.conditions, k_ready, status, e.time);
  c.reason = r.reason;
  c.message = r.message;
  c.last_heartbeat_time = r.last_heartbeat_time;
  n->metadata.resource_version = e.seq;
  return outcome::applied;
}

/// A journaled heartbeat renews the Ready condition's lastHeartbeatTime (never
/// backwards); readiness itself changes only by decisions and observations.
outcome heartbeat(cluster_state& s, const node_heartbeat& h, const event& e) {
  node* n = find_named_node(s, e);
  if (!n) return outcome::ignored;
  condition* c = nullptr;
  for (auto& x : n->status.conditions)
    if (x.type == k_ready) c = &x;
  if (c == nullptr) return outcome::ignored;
  c->last_heartbeat_time = std::max(c->last_heartbeat_time, h.time);
  n->metadata.resource_version = e.seq;
  return outcome::applied;
}

/// kubectl cordon / uncordon: the scheduler places nothing new on an
/// unschedulable node; what runs there stays.
outcome set_unschedulable(cluster_state& s, const node_unschedulable& u, const event& e) {
  node* n = find_named_node(s, e);
  if (!n) return outcome::ignored;
  if (n->spec.unschedulable != u.unschedulable) {
    n->spec.unschedulable = u.unschedulable;
    ++n->metadata.generation;
  }
  n->metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome observe_pod_status(cluster_state& s, const pod_status& observed, const event& e) {
  pod* p = find_named(s.pods, e);
  if (!p) return outcome::ignored;
  // PodScheduled belongs to the control plane: a node cannot (re)write it.
  std::vector<condition> conditions;
  for (const condition& c : p->status.conditions) {
    if (c.type == k_pod_scheduled) conditions.push_back(c);
  }
  for (const condition& c : observed.conditions) {
    if (c.type != k_pod_scheduled) conditions.push_back(c);
  }
  p->status = observed;
  p->status.conditions = std::move(conditions);
  p->metadata.resource_version = e.seq;
  return outcome::applied;
}

/// The table of contents: one rule per event kind.
struct rules {
  cluster_state& s;
  const event& e;

  outcome operator()(const object_created& x) {
    return std::visit([&](const auto& obj) { return create(s, obj, e); }, x.object);
  }
  outcome operator()(const object_replaced& x) {
    return std::visit([&](const auto& obj) { return replace(s, obj, e); }, x.object);
  }
  outcome operator()(const object_deleted& x) { return delete_object(s, x, e); }
  outcome operator()(const rc_scaled& x) { return scale(s, x, e); }
  outcome operator()(const pod_created& x) { return create(s, x.object, e); }
  outcome operator()(const pod_bound& x) { return bind(s, x, e); }
  outcome operator()(const pod_unschedulable& x) { return unschedulable(s, x, e); }
  outcome operator()(const pod_evicted& x) { return evict(s, x, e); }
  outcome operator()(const pod_removed&) { return remove(s, e); }
  outcome operator()(const pod_deleted&) { return controller_delete(s, e); }
  outcome operator()(const endpoints_updated& x) { return update_endpoints(s, x.object, e); }
  outcome operator()(const node_readiness_decided& x) { return readiness(s, x.readiness, e); }
  outcome operator()(const node_registered& x) { return register_node(s, x.object, e); }
  outcome operator()(const node_readiness_observed& x) { return readiness(s, x.readiness, e); }
  outcome operator()(const pod_status_observed& x) { return observe_pod_status(s, x.status, e); }
  outcome operator()(const node_heartbeat& x) { return heartbeat(s, x, e); }
  outcome operator()(const node_unschedulable& x) { return set_unschedulable(s, x, e); }
  outcome operator()(const namespace_created& x) { return create_namespace(s, x.object, e); }
  outcome operator()(const namespace_replaced& x) { return replace_namespace(s, x.object, e); }
  outcome operator()(const namespace_removed&) { return remove_namespace(s, e); }
  outcome operator()(const secret_created& x) { return create_secret(s, x.object, e); }
  outcome operator()(const secret_replaced& x) { return replace_secret(s, x.object, e); }
  outcome operator()(const secret_removed&) { return remove_secret(s, e); }
  outcome operator()(const endpoints_replaced& x) { return replace_endpoints(s, x.object, e); }
  outcome operator()(const endpoints_removed&) { return remove_endpoints(s, e); }
  template <int N>
  outcome operator()(const reserved_event<N>&) {
    return outcome::ignored;
  }
  outcome operator()(const limit_range_created& x) { return create_policy(s.limit_ranges, x.object, e); }
  outcome operator()(const limit_range_replaced& x) {
    return replace_policy(s.limit_ranges, k_kind_limit_range, x.object, e,
                          [](limit_range& n, const limit_range& g) { n.limits = g.limits; });
  }
  outcome operator()(const limit_range_removed&) { return remove_policy(s.limit_ranges, k_kind_limit_range, e); }
  outcome operator()(const resource_quota_created& x) { return create_quota(s, x.object, e); }
  outcome operator()(const resource_quota_replaced& x) {
    return replace_policy(s.resource_quotas, k_kind_resource_quota, x.object, e,
                          [](resource_quota& n, const resource_quota& g) { n.hard = g.hard; });
  }
  outcome operator()(const resource_quota_removed&) {
    return remove_policy(s.resource_quotas, k_kind_resource_quota, e);
  }
  outcome operator()(const pod_create_refused&) { return refused_create(s, e); }
  outcome operator()(const pod_event_observed&) { return pod_event(s, e); }
  outcome operator()(const persistent_volume_created& x) { return volume_rules::create_volume(s, x.object, e); }
  outcome operator()(const persistent_volume_replaced& x) { return volume_rules::replace_volume(s, x.object, e); }
  outcome operator()(const persistent_volume_removed&) { return volume_rules::remove_volume(s, e); }
  outcome operator()(const persistent_volume_claim_created& x) {
    return volume_rules::create_claim(s, x.object, e);
  }
  outcome operator()(const persistent_volume_claim_replaced& x) {
    return volume_rules::replace_claim(s, x.object, e);
  }
  outcome operator()(const persistent_volume_claim_removed&) { return volume_rules::remove_claim(s, e); }
  outcome operator()(const volume_claim_bound& x) { return volume_rules::bind_claim(s, x, e); }
  outcome operator()(const volume_recycled&) { return volume_rules::recycled(s, e); }
  outcome operator()(const volume_reclaim_failed& x) { return volume_rules::reclaim_failed(s, x, e); }
  outcome operator()(const pod_template_created& x) { return create_policy(s.pod_templates, x.object, e); }
  outcome operator()(const pod_template_replaced& x) {
    return replace_policy(s.pod_templates, k_kind_pod_template, x.object, e,
                          [](pod_template& n, const pod_template& g) { n.template_ = g.template_; });
  }
  outcome operator()(const pod_template_removed&) { return remove_policy(s.pod_templates, k_kind_pod_template, e); }
};

}  // namespace

apply_outcome apply(cluster_state& s, const event& e) {
  apply_outcome result = std::visit(rules{s, e}, e.payload);
  s.seq = e.seq;
  if (result == apply_outcome::ignored) ++s.ignored_events;
  return result;
}

std::vector<object_key> pods_controlled_by(const cluster_state& s, const std::string& rc_uid) {
  std::vector<object_key> out;
  for (const auto& [key, p] : s.pods)
    for (const auto& r : p.metadata.owner_references)
      if (r.controller && r.uid == rc_uid) {
        out.push_back(key);
        break;
      }
  return out;
}

}  // namespace berth::model
