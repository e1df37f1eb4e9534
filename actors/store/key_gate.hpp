#pragma once
// One client write per object in flight. A command is planned against the
// folded state, but its event folds only after the journal's fsync; a second
// command on the same object planned meanwhile would see the state before the
// first one — two PUTs carrying the same resourceVersion would both pass the
// precondition, two creates of one name would both look new. The gate holds
// the later command until the earlier one's event is folded (or refused), so
// commands on one object are planned one after the other, in arrival order,
// while commands on different objects still share each fsync. CAF-free.

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>

namespace berth::store {

class key_gate {
 public:
  using work = std::function<void()>;

  /// Runs `w` now when no command on `key` is in flight, else once the ones
  /// before it have left. `w` must lead to exactly one leave(key).
  void enter(const std::string& key, work w) {
    auto [it, fresh] = waiting_.try_emplace(key);
    if (!fresh) {
      it->second.push_back(std::move(w));
      return;
    }
    w();
  }

  /// The command in flight on `key` is answered: the next one runs.
  void leave(const std::string& key) {
    auto it = waiting_.find(key);
    if (it == waiting_.end()) return;
    if (it->second.empty()) {
      waiting_.erase(it);
      return;
    }
    auto next = std::move(it->second.front());
    it->second.pop_front();
    next();  // may leave(key) at once (an immediate answer), which runs the one after
  }

  /// Objects with a command in flight (introspection).
  std::size_t busy() const { return waiting_.size(); }
  /// Commands held behind another on the same object.
  std::size_t held() const {
    std::size_t n = 0;
    for (const auto& [_, q] : waiting_) n += q.size();
    return n;
  }

 private:
  std::map<std::string, std::deque<work>> waiting_;  // by event_key(): kind/namespace/name
};

}  // namespace berth::store
