#include "actors/core/emitter.hpp"

#include <atomic>
#include <memory>

#include <caf/all.hpp>

#include "actors/core/messages.hpp"
#include "actors/model/codec.hpp"

namespace berth::actors {
namespace {

/// Shared by the append callbacks of one batch (they run on the writer thread).
struct batch_acks {
  std::atomic<std::size_t> remaining;
  std::atomic<std::uint64_t> last_seq{0};
  std::atomic<bool> failed{false};
  caf::actor self;
  std::uint64_t id;
  batch_acks(std::size_t n, caf::actor s, std::uint64_t i) : remaining(n), self(std::move(s)), id(i) {}
};

}  // namespace

emitter::emitter(journal::writer* writer, caf::actor store) : writer_(writer), store_(std::move(store)) {}

void emitter::emit(caf::event_based_actor* self, std::vector<model::event> events,
                   std::function<void(bool, std::uint64_t)> then) {
  auto id = next_batch_++;
  continuations_.emplace(id, std::move(then));
  if (events.empty()) {
    caf::anon_send(caf::actor_cast<caf::actor>(self), ack_atom::value, id, std::uint64_t{0}, true);
    return;
  }
  auto acks = std::make_shared<batch_acks>(events.size(), caf::actor_cast<caf::actor>(self), id);
  for (const auto& e : events) {
    writer_->append(model::type_of(e), model::encode_event(e), [acks](const journal::result<journal::append_ack>& r) {
      if (r.ok()) {
        auto seq = r.value().seq;
        auto prev = acks->last_seq.load();
        while (seq > prev && !acks->last_seq.compare_exchange_weak(prev, seq)) {
        }
      } else {
        acks->failed = true;
      }
      if (acks->remaining.fetch_sub(1) == 1)
        caf::anon_send(acks->self, ack_atom::value, acks->id, acks->last_seq.load(), !acks->failed.load());
    });
  }
}

void emitter::on_ack(caf::event_based_actor* self, std::uint64_t batch, std::uint64_t last_seq, bool ok) {
  auto it = continuations_.find(batch);
  if (it == continuations_.end()) return;
  auto then = std::move(it->second);
  continuations_.erase(it);
  if (!ok || last_seq == 0) {
    then(ok, last_seq);
    return;
  }
  // Durable; now wait until the store has folded it, so that the routing
  // messages the fold produced have reached this actor before `then` runs.
  self->request(store_, caf::infinite, sync_atom::value, last_seq)
      .then([then](std::uint64_t folded) { then(true, folded); },
            [then, last_seq](caf::error&) { then(false, last_seq); });
}

}  // namespace berth::actors
