#pragma once
// Rebuilding the cluster state from the journal: the newest valid snapshot,
// then the events after it folded with apply() (docs/journal.md, "Snapshots
// and replay"). Used by berthd at start and by
// `berth journal replay`.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "actors/model/state.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::model {

/// Folds to the last record of the journal.
inline constexpr std::uint64_t k_replay_to_end = std::numeric_limits<std::uint64_t>::max();

struct replay_result {
  cluster_state state;                // state.seq == the seq replayed to
  std::uint64_t snapshot_seq = 0;     // the snapshot started from; 0 = none used
  std::uint64_t events_folded = 0;    // events applied after the snapshot
  std::vector<std::string> warnings;  // snapshots skipped, and why
};

/// The state after event `up_to_seq` (0 or k_replay_to_end: the last record).
/// Starts from the newest snapshot at or before up_to_seq whose frame, decoding
/// and stored hash all check out; one that fails is skipped with a warning
/// naming its seq, and the next older one is tried (finally: none, from seq 1).
/// Errors: invalid_argument when up_to_seq is beyond the last record;
/// corruption when an event does not decode (naming its seq and why) or the
/// events are not contiguous; not_found when old history was folded away and
/// no valid snapshot covers it; cursor errors as the journal reports them.
/// Reads only; `j` may be open read_only.
journal::result<replay_result> replay(const journal::journal& j, std::uint64_t up_to_seq);

/// Stores `s` as the snapshot at s.seq with hash_state(s) beside it (the
/// journal refuses a seq beyond its last record). Synchronously durable.
journal::status write_snapshot(journal::journal& j, const cluster_state& s);

}  // namespace berth::model
