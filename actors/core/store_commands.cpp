// The store's commands and reads: planned against the folded state by the
// CAF-free functions of actors/store/commands.hpp, appended, and answered
// once folded (so a client that reads after a reply sees its own write).
#include <random>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/event_text.hpp"
#include "actors/core/store_state.hpp"
#include "actors/model/codec.hpp"
#include "actors/reconcile/name_generator.hpp"
#include "actors/store/commands.hpp"

namespace berth::actors {
namespace {

std::string random_uid() {
  static thread_local reconcile::name_generator gen{std::random_device{}() ^
                                                    (std::uint64_t(std::random_device{}()) << 32)};
  return gen.next_uid();
}

/// Answers a plan at once, or appends its event and answers once folded.
/// Either way the service addresses it held are released after the answer.
caf::result<outcome> carry_out(store_self self, store::command_plan plan) {
  if (plan.answer) {
    self->state.addresses.release(plan.held);
    return std::move(*plan.answer);
  }
  auto rp = self->make_response_promise<outcome>();
  auto event = std::move(plan.event);  // the answer needs only the key, uid and action
  commit(self, {std::move(event)}, [self, rp, plan = std::move(plan)](const emit_result& r) mutable {
    self->state.addresses.release(plan.held);
    if (!r.ok()) {
      rp.deliver(store::failure(outcome::code::unavailable, r.error));
      return;
    }
    rp.deliver(store::answer_after_fold(self->state.state, plan, r.last_seq));
  });
  return rp;
}

}  // namespace

caf::result<outcome> handle(store_self self, create_cmd& cmd) {
  auto& st = self->state;
  return carry_out(self, store::plan_create(st.state, std::move(cmd), st.addresses, random_uid()));
}

caf::result<outcome> handle(store_self self, delete_cmd& cmd) {
  return carry_out(self, store::plan_delete(self->state.state, cmd));
}

caf::result<outcome> handle(store_self self, scale_cmd& cmd) {
  return carry_out(self, store::plan_scale(self->state.state, cmd));
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
