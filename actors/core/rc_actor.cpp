// The replication controller actor: keeps its RC and the pods it owns, runs
// reconcile_rc whenever either changes, and appends the plan (pod_created /
// pod_deleted). While a plan is in flight it decides nothing new
// (store::plan_loop): it waits until the plan's events are folded and routed
// back, then looks again.
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/reconcile/reconcile_rc.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

struct rc_state {
  static inline const char* name = "rc";
  rc_ptr rc;
  std::map<model::object_key, model::pod> owned;
  std::uint64_t cause = 0;  // seq of the latest change it reacts to
  std::optional<emitter> em;
  store::plan_loop loop;
};

using rc_self = typed_self<rc_actor, rc_state>;

std::uint64_t seed_of(const std::string& uid, std::uint64_t seq) {
  return std::hash<std::string>{}(uid) ^ (seq * 0x9e3779b97f4a7c15ULL);
}

void sync(rc_self self) {
  auto& st = self->state;
  if (!st.loop.start()) return;
  std::vector<model::pod> pods;
  pods.reserve(st.owned.size());
  for (const auto& [_, p] : st.owned) pods.push_back(p);
  reconcile::name_generator names(seed_of(st.rc->metadata.uid, st.cause));
  auto plan = reconcile::reconcile_rc(*st.rc, pods, now_ns(), names);
  if (plan.empty()) return (void)st.loop.finish(true);
  auto principal = "controller:replicationcontroller/" + st.rc->metadata.name;
  std::vector<model::event> events;
  for (auto& c : plan.create) {
    // The reference is built before the pod is moved into the payload: the
    // order of evaluation of the arguments is unspecified (g++ moved first,
    // leaving podCreated headers with an empty name).
    const auto& m = c.pod.metadata;
    auto ref = pod_reference(m.namespace_, m.name, m.uid);
    events.push_back(make_event(std::move(ref), principal, st.cause, model::pod_created{std::move(c.pod)}));
  }
  for (auto& d : plan.remove)
    events.push_back(make_event(pod_reference(d.pod.namespace_, d.pod.name, d.pod.uid), principal, st.cause,
                                model::pod_deleted{std::move(d.why)}));
  st.em->emit(self, std::move(events), [self](const emit_result& r) {
    if (!r.ok()) fmt::print(stderr, "berthd: rc {}: {}\n", self->state.rc->metadata.name, r.error);
    if (self->state.loop.finish(r.ok())) sync(self);
  });
}

rc_actor::behavior_type rc_behavior(rc_self self, actor_context ctx, std::uint64_t seq, rc_ptr rc, pods_ptr owned) {
  log_exceptions(self, "rc");
  introspect::enroll(self, "rc", rc->metadata.namespace_ + "/" + rc->metadata.name, "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .num("replicas", static_cast<std::int64_t>(s.rc->spec.replicas))
        .list("ownedPods", keys_json(s.owned))
        .num("causeSeq", static_cast<std::int64_t>(s.cause))
        .boolean("planInFlight", s.loop.busy())
        .boolean("inputsChangedMeanwhile", s.loop.dirty())
        .raw("replicationController", manifest::to_json(model::api_object{*s.rc}))
        .done();
  });
  auto& st = self->state;
  st.rc = std::move(rc);
  st.cause = seq;
  for (const auto& p : *owned) st.owned.emplace(model::object_key{p.metadata.namespace_, p.metadata.name}, p);
  st.em.emplace(ctx.writer, ctx.store);
  self->send(self, wake_atom::value);
  return {
      [=](update_atom, std::uint64_t seq, const rc_ptr& rc) {
        if (!rc) return self->quit();  // deleted: the garbage collector deletes its pods
        self->state.rc = rc;
        self->state.cause = seq;
        sync(self);
      },
      [=](update_atom, const pod_update_ptr& u) {
        if (u->pod)
          self->state.owned[u->key] = *u->pod;
        else
          self->state.owned.erase(u->key);
        self->state.cause = std::max(self->state.cause, u->seq);
        sync(self);
      },
      [=](wake_atom) { sync(self); },
      ack_handler(self),
  };
}

}  // namespace

rc_actor spawn_rc_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq, rc_ptr rc,
                        pods_ptr owned) {
  return parent->spawn<caf::linked>(rc_behavior, ctx, seq, std::move(rc), std::move(owned));
}

}  // namespace berth::actors
