// Carrying out routing plans (store::plan_route): sending each change to the
// actors that care, spawning the actor that owns a new object and telling an
// actor whose object is gone. Also the garbage collector's passes.
#include <caf/all.hpp>

#include "actors/core/actor_util.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/core/store_state.hpp"
#include "actors/store/routing.hpp"

namespace berth::actors {
namespace {

using object_action = store::route_plan::object_action;

actor_context context_of(store_self self) {
  return {self->state.writer, caf::actor_cast<store_actor>(self), self->state.config};
}

template <class T>
std::shared_ptr<const T> shared_as(const std::optional<any_object>& o) {
  const T* p = o ? std::get_if<T>(&*o) : nullptr;
  return p ? std::make_shared<const T>(*p) : nullptr;
}

pods_ptr shared(std::vector<model::pod> pods) {
  return std::make_shared<const std::vector<model::pod>>(std::move(pods));
}

endpoints_ptr endpoints_of(const model::cluster_state& s, const model::object_key& key) {
  auto it = s.endpoints_.find(key);
  return it == s.endpoints_.end() ? nullptr : std::make_shared<const model::endpoints>(it->second);
}

link_ptr link_of(store_self self, const std::string& node) {
  auto it = self->state.links.find(node);
  return it == self->state.links.end() ? nullptr : it->second;
}

/// Sends to the actor under `key` in `actors`, if there is one.
template <class Map, class... Ts>
void tell(store_self self, Map& actors, const typename Map::key_type& key, Ts&&... xs) {
  if (auto it = actors.find(key); it != actors.end()) self->send(it->second, std::forward<Ts>(xs)...);
}

void route_pod(store_self self, std::uint64_t seq, const store::touched_object& t, const store::route_plan& plan) {
  auto& st = self->state;
  auto pod = shared_as<model::pod>(t.after);
  auto update = std::make_shared<const pod_update>(pod_update{seq, t.key, pod});
  if (auto it = st.pod_actors.find(t.key); it != st.pod_actors.end()) {
    self->send(it->second, update_atom::value, update);
    if (plan.own == object_action::stop) st.pod_actors.erase(it);
  } else if (pod) {
    st.pod_actors.emplace(t.key, spawn_pod_actor(self, context_of(self), pod));
  }
  if (!plan.controller.name.empty()) tell(self, st.rc_actors, plan.controller, update_atom::value, update);
  for (const auto& node : plan.nodes) tell(self, st.node_actors, node, update_atom::value, update);
  for (const auto& svc : plan.services) tell(self, st.service_actors, svc, update_atom::value, update);
}

void route_rc(store_self self, std::uint64_t seq, const store::touched_object& t) {
  auto& st = self->state;
  auto rc = shared_as<model::replication_controller>(t.after);
  auto it = st.rc_actors.find(t.key);
  if (it != st.rc_actors.end()) {
    self->send(it->second, update_atom::value, seq, rc);
    if (!rc) st.rc_actors.erase(it);
  } else if (rc) {
    st.rc_actors.emplace(t.key,
                         spawn_rc_actor(self, context_of(self), seq, rc, shared(store::owned_pods(st.state, *rc))));
  }
}

void route_service(store_self self, std::uint64_t seq, const store::touched_object& t) {
  auto& st = self->state;
  auto svc = shared_as<model::service>(t.after);
  auto it = st.service_actors.find(t.key);
  if (it != st.service_actors.end()) {
    self->send(it->second, update_atom::value, seq, svc,
               svc ? shared(store::matching_pods(st.state, *svc)) : pods_ptr{});
    if (!svc) st.service_actors.erase(it);
  } else if (svc) {
    st.service_actors.emplace(
        t.key, spawn_service_actor(self, context_of(self), seq, svc, shared(store::matching_pods(st.state, *svc)),
                                   endpoints_of(st.state, t.key)));
  }
}

void route_node(store_self self, std::uint64_t seq, const store::touched_object& t) {
  auto& st = self->state;
  auto node = shared_as<model::node>(t.after);
  auto it = st.node_actors.find(t.key.name);
  if (it != st.node_actors.end()) {
    self->send(it->second, update_atom::value, seq, node);
    if (!node) st.node_actors.erase(it);
  } else if (node) {
    st.node_actors.emplace(
        t.key.name, spawn_node_actor(self, context_of(self), seq, node, shared(store::bound_pods(st.state, t.key.name)),
                                     link_of(self, t.key.name)));
  }
}

}  // namespace

void route(store_self self, std::uint64_t seq, const std::vector<store::touched_object>& touched) {
  auto& st = self->state;
  bool gc = false;
  for (const auto& t : touched) {
    auto plan = store::plan_route(st.state, t);
    if (plan == store::route_plan{}) continue;  // an ignored event: nothing to tell anyone
    switch (t.k) {
      case kind::pod: route_pod(self, seq, t, plan); break;
      case kind::replication_controller: route_rc(self, seq, t); break;
      case kind::service: route_service(self, seq, t); break;
      case kind::endpoints:
        tell(self, st.service_actors, t.key, update_atom::value, seq, endpoints_of(st.state, t.key));
        break;
      case kind::node: route_node(self, seq, t); break;
      case kind::namespace_: break;  // the namespace controller reads what it needs when woken
      case kind::secret: break;      // no actor: secrets are read, not reconciled
      case kind::limit_range:
      case kind::resource_quota: break;  // read at admission; wake_controllers below
      case kind::persistent_volume:
      case kind::persistent_volume_claim: break;  // the volume controller reads them when woken
      case kind::pod_template: break;             // stored for tools; nothing runs it
    }
    if (plan.wake_controllers)
      for (auto it = st.rc_actors.lower_bound({t.key.namespace_, ""});
           it != st.rc_actors.end() && it->first.namespace_ == t.key.namespace_; ++it)
        self->send(it->second, wake_atom::value);
    if (plan.wake_scheduler) self->send(st.scheduler, wake_atom::value);
    if (plan.wake_namespaces) self->send(st.namespaces, wake_atom::value);
    if (plan.wake_volumes) self->send(st.volumes, wake_atom::value);
    if (plan.push_services) services_changed(self);
    if (plan.push_secrets) secrets_changed(self, nullptr);
    for (const auto& node : plan.secret_nodes) secrets_changed(self, &node);
    gc = gc || plan.collect_garbage;
  }
  if (gc) collect_garbage(self, seq);  // orphans of a deleted RC, pods of a deleted node
}

void spawn_object_actors(store_self self) {
  auto& st = self->state;
  auto seq = st.state.seq;
  auto ctx = context_of(self);
  for (const auto& [name, n] : st.state.nodes)
    st.node_actors.emplace(name, spawn_node_actor(self, ctx, seq, std::make_shared<const model::node>(n),
                                                  shared(store::bound_pods(st.state, name)), nullptr));
  for (const auto& [key, p] : st.state.pods)
    st.pod_actors.emplace(key, spawn_pod_actor(self, ctx, std::make_shared<const model::pod>(p)));
  for (const auto& [key, rc] : st.state.rcs)
    st.rc_actors.emplace(key, spawn_rc_actor(self, ctx, seq, std::make_shared<const model::replication_controller>(rc),
                                             shared(store::owned_pods(st.state, rc))));
  for (const auto& [key, svc] : st.state.services)
    st.service_actors.emplace(
        key, spawn_service_actor(self, ctx, seq, std::make_shared<const model::service>(svc),
                                 shared(store::matching_pods(st.state, svc)), endpoints_of(st.state, key)));
  self->send(st.scheduler, wake_atom::value);
  self->send(st.namespaces, wake_atom::value);  // a namespace may have been Terminating at the last stop
  self->send(st.volumes, wake_atom::value);     // claims may wait, volumes may be Released
}

void collect_garbage(store_self self, std::uint64_t cause) {
  auto pass = self->state.gc.plan(self->state.state, cause);
  if (pass.empty()) return;
  auto events = pass.events;
  commit(self, std::move(events), [self, pass = std::move(pass)](const emit_result& r) {
    if (!r.ok()) fmt::print(stderr, "berthd: garbage collector: {}\n", r.error);
    self->state.gc.done(pass);
  });
}

}  // namespace berth::actors
