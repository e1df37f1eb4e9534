#pragma once
// Internal to journal/: the RocksDB implementation of berth::journal::journal.
// Includes RocksDB headers, so only journal/*.cpp include it; users of the
// journal see journal.hpp alone.
//
// Split: journal.cpp opens a directory and enforces the corruption policy
// (torn tail, fail or salvage); rocksdb_journal.cpp holds the per-call
// operations (append_batch, reads, cursor, snapshots, catch_up).

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "journal/journal.hpp"
#include "journal/record.hpp"

namespace berth::journal::detail {

/// The column families of a journal, default first: default, events, snapshots, meta.
std::vector<rocksdb::ColumnFamilyDescriptor> column_families();

/// A RocksDB status as a journal error: "<what>: <rocksdb message>".
error from_rocksdb(const rocksdb::Status& s, std::string_view what);

/// The first record that failed a scan, and the valid prefix before it.
struct scan_problem {
  std::uint64_t seq = 0;  // key of the bad record
  std::string reason;     // without the seq
  damage kind = damage::corrupt;
  bool at_last_key = false;  // nothing stored after it: a torn one is the clean end
};

/// What a scan of the events column family found.
struct scan_outcome {
  std::uint64_t first_key = 0;  // first key seen (0: none)
  std::uint64_t last_good = 0;  // last seq of the valid contiguous prefix (from - 1 if none)
  std::optional<scan_problem> problem;
  std::optional<error> failure;  // RocksDB could not be read (I/O): nothing is known
};

/// The journal over one RocksDB instance (primary or secondary). Owns the DB
/// and its column family handles; cursors borrow it and must not outlive it.
class rocksdb_journal final : public journal {
 public:
  rocksdb_journal(std::string dir, open_options options);
  ~rocksdb_journal() override;

  std::uint64_t last_seq() const override { return last_seq_.load(std::memory_order_acquire); }
  std::uint64_t first_seq() const override { return first_seq_.load(std::memory_order_acquire); }
  std::unique_ptr<cursor> read_from(std::uint64_t seq) const override;
  result<record> read(std::uint64_t seq) const override;
  status put_snapshot(const snapshot& s) override;
  std::vector<std::uint64_t> snapshot_seqs() const override;
  result<snapshot> read_snapshot(std::uint64_t seq) const override;
  status catch_up() override;
  const std::string& dir() const override { return dir_; }

  // --- used by journal.cpp while opening, and by the cursor ---------------

  /// Opens the RocksDB instance (primary or secondary) with all column families.
  status open_db();
  /// Writes the format version into a fresh journal, or refuses an unknown one.
  status check_format_version();
  /// Checks every record from `from` on (contiguity, frame checks).
  scan_outcome scan_all(std::uint64_t from) const;
  /// Checks only the last record (and the one before it when the last is torn).
  scan_outcome scan_tail() const;
  /// Applies the policy to a scan's outcome (torn tail, fail, salvage) and sets
  /// first/last seq. `first_key` is the first stored key (0: none).
  status settle(const scan_outcome& outcome, std::uint64_t first_key);

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* events_cf() const { return events_; }
  rocksdb::ColumnFamilyHandle* snapshots_cf() const { return snapshots_; }
  bool read_only() const { return options_.mode == open_mode::read_only; }
  const open_options& options() const { return options_; }

 protected:
  status append_batch(const std::vector<pending>& records, std::int64_t time_ns) override;

 private:
  void report(std::uint64_t seq, const std::string& reason) const;
  /// Number of keys in the events CF at or after `from`, and the last one.
  std::pair<std::uint64_t, std::uint64_t> count_from(std::uint64_t from) const;
  status salvage(const scan_problem& p, std::uint64_t last_good);
  status drop_snapshots_after(std::uint64_t last_good);

  std::string dir_;
  open_options options_;
  std::string secondary_dir_;  // read_only: where the secondary keeps its files
  bool remove_secondary_dir_ = false;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // owned; destroyed before db_
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
  rocksdb::ColumnFamilyHandle* snapshots_ = nullptr;
  rocksdb::ColumnFamilyHandle* meta_ = nullptr;
  std::atomic<std::uint64_t> first_seq_{0};
  std::atomic<std::uint64_t> last_seq_{0};
  std::mutex catch_up_mutex_;  // one catch_up at a time
  // Writer-thread scratch, reused across batches to avoid per-append allocation.
  rocksdb::WriteBatch batch_;
  std::string frame_;
};

}  // namespace berth::journal::detail
