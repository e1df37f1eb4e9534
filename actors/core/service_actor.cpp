// The service actor: keeps its service, the pods its selector matches and its
// folded endpoints; when the computed endpoints differ from the folded ones it
// appends endpoints_updated (one plan in flight at a time: store::plan_loop).
// A service without a selector gets nothing from it: its endpoints are the
// user's (endpointsReplaced), never overwritten or deleted here.
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/endpoints.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/store/plan_loop.hpp"
#include "actors/store/routing.hpp"

namespace berth::actors {
namespace {

struct service_state {
  static inline const char* name = "service";
  service_ptr svc;
  std::map<model::object_key, model::pod> pods;  // pods its selector matches
  endpoints_ptr current;                         // as folded; nullptr: none yet
  std::uint64_t cause = 0;
  std::optional<emitter> em;
  store::plan_loop loop;
};

using service_self = typed_self<service_actor, service_state>;

void sync(service_self self) {
  auto& st = self->state;
  if (!st.loop.start()) return;
  std::vector<model::pod> pods;
  for (const auto& [_, p] : st.pods) pods.push_back(p);
  auto want = reconcile::compute_endpoints(*st.svc, pods);
  // No selector: endpoints are managed by hand. Same subsets: nothing to do.
  if (!want || (st.current && st.current->subsets == want->subsets)) return (void)st.loop.finish(true);
  const auto& m = st.svc->metadata;
  auto e = make_event({model::k_kind_endpoints, m.namespace_, m.name, m.uid}, "controller:endpoints", st.cause,
                      model::endpoints_updated{std::move(*want)});
  st.em->emit(self, {std::move(e)}, [self](const emit_result& r) {
    if (!r.ok()) fmt::print(stderr, "berthd: service {}: {}\n", self->state.svc->metadata.name, r.error);
    if (self->state.loop.finish(r.ok())) sync(self);
  });
}

service_actor::behavior_type service_behavior(service_self self, actor_context ctx, std::uint64_t seq, service_ptr svc,
                                              pods_ptr matching, endpoints_ptr current) {
  log_exceptions(self, "service");
  introspect::enroll(self, "service", svc->metadata.namespace_ + "/" + svc->metadata.name, "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .list("matchingPods", keys_json(s.pods))
        .num("causeSeq", static_cast<std::int64_t>(s.cause))
        .boolean("updateInFlight", s.loop.busy())
        .boolean("inputsChangedMeanwhile", s.loop.dirty())
        .raw("service", manifest::to_json(model::api_object{*s.svc}))
        .raw("endpoints", s.current ? manifest::to_json(*s.current) : "null")
        .done();
  });
  auto& st = self->state;
  st.svc = std::move(svc);
  st.cause = seq;
  st.current = std::move(current);
  for (const auto& p : *matching) st.pods.emplace(model::object_key{p.metadata.namespace_, p.metadata.name}, p);
  st.em.emplace(ctx.writer, ctx.store);
  self->send(self, wake_atom::value);
  return {
      [=](update_atom, std::uint64_t seq, const service_ptr& svc, const pods_ptr& matching) {
        if (!svc) return self->quit();  // deleted: the fold removed its endpoints
        auto& st = self->state;
        st.svc = svc;
        st.cause = seq;
        st.pods.clear();
        for (const auto& p : *matching) st.pods.emplace(model::object_key{p.metadata.namespace_, p.metadata.name}, p);
        sync(self);
      },
      [=](update_atom, const pod_update_ptr& u) {
        auto& st = self->state;
        if (u->pod && store::selects(*st.svc, *u->pod))
          st.pods[u->key] = *u->pod;
        else
          st.pods.erase(u->key);
        st.cause = std::max(st.cause, u->seq);
        sync(self);
      },
      // The folded endpoints changed: ours, or a user's write or delete. A
      // user's change to the endpoints of a service with a selector is
      // overwritten, as Kubernetes' endpoints controller does (sync compares).
      [=](update_atom, std::uint64_t seq, const endpoints_ptr& ep) {
        auto& st = self->state;
        st.current = ep;
        st.cause = std::max(st.cause, seq);
        sync(self);
      },
      [=](wake_atom) { sync(self); },
      ack_handler(self),
  };
}

}  // namespace

service_actor spawn_service_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq,
                                  service_ptr svc, pods_ptr matching, endpoints_ptr current) {
  return parent->spawn<caf::linked>(service_behavior, ctx, seq, std::move(svc), std::move(matching),
                                    std::move(current));
}

}  // namespace berth::actors
