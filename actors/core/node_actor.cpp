// The node actor: owns the connection to its agent (pushes the node's desired
// pods: the full set on connect, then changes), and turns heartbeats into
// liveness decisions with reconcile::assess_node:
//
//   Ready ──(no heartbeat for grace_period)──► NotReady ──(eviction_timeout)──► pods evicted
//     ▲                                            │
//     └────────(heartbeat: observed Ready)─────────┘
//
// The agent heartbeats at the interval berthd gave it at join (the contract
// journaled in the node's annotations). A heartbeat is journaled as a
// nodeHeartbeat at most every grace period / 4 (a node lease), so that after
// a restart of berthd a node that was already silent keeps its deadline
// (reconcile::restored_heartbeat) instead of getting a fresh grace period.
// Readiness transitions within the last flap window are counted: a flapping
// node says so in its NotReady decisions.
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/node_liveness.hpp"
#include "actors/reconcile/pod_facts.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

struct node_state {
  static inline const char* name = "node";
  node_ptr node;
  std::map<model::object_key, model::pod> bound;
  link_ptr link;
  model::time_ns last_heartbeat = 0;
  std::uint64_t cause = 0;
  reconcile::liveness_config liveness;      // berthd's, with this node's agreed interval
  std::vector<model::time_ns> transitions;  // readiness transitions seen, within the flap window
  std::optional<emitter> em;
  store::plan_loop loop;                // one liveness decision in flight
  std::function<std::int64_t()> clock;  // store_config::clock, or the system clock
  model::time_ns now() const { return clock ? clock() : now_ns(); }
};

using node_self = typed_self<node_actor, node_state>;

/// Appends a liveness decision; the loop is busy until it is folded.
void decide(node_self self, std::vector<model::event> events) {
  self->state.em->emit(self, std::move(events), [self](const emit_result& r) {
    if (!r.ok()) fmt::print(stderr, "berthd: node {}: {}\n", self->state.node->metadata.name, r.error);
    self->state.loop.finish(r.ok());
  });
}

std::string principal() { return "controller:node-lifecycle"; }

bool ready(const model::node& n) { return model::is_node_ready(n); }

/// The agent's reconnect back-off cap (node-agent/agent/node_session.hpp):
/// after a berthd restart a live agent is back within this.
constexpr std::chrono::seconds k_agent_reconnect_window{5};

/// The Ready condition's journaled heartbeat (0: none).
model::time_ns journaled_heartbeat(const model::node& n) {
  const auto* c = reconcile::node_ready_condition(n);
  return c ? c->last_heartbeat_time : 0;
}

/// Adopts the contract journaled with the node's registration (berthd's own
/// timings when the node registered before contracts existed).
void adopt_contract(node_state& st) {
  if (auto c = reconcile::contract_of(*st.node)) st.liveness.heartbeat_interval = c->interval;
}

/// Remembers a readiness transition (for the flapping call-out).
void note_transition(node_state& st, bool was_ready, model::time_ns now) {
  if (ready(*st.node) == was_ready) return;
  st.transitions.push_back(now);
  std::erase_if(st.transitions, [&](model::time_ns t) { return now - t > st.liveness.flap_window.count(); });
}

/// "; flapping: 8 Ready/NotReady transitions in the last 10m (heartbeat every 1s, grace period 4s)", or "".
std::string flapping_note(const node_state& st, model::time_ns now) {
  auto f = reconcile::check_flapping(st.transitions, now, st.liveness.flap_window, st.liveness.flap_limit);
  if (!f.flapping) return "";
  return fmt::format("; flapping: {} Ready/NotReady transitions in the last {} (heartbeat every {}, grace period {})",
                     f.transitions, reconcile::duration_text(st.liveness.flap_window),
                     reconcile::duration_text(st.liveness.heartbeat_interval),
                     reconcile::duration_text(st.liveness.grace_period));
}

void push_all(node_self self) {
  auto& st = self->state;
  if (!st.link) return;
  std::vector<model::pod> pods;
  for (const auto& [_, p] : st.bound) pods.push_back(p);
  st.link->set_pods(std::move(pods));
}

/// Appends what assess_node and pods_to_evict decided, one plan at a time.
void assess(node_self self) {
  auto& st = self->state;
  if (!st.node || st.loop.busy()) return;
  auto now = st.now();
  auto verdict = reconcile::assess_node(*st.node, st.last_heartbeat, now, st.liveness);
  const auto& m = st.node->metadata;
  model::object_reference ref{model::k_kind_node, "", m.name, m.uid};
  std::vector<model::event> events;
  if (verdict.mark_not_ready) {
    // The cause is the node's latest event: normally its last journaled
    // heartbeat, so `berth why` reaches the heartbeat the node missed after.
    events.push_back(
        make_event(ref, principal(), st.cause,
                   model::node_readiness_decided{
                       {false, verdict.reason, verdict.message + flapping_note(st, now), st.last_heartbeat}}));
  } else if (verdict.evict) {
    std::vector<model::pod> pods;
    for (const auto& [_, p] : st.bound) pods.push_back(p);
    for (auto& ev : reconcile::pods_to_evict(*st.node, pods, now, st.liveness))
      events.push_back(make_event(pod_reference(ev.pod.namespace_, ev.pod.name, ev.pod.uid), principal(),
                                  m.resource_version, model::pod_evicted{std::move(ev.why)}));
  }
  if (events.empty() || !st.loop.start()) return;
  decide(self, std::move(events));
}

/// A heartbeat from a node marked NotReady is the observation that it is
/// back; from a Ready node it is journaled when the last one is old enough.
void on_heartbeat(node_self self) {
  auto& st = self->state;
  if (!st.node) return;
  if (ready(*st.node)) {
    if (!reconcile::heartbeat_due(journaled_heartbeat(*st.node), st.last_heartbeat, st.liveness,
                                  k_agent_reconnect_window))
      return;
    if (!st.loop.start()) return;  // a decision is in flight; a later heartbeat records it
    const auto& m = st.node->metadata;
    decide(self, {make_event({model::k_kind_node, "", m.name, m.uid}, "node:" + m.name, m.resource_version,
                             model::node_heartbeat{st.last_heartbeat})});
    return;
  }
  if (!st.loop.start()) return;
  const auto& m = st.node->metadata;
  auto e = make_event(
      {model::k_kind_node, "", m.name, m.uid}, "node:" + m.name, m.resource_version,
      model::node_readiness_observed{{true, "AgentReady", "berth-agent is posting ready status", st.last_heartbeat}});
  decide(self, {std::move(e)});
}

void on_pod(node_self self, const pod_update& u) {
  auto& st = self->state;
  bool here = u.pod && u.pod->spec.node_name == st.node->metadata.name;
  if (here) {
    st.bound[u.key] = *u.pod;
    if (st.link) st.link->upsert_pod(*u.pod);
  } else if (auto it = st.bound.find(u.key); it != st.bound.end()) {
    if (st.link) st.link->remove_pod(it->second.metadata.namespace_, it->second.metadata.name, it->second.metadata.uid);
    st.bound.erase(it);
  }
}

node_actor::behavior_type node_behavior(node_self self, actor_context ctx, std::uint64_t seq, node_ptr node,
                                        pods_ptr bound, link_ptr link) {
  log_exceptions(self, "node");
  introspect::enroll(self, "node", node->metadata.name, "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .list("boundPods", keys_json(s.bound))
        .boolean("agentConnected", s.link && s.link->connected())
        .num("lastHeartbeatNs", static_cast<std::int64_t>(s.last_heartbeat))
        .str("heartbeatInterval", reconcile::duration_text(s.liveness.heartbeat_interval))
        .str("gracePeriod", reconcile::duration_text(s.liveness.grace_period))
        .num("readinessTransitions", static_cast<std::int64_t>(s.transitions.size()))
        .num("causeSeq", static_cast<std::int64_t>(s.cause))
        .boolean("decisionInFlight", s.loop.busy())
        .raw("node", manifest::to_json(*s.node))
        .done();
  });
  auto& st = self->state;
  st.node = std::move(node);
  st.cause = seq;
  st.liveness = ctx.config.liveness;
  adopt_contract(st);
  st.clock = ctx.config.clock;
  st.last_heartbeat = reconcile::restored_heartbeat(journaled_heartbeat(*st.node), st.now(), ctx.config.liveness,
                                                    k_agent_reconnect_window);
  for (const auto& p : *bound) st.bound.emplace(model::object_key{p.metadata.namespace_, p.metadata.name}, p);
  st.link = std::move(link);
  st.em.emplace(ctx.writer, ctx.store);
  push_all(self);
  self->delayed_send(self, st.liveness.heartbeat_interval, tick_atom::value);
  return {
      [=](update_atom, std::uint64_t seq, const node_ptr& n) {
        if (!n) return self->quit();
        bool was_ready = ready(*self->state.node);
        self->state.node = n;
        self->state.cause = seq;
        adopt_contract(self->state);
        note_transition(self->state, was_ready, self->state.now());
      },
      [=](update_atom, const pod_update_ptr& u) { on_pod(self, *u); },
      [=](link_atom, const link_ptr& l) {
        self->state.link = l;
        if (l) {
          self->state.last_heartbeat = self->state.now();
          push_all(self);
        }
      },
      [=](hbeat_atom) {
        self->state.last_heartbeat = self->state.now();
        on_heartbeat(self);
      },
      [=](tick_atom) {
        assess(self);
        auto interval = std::min(self->state.liveness.heartbeat_interval, self->state.liveness.grace_period / 4);
        self->delayed_send(self, interval, tick_atom::value);
      },
      ack_handler(self),
  };
}

}  // namespace

node_actor spawn_node_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq, node_ptr node,
                            pods_ptr bound, link_ptr link) {
  return parent->spawn<caf::linked>(node_behavior, ctx, seq, std::move(node), std::move(bound), std::move(link));
}

}  // namespace berth::actors
