#pragma once
// Continuations waiting until the store has folded up to a seq: the store's
// own commits (answer the client once its write is folded) and other actors'
// "tell me when my decisions are folded". CAF-free: a continuation is any
// callable; the store wraps CAF response promises in them.

#include <cstdint>
#include <functional>
#include <map>

namespace berth::store {

class seq_waiters {
 public:
  using continuation = std::function<void(std::uint64_t folded_seq)>;

  /// Runs `then` once release() is called with a seq >= `seq` (in seq order,
  /// then in the order added).
  void wait(std::uint64_t seq, continuation then) { waiting_.emplace(seq, std::move(then)); }
  /// Runs and drops every continuation waiting for a seq <= `folded`. A
  /// continuation may add new waiters.
  void release(std::uint64_t folded);
  std::size_t size() const { return waiting_.size(); }

 private:
  std::multimap<std::uint64_t, continuation> waiting_;
};

inline void seq_waiters::release(std::uint64_t folded) {
  while (!waiting_.empty() && waiting_.begin()->first <= folded) {
    auto then = std::move(waiting_.begin()->second);
    waiting_.erase(waiting_.begin());
    then(folded);
  }
}

}  // namespace berth::store
