// Node agents as the store sees them: a join is a node_registered observation
// and hands the agent's link to its node actor; pod status reports become
// pod_status_observed events (transitions only, store::status_reports); a
// report that a terminating pod's containers are gone goes to the pod actor,
// which decides the removal. Services and endpoints go to every agent (their
// service proxy, DNS and container environment) on join and after each
// change, coalesced over 50 ms, so an RC scale-up that rewrites endpoints many
// times costs a few pushes, not one per pod. Each node gets the secrets its
// pods reference (store::secrets_for_nodes, opened from the journal's sealed
// form) and the claims they mount with their volumes' sources
// (store::claims_for_nodes) on join, and again when a set changes, coalesced
// the same way.
#include <chrono>
#include <random>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/actor_util.hpp"
#include "actors/core/store_state.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/reconcile/node_liveness.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/node_secrets.hpp"
#include "actors/secrets/sealed.hpp"

namespace berth::actors {
namespace {

constexpr std::chrono::milliseconds k_coalesce{50};

struct service_lists {
  std::shared_ptr<const std::vector<model::service>> services;
  std::shared_ptr<const std::vector<model::endpoints>> endpoints;
};

service_lists current_lists(const model::cluster_state& s) {
  auto services = std::make_shared<std::vector<model::service>>();
  auto endpoints = std::make_shared<std::vector<model::endpoints>>();
  for (const auto& [_, svc] : s.services) services->push_back(svc);
  for (const auto& [_, ep] : s.endpoints_) endpoints->push_back(ep);
  return {std::move(services), std::move(endpoints)};
}

/// Opens `sealed` (the folded secrets of one node) and sends them; a secret
/// that does not open is left out (its pods wait) and said in berthd's log.
void send_secrets(const std::string& node, node_agent_link& link, std::vector<model::secret> sealed) {
  std::vector<model::secret> opened;
  opened.reserve(sealed.size());
  for (auto& s : sealed) {
    if (auto error = secrets::open_with_installed(s); !error.empty()) {
      fmt::print(stderr, "berthd: node {}: not sending {}\n", node, error);
      continue;
    }
    opened.push_back(std::move(s));
  }
  link.set_secrets(std::move(opened));
}

/// Sends `node` its secrets (before its pods: the node actor pushes those after the link).
void push_secrets_on_join(store_self self, const std::string& node, node_agent_link& link) {
  auto& st = self->state;
  auto sets = store::secrets_for_nodes(st.state, {node});
  auto& list = sets[node];
  st.secrets_sent[node] = store::versions_of(list);
  send_secrets(node, link, std::move(list));
  auto claims = store::claims_for_nodes(st.state, {node});
  st.claims_sent[node] = claims[node];
  link.set_claims(std::move(claims[node]));
}

}  // namespace

caf::result<outcome> handle(store_self self, join_cmd& cmd) {
  auto& st = self->state;
  static thread_local reconcile::name_generator gen{std::random_device{}()};
  api_field_error invalid;
  auto name = cmd.node.metadata.name;
  std::string refused;
  auto contract = reconcile::negotiate_heartbeat(st.config.liveness, cmd.heartbeat_interval, refused);
  if (!contract) {
    fmt::print(stderr, "berthd: node {}: join refused: {}\n", name, refused);
    outcome o = store::failure(outcome::code::invalid, refused);
    o.errors.push_back({"heartbeatInterval", refused});
    return o;
  }
  reconcile::annotate(cmd.node, *contract);
  auto event = store::registration_event(st.state, std::move(cmd.node), gen.next_uid(),
                                         st.config.clock ? st.config.clock() : now_ns(), invalid);
  if (!event) {
    outcome o = store::failure(outcome::code::invalid, "the node is invalid");
    o.errors.push_back(std::move(invalid));
    return o;
  }
  if (auto old = st.links.find(name); old != st.links.end() && old->second != cmd.link && old->second->connected())
    fmt::print(stderr, "berthd: node {} joined again; the previous connection is replaced\n", name);
  st.links[name] = cmd.link;
  if (cmd.link) {
    auto lists = current_lists(st.state);
    cmd.link->set_services(lists.services, lists.endpoints);
    push_secrets_on_join(self, name, *cmd.link);
  }
  if (auto it = st.node_actors.find(name); it != st.node_actors.end())
    self->send(it->second, link_atom::value, cmd.link);
  auto rp = self->make_response_promise<outcome>();
  commit(self, {std::move(*event)}, [self, rp, name](const emit_result& r) mutable {
    if (!r.ok()) {
      rp.deliver(store::failure(outcome::code::unavailable, r.error));
      return;
    }
    outcome o;
    if (auto it = self->state.state.nodes.find(name); it != self->state.state.nodes.end())
      o.object = any_object(it->second);
    o.action = "registered";
    o.seq = r.last_seq;
    rp.deliver(std::move(o));
  });
  return rp;
}

void handle(store_self self, pod_status_report& r) {
  model::object_key key{r.namespace_, r.name};
  auto event = self->state.reports.observe(self->state.state, std::move(r));
  if (!event) return;
  commit(self, {std::move(*event)}, [self, key](const emit_result& res) {
    if (!res.ok()) fmt::print(stderr, "berthd: pod status of {}/{}: {}\n", key.namespace_, key.name, res.error);
    self->state.reports.settled(key);
  });
}

void handle(store_self self, const pod_terminated_report& r) {
  auto& st = self->state;
  if (!store::reported_pod(st.state, r.node_name, r.namespace_, r.name, r.uid)) return;
  if (auto it = st.pod_actors.find({r.namespace_, r.name}); it != st.pod_actors.end())
    self->send(it->second, term_atom::value);
}

void handle(store_self self, const pod_event_report& r) {
  auto event = store::pod_event_of(self->state.state, r);
  if (!event) return;
  commit(self, {std::move(*event)}, [ns = r.namespace_, name = r.name](const emit_result& res) {
    if (!res.ok()) fmt::print(stderr, "berthd: event of pod {}/{}: {}\n", ns, name, res.error);
  });
}

void handle(store_self self, const disconnect_msg& m) {
  auto& st = self->state;
  auto it = st.links.find(m.node_name);
  if (it == st.links.end() || it->second != m.link) return;  // already replaced by a newer connection
  st.links.erase(it);
  st.secrets_sent.erase(m.node_name);
  st.claims_sent.erase(m.node_name);
  if (auto a = st.node_actors.find(m.node_name); a != st.node_actors.end())
    self->send(a->second, link_atom::value, link_ptr{});
}

void handle(store_self self, const heartbeat_msg& m) {
  if (auto it = self->state.node_actors.find(m.node_name); it != self->state.node_actors.end())
    self->send(it->second, hbeat_atom::value);
}

void services_changed(store_self self) {
  auto& st = self->state;
  if (st.services_push_pending || st.links.empty()) return;
  st.services_push_pending = true;
  self->delayed_send(self, k_coalesce, svcpush_atom::value);
}

void push_services(store_self self) {
  auto& st = self->state;
  st.services_push_pending = false;
  auto lists = current_lists(st.state);
  for (const auto& [_, link] : st.links)
    if (link && link->connected()) link->set_services(lists.services, lists.endpoints);
}

void secrets_changed(store_self self, const std::string* node) {
  auto& st = self->state;
  if (st.links.empty()) return;
  if (node == nullptr)
    st.secrets_dirty_all = true;
  else if (st.links.count(*node))
    st.secrets_dirty.insert(*node);
  else
    return;  // no agent connected: it gets the whole set when it joins
  if (st.secrets_push_pending) return;
  st.secrets_push_pending = true;
  self->delayed_send(self, k_coalesce, secpush_atom::value);
}

void push_secrets(store_self self) {
  auto& st = self->state;
  st.secrets_push_pending = false;
  std::set<std::string> nodes;
  for (const auto& [name, link] : st.links)
    if (link && link->connected() && (st.secrets_dirty_all || st.secrets_dirty.count(name))) nodes.insert(name);
  st.secrets_dirty_all = false;
  st.secrets_dirty.clear();
  if (nodes.empty()) return;
  for (auto& [node, list] : store::secrets_for_nodes(st.state, nodes)) {
    auto versions = store::versions_of(list);
    auto sent = st.secrets_sent.find(node);
    if (sent != st.secrets_sent.end() && sent->second == versions) continue;  // the node has this set
    st.secrets_sent[node] = std::move(versions);
    send_secrets(node, *st.links[node], std::move(list));
  }
  for (auto& [node, list] : store::claims_for_nodes(st.state, nodes)) {
    auto sent = st.claims_sent.find(node);
    if (sent != st.claims_sent.end() && sent->second == list) continue;
    st.claims_sent[node] = list;
    st.links[node]->set_claims(std::move(list));
  }
}

}  // namespace berth::actors
