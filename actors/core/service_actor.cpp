// The service actor: keeps its service, the pods its selector matches and its
// folded endpoints; when the computed endpoints differ from the folded ones it
// appends endpoints_updated (one plan in flight at a time).
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/endpoints.hpp"
#include "actors/reconcile/selector.hpp"

namespace berth::actors {
namespace {

struct service_state {
  static inline const char* name = "service";
  service_ptr svc;
  std::map<model::object_key, model::pod> pods;  // pods its selector matches
  endpoints_ptr current;                          // as folded; nullptr: none yet
  std::uint64_t cause = 0;
  std::optional<emitter> em;
  bool busy = false;
  bool dirty = false;
};

using service_self = actor_self<service_state>;

bool selects(const model::service& svc, const model::pod& p) {
  return !svc.spec.selector.empty() &&
         reconcile::matches(reconcile::from_map(svc.spec.selector), p.metadata.labels);
}

void sync(service_self self) {
  auto& st = self->state;
  if (st.busy) {
    st.dirty = true;
    return;
  }
  std::vector<model::pod> pods;
  for (const auto& [_, p] : st.pods) pods.push_back(p);
  auto want = reconcile::compute_endpoints(*st.svc, pods);
  if (!want) return;  // no selector: endpoints are managed by hand
  if (st.current && st.current->subsets == want->subsets) return;
  const auto& m = st.svc->metadata;
  auto e = make_event({model::k_kind_endpoints, m.namespace_, m.name, m.uid}, "controller:endpoints", st.cause,
                      model::endpoints_updated{std::move(*want)});
  st.busy = true;
  st.em->emit(self, {std::move(e)}, [self](bool ok, std::uint64_t) {
    self->state.busy = false;
    if (ok && self->state.dirty) {
      self->state.dirty = false;
      sync(self);
    }
  });
}

caf::behavior service_behavior(service_self self, actor_context ctx, std::uint64_t seq, service_ptr svc,
                               pods_ptr matching, endpoints_ptr current) {
  log_exceptions(self, "service");
  introspect::enroll(self, "service", svc->metadata.namespace_ + "/" + svc->metadata.name, "", [self] {
    const auto& s = self->state;
    return introspect::json_object()
        .list("matchingPods", keys_json(s.pods))
        .num("causeSeq", static_cast<std::int64_t>(s.cause))
        .boolean("updateInFlight", s.busy)
        .boolean("inputsChangedMeanwhile", s.dirty)
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
        if (u->pod && selects(*st.svc, *u->pod))
          st.pods[u->key] = *u->pod;
        else
          st.pods.erase(u->key);
        st.cause = std::max(st.cause, u->seq);
        sync(self);
      },
      [=](update_atom, std::uint64_t, const endpoints_ptr& ep) { self->state.current = ep; },
      [=](wake_atom) { sync(self); },
      [=](ack_atom, std::uint64_t batch, std::uint64_t seq, bool ok) { self->state.em->on_ack(self, batch, seq, ok); },
  };
}

}  // namespace

caf::actor spawn_service_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq,
                               service_ptr svc, pods_ptr matching, endpoints_ptr current) {
  return parent->spawn<caf::linked>(service_behavior, ctx, seq, std::move(svc), std::move(matching),
                                    std::move(current));
}

}  // namespace berth::actors
