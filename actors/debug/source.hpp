#pragma once
// What `berth journal|history|why` read: one journal, either a directory
// opened read-only here (offline) or berthd's journal through the API
// (online, cli/remote_source.cpp). Every command is written once against this
// interface, so the offline and online answers are the same by construction.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actors/debug/index_cache.hpp"
#include "actors/debug/object_index.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"
#include "journal/stored_values.hpp"

namespace berth::debug {

/// A read-only view of one journal. Not thread-safe: one command at a time.
class source {
 public:
  virtual ~source() = default;

  /// The journal; every record read through it is checked (checksum, seq).
  virtual const journal::journal& journal() const = 0;

  /// Stored event values from key `from` on, unchecked (verify).
  virtual journal::result<std::vector<journal::stored_value>> read_stored(std::uint64_t from,
                                                                          std::size_t limit) const = 0;

  /// Seqs of the events whose header names `id` (an empty id.name: every
  /// object of id.kind), ascending, from the object index.
  virtual journal::result<std::vector<std::uint64_t>> object_seqs(const object_id& id) const = 0;

  /// Problems met while opening (a corrupted tail skipped, ...), for people.
  virtual const std::vector<std::string>& open_notes() const = 0;
};

/// What became of the persisted object index in one local_source (offline
/// tools; tests and benchmarks read it). Never an error for the user: the
/// index is rebuilt from the journal whenever the file cannot be used.
struct index_cache_report {
  std::string path;             // the cache file ("": no cache)
  std::uint64_t loaded_to = 0;  // indexed_to of the file used (0: none used)
  std::string ignored;          // why an existing file was not used ("": used, or none)
  std::uint64_t saved_to = 0;   // indexed_to of the index this source saved (0: none saved)
  std::string save_error;       // why saving failed ("": it did not)
};

/// A journal read in this process: a directory opened read-only (offline
/// tools), or a journal berthd owns (the API serves from one of these).
/// Builds its object index on first use and catches it up on later uses;
/// offline, it first loads the index saved by an earlier run (index_cache.hpp)
/// and saves it again when it grew.
class local_source final : public source {
 public:
  /// Opens `dir` as a RocksDB secondary (read-only: never writes to `dir`,
  /// works while berthd runs). Checks only the tail on open — verify checks
  /// every record itself — and never fails on corruption: a bad tail is
  /// skipped and noted in open_notes(). `index_cache_dir`: where the object
  /// index is kept between runs ("": not kept; a directory that is or lies
  /// inside `dir` is not used either).
  static journal::result<std::unique_ptr<local_source>> open(const std::string& dir,
                                                             const std::string& index_cache_dir = "");

  /// Borrows `j` (it must outlive this source).
  explicit local_source(const journal::journal& j);

  const journal::journal& journal() const override { return *j_; }
  journal::result<std::vector<journal::stored_value>> read_stored(std::uint64_t from, std::size_t limit) const override;
  journal::result<std::vector<std::uint64_t>> object_seqs(const object_id& id) const override;
  const std::vector<std::string>& open_notes() const override { return notes_; }

  /// Sees records appended since (secondaries only), then indexes them.
  journal::status refresh();

  /// The persisted index so far (empty path: this source keeps none).
  const index_cache_report& index_cache_state() const { return cache_report_; }

 private:
  local_source() = default;
  /// Loads the saved index on first use, catches up, saves when it grew.
  journal::status warm_index() const;

  std::unique_ptr<journal::journal> owned_;
  const journal::journal* j_ = nullptr;
  mutable object_index index_;
  std::vector<std::string> notes_;
  std::optional<index_cache> cache_;
  mutable bool cache_read_ = false;
  mutable index_cache_report cache_report_;
};

}  // namespace berth::debug
