#pragma once
// How an actor appends decision events and learns when they are folded.
//
// Every decision-making actor (rc, service, node, pod, scheduler, the store's
// garbage collection) follows the same cycle: compute a plan with a pure
// function, append it as events, and decide again only after those events are
// durable AND folded into the store's state — otherwise it would decide twice
// on the same stale inputs (Kubernetes' "expectations"). The emitter does the
// bookkeeping: it appends through the journal writer (thread-safe, group
// commit), collects the acknowledgements, then asks the store to answer once it
// has folded up to the last seq, and finally runs the continuation — always on
// the actor's own thread, as a message.

#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include "actors/model/events.hpp"
#include "journal/writer.hpp"

namespace berth::actors {

class emitter {
 public:
  /// `writer` must outlive the actor; `store` answers (sync_atom, seq).
  emitter(journal::writer* writer, caf::actor store);

  /// Appends `events` in order. `then(ok, last_seq)` runs on `self` once all
  /// are durable and folded (ok = true), or as soon as one append failed
  /// (ok = false, the journal is closed for writing).
  void emit(caf::event_based_actor* self, std::vector<model::event> events,
            std::function<void(bool ok, std::uint64_t last_seq)> then);

  /// Call from the actor's handler for (ack_atom, batch id, last seq, ok).
  void on_ack(caf::event_based_actor* self, std::uint64_t batch, std::uint64_t last_seq, bool ok);

  /// Batches appended but not yet folded.
  std::size_t in_flight() const { return continuations_.size(); }

 private:
  journal::writer* writer_;
  caf::actor store_;
  std::uint64_t next_batch_ = 1;
  std::map<std::uint64_t, std::function<void(bool, std::uint64_t)>> continuations_;
};

}  // namespace berth::actors
