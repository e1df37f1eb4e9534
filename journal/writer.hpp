#pragma once
// The single journal writer: group commit (DESIGN.md "One writer").
//
// Any number of producers call append() from any thread. One writer thread
// takes everything queued, assigns contiguous sequence numbers, writes it as one
// RocksDB WriteBatch with sync=true, and only then acknowledges each append.
// Nothing is acknowledged before it is durable; an append that fails (I/O) is
// acknowledged with the error and no later append is written (the journal is
// then closed for writing: a gap would break the log).
//
// Tail subscribers see every durable record, in order, from the writer thread.
// berthd's journal-writer actor wraps this class; it has no CAF in it so that
// tests and tools can use it directly.

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <string>

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
  std::size_t max_batch_records = 4096;      // cap on one WriteBatch
  std::size_t max_batch_bytes = 16u << 20;   // ditto, in payload bytes
  /// Clock used to stamp records (nanoseconds since the epoch); tests may fix it.
  std::function<std::int64_t()> clock;       // empty: system_clock
};

class writer {
 public:
  /// Starts the writer thread. `j` must outlive the writer and be read_write.
  explicit writer(journal& j, writer_options options = {});
  /// Drains what is queued (acknowledging it), then stops the thread.
  ~writer();
  writer(const writer&) = delete;
  writer& operator=(const writer&) = delete;

  /// Queues an append; `done` runs on the writer thread once the record is
  /// durable (or failed). Never blocks on I/O. An append refused up front
  /// (invalid_argument: unknown flags, the reserved snapshot type, a payload over
  /// format::max_event_payload; closed: the writer is being destroyed) runs
  /// `done` at once on the caller's thread.
  void append(std::uint16_t type, std::string payload, append_callback done, std::uint16_t flags = 0);

  /// Convenience for tests and tools: a future of the acknowledgement.
  std::future<result<append_ack>> append(std::uint16_t type, std::string payload);

  /// Registers a tail subscriber; it sees records made durable after this call.
  /// Returns an id for unsubscribe().
  std::uint64_t subscribe(tail_callback cb);
  void unsubscribe(std::uint64_t id);

  /// Statistics for benchmarks and /metrics.
  struct stats {
    std::uint64_t batches = 0;
    std::uint64_t records = 0;
    std::uint64_t bytes = 0;
  };
  stats get_stats() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::journal
