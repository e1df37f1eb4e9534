#include "actors/rpc/watch_hub.hpp"

#include <cstdlib>
#include <string>

#include <fmt/format.h>

#include "actors/rpc/rpc_internal.hpp"
#include "actors/store/fold_diff.hpp"

namespace berth::rpc {
namespace {

std::uint64_t env_number(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  auto n = std::strtoull(v, &end, 10);
  if (end == v || *end != '\0' || n == 0) {
    fmt::print(stderr, "berthd: ignoring {}={:?}: expected a positive whole number\n", name, v);
    return fallback;
  }
  return n;
}

/// The store's side: posts each fold to the KJ thread, where the cache lives.
class cache_feed final : public actors::fold_feed {
 public:
  cache_feed(std::shared_ptr<kj_inbox> inbox, watch_hub& hub, kj::PromiseFulfiller<void>& started)
      : inbox_(std::move(inbox)), hub_(hub), started_(started) {}
  void on_start(std::uint64_t seq) override {
    inbox_->post([&hub = hub_, &started = started_, seq] {
      hub.cache().start(seq);
      started.fulfill();
    });
  }
  void on_fold(std::shared_ptr<const store::fold_batch> batch) override {
    inbox_->post([&hub = hub_, batch = std::move(batch)]() mutable { hub.cache().fold(std::move(batch)); });
  }

 private:
  // The inbox drops posted tasks once the KJ thread stops, so the references
  // below are only used while the server (and its hub) exists.
  std::shared_ptr<kj_inbox> inbox_;
  watch_hub& hub_;
  kj::PromiseFulfiller<void>& started_;
};

/// What a journal catch-up gives back to the KJ thread.
struct catch_up_result {
  std::vector<store::caught_up_item> items;
  std::optional<store::catch_up_error> error;
};

}  // namespace

watch_settings watch_settings::from_environment() {
  watch_settings s;
  s.bookmark_interval_ms = env_number("BERTH_WATCH_BOOKMARK_INTERVAL_MS", s.bookmark_interval_ms);
  s.limits.max_changes = env_number("BERTH_WATCH_CACHE_CHANGES", s.limits.max_changes);
  s.limits.max_bytes = env_number("BERTH_WATCH_CACHE_BYTES", s.limits.max_bytes);
  s.limits.watcher_backlog_bytes = env_number("BERTH_WATCH_BACKLOG_BYTES", s.limits.watcher_backlog_bytes);
  return s;
}

watch_hub::watch_hub(server_context& ctx, watch_settings settings)
    : ctx_(ctx), settings_(settings), cache_(settings.limits), started_(nullptr) {
  auto paf = kj::newPromiseAndFulfiller<void>();
  started_ = paf.promise.fork();
  start_ = kj::mv(paf.fulfiller);
}

void watch_hub::subscribe() { ctx_.cp.tell(actors::feed_cmd{std::make_shared<cache_feed>(ctx_.inbox, *this, *start_)}); }

kj::Promise<void> watch_hub::join(std::uint64_t id, store::watch_spec spec, std::uint64_t from,
                                  std::shared_ptr<stream_sink> sink) {
  return started_.addBranch().then([this, id, spec = std::move(spec), from, sink]() mutable -> kj::Promise<void> {
    const auto journal_seq = ctx_.cp.journal_seq();
    if (from > journal_seq) {
      sink->close(store::close_code::expired,
                  fmt::format("resourceVersion {} is newer than the journal ({})", from, journal_seq));
      return kj::READY_NOW;
    }
    if (from != 0) return join_at(id, std::move(spec), from, sink);
    if (std::holds_alternative<store::event_filter>(spec)) return join_at(id, std::move(spec), cache_.seq(), sink);
    return list_then_join(id, std::get<store::watcher>(spec), sink);
  });
}

kj::Promise<void> watch_hub::list_then_join(std::uint64_t id, store::watcher w, std::shared_ptr<stream_sink> sink) {
  // The store lists the selected objects with its own selector parsing; the
  // watcher's parsed selectors pick the same ones (both use reconcile's).
  auto [promise, done] = reply_to<actors::list_result>();
  ctx_.cp.ask(actors::list_query{w.k, w.namespace_, "", ""}, done);
  return promise.then([this, id, w = std::move(w), sink](actors::list_result r) mutable -> kj::Promise<void> {
    if (!r.error.empty()) {
      sink->close(store::close_code::failed, "listing the current objects failed: " + r.error);
      return kj::READY_NOW;
    }
    for (const auto& o : r.items) {
      store::touched_object t{w.k, {actors::meta_of(o).namespace_, actors::meta_of(o).name}, std::nullopt, o};
      if (!store::event_for(w, t, r.resource_version)) continue;
      store::delivery d;
      d.seq = r.resource_version;
      d.object = &o;
      sink->deliver(d);
    }
    auto seq = r.resource_version;
    return sink->drained().then([this, id, w = std::move(w), seq, sink]() mutable {
      return join_at(id, std::move(w), seq, sink);
    });
  });
}

kj::Promise<void> watch_hub::join_at(std::uint64_t id, store::watch_spec spec, std::uint64_t from,
                                     std::shared_ptr<stream_sink> sink) {
  if (cache_.covers(from)) {
    cache_.add(id, std::move(spec), from, sink);
    return kj::READY_NOW;
  }
  if (ctx_.journal_reads == nullptr) {
    sink->close(store::close_code::expired,
                fmt::format("too old resource version: {} ({}); this berthd serves no journal catch-up", from,
                            cache_.window_start()));
    return kj::READY_NOW;
  }
  // Up to what the cache has folded now; by the time it is read back the
  // window may have moved on again, and then the next round starts there.
  const auto to = cache_.seq();
  auto [promise, done] = reply_to<catch_up_result>();
  ctx_.journal_reads->post([done = std::move(done), spec, from, to](debug::local_source& s) {
    catch_up_result r;
    r.error = store::catch_up(s.journal(), spec, from, to, r.items);
    done(std::move(r));
  });
  return promise.then([this, id, spec = std::move(spec), to, sink](catch_up_result r) mutable -> kj::Promise<void> {
    if (r.error) {
      sink->close(r.error->expired ? store::close_code::expired : store::close_code::failed, r.error->message);
      return kj::READY_NOW;
    }
    for (const auto& item : r.items) {
      store::delivery d;
      d.seq = item.seq;
      d.type = item.type;
      d.object = item.object ? &*item.object : nullptr;
      d.event = item.event ? &*item.event : nullptr;
      sink->deliver(d);
    }
    return sink->drained().then([this, id, spec = std::move(spec), to, sink]() mutable {
      return join_at(id, std::move(spec), to, sink);
    });
  });
}

}  // namespace berth::rpc
