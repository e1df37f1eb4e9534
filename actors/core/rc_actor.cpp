// The replication controller actor: keeps its RC and the pods it owns, runs
// reconcile_rc whenever either changes, and appends the plan (pod_created /
// pod_deleted). While a plan is in flight it decides nothing new
// (store::plan_loop): it waits until the plan's events are folded and routed
// back, then looks again. Each event cites the one that led to it
// (reconcile::rc_causes): a replacement cites the loss it replaces.
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/reconcile/rc_causes.hpp"
#include "actors/reconcile/reconcile_rc.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

struct rc_state {
  static inline const char* name = "rc";
  rc_ptr rc;
  std::map<model::object_key, model::pod> owned;
  std::optional<reconcile::rc_causes> causes;
  std::uint64_t latest = 0;  // the newest seq seen: seeds pod names, never cited
  std::optional<emitter> em;
  store_actor store;
  store::plan_loop loop;
};

using rc_self = typed_self<rc_actor, rc_state>;

std::uint64_t seed_of(const std::string& uid, std::uint64_t seq) {
  return std::hash<std::string>{}(uid) ^ (seq * 0x9e3779b97f4a7c15ULL);
}

std::vector<std::string> seqs_json(const std::vector<std::uint64_t>& seqs) {
  std::vector<std::string> out;
  out.reserve(seqs.size());
  for (auto s : seqs) out.push_back(std::to_string(s));
  return out;
}

void sync(rc_self self) {
  auto& st = self->state;
  if (!st.loop.start()) return;
  std::vector<model::pod> pods;
  pods.reserve(st.owned.size());
  for (const auto& [_, p] : st.owned) pods.push_back(p);
  reconcile::name_generator names(seed_of(st.rc->metadata.uid, st.latest));
  auto plan = reconcile::reconcile_rc(*st.rc, pods, now_ns(), names);
  // Even an empty plan settles the deficit: causes it left unused are stale.
  auto causes = st.causes->cite(plan);
  if (plan.empty()) return (void)st.loop.finish(true);
  auto principal = "controller:replicationcontroller/" + st.rc->metadata.name;
  std::vector<model::event> events;
  for (std::size_t i = 0; i < plan.create.size(); ++i) {
    auto& c = plan.create[i];
    // The reference is built before the pod is moved into the payload: the
    // order of evaluation of the arguments is unspecified (g++ moved first,
    // leaving podCreated headers with an empty name).
    const auto& m = c.pod.metadata;
    auto ref = pod_reference(m.namespace_, m.name, m.uid);
    events.push_back(make_event(std::move(ref), principal, causes.create[i], model::pod_created{std::move(c.pod)}));
  }
  for (std::size_t i = 0; i < plan.remove.size(); ++i) {
    auto& d = plan.remove[i];
    events.push_back(make_event(pod_reference(d.pod.namespace_, d.pod.name, d.pod.uid), principal, causes.remove[i],
                                model::pod_deleted{std::move(d.why)}));
  }
  auto done = [self](const std::string& error) {
    if (!error.empty()) fmt::print(stderr, "berthd: rc {}: {}\n", self->state.rc->metadata.name, error);
    if (self->state.loop.finish(error.empty())) sync(self);
  };
  if (plan.create.empty())
    return st.em->emit(self, std::move(events), [done](const emit_result& r) { done(r.error); });
  // New pods pass admission (limit ranges, quotas) in the store, which
  // appends them, or a podCreateRefused naming why, in our place.
  auto batch = std::make_shared<const std::vector<model::event>>(std::move(events));
  self->request(st.store, caf::infinite, admit_atom::value, std::move(batch))
      .then([done](const std::string& error) { done(error); },
            [done](const caf::error& e) { done("the store did not answer: " + caf::to_string(e)); });
}

rc_actor::behavior_type rc_behavior(rc_self self, actor_context ctx, std::uint64_t seq, rc_ptr rc, pods_ptr owned) {
  log_exceptions(self, "rc");
  introspect::enroll(self, "rc", rc->metadata.namespace_ + "/" + rc->metadata.name, "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .num("replicas", static_cast<std::int64_t>(s.rc->spec.replicas))
        .list("ownedPods", keys_json(s.owned))
        .list("deficitCauses", seqs_json(s.causes->queued()))
        .num("awaitedDeletions", static_cast<std::int64_t>(s.causes->awaited_deletions()))
        .boolean("planInFlight", s.loop.busy())
        .boolean("inputsChangedMeanwhile", s.loop.dirty())
        .raw("replicationController", manifest::to_json(model::api_object{*s.rc}))
        .done();
  });
  auto& st = self->state;
  st.rc = std::move(rc);
  st.causes.emplace(seq, *st.rc);
  st.latest = seq;
  for (const auto& p : *owned) st.owned.emplace(model::object_key{p.metadata.namespace_, p.metadata.name}, p);
  st.em.emplace(ctx.writer, ctx.store);
  st.store = ctx.store;
  self->send(self, wake_atom::value);
  return {
      [=](update_atom, std::uint64_t seq, const rc_ptr& rc) {
        if (!rc) return self->quit();  // deleted: the garbage collector deletes its pods
        auto& s = self->state;
        s.rc = rc;
        s.causes->rc_changed(seq, *rc);
        s.latest = seq;
        sync(self);
      },
      [=](update_atom, const pod_update_ptr& u) {
        auto& s = self->state;
        auto it = s.owned.find(u->key);
        s.causes->pod_changed(u->seq, it == s.owned.end() ? nullptr : &it->second, u->pod.get());
        if (u->pod)
          s.owned[u->key] = *u->pod;
        else if (it != s.owned.end())
          s.owned.erase(it);
        s.latest = std::max(s.latest, u->seq);
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
