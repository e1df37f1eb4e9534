#pragma once
// The loop of a controller that reads its inputs from the store rather than
// keeping them (the scheduler, the namespace and volume controllers): ask the
// store for inputs at least as new as our last decisions, decide, append, and
// look again once the plan landed if we were woken meanwhile
// (store::plan_loop). The decision is the controller's `decide`; everything
// else is here, once. Included only by those actors' translation units.

#include <algorithm>
#include <string>
#include <vector>

#include "actors/core/actor_util.hpp"
#include "actors/core/emitter.hpp"

namespace berth::actors {

/// Runs one decision, or marks the loop dirty when one is in flight. `Self`'s
/// state has `store`, `em` (an emitter), `min_seq` and `loop`; the store
/// answers `atom` with an `InputsPtr`; `decide(const Inputs&)` returns the
/// events to append. `what` names the controller in berthd's log.
template <class InputsPtr, class Self, class Atom, class Decide>
void run_controller(Self self, Atom atom, const char* what, Decide decide) {
  auto& st = self->state;
  if (!st.loop.start()) return;
  auto finish = [self, atom, what, decide](const emit_result& r) {
    auto& st = self->state;
    if (!r.ok()) fmt::print(stderr, "berthd: {}: {}\n", what, r.error);
    st.min_seq = std::max(st.min_seq, r.last_seq);
    if (st.loop.finish(r.ok())) run_controller<InputsPtr>(self, atom, what, decide);
  };
  self->request(st.store, caf::infinite, atom, st.min_seq)
      .then(
          [self, finish, decide](const InputsPtr& in) {
            std::vector<model::event> events = decide(*in);
            if (events.empty()) return finish(emit_result{});
            self->state.em->emit(self, std::move(events), finish);
          },
          [finish](caf::error& e) { finish(emit_result{0, "the store did not answer: " + caf::to_string(e)}); });
}

}  // namespace berth::actors
