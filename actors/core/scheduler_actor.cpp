// The scheduler actor: when woken (a pod waits for a node, or capacity
// changed) it reads the scheduling inputs from the store at least as new as its
// last decisions, runs reconcile::schedule_batch, and appends pod_bound for
// each placement and pod_unschedulable for each pod that fits nowhere (only
// when the reason changed, so an unschedulable pod does not loop). One batch at
// a time: the next batch sees the previous one's bindings.
#include "actors/core/controller_loop.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/reconcile/schedule.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

struct scheduler_state {
  static inline const char* name = "scheduler";
  // Not an aggregate: CAF would otherwise try to build it from the actor's
  // own pointer (C++20 parenthesized aggregate init) into `store`.
  scheduler_state() = default;
  store_actor store;
  std::optional<emitter> em;
  std::uint64_t min_seq = 0;  // inputs must include our last decisions
  store::plan_loop loop;      // one batch in flight
};

using scheduler_self = typed_self<scheduler_actor, scheduler_state>;

/// The reason the pod's PodScheduled=False condition already states, if any.
std::string current_unschedulable_message(const model::pod& p) {
  const auto* c = model::find_condition(p.status.conditions, "PodScheduled");
  return c && c->status == model::condition_status::is_false ? c->message : std::string();
}

std::vector<model::event> decisions(const store::scheduling_inputs& in) {
  auto plan = reconcile::schedule_batch(in.pending, reconcile::build_node_infos(in.nodes, in.bound));
  std::map<std::pair<std::string, std::string>, const model::pod*> by_key;
  for (const auto& p : in.pending) by_key[{p.metadata.namespace_, p.metadata.name}] = &p;
  std::vector<model::event> events;
  for (auto& b : plan.bindings) {
    const auto* p = by_key.at({b.pod.namespace_, b.pod.name});
    events.push_back(make_event(pod_reference(b.pod.namespace_, b.pod.name, b.pod.uid), "controller:scheduler",
                                p->metadata.resource_version, model::pod_bound{b.node_name}));
  }
  for (auto& f : plan.failures) {
    const auto* p = by_key.at({f.pod.namespace_, f.pod.name});
    if (current_unschedulable_message(*p) == f.why.message) continue;
    events.push_back(make_event(pod_reference(f.pod.namespace_, f.pod.name, f.pod.uid), "controller:scheduler",
                                p->metadata.resource_version, model::pod_unschedulable{std::move(f.why)}));
  }
  return events;
}

void run(scheduler_self self) {
  run_controller<scheduling_inputs_ptr>(self, inputs_atom::value, "scheduler",
                                        [](const auto& in) { return decisions(in); });
}

scheduler_actor::behavior_type scheduler_behavior(scheduler_self self, actor_context ctx) {
  log_exceptions(self, "scheduler");
  introspect::enroll(self, "scheduler", "", "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .num("minInputSeq", static_cast<std::int64_t>(s.min_seq))
        .boolean("batchInFlight", s.loop.busy())
        .boolean("inputsChangedMeanwhile", s.loop.dirty())
        .done();
  });
  self->state.store = ctx.store;
  self->state.em.emplace(ctx.writer, ctx.store);
  return {
      [=](wake_atom) { run(self); },
      ack_handler(self),
  };
}

}  // namespace

scheduler_actor spawn_scheduler(caf::local_actor* parent, const actor_context& ctx) {
  return parent->spawn<caf::linked>(scheduler_behavior, ctx);
}

}  // namespace berth::actors
