#pragma once
// The single journal writer: group commit (docs/journal.md, "Writing").
//
// Any number of producers call append() from any thread. One writer thread
// takes everything queued, assigns contiguous sequence numbers, writes it as one
// RocksDB WriteBatch with sync=true, and only then acknowledges each append.
// Nothing is acknowledged before it is durable; an append that fails (I/O) is
// acknowledged with the error and no later append is written (the journal is
// then closed for writing: a gap would break the log).
//
// Tail subscribers see every durable record, in order, from the writer thread.
// It is a thread-safe class, not an actor: berthd's actors call append()
// directly from their CAF threads (actors/core/emitter.cpp; berthd_main.cpp
// owns the one instance), and with no CAF in it tests and tools use it the
// same way.

#include <array>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "journal/journal.hpp"

namespace berth::journal {

/// What an acknowledged append learned.
struct append_ack {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
};

using append_callback = std::function<void(const result<append_ack>&)>;

/// Called on the writer thread after each durable batch, once per record, in order.
/// Must be quick (hand the record off); it must not call append() synchronously and wait,
/// nor subscribe()/unsubscribe() (the subscriber list is locked while delivering).
using tail_callback = std::function<void(const record&)>;

struct writer_options {
  std::size_t max_batch_records = 4096;     // cap on one WriteBatch
  std::size_t max_batch_bytes = 16u << 20;  // ditto, in payload bytes
  /// Clock used to stamp records (nanoseconds since the epoch); tests may fix it.
  std::function<std::int64_t()> clock;  // empty: system_clock
  /// Time each append to its acknowledgement (stats::append_*; one clock read
  /// per append). Off only to measure what that costs (tools/bench/journal).
  bool latency_stats = true;
  /// Commit each append on the caller's thread before append() returns, with
  /// no writer thread and no group commit: acknowledgements and tail records
  /// arrive on the appending thread, in order. For deterministic tests (CAF's
  /// test coordinator runs every actor on one thread) and single-threaded
  /// tools; berthd never sets it.
  bool inline_commit = false;
  /// Refuse writes (error_code::full, "journal full: ...") while the journal's
  /// file system has less than this many bytes free plus twice the batch:
  /// room for the write-ahead log, flushes and compactions. A refused batch
  /// is refused whole and nothing latches: writes go through again once space
  /// is freed. Why a margin rather than RocksDB's own ENOSPC: Debian's RocksDB
  /// 7.8 aborts the process (an assertion in WritableFileWriter) on the first
  /// write after a failed WAL append. 0: no check (tests and tools).
  std::uint64_t min_free_bytes = 0;
};

/// One entry of writer::append_group.
struct group_append {
  std::uint16_t type = 0;
  std::string payload;
  append_callback done;
  std::uint16_t flags = 0;
};

/// Upper bounds (seconds) of the append-latency histogram: append() to the
/// durable acknowledgement. A synced WriteBatch takes from tens of
/// microseconds (tmpfs) to tens of milliseconds (spinning disk); one more
/// bucket counts the rest.
inline constexpr std::array<double, 15> k_append_seconds_bounds{
    0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

/// Upper bounds of the records-per-WriteBatch histogram (group commit sizes,
/// up to the default max_batch_records); one more bucket counts the rest.
inline constexpr std::array<double, 13> k_batch_records_bounds{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096};

class writer {
 public:
  /// Starts the writer thread. `j` must outlive the writer and be read_write.
  explicit writer(journal& j, writer_options options = {});
  /// close().
  ~writer();
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  /// Queues an append; `done` runs on the writer thread once the record is
  /// durable (or failed). Never blocks on I/O. An append refused up front
  /// (invalid_argument: unknown flags, the reserved snapshot type, a payload over
  /// format::max_event_payload; closed: the writer is being destroyed) runs
  /// `done` at once on the caller's thread.
  void append(std::uint16_t type, std::string payload, append_callback done, std::uint16_t flags = 0);

  /// Refuses every later append (closed), writes and acknowledges what is
  /// queued, and stops the writer thread. Idempotent and thread-safe; for a
  /// process that must end now (berthd's shutdown deadline) without waiting
  /// for the actors that still append.
  void close();

  /// Queues `appends` as one group: consecutive seqs in one WriteBatch, so
  /// that all of them become durable or none does (a command's events: a
  /// full disk or an I/O failure never leaves half of one). Each `done` runs
  /// as append()'s would; when one entry is refused up front, every entry is.
  void append_group(std::vector<group_append> appends);

  /// Convenience for tests and tools: a future of the acknowledgement.
  std::future<result<append_ack>> append(std::uint16_t type, std::string payload);

  /// Registers a tail subscriber; it sees records made durable after this call.
  /// Returns an id for unsubscribe().
  std::uint64_t subscribe(tail_callback cb);
  void unsubscribe(std::uint64_t id);

  /// Statistics for benchmarks and /metrics, counting durable batches and
  /// records only (a failed batch is in none of them). Bucket arrays hold
  /// counts per bucket, not cumulative; the last one is above every bound.
  struct stats {
    std::uint64_t batches = 0;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;  // payload bytes
    /// append() to durable acknowledgement, one observation per record
    /// (k_append_seconds_bounds); append_count always equals records.
    std::array<std::uint64_t, k_append_seconds_bounds.size() + 1> append_buckets{};
    double append_seconds_sum = 0;
    std::uint64_t append_count = 0;
    /// Records per WriteBatch, one observation per batch
    /// (k_batch_records_bounds); its sum is records and its count batches.
    std::array<std::uint64_t, k_batch_records_bounds.size() + 1> batch_records_buckets{};
  };
  /// A consistent snapshot (taken under the lock the writer updates it with,
  /// once per batch). Thread-safe.
  stats get_stats() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::journal
