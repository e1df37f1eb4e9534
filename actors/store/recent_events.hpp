#pragma once
// The journal seqs of each live object's most recent events (describe's
// Events section), so that describe needs no journal scan. An object's entry
// goes when the object goes: its history stays in the journal. CAF-free.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "actors/model/events.hpp"

namespace berth::store {

/// Whether describe's Events lists `e`: every event but the journaled
/// heartbeats (a node's would crowd out everything else; they stay in the
/// journal, and the Ready condition's LastHeartbeatTime shows the latest).
inline bool listed_in_events(const model::event& e) {
  return !std::holds_alternative<model::node_heartbeat>(e.payload);
}

class recent_events {
 public:
  explicit recent_events(std::size_t per_object = 50) : per_object_(per_object) {}

  /// Remembers `seq` for the object keyed `key` (store::event_key), dropping its oldest beyond the cap.
  void record(const std::string& key, std::uint64_t seq);
  /// The object is gone.
  void forget(const std::string& key) { seqs_.erase(key); }
  /// Its last `limit` seqs, oldest first.
  std::vector<std::uint64_t> last(const std::string& key, std::size_t limit) const;
  std::size_t objects() const { return seqs_.size(); }

 private:
  std::size_t per_object_;
  std::map<std::string, std::deque<std::uint64_t>> seqs_;
};

}  // namespace berth::store
