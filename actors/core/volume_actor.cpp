// The volume controller (Kubernetes 1.0's persistent volume binder and
// recycler): when woken (a volume or claim changed, or a recycler pod did) it
// reads every volume, the Pending claims and the recycler pods from the
// store, at least as new as its last decisions, runs reconcile::plan_volumes,
// and appends the plan: volumeClaimBound for each binding; podCreated for
// each recycler pod; volumeRecycled, persistentVolumeRemoved (Delete policy)
// or volumeReclaimFailed for each finished reclaim, with podDeleted of its
// recycler. One batch at a time (store::plan_loop), like the namespace
// controller.
#include <random>

#include "actors/core/controller_loop.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/defaults.hpp"
#include "actors/reconcile/volume_binder.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

constexpr const char* k_principal = "controller:volume";

struct volume_controller_state {
  static inline const char* name = "volume-controller";
  // Not an aggregate (see scheduler_state).
  volume_controller_state() = default;
  store_actor store;
  std::optional<emitter> em;
  std::uint64_t min_seq = 0;  // inputs must include our last decisions
  store::plan_loop loop;      // one batch in flight
  reconcile::name_generator names{std::random_device{}()};
  std::size_t pending_claims = 0;  // at the last look (console)
  std::size_t volumes = 0;
};

using volume_self = typed_self<volume_controller_actor, volume_controller_state>;

/// The plan as journal events, each caused by the state it was read at (the
/// object's own resourceVersion: the change that made the decision due).
std::vector<model::event> decisions(const store::volume_inputs& in, reconcile::name_generator& names) {
  auto plan = reconcile::plan_volumes(in.in, names);
  std::map<std::string, std::uint64_t> cause;
  for (const auto& v : in.in.volumes) cause[v.metadata.name] = v.metadata.resource_version;
  std::vector<model::event> events;
  for (const auto& b : plan.bindings) {
    std::uint64_t c = 0;
    for (const auto& claim : in.in.claims)
      if (claim.metadata.namespace_ == b.claim.namespace_ && claim.metadata.name == b.claim.name)
        c = claim.metadata.resource_version;
    events.push_back(make_event(b.claim, k_principal, c, model::volume_claim_bound{b.volume}));
  }
  for (auto& pod : plan.recyclers_to_create) {
    manifest::apply_defaults(pod);
    model::object_reference ref{model::k_kind_pod, pod.metadata.namespace_, pod.metadata.name, pod.metadata.uid};
    auto c = cause[pod.metadata.labels.at(reconcile::k_recycler_label)];
    events.push_back(make_event(ref, k_principal, c, model::pod_created{std::move(pod)}));
  }
  for (const auto& r : plan.reclaims) {
    auto c = cause[r.volume.name];
    switch (r.what) {
      case reconcile::volume_reclaim::step::recycled:
        events.push_back(make_event(r.volume, k_principal, c, model::volume_recycled{r.why}));
        break;
      case reconcile::volume_reclaim::step::deleted:
        events.push_back(make_event(r.volume, k_principal, c, model::persistent_volume_removed{r.why}));
        break;
      case reconcile::volume_reclaim::step::failed:
        events.push_back(make_event(r.volume, k_principal, c, model::volume_reclaim_failed{r.why}));
        break;
    }
  }
  for (const auto& p : plan.recyclers_to_delete)
    events.push_back(make_event(p, k_principal, 0, model::pod_deleted{{"RecyclerDone", "its volume is reclaimed"}}));
  return events;
}

void run(volume_self self) {
  run_controller<volume_inputs_ptr>(self, volinputs_atom::value, "volume controller", [self](const auto& in) {
    self->state.pending_claims = in.in.claims.size();
    self->state.volumes = in.in.volumes.size();
    return decisions(in, self->state.names);
  });
}

volume_controller_actor::behavior_type volume_behavior(volume_self self, actor_context ctx) {
  log_exceptions(self, "volume controller");
  introspect::enroll(self, "volume-controller", "", "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .num("minInputSeq", static_cast<std::int64_t>(s.min_seq))
        .num("persistentVolumes", static_cast<std::int64_t>(s.volumes))
        .num("pendingClaims", static_cast<std::int64_t>(s.pending_claims))
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

volume_controller_actor spawn_volume_controller(caf::local_actor* parent, const actor_context& ctx) {
  return parent->spawn<caf::linked>(volume_behavior, ctx);
}

}  // namespace berth::actors
