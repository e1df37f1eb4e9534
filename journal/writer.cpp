// The single journal writer: group commit (writer.hpp).
//
// Producers push onto `queue` under `mu`; the writer thread swaps the whole
// queue out (one lock round per batch, not per record), commits it as one
// synced WriteBatch through journal::append_batch, then acknowledges and
// delivers to tail subscribers. While one batch syncs, the next one gathers:
// the batch size adapts to the load by itself, with no timer.
//
// Frames are encoded on the writer thread (inside append_batch): the seq and
// the time stamp are inside the checksummed header, and neither is known until
// the writer assigns them, so a producer could not finish a frame anyway.
#include "journal/writer.hpp"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "journal/record_format.hpp"

namespace berth::journal {

namespace {

struct queued_append {
  std::uint16_t type = 0;
  std::uint16_t flags = 0;
  std::string payload;
  append_callback done;
  std::chrono::steady_clock::time_point queued_at;  // for the append-latency histogram
  bool ends_group = true;  // a WriteBatch may end after this entry (append_group's last, or a lone append)
};

struct subscriber {
  tail_callback cb;
  std::uint64_t from_seq = 0;  // first seq made durable after subscribe()
};

std::int64_t system_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Why an append is refused before it is queued; empty when it is acceptable.
std::string check_append(std::uint16_t type, std::uint16_t flags, std::size_t payload_size) {
  if ((flags & ~format::known_flags) != 0)
    return fmt::format("append: unknown flags {:#06x}", flags & ~format::known_flags);
  if (type == format::snapshot_type) return fmt::format("append: type {:#06x} is reserved for snapshots", type);
  if (payload_size > format::max_event_payload)
    return fmt::format("append: payload of {} bytes exceeds the {}-byte maximum", payload_size,
                       format::max_event_payload);
  return {};
}

/// The bucket of `value`: the first bound it does not exceed (Prometheus
/// `le`), or the last bucket when it exceeds them all.
template <std::size_t N>
std::size_t bucket_of(const std::array<double, N>& bounds, double value) {
  return static_cast<std::size_t>(std::lower_bound(bounds.begin(), bounds.end(), value) - bounds.begin());
}

}  // namespace

struct writer::impl {
  impl(journal& jj, writer_options o) : j(jj), options(std::move(o)) {
    if (!options.clock) options.clock = system_now_ns;
    if (options.max_batch_records == 0) options.max_batch_records = 1;
    if (!options.inline_commit) thread = std::thread([this] { run(); });
  }

  void run();
  /// Polls `queued` for a short while before the writer sleeps: in a closed
  /// loop the next append usually arrives within microseconds of the last ack,
  /// and catching it here saves a futex wake-up on both sides.
  bool spin_for_work();
  void commit(std::span<queued_append> chunk);
  /// error_code::full when the journal's file system has less than
  /// min_free_bytes + 2 × `bytes` free (writer_options::min_free_bytes).
  std::optional<error> out_of_space(std::uint64_t bytes) const;
  void fail_all(std::span<queued_append> chunk, const error& e);
  void deliver(std::span<queued_append> chunk, std::uint64_t first_seq, std::int64_t time_ns);
  /// Counts a durable batch (writer thread; one lock round per batch).
  void observe(std::span<const queued_append> chunk, std::uint64_t chunk_bytes,
               std::chrono::steady_clock::time_point acked);

  journal& j;
  writer_options options;

  std::mutex mu;
  std::condition_variable wake;
  std::vector<queued_append> queue;  // guarded by mu
  bool stopping = false;             // guarded by mu
  bool sleeping = false;             // guarded by mu: the writer waits on `wake`
  std::atomic<bool> queued{false};   // queue is non-empty (a hint for spin_for_work)
  static constexpr std::chrono::microseconds spin_before_sleep{50};

  std::mutex subs_mu;  // held while delivering: unsubscribe() returning means no more calls
  std::map<std::uint64_t, subscriber> subs;
  std::uint64_t next_sub_id = 1;

  // Writer thread only.
  std::vector<queued_append> batch;
  std::vector<journal::pending> pending;
  std::optional<error> failed;  // set by the first failed batch: the log is closed for writing

  // Its own lock, not `mu`: readers of /metrics must not delay producers, and
  // one snapshot must see every field of the same batch (count == records).
  mutable std::mutex stats_mu;
  writer::stats counters;  // guarded by stats_mu
  std::thread thread;
  std::mutex inline_mu;  // inline_commit: one committing caller at a time
  std::once_flag closed;
};

bool writer::impl::spin_for_work() {
  const auto until = std::chrono::steady_clock::now() + spin_before_sleep;
  do {
    if (queued.load(std::memory_order_acquire)) return true;
    std::this_thread::yield();
  } while (std::chrono::steady_clock::now() < until);
  return false;
}

void writer::impl::run() {
  std::unique_lock lock(mu);
  for (;;) {
    if (queue.empty() && !stopping) {
      lock.unlock();
      spin_for_work();
      lock.lock();
      sleeping = true;
      wake.wait(lock, [this] { return !queue.empty() || stopping; });
      sleeping = false;
    }
    if (queue.empty()) return;  // stopping, and everything queued was handled
    batch.swap(queue);          // producers keep the emptied vector's capacity
    queued.store(false, std::memory_order_relaxed);
    lock.unlock();
    // Split what was queued at the configured caps, never inside a group;
    // each piece is one WriteBatch.
    std::size_t begin = 0;
    while (begin < batch.size()) {
      std::size_t end = begin, cut = begin, chunk_bytes = 0;
      while (end < batch.size() && (end - begin < options.max_batch_records || cut == begin) &&
             (end == begin || cut == begin || chunk_bytes + batch[end].payload.size() <= options.max_batch_bytes)) {
        chunk_bytes += batch[end].payload.size();
        if (batch[end++].ends_group) cut = end;
      }
      if (cut == begin) cut = end;  // only reached at the queue's end: an unfinished group cannot be queued
      commit(std::span(batch).subspan(begin, cut - begin));
      begin = cut;
    }
    batch.clear();
    lock.lock();
  }
}

void writer::impl::commit(std::span<queued_append> chunk) {
  if (failed) return fail_all(chunk, *failed);
  pending.clear();
  std::uint64_t chunk_bytes = 0;
  for (const auto& a : chunk) {
    pending.push_back({a.type, a.flags, a.payload});
    chunk_bytes += a.payload.size();
  }
  if (auto full = out_of_space(chunk_bytes)) return fail_all(chunk, *full);
  const std::uint64_t first = j.last_seq() + 1;
  const std::int64_t time_ns = options.clock();
  if (auto s = j.append_batch(pending, time_ns); !s) {
    // Nothing after this batch may be written: its seqs would leave a gap or
    // reuse numbers a reader may already have seen fail.
    failed = error{error_code::closed, fmt::format("writer closed: batch seq {}..{} failed: {}", first,
                                                   first + chunk.size() - 1, s.err().message)};
    return fail_all(chunk, s.err());
  }
  observe(chunk, chunk_bytes, std::chrono::steady_clock::now());
  for (std::size_t i = 0; i < chunk.size(); ++i)
    if (chunk[i].done) chunk[i].done(append_ack{first + i, time_ns});
  deliver(chunk, first, time_ns);
}

std::optional<error> writer::impl::out_of_space(std::uint64_t bytes) const {
  if (options.min_free_bytes == 0) return std::nullopt;
  struct statvfs fs {};
  if (::statvfs(j.dir().c_str(), &fs) != 0) return std::nullopt;  // cannot tell: let RocksDB try
  const std::uint64_t free = static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
  const std::uint64_t need = options.min_free_bytes + 2 * bytes;
  if (free >= need) return std::nullopt;
  return error{error_code::full,
               fmt::format("journal full: {} bytes free on the file system of {}, and berthd keeps at least {} "
                           "free (--journal-min-free) for the write-ahead log, flushes and compactions; free some "
                           "space and retry",
                           free, j.dir(), need)};
}

void writer::impl::observe(std::span<const queued_append> chunk, std::uint64_t chunk_bytes,
                           std::chrono::steady_clock::time_point acked) {
  std::lock_guard guard(stats_mu);
  counters.batches += 1;
  counters.records += chunk.size();
  counters.bytes += chunk_bytes;
  counters.batch_records_buckets[bucket_of(k_batch_records_bounds, static_cast<double>(chunk.size()))] += 1;
  if (!options.latency_stats) return;
  for (const auto& a : chunk) {
    const double seconds = std::chrono::duration<double>(acked - a.queued_at).count();
    counters.append_buckets[bucket_of(k_append_seconds_bounds, seconds)] += 1;
    counters.append_seconds_sum += seconds;
  }
  counters.append_count += chunk.size();
}

void writer::impl::fail_all(std::span<queued_append> chunk, const error& e) {
  const result<append_ack> r(e);
  for (auto& a : chunk)
    if (a.done) a.done(r);
}

void writer::impl::deliver(std::span<queued_append> chunk, std::uint64_t first_seq, std::int64_t time_ns) {
  std::lock_guard guard(subs_mu);
  if (subs.empty()) return;
  record r;
  r.time_ns = time_ns;
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    r.seq = first_seq + i;
    r.type = chunk[i].type;
    r.flags = chunk[i].flags;
    r.payload = std::move(chunk[i].payload);  // acknowledged: the queue entry is done with it
    for (auto& [id, s] : subs)
      if (r.seq >= s.from_seq) s.cb(r);
  }
}

writer::writer(journal& j, writer_options options) : impl_(std::make_unique<impl>(j, std::move(options))) {}

writer::~writer() { close(); }

void writer::close() {
  std::call_once(impl_->closed, [this] {
    {
      std::lock_guard lock(impl_->mu);
      impl_->stopping = true;
    }
    impl_->wake.notify_one();
    if (impl_->thread.joinable()) impl_->thread.join();
  });
}

void writer::append(std::uint16_t type, std::string payload, append_callback done, std::uint16_t flags) {
  if (auto why = check_append(type, flags, payload.size()); !why.empty()) {
    if (done) done(error{error_code::invalid_argument, std::move(why)});
    return;
  }
  const auto queued_at =
      impl_->options.latency_stats ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  if (impl_->options.inline_commit) {
    std::lock_guard lock(impl_->inline_mu);
    if (std::lock_guard stop_lock(impl_->mu); impl_->stopping) {
      if (done) done(error{error_code::closed, "append: the writer is closed"});
      return;
    }
    queued_append one{type, flags, std::move(payload), std::move(done), queued_at};
    impl_->commit(std::span(&one, 1));
    return;
  }
  bool wake_writer = false;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->stopping) {
      impl_->queue.push_back({type, flags, std::move(payload), std::move(done), queued_at});
      impl_->queued.store(true, std::memory_order_release);
      wake_writer = impl_->sleeping;
      done = nullptr;
    }
  }
  if (done) {  // still ours: the writer is shutting down
    done(error{error_code::closed, "append: the writer is shutting down"});
    return;
  }
  if (wake_writer) impl_->wake.notify_one();
}

void writer::append_group(std::vector<group_append> appends) {
  if (appends.empty()) return;
  std::string refused;
  for (const auto& a : appends)
    if (auto why = check_append(a.type, a.flags, a.payload.size()); !why.empty() && refused.empty()) refused = why;
  if (!refused.empty()) {
    for (auto& a : appends)
      if (a.done) a.done(error{error_code::invalid_argument, refused});
    return;
  }
  const auto queued_at =
      impl_->options.latency_stats ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
  std::vector<queued_append> group;
  group.reserve(appends.size());
  for (auto& a : appends) group.push_back({a.type, a.flags, std::move(a.payload), std::move(a.done), queued_at, false});
  group.back().ends_group = true;
  if (impl_->options.inline_commit) {
    std::lock_guard lock(impl_->inline_mu);
    if (std::lock_guard stop_lock(impl_->mu); impl_->stopping) {
      for (auto& a : group)
        if (a.done) a.done(error{error_code::closed, "append: the writer is closed"});
      return;
    }
    impl_->commit(std::span(group));
    return;
  }
  bool wake_writer = false, queued = false;
  {
    std::lock_guard lock(impl_->mu);
    if (!impl_->stopping) {
      for (auto& a : group) impl_->queue.push_back(std::move(a));
      impl_->queued.store(true, std::memory_order_release);
      wake_writer = impl_->sleeping;
      queued = true;
    }
  }
  if (!queued) {
    for (auto& a : group)
      if (a.done) a.done(error{error_code::closed, "append: the writer is shutting down"});
    return;
  }
  if (wake_writer) impl_->wake.notify_one();
}

std::future<result<append_ack>> writer::append(std::uint16_t type, std::string payload) {
  auto promise = std::make_shared<std::promise<result<append_ack>>>();
  auto future = promise->get_future();
  append(type, std::move(payload), [promise](const result<append_ack>& r) { promise->set_value(r); });
  return future;
}

std::uint64_t writer::subscribe(tail_callback cb) {
  std::lock_guard guard(impl_->subs_mu);
  const std::uint64_t id = impl_->next_sub_id++;
  impl_->subs.emplace(id, subscriber{std::move(cb), impl_->j.last_seq() + 1});
  return id;
}

void writer::unsubscribe(std::uint64_t id) {
  std::lock_guard guard(impl_->subs_mu);
  impl_->subs.erase(id);
}

writer::stats writer::get_stats() const {
  std::lock_guard guard(impl_->stats_mu);
  return impl_->counters;
}

}  // namespace berth::journal
