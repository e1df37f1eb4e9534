// The pod actor: owns one pod on this node and drives its containers towards
// the desired spec, one step at a time:
//
//   wake ─► observe (runtime) ─► pod_actions + pod_status_of ─► report a status transition
//                                      │
//                                      └─ work to do ─► apply (runtime) ─► wake
//
// Only one observe/apply is in flight at a time (`busy`); wakes that arrive
// meanwhile set `dirty` and cause one more round. Back-off timers and probes
// are delayed messages to self. Everything the actor knows besides the
// runtime's view (back-off, probe results) is in its state.
#include "node-agent/agent/pod_actor.hpp"

#include <chrono>
#include <optional>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/introspect/instrumented.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/text/json_quote.hpp"
#include "actors/manifest/render.hpp"
#include "node-agent/agent/agent_messages.hpp"
#include "node-agent/logic/probe_events.hpp"
#include "node-agent/logic/probe_tracker.hpp"

namespace berth::agent {
namespace {

model::time_ns now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// One probe of one container, tied to the container instance it probes.
struct probe_slot {
  std::optional<probe_tracker> tracker;
  std::string container_id;      // the instance being probed ("" = none running)
  std::uint64_t generation = 0;  // bumps when the instance changes: stale timers and results are dropped
};

struct pod_actor_state {
  static inline const char* name = "agent-pod";
  pod_ptr desired;
  pod_ops* ops = nullptr;
  pod_actor_settings settings;
  backoff_table backoff;
  bool busy = false;
  bool dirty = false;
  std::optional<model::pod_status> reported;
  std::map<std::string, std::string> start_errors;  // container -> the runtime's refusal, until it starts
  std::map<std::pair<std::string, probe_kind>, probe_slot> probes;
  std::vector<std::string> liveness_failed;
  std::map<std::string, bool> readiness;
  std::string pod_ip;
  model::time_ns wake_at = 0;     // the earliest back-off wake already scheduled
  model::time_ns hold_until = 0;  // after a refused plan: observe and report, but apply nothing before this
};

using pod_self = caf::stateful_actor<pod_actor_state, introspect::instrumented<>>*;

void kick(pod_self self);

const model::container* spec_container(const model::pod& p, const std::string& name) {
  for (const auto& c : p.spec.containers)
    if (c.name == name) return &c;
  return nullptr;
}

/// The newest running instance of a container, if any.
const observed_container* running_instance(const observed_pod& o, const std::string& name) {
  const observed_container* best = nullptr;
  for (const auto& c : o.containers) {
    if (c.name != name || c.state_ != observed_container::state::running) continue;
    if (!best || c.attempt > best->attempt) best = &c;
  }
  return best;
}

void schedule_probe(pod_self self, const std::string& name, probe_kind kind, model::time_ns at) {
  auto& slot = self->state.probes[{name, kind}];
  auto delay = std::chrono::nanoseconds(std::max<model::time_ns>(0, at - now_ns()));
  self->delayed_send(self, delay, probe_atom::value, name, kind, slot.generation);
}

/// Follows container instances: a new instance resets its probes and schedules the first.
void track_probes(pod_self self, const observed_pod& o) {
  auto& st = self->state;
  for (const auto& c : st.desired->spec.containers) {
    for (auto kind : {probe_kind::liveness, probe_kind::readiness}) {
      const auto& p = kind == probe_kind::liveness ? c.liveness_probe : c.readiness_probe;
      if (!p) continue;
      auto& slot = st.probes[{c.name, kind}];
      const auto* running = running_instance(o, c.name);
      std::string id = running ? running->id : "";
      if (id == slot.container_id) continue;
      slot.container_id = id;
      ++slot.generation;
      slot.tracker.emplace(*p, kind);
      if (kind == probe_kind::readiness) st.readiness[c.name] = false;
      if (running) schedule_probe(self, c.name, kind, slot.tracker->next_due(running->started_at, now_ns()));
    }
  }
}

bool has_work(const pod_plan& plan) {
  return plan.create_sandbox || !plan.kill_sandboxes.empty() || !plan.kills.empty() || !plan.starts.empty() ||
         !plan.removals.empty();
}

/// Keeps a condition's lastTransitionTime when its status did not change, so
/// that a report is a transition only when something really changed.
void keep_transition_times(model::pod_status& next, const std::optional<model::pod_status>& prev) {
  if (!prev) return;
  for (auto& c : next.conditions)
    for (const auto& p : prev->conditions)
      if (p.type == c.type && p.status == c.status) c.last_transition_time = p.last_transition_time;
}

/// A container the runtime refused to create or start shows why, as kubelet's
/// CreateContainerError / RunContainerError do.
void show_start_errors(pod_self self, model::pod_status& s) {
  for (auto& cs : s.container_statuses) {
    auto it = self->state.start_errors.find(cs.name);
    if (it == self->state.start_errors.end()) continue;
    auto* w = std::get_if<model::container_state_waiting>(&cs.state);
    if (w && w->reason == "ContainerCreating") *w = {"RunContainerError", it->second};
  }
}

/// What berthd last recorded, comparable with what we compute (PodScheduled is
/// berthd's own condition). Taking it as "reported" after every update from
/// berthd makes the actor resend whatever berthd missed (e.g. while the agent
/// was disconnected, or after the agent restarted).
model::pod_status as_berthd_has_it(const model::pod& p) {
  auto s = p.status;
  std::erase_if(s.conditions, [](const model::condition& c) { return c.type == "PodScheduled"; });
  return s;
}

void report(pod_self self, model::pod_status status) {
  auto& st = self->state;
  keep_transition_times(status, st.reported);
  if (st.reported && *st.reported == status) return;
  st.ops->report_status(*st.desired, status);
  st.reported = std::move(status);
}

void schedule_wake(pod_self self, model::time_ns at, model::time_ns now) {
  auto& st = self->state;
  if (at == 0 || (st.wake_at > now && st.wake_at <= at)) return;
  st.wake_at = at;
  self->delayed_send(self, std::chrono::nanoseconds(std::max<model::time_ns>(at - now, 0)), wake_atom::value);
}

void on_observed(pod_self self, const observation& o) {
  auto& st = self->state;
  if (!o.ok) {
    st.busy = false;
    fmt::print(stderr, "berth-agent: pod {}/{}: {}\n", st.desired->metadata.namespace_, st.desired->metadata.name,
               o.error);
    self->delayed_send(self, st.settings.error_retry, wake_atom::value);
    return;
  }
  track_probes(self, o.pod);
  auto now = now_ns();
  pod_context ctx;
  ctx.now = now;
  ctx.backoff = st.settings.backoff;
  ctx.image_errors = o.image_errors;
  ctx.volumes_waiting = o.volumes_waiting;
  ctx.config_errors = o.config_errors;
  ctx.liveness_failed = st.liveness_failed;
  ctx.readiness = st.readiness;
  auto plan = pod_actions(*st.desired, o.pod, ctx, st.backoff);
  for (const auto& k : plan.kills) std::erase(st.liveness_failed, k.name);
  for (const auto& c : o.pod.containers)
    if (c.state_ == observed_container::state::running || c.state_ == observed_container::state::exited)
      st.start_errors.erase(c.name);
  for (const auto& sb : o.pod.sandboxes)
    if (sb.state_ == observed_container::state::running) st.pod_ip = sb.ip;
  auto status = pod_status_of(*st.desired, o.pod, plan, ctx, st.ops->host_ip());
  show_start_errors(self, status);
  report(self, std::move(status));
  schedule_wake(self, plan.wake_at, now);

  if (has_work(plan) && now >= st.hold_until) {
    std::string sandbox;
    for (const auto& sb : o.pod.sandboxes)
      if (sb.state_ == observed_container::state::running) sandbox = sb.id;
    caf::actor me = caf::actor_cast<caf::actor>(self);
    // The downward API's status.podIP is resolved from the pod the agent applies.
    model::pod target = *st.desired;
    target.status.pod_ip = st.desired->spec.host_network ? st.ops->host_ip() : st.pod_ip;
    st.ops->apply(target, plan, sandbox, [me](std::vector<apply_error> errors) {
      caf::anon_send(me, applied_atom::value, std::make_shared<const std::vector<apply_error>>(std::move(errors)));
    });
    return;
  }
  st.busy = false;
  if (plan.pod_finished && st.desired->metadata.deletion_timestamp != 0 && !has_work(plan)) {
    // Every container is stopped and removed: tell berthd (it removes the pod)
    // and end. Should berthd still list the pod (the report was lost in a
    // disconnect), the node actor starts a new actor that finds nothing and
    // reports again.
    st.ops->report_terminated(*st.desired);
    return self->quit();
  }
  if (st.dirty) kick(self);
}

void on_applied(pod_self self, const std::vector<apply_error>& errors) {
  auto& st = self->state;
  st.busy = false;
  if (errors.empty()) return kick(self);
  for (const auto& e : errors) {
    fmt::print(stderr, "berth-agent: pod {}/{}: {}{}\n", st.desired->metadata.namespace_, st.desired->metadata.name,
               e.container.empty() ? "" : "container " + e.container + ": ", e.message);
    if (!e.container.empty()) st.start_errors[e.container] = e.message;  // shown as its waiting reason
  }
  // The runtime just refused: look again now (so the status shows why), but
  // change nothing before error_retry has passed, or a refused create would
  // be retried in a tight loop.
  st.hold_until = now_ns() + std::chrono::nanoseconds(st.settings.error_retry).count();
  self->delayed_send(self, st.settings.error_retry, wake_atom::value);
  kick(self);
}

void kick(pod_self self) {
  auto& st = self->state;
  if (st.busy) {
    st.dirty = true;
    return;
  }
  st.busy = true;
  st.dirty = false;
  caf::actor me = caf::actor_cast<caf::actor>(self);
  st.ops->observe(*st.desired, [me](observation o) {
    caf::anon_send(me, observed_atom::value, std::make_shared<const observation>(std::move(o)));
  });
}

void on_probe_due(pod_self self, const std::string& name, probe_kind kind, std::uint64_t generation) {
  auto& st = self->state;
  auto it = st.probes.find({name, kind});
  if (it == st.probes.end() || it->second.generation != generation || it->second.container_id.empty()) return;
  const auto* c = spec_container(*st.desired, name);
  if (!c) return;
  probe_request req;
  req.container_id = it->second.container_id;
  req.pod_ip = st.desired->spec.host_network ? st.ops->host_ip() : st.pod_ip;
  req.probe = kind == probe_kind::liveness ? *c->liveness_probe : *c->readiness_probe;
  req.container = c;
  caf::actor me = caf::actor_cast<caf::actor>(self);
  st.ops->probe(req, [me, name, kind, generation](probe_result r) {
    caf::anon_send(me, probed_atom::value, name, kind, generation, std::make_shared<const probe_result>(std::move(r)));
  });
}

void on_probed(pod_self self, const std::string& name, probe_kind kind, std::uint64_t generation,
               const probe_result& r) {
  auto& st = self->state;
  auto it = st.probes.find({name, kind});
  if (it == st.probes.end() || it->second.generation != generation || !it->second.tracker) return;
  auto& tracker = *it->second.tracker;
  auto now = now_ns();
  bool before = tracker.passing();
  tracker.record(r.success, now);
  bool after = tracker.passing();
  if (!r.success)
    fmt::print(stderr, "berth-agent: pod {}/{} container {}: {} probe failed: {}\n", st.desired->metadata.namespace_,
               st.desired->metadata.name, name, kind == probe_kind::liveness ? "liveness" : "readiness", r.message);
  for (const auto& e : probe_events({kind, name, r.success, r.message, before, after, tracker.consecutive_failures()}))
    st.ops->report_event(*st.desired, e);
  if (kind == probe_kind::liveness && !after) {
    if (std::find(st.liveness_failed.begin(), st.liveness_failed.end(), name) == st.liveness_failed.end())
      st.liveness_failed.push_back(name);
    return kick(self);  // a new instance gets fresh probes
  }
  if (kind == probe_kind::readiness) st.readiness[name] = after;
  schedule_probe(self, name, kind, tracker.next_due(0, now));
  if (before != after) kick(self);
}

/// What `berth console --agent ... inspect pod/NS/NAME` shows: the pod as
/// berthd wants it, with the status this actor last reported, and its
/// bookkeeping (back-off, probes, pending work).
std::string render_state(const pod_actor_state& st) {
  auto as_reported = *st.desired;
  if (st.reported) as_reported.status = *st.reported;
  std::vector<std::string> errors, ready;
  for (const auto& [c, why] : st.start_errors) errors.push_back(text::json_quote(c + ": " + why));
  for (const auto& [c, ok] : st.readiness) ready.push_back(text::json_quote(c + (ok ? ": ready" : ": not ready")));
  return introspect::json_object()
      .str("podIP", st.pod_ip)
      .boolean("applyInFlight", st.busy)
      .boolean("changedMeanwhile", st.dirty)
      .list("startErrors", errors)
      .list("readiness", ready)
      .num("probes", static_cast<std::int64_t>(st.probes.size()))
      .num("wakeAtNs", static_cast<std::int64_t>(st.wake_at))
      .num("holdUntilNs", static_cast<std::int64_t>(st.hold_until))
      .raw("pod", manifest::to_json(model::api_object{as_reported}))
      .done();
}

caf::behavior pod_behavior(pod_self self, pod_ops* ops, pod_actor_settings settings, pod_ptr pod) {
  introspect::enroll(self, "pod", pod->metadata.namespace_ + "/" + pod->metadata.name, "node/" + pod->spec.node_name,
                     [self] { return render_state(self->state); });
  auto& st = self->state;
  st.ops = ops;
  st.settings = settings;
  st.desired = std::move(pod);
  st.reported = as_berthd_has_it(*st.desired);
  self->set_default_handler(caf::drop);
  kick(self);
  self->delayed_send(self, settings.resync_interval, resync_atom::value);
  return {
      [=](update_atom, const pod_ptr& p) {
        self->state.desired = p;
        self->state.reported = as_berthd_has_it(*p);
        kick(self);
      },
      [=](wake_atom) {
        self->state.wake_at = 0;
        kick(self);
      },
      [=](resync_atom) {
        kick(self);
        self->delayed_send(self, self->state.settings.resync_interval, resync_atom::value);
      },
      [=](observed_atom, const observation_ptr& o) { on_observed(self, *o); },
      [=](applied_atom, const errors_ptr& e) { on_applied(self, *e); },
      [=](probe_atom, const std::string& name, probe_kind kind, std::uint64_t generation) {
        on_probe_due(self, name, kind, generation);
      },
      [=](probed_atom, const std::string& name, probe_kind kind, std::uint64_t generation, const probe_result_ptr& r) {
        on_probed(self, name, kind, generation, *r);
      },
  };
}

}  // namespace

caf::actor spawn_pod_actor(caf::local_actor* parent, pod_ops& ops, const pod_actor_settings& settings, pod_ptr pod) {
  return parent->spawn<caf::linked>(pod_behavior, &ops, settings, std::move(pod));
}

}  // namespace berth::agent
