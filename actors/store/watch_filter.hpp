#pragma once
// What one watch selects from the folded changes, and the changes a watch
// from an old resourceVersion missed, read back from the journal. CAF-free,
// KJ-free: the watch cache (watch_cache.hpp) applies these to every fold's
// batch, and its owner runs catch_up() on a journal-reading thread.
//
// Two sorts of watch:
// - of objects of one kind (`watcher`): an object that starts matching the
//   selectors is ADDED for that watcher, one that keeps matching MODIFIED,
//   one that stops matching (or is deleted) DELETED;
// - of journal events (`event_filter`): every journal event the Events list
//   shows (store::listed_in_events), once per object it touched, ADDED.
// Nothing here names a kind: a new kind flows through as any_object.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/selector.hpp"
#include "actors/store/fold_diff.hpp"
#include "journal/journal.hpp"

namespace berth::store {

/// A watch of objects of one kind.
struct watcher {
  actors::kind k = actors::kind::pod;
  std::string namespace_;  // empty: every namespace
  reconcile::label_selector labels;
  std::optional<reconcile::field_selector> fields;
};

/// Builds a watcher from a client's selectors; the error names the selector
/// that did not parse ("invalid label selector: ...").
std::optional<watcher> make_watcher(actors::kind k, const std::string& namespace_, const std::string& label_selector,
                                    const std::string& field_selector, std::string& error);

/// The watch event a touched object gives `w`, if any. An object that stops
/// matching is DELETED for that watcher, one that starts matching is ADDED.
std::optional<actors::watch_event> event_for(const watcher& w, const touched_object& t, std::uint64_t seq);

/// A watch of journal events: the involvedObject.* terms of its field
/// selector (empty: any). kind is the Kubernetes kind ("Pod").
struct event_filter {
  std::string kind, namespace_, name, uid;
};

/// One journal event about one object: what an Event is made of.
struct event_row {
  actors::event_summary summary;
  actors::kind k = actors::kind::pod;
  model::object_meta meta;  // the object after the event (before it, when the event deleted it)
};

/// Whether an events watch with filter `f` shows `row`. Without a kind term,
/// endpoints' events are left out, as the Events list leaves them out.
bool matches(const event_filter& f, const event_row& row);

/// What one watch selects.
using watch_spec = std::variant<watcher, event_filter>;

/// One thing a watch is sent: an object change or a journal event.
/// `change` indexes the batch's touched objects.
struct selected {
  actors::watch_event_type type = actors::watch_event_type::added;
  std::size_t change = 0;
  bool is_event = false;  // an event row of touched object `change`, not the object itself
};

/// Calls `each` for what `spec` selects from `batch`, in order. `rows` gives
/// the event row of touched object i (only called for events watches, and
/// only when the batch's journal event is listed in Events).
void select(const watch_spec& spec, const fold_batch& batch,
            const std::function<const event_row*(std::size_t)>& rows,
            const std::function<void(const selected&)>& each);

/// The event row of touched object `t` for journal event `e` (nullopt when
/// neither before nor after exists). Summarizes `e` (event_text.hpp).
std::optional<event_row> row_of(const model::event& e, const touched_object& t);

/// What catch_up found: each selected change as a value, in order.
struct caught_up_item {
  std::uint64_t seq = 0;
  actors::watch_event_type type = actors::watch_event_type::added;
  std::optional<actors::any_object> object;  // object watches
  std::optional<event_row> event;            // events watches
};

/// Why a catch-up could not be done.
struct catch_up_error {
  bool expired = false;  // the journal no longer holds `from` (compacted): the client must list again (410)
  std::string message;
};

/// Everything `spec` selects from the records after `from` up to `to`
/// (inclusive), folding the journal privately from its newest snapshot at or
/// before `from`. Reads only (RocksDB reads are thread-safe): run it off the
/// store actor. A `from` older than the journal's first record is expired.
std::optional<catch_up_error> catch_up(const journal::journal& j, const watch_spec& spec, std::uint64_t from,
                                       std::uint64_t to, std::vector<caught_up_item>& out);

}  // namespace berth::store
