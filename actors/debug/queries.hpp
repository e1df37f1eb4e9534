#pragma once
// The answers `berth journal|history|why` give, computed from a source
// (source.hpp) — the same functions offline and online. Printing is the CLI's.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "actors/debug/fields.hpp"
#include "actors/debug/source.hpp"
#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::debug {

inline constexpr std::uint64_t k_to_end = std::numeric_limits<std::uint64_t>::max();

/// The event at `seq`, checked and decoded. Errors: not_found outside the
/// journal; corruption naming the seq.
journal::result<model::event> read_event(const source& s, std::uint64_t seq);

/// Calls `visit` with every event from `from` to `to` (inclusive, clamped to
/// the journal) in order, until it returns false.
journal::status for_each_event(const source& s, std::uint64_t from, std::uint64_t to,
                               const std::function<bool(const model::event&, const journal::record&)>& visit);

/// The cluster state after event `seq` (newest valid snapshot at or before it, then the events after).
journal::result<model::cluster_state> state_at(const source& s, std::uint64_t seq);

/// One event of an object's history, with what it changed in the object.
struct history_entry {
  model::event event;
  bool applied = true;  // false: the fold ignored it (stale or conflicting)
  bool existed_before = false;
  bool exists_after = false;
  std::vector<field_change> changes;  // the object's fields, before → after
};

/// Every event whose header names `id`, up to seq `up_to`, in order, each
/// with the fields it changed. Folds only the events that can change the
/// object: its own, plus those of the objects its rules read (every node for
/// a pod, since deleting a pod depends on whether its node exists; its
/// service for an endpoints object) — exactly what a full fold would give it.
/// Error not_found when no event names `id`; not_found when the journal does
/// not start at seq 1 (history needs every event of the object).
journal::result<std::vector<history_entry>> history(const source& s, const object_id& id,
                                                    std::uint64_t up_to = k_to_end);

/// One link of a causal chain.
struct why_step {
  model::event event;
  std::string phrase;  // words.hpp chain_phrase (plus the RC's reconcile phrase)
};

/// The chain of causes of the object's last event at or before `at`: that
/// event, the event its header.cause names, and so on to a root (cause 0).
/// Also stops at a cause that is not older than its effect or not in the
/// journal (the last step then says so). Error not_found when no event names
/// `id` at or before `at`.
journal::result<std::vector<why_step>> why(const source& s, const object_id& id, std::uint64_t at);

/// "pod/a created ← RC web reconciled to 3 replicas ← scaled to 3 by admin at ...".
std::string chain_text(const std::vector<why_step>& chain);

/// How one object differs between two states.
struct object_diff {
  enum class change : std::uint8_t { created, changed, deleted };
  object_id id;
  change what = change::changed;
  std::vector<field_change> fields;  // every leaf (created/deleted) or the changed ones
};

/// Objects created, changed (field by field) and deleted from `a` to `b`,
/// in objects_in() order (kind, namespace, name).
std::vector<object_diff> diff_states(const model::cluster_state& a, const model::cluster_state& b);

}  // namespace berth::debug
