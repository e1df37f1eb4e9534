#pragma once
// The store's watchers: which folded changes each one sees, as ADDED /
// MODIFIED / DELETED, in journal order. CAF-free; the store actor owns one
// and calls notify() after every fold.
//
// A watch from an old resourceVersion catches up with a private fold of the
// journal (newest snapshot at or before it, then events) up to the store's
// seq. The store runs that before adding the watcher, so no change can slip
// between the catch-up and the live feed.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/model/state.hpp"
#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/store/fold_diff.hpp"
#include "journal/journal.hpp"

namespace berth::store {

struct watcher {
  actors::kind k = actors::kind::pod;
  std::string namespace_;  // empty: every namespace
  reconcile::label_selector labels;
  std::optional<reconcile::field_selector> fields;
  std::function<void(actors::watch_event)> on_event;
  std::function<void(std::string)> on_closed;
};

/// Builds a watcher from a client's selectors; the error names the selector
/// that did not parse ("invalid label selector: ...").
std::optional<watcher> make_watcher(const actors::watch_cmd& cmd, std::string& error);

/// The watch event a touched object gives `w`, if any. An object that stops
/// matching is DELETED for that watcher, one that starts matching is ADDED.
std::optional<actors::watch_event> event_for(const watcher& w, const touched_object& t, std::uint64_t seq);

class watch_registry {
 public:
  void add(std::uint64_t id, watcher w) { watchers_.emplace(id, std::move(w)); }
  void remove(std::uint64_t id) { watchers_.erase(id); }
  std::size_t size() const { return watchers_.size(); }

  /// Delivers one fold's changes to every watcher that wants them.
  void notify(std::uint64_t seq, const std::vector<touched_object>& touched) const;

 private:
  std::map<std::uint64_t, watcher> watchers_;
};

/// The current objects `w` selects, as ADDED events at `s.seq`.
void send_current(const watcher& w, const model::cluster_state& s);

/// Sends `w` every change from `from` (exclusive) up to `to` (inclusive),
/// folding the journal privately. False with `error` when the journal cannot
/// be read that far.
bool catch_up(const journal::journal& j, const watcher& w, std::uint64_t from, std::uint64_t to, std::string& error);

}  // namespace berth::store
