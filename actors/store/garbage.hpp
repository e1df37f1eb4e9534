#pragma once
// The garbage collector's decisions and bookkeeping: pods whose controlling RC
// is gone are deleted (gracefully); pods bound to a node that no longer exists
// are removed. A pod already asked for stays pending until its events are
// folded, so a second pass never asks twice. CAF-free; the store runs a pass
// at start (a crash may have come between an RC's deletion and its pods') and
// whenever an RC or node disappears. Decisions are attributed to
// controller:garbage-collector.

#include <cstdint>
#include <map>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::store {

struct gc_pass {
  std::vector<model::event> events;
  std::vector<model::object_key> pods;  // the pods the events concern, now pending
  bool empty() const { return events.empty(); }
};

class garbage_collector {
 public:
  /// Decides a pass over `s`, caused by the event at `cause`, and marks its pods pending.
  gc_pass plan(const model::cluster_state& s, std::uint64_t cause);
  /// The pass's events are folded (or failed): its pods may be decided again.
  void done(const gc_pass& pass);
  std::size_t pending() const { return pending_.size(); }

 private:
  std::map<model::object_key, std::uint64_t> pending_;
};

}  // namespace berth::store
