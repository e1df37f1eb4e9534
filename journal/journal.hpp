#pragma once
// The durable, append-only event journal (docs/journal.md).
//
// A RocksDB directory with three column families:
//   events     key = 8-byte big-endian seq, value = framed record (record_format.hpp)
//   snapshots  key = 8-byte big-endian seq, value = framed snapshot (record_format.hpp)
//   meta       small facts (format version, ...)
//
// The journal knows nothing of the payloads: an event is (type, payload bytes)
// to it, a snapshot is (bytes, hash). actors/model gives them meaning.
//
// Appends go only through journal::writer (writer.hpp): one thread, group
// commit. Reading is allowed from any thread at any time.
//
// RocksDB headers stay inside journal.cpp: this header is cheap to include.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal/status.hpp"

namespace berth::journal {

/// One decoded event record.
struct record {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;  // stamped by the writer
  std::uint16_t type = 0;    // event type number (actors/model/events.hpp)
  std::uint16_t flags = 0;
  std::string payload;  // Cap'n Proto message bytes (copy before reading: alignment)
};

/// One stored snapshot of folded state.
struct snapshot {
  std::uint64_t seq = 0;  // last event folded into it
  std::string hash;       // the state hash the producer computed (opaque bytes)
  std::string state;      // serialized state (opaque bytes)
};

/// Receives corruption found while opening or reading (LevelDB's Reporter idea).
/// `seq` is the key of the bad record; `reason` says what check failed and with
/// which values ("checksum mismatch: stored 0x1234, computed 0x5678").
using corruption_reporter = std::function<void(std::uint64_t seq, const std::string& reason)>;

enum class open_mode {
  read_write,  // the one process that appends (berthd)
  read_only,   // a RocksDB secondary instance: offline tools, even while berthd writes
};

struct open_options {
  open_mode mode = open_mode::read_write;
  bool create_if_missing = true;  // read_write only
  // Check every record on open (checksum, length, seq == key, contiguity).
  // false: check only the last record (the torn-tail rule) — faster restarts.
  bool verify_all_on_open = true;
  // On corruption: false = open fails with error_code::corruption naming the
  // seq and reason; true = keep the valid prefix, delete the rest (read_write
  // only) and report what was dropped through `reporter`.
  bool salvage = false;
  corruption_reporter reporter;  // may be empty
  // For read_only: where the secondary instance keeps its own files
  // (empty: a fresh temporary directory, removed on close).
  std::string secondary_dir;
};

/// Sequential reader; obtained from journal::read_from. Not thread-safe.
class cursor {
 public:
  virtual ~cursor() = default;
  /// The next record, or nullopt at the end of the log or on error (see err()).
  /// Every record is checked (checksum, length, seq == key, contiguity).
  virtual std::optional<record> next() = 0;
  /// Set when next() stopped because of corruption or I/O.
  virtual const std::optional<error>& err() const = 0;
};

/// The journal. One owner (berthd's main, or a tool); thread-safe for reads.
class journal {
 public:
  virtual ~journal() = default;

  /// Opens or creates the journal in `dir`. A torn last record (shorter than
  /// its frame says) is treated as the clean end of the log, reported, and
  /// overwritten by the next append.
  static result<std::unique_ptr<journal>> open(const std::string& dir, const open_options& options);

  /// Sequence number of the last durable record; 0 when empty.
  virtual std::uint64_t last_seq() const = 0;

  /// Sequence number of the first record (1 unless old history was folded away); 0 when empty.
  virtual std::uint64_t first_seq() const = 0;

  /// A cursor positioned at `seq` (records seq, seq+1, ... up to last_seq at creation time
  /// or later ones if they arrive before the cursor reaches the end). seq 0 = the first
  /// record; a seq before first_seq() gives a cursor whose err() is not_found.
  /// The cursor borrows the journal: destroy it before the journal.
  virtual std::unique_ptr<cursor> read_from(std::uint64_t seq) const = 0;

  /// One record; error not_found when out of range.
  virtual result<record> read(std::uint64_t seq) const = 0;

  /// Stores a snapshot (synchronously durable). Snapshots are never required for correctness.
  virtual status put_snapshot(const snapshot& s) = 0;

  /// Sequence numbers of the stored snapshots, ascending.
  virtual std::vector<std::uint64_t> snapshot_seqs() const = 0;

  /// A snapshot by seq; corruption when its frame fails its checks.
  virtual result<snapshot> read_snapshot(std::uint64_t seq) const = 0;

  /// read_only mode: see records appended by the writing process since open.
  virtual status catch_up() = 0;

  /// The directory this journal lives in.
  virtual const std::string& dir() const = 0;

 protected:
  friend class writer;
  struct pending {
    std::uint16_t type;
    std::uint16_t flags;
    std::string_view payload;
  };
  /// Used only by journal::writer: writes records last_seq()+1 ... in one synced
  /// batch, stamping `time_ns`. On success last_seq() has advanced by records.size().
  virtual status append_batch(const std::vector<pending>& records, std::int64_t time_ns) = 0;
};

/// The identity RocksDB gave the journal in `dir` when it created it (the
/// UUID in its IDENTITY file; a copy of the directory keeps it). Read from the
/// file because RocksDB 7.8's DB::GetDbIdentity() answers "" on a secondary
/// instance, which is how offline tools open a journal. Reads only; errors:
/// not_found (no IDENTITY file, or an empty one), io (it cannot be read).
result<std::string> read_identity(const std::string& dir);

}  // namespace berth::journal
