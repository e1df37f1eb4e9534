#include "actors/core/emitter.hpp"

#include <atomic>
#include <memory>
#include <mutex>

#include <caf/all.hpp>

#include "actors/model/codec.hpp"

namespace berth::actors {
namespace {

/// Shared by the append callbacks of one batch (they run on the writer thread).
struct batch_acks {
  std::atomic<std::size_t> remaining;
  std::atomic<std::uint64_t> last_seq{0};
  std::mutex error_mutex;
  std::string error;  // the first refusal's reason
  caf::actor self;
  std::uint64_t id;
  batch_acks(std::size_t n, caf::actor s, std::uint64_t i) : remaining(n), self(std::move(s)), id(i) {}
};

}  // namespace

void emitter::append_batch(caf::actor self, std::uint64_t id, std::vector<model::event> events) {
  if (events.empty()) {
    caf::anon_send(self, ack_atom::value, id, std::uint64_t{0}, std::string{});
    return;
  }
  auto acks = std::make_shared<batch_acks>(events.size(), std::move(self), id);
  // One group: the events of one command or decision are durable together or not at all.
  std::vector<journal::group_append> group;
  group.reserve(events.size());
  for (const auto& e : events) {
    group.push_back({model::type_of(e), model::encode_event(e), [acks](const journal::result<journal::append_ack>& r) {
      if (r.ok()) {
        auto seq = r.value().seq;
        auto prev = acks->last_seq.load();
        while (seq > prev && !acks->last_seq.compare_exchange_weak(prev, seq)) {}
      } else {
        std::lock_guard lock(acks->error_mutex);
        if (acks->error.empty()) acks->error = "the journal refused the write: " + r.err().message;
      }
      if (acks->remaining.fetch_sub(1) == 1) {
        std::string error;
        {
          std::lock_guard lock(acks->error_mutex);
          error = acks->error;
        }
        caf::anon_send(acks->self, ack_atom::value, acks->id, acks->last_seq.load(), std::move(error));
      }
    }});
  }
  writer_->append_group(std::move(group));
}

emitter::continuation emitter::take(std::uint64_t batch) {
  auto it = continuations_.find(batch);
  if (it == continuations_.end()) return {};
  auto then = std::move(it->second);
  continuations_.erase(it);
  return then;
}

}  // namespace berth::actors
