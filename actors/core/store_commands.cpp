// The store's commands and reads: planned against the folded state by the
// CAF-free functions of actors/store/commands.hpp, appended, and answered
// once folded (so a client that reads after a reply sees its own write).
#include <functional>
#include <random>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/event_text.hpp"
#include "actors/core/store_state.hpp"
#include "actors/model/codec.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/pod_admission.hpp"

namespace berth::actors {
namespace {

std::string random_uid() {
  static thread_local reconcile::name_generator gen{std::random_device{}() ^
                                                    (std::uint64_t(std::random_device{}()) << 32)};
  return gen.next_uid();
}

using answered_fn = std::function<void(outcome)>;

/// Answers a plan at once, or appends its event and answers once folded.
/// Either way the service addresses it held are released before the answer.
void carry_out(store_self self, store::command_plan plan, answered_fn answered) {
  if (plan.answer) {
    self->state.addresses.release(plan.held);
    return answered(std::move(*plan.answer));
  }
  auto event = std::move(plan.event);  // the answer needs only the key, uid and action
  commit(self, {std::move(event)},
         [self, answered = std::move(answered), plan = std::move(plan)](const emit_result& r) mutable {
           self->state.addresses.release(plan.held);
           if (!r.ok()) return answered(store::failure(outcome::code::unavailable, r.error));
           answered(store::answer_after_fold(self->state.state, plan, r.last_seq));
         });
}

/// Plans `cmd` with `plan_of` once no earlier command on `key` is in flight
/// (store::key_gate), so that it sees that command's effect; answers through
/// a response promise. A create without a name yet is not gated.
template <class Cmd, class PlanOf>
caf::result<outcome> gated(store_self self, const object_key& key, Cmd cmd, PlanOf plan_of) {
  auto rp = self->make_response_promise<outcome>();
  if (key.name.empty()) {
    carry_out(self, plan_of(std::move(cmd)), [rp](outcome o) mutable { rp.deliver(std::move(o)); });
    return rp;
  }
  auto gate_key = store::event_key(key.kind, store::state_key(key));
  self->state.gate.enter(gate_key, [self, rp, gate_key, cmd = std::move(cmd), plan_of]() mutable {
    carry_out(self, plan_of(std::move(cmd)), [self, rp, gate_key](outcome o) mutable {
      rp.deliver(std::move(o));
      self->state.gate.leave(gate_key);
    });
  });
  return rp;
}

/// A create counted by a quota is planned against the namespace's usage, so
/// creates in one namespace with a quota are planned one at a time: gated on
/// the namespace's quota key, then (inside) on the object's own key. The
/// order is always namespace first, so the two gates cannot deadlock.
template <class PlanOf>
caf::result<outcome> quota_gated(store_self self, const object_key& key, create_cmd cmd, PlanOf plan_of) {
  auto rp = self->make_response_promise<outcome>();
  auto ns_key = "quota/" + key.namespace_;
  self->state.gate.enter(ns_key, [self, rp, ns_key, key, cmd = std::move(cmd), plan_of]() mutable {
    auto inner = plan_of;
    auto finish = [self, rp, ns_key](outcome o) mutable {
      rp.deliver(std::move(o));
      self->state.gate.leave(ns_key);
    };
    if (key.name.empty()) return carry_out(self, inner(std::move(cmd)), finish);
    auto gate_key = store::event_key(key.kind, store::state_key(key));
    self->state.gate.enter(gate_key, [self, gate_key, cmd = std::move(cmd), inner, finish]() mutable {
      carry_out(self, inner(std::move(cmd)), [self, gate_key, finish](outcome o) mutable {
        self->state.gate.leave(gate_key);
        finish(std::move(o));
      });
    });
  });
  return rp;
}

/// True when a create of `key` is counted by a quota of its namespace.
bool quota_counted(const model::cluster_state& s, const object_key& key) {
  if (model::is_cluster_scoped(key.kind) || key.kind == kind::endpoints || key.kind == kind::limit_range) return false;
  auto it = s.resource_quotas.lower_bound({key.namespace_, ""});
  return it != s.resource_quotas.end() && it->first.namespace_ == key.namespace_;
}

object_key key_of(const create_cmd& cmd) {
  const auto& meta = meta_of(cmd.object);
  auto k = kind_of(cmd.object);
  return {k, meta.namespace_.empty() && k != kind::node ? "default" : meta.namespace_, meta.name};
}

}  // namespace

caf::result<outcome> handle(store_self self, create_cmd& cmd) {
  auto key = key_of(cmd);
  auto plan_of = [self](create_cmd c) {
    auto& st = self->state;
    return store::plan_create(st.state, std::move(c), st.addresses, random_uid());
  };
  if (quota_counted(self->state.state, key)) return quota_gated(self, key, std::move(cmd), plan_of);
  return gated(self, key, std::move(cmd), plan_of);
}

caf::result<outcome> handle(store_self self, delete_cmd& cmd) {
  auto key = cmd.key;
  return gated(self, key, std::move(cmd),
               [self](const delete_cmd& c) { return store::plan_delete(self->state.state, c); });
}

caf::result<outcome> handle(store_self self, scale_cmd& cmd) {
  auto key = cmd.key;
  return gated(self, key, std::move(cmd),
               [self](const scale_cmd& c) { return store::plan_scale(self->state.state, c); });
}

caf::result<std::string> handle(store_self self, admit_atom, const events_ptr& batch) {
  auto rp = self->make_response_promise<std::string>();
  if (!batch || batch->empty()) {
    rp.deliver(std::string{});
    return rp;
  }
  auto ns_key = "quota/" + batch->front().header.object.namespace_;
  self->state.gate.enter(ns_key, [self, rp, ns_key, batch]() mutable {
    auto events = store::admit_controller_pods(self->state.state, *batch);
    if (events.empty()) {
      rp.deliver(std::string{});
      return self->state.gate.leave(ns_key);
    }
    commit(self, std::move(events), [self, rp, ns_key](const emit_result& r) mutable {
      rp.deliver(r.error);
      self->state.gate.leave(ns_key);
    });
  });
  return rp;
}

std::vector<event_summary> handle(store_self self, const events_query& q) {
  auto& st = self->state;
  std::vector<event_summary> out;
  for (auto seq : st.recent.last(store::event_key(q.key.kind, store::state_key(q.key)), q.limit)) {
    auto r = st.journal->read(seq);
    if (!r.ok()) continue;
    auto e = model::decode_event(r.value().seq, r.value().time_ns, r.value().type, r.value().payload);
    if (e) out.push_back(summarize(*e));
  }
  return out;
}

void handle(store_self self, feed_cmd& cmd) {
  if (!cmd.feed) return;
  cmd.feed->on_start(self->state.state.seq);
  self->state.feeds.push_back(std::move(cmd.feed));
}

}  // namespace berth::actors
