#pragma once
// How an actor appends decision events and learns when they are folded.
//
// It appends through the journal writer (thread-safe, group commit), collects
// the acknowledgements (they arrive as one (ack_atom, batch, seq, error)
// message to the actor), then asks the store to answer once it has folded up
// to the last seq — so that the routing messages the fold produced have
// reached the actor — and finally runs the continuation on the actor's own
// thread. A refused append keeps its reason all the way to the continuation.
// The store itself does not ask itself: it waits on its own seq_waiters.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <caf/actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/send.hpp>

#include "actors/core/protocol.hpp"
#include "actors/model/events.hpp"
#include "journal/writer.hpp"

namespace berth::actors {

/// What became of one emitted batch.
struct emit_result {
  std::uint64_t last_seq = 0;  // 0: nothing was appended
  std::string error;           // empty: durable and folded
  bool ok() const { return error.empty(); }
};

class emitter {
 public:
  using continuation = std::function<void(const emit_result&)>;

  /// `writer` must outlive the actor; `store` answers (sync_atom, seq).
  emitter(journal::writer* writer, store_actor store) : writer_(writer), store_(std::move(store)) {}

  /// Appends `events` in order; `then` runs on `self` once all are durable
  /// and folded, or once one append failed (with the journal's reason).
  template <class Self>
  void emit(Self* self, std::vector<model::event> events, continuation then) {
    auto id = next_batch_++;
    continuations_.emplace(id, std::move(then));
    append_batch(caf::actor_cast<caf::actor>(self), id, std::move(events));
  }

  /// Call from the actor's handler for (ack_atom, batch, last seq, error).
  template <class Self>
  void on_ack(Self* self, std::uint64_t batch, std::uint64_t last_seq, const std::string& error) {
    auto then = take(batch);
    if (!then) return;
    if (!error.empty() || last_seq == 0) return then(emit_result{last_seq, error});
    self->request(store_, caf::infinite, sync_atom::value, last_seq)
        .then(
            [then](std::uint64_t folded) {
              then(emit_result{folded, {}});
            },
            [then, last_seq](caf::error& e) {
              then(emit_result{last_seq, "the store did not answer: " + caf::to_string(e)});
            });
  }

  /// Removes and returns a batch's continuation (empty when unknown). The
  /// store uses it directly: it waits for its own fold instead of asking itself.
  continuation take(std::uint64_t batch);

  /// Batches appended but not yet folded.
  std::size_t in_flight() const { return continuations_.size(); }

 private:
  /// Appends and arranges for one ack message to `self` when the last append is acknowledged.
  void append_batch(caf::actor self, std::uint64_t id, std::vector<model::event> events);

  journal::writer* writer_;
  store_actor store_;
  std::uint64_t next_batch_ = 1;
  std::map<std::uint64_t, continuation> continuations_;
};

/// The (ack_atom, batch, seq, error) handler every emitting actor has: hands
/// the acknowledgement to its state's emitter (`self->state.em`).
template <class Self>
auto ack_handler(Self* self) {
  return [self](ack_atom, std::uint64_t batch, std::uint64_t seq, const std::string& error) {
    self->state.em->on_ack(self, batch, seq, error);
  };
}

}  // namespace berth::actors
