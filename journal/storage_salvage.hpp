#pragma once
// Internal to journal/: salvage below the record layer. `--salvage` already
// keeps the valid prefix when a *record* is damaged (journal.cpp). When
// RocksDB itself cannot open or read the journal — a flipped byte in a table
// file ("block checksum mismatch ... 000015.sst offset 2117"), a damaged
// MANIFEST, write-ahead log or snapshot — the records cannot be deleted in
// place either: every read and every compaction of that file fails again.
//
// So the journal is rebuilt from what can still be read:
//   1. DIR is renamed to DIR.damaged-<UTC time> and never written again (the
//      operator, or RocksDB's own tools, may still get more out of it);
//   2. a scratch copy of it is opened (after RocksDB's RepairDB when even that
//      fails: it rebuilds a MANIFEST from the table files and logs);
//   3. the longest contiguous prefix of records that reads back whole (RocksDB
//      checksums, then berth's frame checks) is written to a fresh DIR, with
//      the meta entries and the snapshots that read back whole and fold no
//      record past that prefix;
//   4. the reporter is told the first lost seq, how many records were
//      dropped, and where the damaged files are.
// When nothing can be read at all, DIR is put back as it was and the error
// says why: salvage never leaves less than it found.

#include <string>

#include "journal/journal.hpp"

namespace berth::journal::detail {

/// Rebuilds the journal at `dir` from its readable prefix, as above. `why` is
/// the RocksDB error that made it necessary (it goes into the report).
status rebuild_readable_prefix(const std::string& dir, const std::string& why, const corruption_reporter& report);

class rocksdb_journal;

/// Whether every snapshot of `j` reads back whole (RocksDB's block checksums
/// and the snapshot frame). Checked only under --salvage: a damaged snapshot
/// is storage damage like any other.
status check_snapshots_readable(const rocksdb_journal& j);

}  // namespace berth::journal::detail
