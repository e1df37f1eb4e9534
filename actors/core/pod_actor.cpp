// The pod actor: holds one pod's folded state and decides its final removal.
//
//   live ──(deleted: Terminating)──► terminating ──(node reports every container gone)──► pod_removed
//
// (A pod that is unbound, or bound to a node that no longer exists, is removed
// at once by the fold or the garbage collector: no agent will report for it.)
#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/manifest/render.hpp"
#include "actors/reconcile/pod_facts.hpp"
#include "actors/store/plan_loop.hpp"

namespace berth::actors {
namespace {

struct pod_state {
  static inline const char* name = "pod";
  pod_ptr pod;
  std::optional<emitter> em;
  store::plan_loop removal;
};

using pod_self = typed_self<pod_actor, pod_state>;

void remove_terminated(pod_self self) {
  auto& st = self->state;
  if (st.pod->metadata.deletion_timestamp == 0) return;  // not being deleted: ignore
  if (!st.removal.start()) return;
  const auto& m = st.pod->metadata;
  auto e = make_event(pod_reference(m.namespace_, m.name, m.uid), "controller:pod", m.resource_version,
                      model::pod_removed{{"Terminated", "every container of the pod has stopped"}});
  st.em->emit(self, {std::move(e)}, [self](const emit_result& r) {
    if (!r.ok()) fmt::print(stderr, "berthd: pod {}: {}\n", self->state.pod->metadata.name, r.error);
    self->state.removal.finish(r.ok());
  });
}

pod_actor::behavior_type pod_behavior(pod_self self, actor_context ctx, pod_ptr pod) {
  log_exceptions(self, "pod");
  std::string owner;
  if (const auto* c = reconcile::controller_of(*pod); c && c->kind == model::k_kind_rc)
    owner = "rc/" + pod->metadata.namespace_ + "/" + c->name;
  introspect::enroll(self, "pod", pod->metadata.namespace_ + "/" + pod->metadata.name, owner, [self] {
    return introspect::json_object()
        .str("phase", model::phase_name(self->state.pod->status.phase))
        .boolean("removing", self->state.removal.busy())
        .raw("pod", manifest::to_json(model::api_object{*self->state.pod}))
        .done();
  });
  self->state.pod = std::move(pod);
  self->state.em.emplace(ctx.writer, ctx.store);
  return {
      [=](update_atom, const pod_update_ptr& u) {
        if (!u->pod) return self->quit();
        self->state.pod = u->pod;
      },
      [=](term_atom) { remove_terminated(self); },
      ack_handler(self),
  };
}

}  // namespace

pod_actor spawn_pod_actor(caf::local_actor* parent, const actor_context& ctx, pod_ptr pod) {
  return parent->spawn<caf::linked>(pod_behavior, ctx, std::move(pod));
}

}  // namespace berth::actors
