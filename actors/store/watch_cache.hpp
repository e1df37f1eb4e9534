#pragma once
// The watch cache: every watch is served from here, not from the store actor.
//
// The store hands each fold's batch (fold_diff.hpp) to the cache once,
// whatever the number of watchers. The cache keeps a bounded window of recent
// batches (by touched objects and by their estimated bytes) and serves
//   - live fan-out: each batch to every watcher whose selectors pick
//     something from it (watch_filter.hpp), in journal order;
//   - catch-up: a watch from a resourceVersion inside the window is replayed
//     from the window; an older one is for the owner to catch up from the
//     journal (store::catch_up, off the store actor) before it joins.
// Rendering is the owner's: each delivery carries a render_memo shared by
// every watcher handed the same thing, so an object's JSON (or Table row) is
// rendered once per format, not once per watcher.
//
// A slow watcher cannot hold the others up or grow without bound: its sink
// reports the bytes it has not written yet, and past the limit the cache
// drops it and closes it (too_slow), as the apiserver does; the client lists
// and watches again.
//
// Single-threaded and CAF/KJ-free: berthd's RPC server owns one on its KJ
// thread (actors/rpc/watch_hub.cpp says why there), tests drive it directly.

#include <array>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/store/fold_diff.hpp"
#include "actors/store/watch_filter.hpp"

namespace berth::store {

/// The renderings of one delivered thing, one slot per format, filled by the
/// first watcher that needs it and shared by the rest (the owner decides what
/// each slot holds).
struct render_memo {
  static constexpr std::size_t k_formats = 4;
  std::array<std::shared_ptr<const std::string>, k_formats> by_format;
};

/// One thing handed to a watcher.
struct delivery {
  std::uint64_t seq = 0;
  actors::watch_event_type type = actors::watch_event_type::added;
  const actors::any_object* object = nullptr;  // object watches
  const event_row* event = nullptr;            // events watches
  render_memo* memo = nullptr;                 // null: nothing shared, render for this watcher alone
};

/// Why the cache (or its owner) ended a watch.
enum class close_code : std::uint8_t {
  too_slow,     // its backlog passed the limit: the client lists again (no ERROR event, as the apiserver)
  expired,      // its resourceVersion is too old (410 Gone)
  bad_request,  // a selector or resourceVersion the server refused (400)
  failed,       // the server could not serve it (500)
};

/// The receiving end of a watch, implemented by the front that serves it.
class cache_sink {
 public:
  virtual ~cache_sink() = default;
  virtual void deliver(const delivery& d) = 0;
  /// Bytes handed to deliver() that the client has not taken yet.
  virtual std::size_t backlog_bytes() const = 0;
  /// The watch ended; nothing more is delivered.
  virtual void close(close_code code, const std::string& why) = 0;
};

struct cache_limits {
  std::size_t max_changes = 50'000;                  // touched objects kept in the window
  std::size_t max_bytes = 256u << 20;                // their estimated size
  std::size_t watcher_backlog_bytes = 32u << 20;     // a watcher past this is closed as too slow
};

/// A rough size of an object in memory, for the window's byte bound.
std::size_t estimated_bytes(const actors::any_object& o);

class watch_cache {
 public:
  explicit watch_cache(cache_limits limits = {}) : limits_(limits) {}

  /// The feed starts: the state is folded up to `seq`; batches after it follow.
  void start(std::uint64_t seq);
  bool started() const { return started_; }

  /// One fold's batch (after start, in seq order): kept in the window and
  /// handed to every watcher that selects something from it.
  void fold(std::shared_ptr<const fold_batch> batch);

  /// The last seq folded.
  std::uint64_t seq() const { return seq_; }
  /// The window holds every batch after this seq: a watch from a
  /// resourceVersion at or after it is served from the window.
  std::uint64_t window_start() const { return window_start_; }
  bool covers(std::uint64_t from) const { return started_ && from >= window_start_; }

  /// Adds watcher `id`, which has seen everything up to `from` (covers(from)
  /// must hold, or the watch is closed as expired): the window's batches
  /// after `from` are replayed to it now, later ones as they are folded.
  void add(std::uint64_t id, watch_spec spec, std::uint64_t from, std::shared_ptr<cache_sink> sink);
  /// Forgets `id` without closing its sink (its client went away).
  void remove(std::uint64_t id) { watchers_.erase(id); }

  /// The resourceVersion a BOOKMARK for `id` carries: it has been handed
  /// every change it selects up to there. nullopt: no such watcher.
  std::optional<std::uint64_t> bookmark(std::uint64_t id) const;

  std::size_t watchers() const { return watchers_.size(); }
  std::size_t changes() const { return changes_; }
  std::size_t bytes() const { return bytes_; }

 private:
  struct entry {
    std::shared_ptr<const fold_batch> batch;
    std::size_t bytes = 0;
    std::vector<std::array<render_memo, 3>> object_memos;  // per touched object, per watch event type
    // Events watches only, made on first use.
    bool rows_made = false;
    std::vector<std::optional<event_row>> rows;
    std::vector<render_memo> row_memos;
  };
  struct watcher_state {
    watch_spec spec;
    std::uint64_t from = 0;
    std::shared_ptr<cache_sink> sink;
  };

  /// Hands `w` what it selects from `e`; false once its backlog passed the limit.
  bool hand(entry& e, const watcher_state& w);
  void make_rows(entry& e);
  void evict();
  void close_slow(std::uint64_t id);

  cache_limits limits_;
  bool started_ = false;
  std::uint64_t seq_ = 0;
  std::uint64_t window_start_ = 0;
  std::deque<entry> window_;
  std::size_t changes_ = 0;
  std::size_t bytes_ = 0;
  std::map<std::uint64_t, watcher_state> watchers_;
};

}  // namespace berth::store
