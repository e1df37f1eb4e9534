#include "actors/store/routing.hpp"

#include <algorithm>

#include "actors/model/namespaces.hpp"
#include "actors/reconcile/pod_facts.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/store/node_secrets.hpp"

namespace berth::store {
namespace {

using actors::kind;
using object_action = route_plan::object_action;

template <class T>
const T* as(const std::optional<actors::any_object>& o) {
  return o ? std::get_if<T>(&*o) : nullptr;
}

bool selects_ptr(const model::service& svc, const model::pod* p) { return p && selects(svc, *p); }

route_plan route_pod(const model::cluster_state& s, const touched_object& t) {
  route_plan plan;
  const auto* before = as<model::pod>(t.before);
  const auto* after = as<model::pod>(t.after);
  plan.own = after ? object_action::update : object_action::stop;
  const model::pod* any = after ? after : before;
  if (const auto* owner = reconcile::controller_of(*any); owner && owner->kind == model::k_kind_rc)
    plan.controller = {t.key.namespace_, owner->name};
  for (const auto* p : {before, after}) {
    if (!p || p->spec.node_name.empty()) continue;
    if (std::find(plan.nodes.begin(), plan.nodes.end(), p->spec.node_name) == plan.nodes.end())
      plan.nodes.push_back(p->spec.node_name);
  }
  if (changes_node_secrets(before, after)) plan.secret_nodes = plan.nodes;
  for (auto it = s.services.lower_bound({t.key.namespace_, ""});
       it != s.services.end() && it->first.namespace_ == t.key.namespace_; ++it)
    if (selects_ptr(it->second, before) || selects_ptr(it->second, after)) plan.services.push_back(it->first);
  bool waiting = after && after->spec.node_name.empty() && reconcile::is_active(*after);
  bool freed = before && !before->spec.node_name.empty() && (!after || !reconcile::is_active(*after));
  plan.wake_scheduler = waiting || freed;
  const bool left = before && reconcile::is_active(*before) && (!after || !reconcile::is_active(*after));
  auto quota = s.resource_quotas.lower_bound({t.key.namespace_, ""});
  plan.wake_controllers = left && quota != s.resource_quotas.end() && quota->first.namespace_ == t.key.namespace_;
  plan.wake_volumes = any->metadata.labels.count(reconcile::k_recycler_label) != 0;
  return plan;
}

route_plan route_of_kind(const model::cluster_state& after, const touched_object& t) {
  route_plan plan;
  switch (t.k) {
    case kind::pod: return route_pod(after, t);
    case kind::replication_controller:
      // An event that left the RC as it was (podCreateRefused) tells its actor
      // nothing: else it would look again at once, be refused again, and so on.
      if (t.before && t.after && *t.before == *t.after) break;
      plan.own = t.after ? object_action::update : object_action::stop;
      plan.collect_garbage = !t.after;
      break;
    case kind::service:
      plan.own = t.after ? object_action::update : object_action::stop;
      plan.push_services = true;
      break;
    case kind::endpoints:
      plan.own = object_action::update;  // to its service's actor
      plan.push_services = true;
      break;
    case kind::node:
      plan.own = t.after ? object_action::update : object_action::stop;
      plan.collect_garbage = !t.after;
      plan.wake_scheduler = true;
      break;
    case kind::namespace_: break;  // no actor of its own: the namespace controller looks below
    case kind::secret: plan.push_secrets = true; break;  // no actor; the nodes whose pods use it get it
    case kind::limit_range:
    case kind::resource_quota: plan.wake_controllers = true; break;
    case kind::persistent_volume:
    case kind::persistent_volume_claim:
      // No actor of their own: the volume controller binds and reclaims, and
      // the nodes whose pods mount a claim get its volume's source.
      plan.wake_volumes = true;
      plan.push_secrets = true;
      break;
    case kind::pod_template: break;  // stored for tools; nothing runs it
  }
  return plan;
}

/// A Terminating namespace changed, or something in one did: the namespace
/// controller has work (more to delete, or the namespace is now empty).
bool concerns_terminating(const model::cluster_state& after, const touched_object& t) {
  if (t.k == kind::namespace_) return model::is_terminating(after, t.key.name);
  return !model::is_cluster_scoped(t.k) && model::is_terminating(after, t.key.namespace_);
}

}  // namespace

route_plan plan_route(const model::cluster_state& after, const touched_object& t) {
  if (!t.before && !t.after) return {};  // an ignored event changed nothing
  route_plan plan = route_of_kind(after, t);
  plan.wake_namespaces = concerns_terminating(after, t);
  return plan;
}

bool selects(const model::service& svc, const model::pod& p) {
  return !svc.spec.selector.empty() && p.metadata.namespace_ == svc.metadata.namespace_ &&
         reconcile::matches(reconcile::from_map(svc.spec.selector), p.metadata.labels);
}

std::vector<model::pod> pods_in_namespace(const model::cluster_state& s, const std::string& ns) {
  std::vector<model::pod> out;
  for (auto it = s.pods.lower_bound({ns, ""}); it != s.pods.end() && it->first.namespace_ == ns; ++it)
    out.push_back(it->second);
  return out;
}

std::vector<model::pod> owned_pods(const model::cluster_state& s, const model::replication_controller& rc) {
  std::vector<model::pod> out;
  for (auto& p : pods_in_namespace(s, rc.metadata.namespace_)) {
    const auto* owner = reconcile::controller_of(p);
    if (owner && owner->uid == rc.metadata.uid) out.push_back(std::move(p));
  }
  return out;
}

std::vector<model::pod> matching_pods(const model::cluster_state& s, const model::service& svc) {
  std::vector<model::pod> out;
  for (auto& p : pods_in_namespace(s, svc.metadata.namespace_))
    if (selects(svc, p)) out.push_back(std::move(p));
  return out;
}

std::vector<model::pod> bound_pods(const model::cluster_state& s, const std::string& node) {
  std::vector<model::pod> out;
  for (const auto& [_, p] : s.pods)
    if (p.spec.node_name == node) out.push_back(p);
  return out;
}

scheduling_inputs make_scheduling_inputs(const model::cluster_state& s) {
  scheduling_inputs in;
  in.seq = s.seq;
  for (const auto& [_, p] : s.pods) {
    if (!p.spec.node_name.empty())
      in.bound.push_back(p);
    else if (reconcile::is_active(p))
      in.pending.push_back(p);
  }
  for (const auto& [_, n] : s.nodes) in.nodes.push_back(n);
  return in;
}

namespace_inputs make_namespace_inputs(const model::cluster_state& s) {
  namespace_inputs in;
  in.seq = s.seq;
  for (const auto& [name, ns] : s.namespaces) {
    if (ns.status.phase != model::namespace_phase::terminating) continue;
    reconcile::terminating_namespace t;
    t.ns = ns;
    t.pods = pods_in_namespace(s, name);
    for (auto it = s.rcs.lower_bound({name, ""}); it != s.rcs.end() && it->first.namespace_ == name; ++it)
      t.rcs.push_back(it->second);
    for (auto it = s.services.lower_bound({name, ""}); it != s.services.end() && it->first.namespace_ == name; ++it)
      t.services.push_back(it->second);
    for (auto it = s.secrets.lower_bound({name, ""}); it != s.secrets.end() && it->first.namespace_ == name; ++it)
      t.secrets.push_back(it->second);
    for (auto it = s.endpoints_.lower_bound({name, ""}); it != s.endpoints_.end() && it->first.namespace_ == name;
         ++it)
      if (!s.services.contains(it->first)) t.endpoints.push_back(it->second);
    for (auto it = s.limit_ranges.lower_bound({name, ""});
         it != s.limit_ranges.end() && it->first.namespace_ == name; ++it)
      t.limit_ranges.push_back(it->second);
    for (auto it = s.resource_quotas.lower_bound({name, ""});
         it != s.resource_quotas.end() && it->first.namespace_ == name; ++it)
      t.resource_quotas.push_back(it->second);
    for (auto it = s.claims.lower_bound({name, ""}); it != s.claims.end() && it->first.namespace_ == name; ++it)
      t.claims.push_back(it->second);
    for (auto it = s.pod_templates.lower_bound({name, ""});
         it != s.pod_templates.end() && it->first.namespace_ == name; ++it)
      t.pod_templates.push_back(it->second);
    in.terminating.push_back(std::move(t));
  }
  return in;
}

volume_inputs make_volume_inputs(const model::cluster_state& s) {
  volume_inputs v;
  v.seq = s.seq;
  for (const auto& [_, pv] : s.volumes) v.in.volumes.push_back(pv);
  for (const auto& [_, c] : s.claims)
    if (c.status.phase == model::claim_phase::pending) v.in.claims.push_back(c);
  for (auto& p : pods_in_namespace(s, reconcile::k_recycler_namespace))
    if (p.metadata.labels.count(reconcile::k_recycler_label)) v.in.recyclers.push_back(std::move(p));
  return v;
}

}  // namespace berth::store
