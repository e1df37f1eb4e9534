// Routing folded changes to the object actors: who cares about a change, and
// spawning / stopping the actor that owns each object.
#include <caf/all.hpp>

#include "actors/core/object_actors.hpp"
#include "actors/core/store_state.hpp"
#include "actors/reconcile/pod_facts.hpp"
#include "actors/reconcile/selector.hpp"

namespace berth::actors {
namespace {

actor_context context_of(store_actor self) {
  return {self->state.writer, caf::actor_cast<caf::actor>(self), self->state.config};
}

template <class T>
const T* as(const std::optional<any_object>& o) {
  return o ? std::get_if<T>(&*o) : nullptr;
}

bool selects(const model::service& svc, const model::pod* p) {
  return p && !svc.spec.selector.empty() && p->metadata.namespace_ == svc.metadata.namespace_ &&
         reconcile::matches(reconcile::from_map(svc.spec.selector), p->metadata.labels);
}

pods_ptr owned_pods(const model::cluster_state& s, const model::replication_controller& rc) {
  auto out = std::make_shared<std::vector<model::pod>>();
  for (auto& p : pods_in_namespace(s, rc.metadata.namespace_)) {
    const auto* owner = reconcile::controller_of(p);
    if (owner && owner->uid == rc.metadata.uid) out->push_back(std::move(p));
  }
  return out;
}

pods_ptr matching_pods(const model::cluster_state& s, const model::service& svc) {
  auto out = std::make_shared<std::vector<model::pod>>();
  for (auto& p : pods_in_namespace(s, svc.metadata.namespace_))
    if (selects(svc, &p)) out->push_back(std::move(p));
  return out;
}

pods_ptr bound_pods(const model::cluster_state& s, const std::string& node) {
  auto out = std::make_shared<std::vector<model::pod>>();
  for (const auto& [_, p] : s.pods)
    if (p.spec.node_name == node) out->push_back(p);
  return out;
}

endpoints_ptr endpoints_of(const model::cluster_state& s, const model::object_key& key) {
  auto it = s.endpoints_.find(key);
  return it == s.endpoints_.end() ? nullptr : std::make_shared<const model::endpoints>(it->second);
}

link_ptr link_of(store_actor self, const std::string& node) {
  auto it = self->state.links.find(node);
  return it == self->state.links.end() ? nullptr : it->second;
}

void route_pod(store_actor self, std::uint64_t seq, const touched_object& t) {
  auto& st = self->state;
  const auto* before = as<model::pod>(t.before);
  const auto* after = as<model::pod>(t.after);
  if (!before && !after) return;  // the event was ignored: nothing changed
  auto update = std::make_shared<const pod_update>(
      pod_update{seq, t.key, after ? std::make_shared<const model::pod>(*after) : nullptr});
  // The pod's own actor.
  if (auto it = st.pod_actors.find(t.key); it != st.pod_actors.end()) {
    self->send(it->second, update_atom::value, update);
    if (!after) st.pod_actors.erase(it);
  } else if (after) {
    st.pod_actors.emplace(t.key, spawn_pod_actor(self, context_of(self), update->pod));
  }
  // Its controller.
  const model::pod* any = after ? after : before;
  if (const auto* owner = reconcile::controller_of(*any); owner && owner->kind == model::k_kind_rc) {
    if (auto it = st.rc_actors.find({t.key.namespace_, owner->name}); it != st.rc_actors.end())
      self->send(it->second, update_atom::value, update);
  }
  // The node(s) it is or was bound to.
  for (const auto* p : {before, after}) {
    if (!p || p->spec.node_name.empty()) continue;
    if (p == after && before && before->spec.node_name == after->spec.node_name) continue;
    if (auto it = st.node_actors.find(p->spec.node_name); it != st.node_actors.end())
      self->send(it->second, update_atom::value, update);
  }
  // Services whose selector matches it now or matched it before.
  for (auto it = st.state.services.lower_bound({t.key.namespace_, ""});
       it != st.state.services.end() && it->first.namespace_ == t.key.namespace_; ++it) {
    if (!selects(it->second, before) && !selects(it->second, after)) continue;
    if (auto a = st.service_actors.find(it->first); a != st.service_actors.end())
      self->send(a->second, update_atom::value, update);
  }
  // The scheduler: a pod waiting for a node, or capacity freed.
  bool waiting = after && after->spec.node_name.empty() && reconcile::is_active(*after);
  bool freed = before && !before->spec.node_name.empty() && (!after || !reconcile::is_active(*after));
  if (waiting || freed) self->send(st.scheduler, wake_atom::value);
}

void route_rc(store_actor self, std::uint64_t seq, const touched_object& t) {
  auto& st = self->state;
  const auto* after = as<model::replication_controller>(t.after);
  auto it = st.rc_actors.find(t.key);
  if (!after) {
    if (it != st.rc_actors.end()) {
      self->send(it->second, update_atom::value, seq, rc_ptr{});
      st.rc_actors.erase(it);
    }
    collect_garbage(self, seq);  // its pods are orphans now
    return;
  }
  auto rc = std::make_shared<const model::replication_controller>(*after);
  if (it != st.rc_actors.end())
    self->send(it->second, update_atom::value, seq, rc);
  else
    st.rc_actors.emplace(t.key, spawn_rc_actor(self, context_of(self), seq, rc, owned_pods(st.state, *after)));
}

void route_service(store_actor self, std::uint64_t seq, const touched_object& t) {
  auto& st = self->state;
  const auto* after = as<model::service>(t.after);
  auto it = st.service_actors.find(t.key);
  if (!after) {
    if (it != st.service_actors.end()) {
      self->send(it->second, update_atom::value, seq, service_ptr{}, pods_ptr{});
      st.service_actors.erase(it);
    }
    return;
  }
  auto svc = std::make_shared<const model::service>(*after);
  if (it != st.service_actors.end())
    self->send(it->second, update_atom::value, seq, svc, matching_pods(st.state, *after));
  else
    st.service_actors.emplace(t.key, spawn_service_actor(self, context_of(self), seq, svc,
                                                         matching_pods(st.state, *after),
                                                         endpoints_of(st.state, t.key)));
}

void route_endpoints(store_actor self, std::uint64_t seq, const touched_object& t) {
  auto& st = self->state;
  if (auto it = st.service_actors.find(t.key); it != st.service_actors.end())
    self->send(it->second, update_atom::value, seq, endpoints_of(st.state, t.key));
}

void route_node(store_actor self, std::uint64_t seq, const touched_object& t) {
  auto& st = self->state;
  const auto* after = as<model::node>(t.after);
  auto it = st.node_actors.find(t.key.name);
  if (!after) {
    if (it != st.node_actors.end()) {
      self->send(it->second, update_atom::value, seq, node_ptr{});
      st.node_actors.erase(it);
    }
    collect_garbage(self, seq);  // pods bound to it can go
  } else {
    auto n = std::make_shared<const model::node>(*after);
    if (it != st.node_actors.end())
      self->send(it->second, update_atom::value, seq, n);
    else
      st.node_actors.emplace(t.key.name, spawn_node_actor(self, context_of(self), seq, n,
                                                          bound_pods(st.state, t.key.name),
                                                          link_of(self, t.key.name)));
  }
  self->send(st.scheduler, wake_atom::value);
}

}  // namespace

void route(store_actor self, std::uint64_t seq, const std::vector<touched_object>& touched) {
  for (const auto& t : touched) {
    if (!t.before && !t.after) continue;  // an ignored event changed nothing
    switch (t.k) {
      case kind::pod: route_pod(self, seq, t); break;
      case kind::replication_controller: route_rc(self, seq, t); break;
      case kind::service:
        route_service(self, seq, t);
        services_changed(self);
        break;
      case kind::endpoints:
        route_endpoints(self, seq, t);
        services_changed(self);
        break;
      case kind::node: route_node(self, seq, t); break;
    }
  }
}

void spawn_object_actors(store_actor self) {
  auto& st = self->state;
  auto seq = st.state.seq;
  auto ctx = context_of(self);
  for (const auto& [name, n] : st.state.nodes)
    st.node_actors.emplace(name, spawn_node_actor(self, ctx, seq, std::make_shared<const model::node>(n),
                                                  bound_pods(st.state, name), nullptr));
  for (const auto& [key, p] : st.state.pods)
    st.pod_actors.emplace(key, spawn_pod_actor(self, ctx, std::make_shared<const model::pod>(p)));
  for (const auto& [key, rc] : st.state.rcs)
    st.rc_actors.emplace(key, spawn_rc_actor(self, ctx, seq, std::make_shared<const model::replication_controller>(rc),
                                             owned_pods(st.state, rc)));
  for (const auto& [key, svc] : st.state.services)
    st.service_actors.emplace(key, spawn_service_actor(self, ctx, seq, std::make_shared<const model::service>(svc),
                                                       matching_pods(st.state, svc), endpoints_of(st.state, key)));
  self->send(st.scheduler, wake_atom::value);
}

scheduling_inputs_ptr make_scheduling_inputs(const model::cluster_state& s) {
  auto in = std::make_shared<scheduling_inputs>();
  in->seq = s.seq;
  for (const auto& [_, p] : s.pods) {
    if (!p.spec.node_name.empty())
      in->bound.push_back(p);
    else if (reconcile::is_active(p))
      in->pending.push_back(p);
  }
  for (const auto& [_, n] : s.nodes) in->nodes.push_back(n);
  return in;
}

}  // namespace berth::actors
