#pragma once
// The RPC server's watch cache (actors/store/watch_cache.hpp) and how a
// watch joins it. Internal to actors/rpc; everything here runs on the KJ
// thread.
//
// Why the cache lives on the KJ thread and not in an actor of its own: every
// watch ends on this thread (a chunked HTTP response or a Cap'n Proto Watcher
// capability), so a cache anywhere else would still need a cross-thread hop
// per watcher per change to reach them. Here the store posts one task per
// fold (fold_feed -> kj_inbox), and the fan-out, the rendering (once per
// format per change) and the writes happen together with no locks. What
// would stall the loop stays off it: the journal catch-up of an old
// resourceVersion runs on the journal service's thread, and a watcher's
// backlog is bounded (watch_cache closes slow ones).
//
// A watch joins in three steps (join()):
//   1. from resourceVersion 0 (or none): the current objects, listed by the
//      store, as ADDED at the list's seq (events watches start from now);
//   2. from a seq older than the window: the journal read back on the
//      journal thread (store::catch_up) up to the cache's seq then, repeated
//      while the window has moved on (410 Gone when the journal no longer
//      holds the seq);
//   3. the window's batches after that seq, then live.
// Steps 1 and 2 wait until the client has taken what they sent.

#include <cstdint>
#include <memory>

#include <kj/async.h>

#include "actors/control_plane.hpp"
#include "actors/store/watch_cache.hpp"

namespace berth::rpc {

struct server_context;
class kj_inbox;

/// A front's side of one watch: a cache_sink that can say when the client
/// has taken everything handed to it.
class stream_sink : public store::cache_sink {
 public:
  /// Resolves once everything delivered so far is written.
  virtual kj::Promise<void> drained() = 0;
};

/// The watch settings berthd reads from its environment (tests shorten them):
/// BERTH_WATCH_BOOKMARK_INTERVAL_MS (default 60000), BERTH_WATCH_CACHE_CHANGES
/// (window, touched objects; default 50000), BERTH_WATCH_CACHE_BYTES (window,
/// estimated bytes; default 256 MiB), BERTH_WATCH_BACKLOG_BYTES (per watcher;
/// default 32 MiB).
struct watch_settings {
  store::cache_limits limits;
  std::uint64_t bookmark_interval_ms = 60'000;
  static watch_settings from_environment();
};

class watch_hub {
 public:
  watch_hub(server_context& ctx, watch_settings settings);

  /// Subscribes the cache to the store's folds (call once the inbox runs).
  void subscribe();

  /// Joins watch `id` (see the top of this file). The promise resolves when
  /// the watch is live in the cache, or closed; dropping it stops the join.
  kj::Promise<void> join(std::uint64_t id, store::watch_spec spec, std::uint64_t from,
                         std::shared_ptr<stream_sink> sink);
  /// The watch ended on the client's side.
  void leave(std::uint64_t id) { cache_.remove(id); }

  store::watch_cache& cache() { return cache_; }
  const watch_settings& settings() const { return settings_; }

 private:
  kj::Promise<void> join_at(std::uint64_t id, store::watch_spec spec, std::uint64_t from,
                            std::shared_ptr<stream_sink> sink);
  kj::Promise<void> list_then_join(std::uint64_t id, store::watcher w, std::shared_ptr<stream_sink> sink);

  server_context& ctx_;
  watch_settings settings_;
  store::watch_cache cache_;
  kj::ForkedPromise<void> started_;
  kj::Own<kj::PromiseFulfiller<void>> start_;
};

}  // namespace berth::rpc
