// The namespace controller: when woken (a namespace went Terminating, or
// something in a Terminating namespace changed) it reads the Terminating
// namespaces and what is left in them from the store, at least as new as its
// last decisions, runs reconcile::plan_namespace_cleanup, and appends the plan:
// objectDeleted for each replication controller and service, podDeleted for
// each pod, namespaceRemoved for each namespace that is empty. One batch at a
// time (store::plan_loop), like the scheduler.
#include "actors/core/controller_loop.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/reconcile/namespace_cleanup.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

constexpr const char* k_principal = "controller:namespace";

struct namespace_controller_state {
  static inline const char* name = "namespace-controller";
  // Not an aggregate (see scheduler_state).
  namespace_controller_state() = default;
  store_actor store;
  std::optional<emitter> em;
  std::uint64_t min_seq = 0;  // inputs must include our last decisions
  store::plan_loop loop;      // one batch in flight
  std::size_t terminating = 0;  // Terminating namespaces at the last look (console)
};

using namespace_self = typed_self<namespace_controller_actor, namespace_controller_state>;

/// The plan as journal events, each caused by the deletion that made its
/// namespace Terminating (the namespace's resourceVersion at that point is
/// the best cause the inputs carry).
std::vector<model::event> decisions(const store::namespace_inputs& in) {
  std::map<std::string, std::uint64_t> cause;
  for (const auto& t : in.terminating) cause[t.ns.metadata.name] = t.ns.metadata.resource_version;
  auto plan = reconcile::plan_namespace_cleanup(in.terminating);
  std::vector<model::event> events;
  for (auto& d : plan.deletions) {
    auto c = cause[d.object.namespace_];
    if (d.kind == model::kind::pod)
      events.push_back(make_event(d.object, k_principal, c, model::pod_deleted{std::move(d.why)}));
    else if (d.kind == model::kind::secret)
      events.push_back(make_event(d.object, k_principal, c, model::secret_removed{std::move(d.why)}));
    else if (d.kind == model::kind::limit_range)
      events.push_back(make_event(d.object, k_principal, c, model::limit_range_removed{std::move(d.why)}));
    else if (d.kind == model::kind::resource_quota)
      events.push_back(make_event(d.object, k_principal, c, model::resource_quota_removed{std::move(d.why)}));
    else if (d.kind == model::kind::pod_template)
      events.push_back(make_event(d.object, k_principal, c, model::pod_template_removed{std::move(d.why)}));
    else if (d.kind == model::kind::persistent_volume_claim)
      events.push_back(
          make_event(d.object, k_principal, c, model::persistent_volume_claim_removed{std::move(d.why)}));
    else if (d.kind == model::kind::endpoints)
      events.push_back(make_event(d.object, k_principal, c, model::endpoints_removed{std::move(d.why)}));
    else
      events.push_back(make_event(d.object, k_principal, c, model::object_deleted{-1}));
  }
  for (auto& r : plan.removals)
    events.push_back(make_event(r.ns, k_principal, cause[r.ns.name], model::namespace_removed{std::move(r.why)}));
  return events;
}

void run(namespace_self self) {
  run_controller<namespace_inputs_ptr>(self, nsinputs_atom::value, "namespace controller", [self](const auto& in) {
    self->state.terminating = in.terminating.size();
    return decisions(in);
  });
}

namespace_controller_actor::behavior_type namespace_behavior(namespace_self self, actor_context ctx) {
  log_exceptions(self, "namespace controller");
  introspect::enroll(self, "namespace-controller", "", "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .num("minInputSeq", static_cast<std::int64_t>(s.min_seq))
        .num("terminatingNamespaces", static_cast<std::int64_t>(s.terminating))
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

namespace_controller_actor spawn_namespace_controller(caf::local_actor* parent, const actor_context& ctx) {
  return parent->spawn<caf::linked>(namespace_behavior, ctx);
}

}  // namespace berth::actors
