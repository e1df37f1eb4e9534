// Node agents as the store sees them: a join is a node_registered observation,
// pod status reports become pod_status_observed events (transitions only), and
// a report that a terminating pod's containers are gone goes to the pod actor,
// which decides the pod's removal.
#include <chrono>
#include <random>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/store_state.hpp"
#include "actors/reconcile/name_generator.hpp"

namespace berth::actors {
namespace {

std::string node_principal(const std::string& name) { return "node:" + name; }

/// The pod named by a report, if it exists, has that uid and is bound to the reporting node.
const model::pod* reported_pod(store_actor self, const std::string& node, const std::string& ns,
                               const std::string& name, const std::string& uid) {
  auto it = self->state.state.pods.find({ns, name});
  if (it == self->state.state.pods.end()) return nullptr;
  const auto& p = it->second;
  if (p.metadata.uid != uid || p.spec.node_name != node) return nullptr;
  return &p;
}

/// Status equality as far as the node is concerned (the control plane owns PodScheduled).
bool same_reported_status(model::pod_status a, model::pod_status b) {
  auto drop_scheduled = [](model::pod_status& s) {
    std::erase_if(s.conditions, [](const model::condition& c) { return c.type == "PodScheduled"; });
  };
  drop_scheduled(a);
  drop_scheduled(b);
  return a == b;
}

}  // namespace

void handle_join(store_actor self, join_request& req) {
  auto& st = self->state;
  auto name = req.node.metadata.name;
  if (name.empty()) {
    outcome o;
    o.result = outcome::code::invalid;
    o.errors.push_back({"metadata.name", "Required value"});
    return req.done(std::move(o));
  }
  if (auto old = st.links.find(name); old != st.links.end() && old->second != req.link && old->second->connected())
    fmt::print(stderr, "berthd: node {} joined again; the previous connection is replaced\n", name);
  st.links[name] = req.link;
  push_services_to(self, req.link);
  if (auto it = st.node_actors.find(name); it != st.node_actors.end())
    self->send(it->second, link_atom::value, req.link);

  model::node n = std::move(req.node);
  auto existing = st.state.nodes.find(name);
  n.metadata.namespace_.clear();
  if (existing != st.state.nodes.end()) {
    n.metadata.uid = existing->second.metadata.uid;
  } else {
    static thread_local reconcile::name_generator gen{std::random_device{}()};
    n.metadata.uid = gen.next_uid();
  }
  // A node that joins is Ready: its agent just proved it is alive.
  std::erase_if(n.status.conditions, [](const model::condition& c) { return c.type == "Ready"; });
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                 std::chrono::system_clock::now().time_since_epoch()).count();
  model::condition ready{"Ready", model::condition_status::is_true, "AgentReady",
                         "berth-agent is posting ready status", now, now, 0};
  if (existing != st.state.nodes.end())
    if (const auto* c = model::find_condition(existing->second.status.conditions, "Ready");
        c && c->status == model::condition_status::is_true)
      ready.last_transition_time = c->last_transition_time;
  n.status.conditions.push_back(std::move(ready));

  model::event e;
  e.header.object = {model::k_kind_node, "", name, n.metadata.uid};
  e.header.principal = node_principal(name);
  e.payload = model::node_registered{std::move(n)};
  st.em->emit(self, {std::move(e)}, [self, name, done = std::move(req.done)](bool ok, std::uint64_t seq) {
    outcome o;
    if (!ok) {
      o.result = outcome::code::unavailable;
      o.message = "the journal did not accept the registration";
      return done(std::move(o));
    }
    auto it = self->state.state.nodes.find(name);
    if (it != self->state.state.nodes.end()) o.object = any_object(it->second);
    o.action = "registered";
    o.seq = seq;
    done(std::move(o));
  });
}

void handle_pod_status(store_actor self, pod_status_request& req) {
  auto& st = self->state;
  const auto* p = reported_pod(self, req.node_name, req.namespace_, req.name, req.uid);
  if (!p) return;  // a report about a pod that is gone or moved: nothing to record
  model::object_key key{req.namespace_, req.name};
  if (auto it = st.reported_status.find(key); it != st.reported_status.end() && same_reported_status(it->second, req.status))
    return;  // same as a report already on its way to the journal
  if (same_reported_status(p->status, req.status)) return;  // not a transition
  st.reported_status[key] = req.status;
  model::event e;
  e.header.object = {model::k_kind_pod, req.namespace_, req.name, req.uid};
  e.header.principal = node_principal(req.node_name);
  e.header.cause = p->metadata.resource_version;
  e.payload = model::pod_status_observed{std::move(req.status)};
  st.em->emit(self, {std::move(e)}, [self, key](bool, std::uint64_t) { self->state.reported_status.erase(key); });
}

void handle_pod_terminated(store_actor self, pod_terminated_request& req) {
  auto& st = self->state;
  if (!reported_pod(self, req.node_name, req.namespace_, req.name, req.uid)) return;
  if (auto it = st.pod_actors.find({req.namespace_, req.name}); it != st.pod_actors.end())
    self->send(it->second, term_atom::value);
}

void handle_disconnect(store_actor self, disconnect_request& req) {
  auto& st = self->state;
  auto it = st.links.find(req.node_name);
  if (it == st.links.end() || it->second != req.link) return;  // already replaced by a newer connection
  st.links.erase(it);
  if (auto a = st.node_actors.find(req.node_name); a != st.node_actors.end())
    self->send(a->second, link_atom::value, link_ptr{});
}

}  // namespace berth::actors
