#pragma once
// What `berth journal|history|why` read: one journal, either a directory
// opened read-only here (offline) or berthd's journal through the API
// (online, cli/remote_source.cpp). Every command is written once against this
// interface, so the offline and online answers are the same by construction.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

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

/// A journal read in this process: a directory opened read-only (offline
/// tools), or a journal berthd owns (the API serves from one of these).
/// Builds its object index on first use and catches it up on later uses.
class local_source final : public source {
 public:
  /// Opens `dir` as a RocksDB secondary (read-only: never writes to `dir`,
  /// works while berthd runs). Checks only the tail on open — verify checks
  /// every record itself — and never fails on corruption: a bad tail is
  /// skipped and noted in open_notes().
  static journal::result<std::unique_ptr<local_source>> open(const std::string& dir);

  /// Borrows `j` (it must outlive this source).
  explicit local_source(const journal::journal& j);

  const journal::journal& journal() const override { return *j_; }
  journal::result<std::vector<journal::stored_value>> read_stored(std::uint64_t from,
                                                                   std::size_t limit) const override;
  journal::result<std::vector<std::uint64_t>> object_seqs(const object_id& id) const override;
  const std::vector<std::string>& open_notes() const override { return notes_; }

  /// Sees records appended since (secondaries only), then indexes them.
  journal::status refresh();

 private:
  local_source() = default;
  std::unique_ptr<journal::journal> owned_;
  const journal::journal* j_ = nullptr;
  mutable object_index index_;
  std::vector<std::string> notes_;
};

}  // namespace berth::debug
