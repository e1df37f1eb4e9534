#include "journal/storage_salvage.hpp"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>
#include <vector>

#include "journal/record.hpp"
#include "journal/rocksdb_journal.hpp"

namespace berth::journal::detail {
namespace {

namespace fs = std::filesystem;

/// An open RocksDB instance and its column family handles, closed in order.
struct opened_db {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // default, events, snapshots, meta
  ~opened_db() {
    if (!db) return;
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    db->Close().PermitUncheckedError();
  }
  rocksdb::ColumnFamilyHandle* events() const { return handles.at(1); }
  rocksdb::ColumnFamilyHandle* snapshots() const { return handles.at(2); }
  rocksdb::ColumnFamilyHandle* meta() const { return handles.at(3); }
};

rocksdb::Status open_rw(const std::string& dir, bool create, opened_db& out) {
  rocksdb::DBOptions o;
  o.create_if_missing = create;
  o.create_missing_column_families = true;
  o.keep_log_file_num = 10;
  // What a damaged log still holds up to its first bad record.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  rocksdb::DB* raw = nullptr;
  auto s = rocksdb::DB::Open(o, dir, column_families(), &out.handles, &raw);
  out.db.reset(raw);
  return s;
}

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

/// DIR.damaged-<stamp>, with -2, -3 ... when taken.
std::string aside_path(const std::string& dir) {
  const std::string base = dir + ".damaged-" + utc_stamp();
  std::error_code ec;
  std::string path = base;
  for (int n = 2; fs::exists(path, ec); ++n) path = fmt::format("{}-{}", base, n);
  return path;
}

/// The last key RocksDB still knows in the events column family: read from
/// the end (the damage is usually elsewhere), else from the table files'
/// metadata.
std::uint64_t last_known_key(const opened_db& src) {
  std::uint64_t last = 0;
  std::unique_ptr<rocksdb::Iterator> it(src.db->NewIterator({}, src.events()));
  it->SeekToLast();
  if (it->Valid()) last = decode_key(it->key().ToStringView()).value_or(0);
  std::vector<rocksdb::LiveFileMetaData> files;
  src.db->GetLiveFilesMetaData(&files);
  for (const auto& f : files)
    if (f.column_family_name == "events") last = std::max(last, decode_key(f.largestkey).value_or(0));
  return last;
}

struct copied {
  std::uint64_t first = 0;      // first seq kept (0: none)
  std::uint64_t last = 0;       // last seq kept
  std::string stop;             // why the prefix ends there ("" = the end of what is stored)
  std::vector<std::string> notes;  // what else was left behind (snapshots, meta)
};

rocksdb::Status write_batch(rocksdb::DB& db, rocksdb::WriteBatch& batch, bool sync) {
  rocksdb::WriteOptions o;
  o.sync = sync;
  auto s = db.Write(o, &batch);
  batch.Clear();
  return s;
}

/// Copies the readable contiguous prefix of events, then meta and snapshots.
status copy_readable(const opened_db& src, const opened_db& dst, copied& out) {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  rocksdb::WriteBatch batch;
  std::unique_ptr<rocksdb::Iterator> it(src.db->NewIterator(read, src.events()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto key = decode_key(it->key().ToStringView());
    if (!key) {
      out.stop = fmt::format("a key of {} bytes is not an 8-byte seq", it->key().size());
      break;
    }
    if (out.first != 0 && *key != out.last + 1) {
      out.stop = fmt::format("seq {} follows {}", *key, out.last);
      break;
    }
    if (auto frame = decode_event_frame(*key, it->value().ToStringView()); !frame) {
      out.stop = fmt::format("seq {}: {}", *key, frame.err().reason);
      break;
    }
    batch.Put(dst.events(), it->key(), it->value()).PermitUncheckedError();
    if (out.first == 0) out.first = *key;
    out.last = *key;
    if (batch.Count() >= 10'000) {
      if (auto s = write_batch(*dst.db, batch, false); !s.ok()) return from_rocksdb(s, "salvage: write");
    }
  }
  if (out.stop.empty() && !it->status().ok()) out.stop = it->status().ToString();

  std::unique_ptr<rocksdb::Iterator> meta(src.db->NewIterator(read, src.meta()));
  for (meta->SeekToFirst(); meta->Valid(); meta->Next())
    batch.Put(dst.meta(), meta->key(), meta->value()).PermitUncheckedError();
  if (!meta->status().ok()) out.notes.push_back("meta entries after a damaged block: " + meta->status().ToString());

  std::unique_ptr<rocksdb::Iterator> snaps(src.db->NewIterator(read, src.snapshots()));
  for (snaps->SeekToFirst(); snaps->Valid(); snaps->Next()) {
    const auto key = decode_key(snaps->key().ToStringView()).value_or(0);
    if (key == 0 || key > out.last || key < out.first) {
      out.notes.push_back(fmt::format("snapshot at seq {}: it folds records that were not kept", key));
      continue;
    }
    if (auto snap = decode_snapshot(key, snaps->value().ToStringView()); !snap) {
      out.notes.push_back(fmt::format("snapshot at seq {}: {}", key, snap.err().message()));
      continue;
    }
    batch.Put(dst.snapshots(), snaps->key(), snaps->value()).PermitUncheckedError();
  }
  if (!snaps->status().ok())
    out.notes.push_back("snapshots after a damaged block: " + snaps->status().ToString());
  if (auto s = write_batch(*dst.db, batch, true); !s.ok()) return from_rocksdb(s, "salvage: write");
  return {};
}

/// Opens a scratch copy of the damaged journal (RepairDB first when RocksDB
/// cannot open it as it is).
status open_scratch(const std::string& aside, const std::string& scratch, opened_db& out, std::string& repaired) {
  std::error_code ec;
  fs::copy(aside, scratch, fs::copy_options::recursive, ec);
  if (ec) return error{error_code::io, fmt::format("salvage: copy {} to {}: {}", aside, scratch, ec.message())};
  auto s = open_rw(scratch, false, out);
  if (s.ok()) return {};
  out.db.reset();
  out.handles.clear();
  repaired = s.ToString();
  rocksdb::Options o;
  o.create_if_missing = false;
  if (auto r = rocksdb::RepairDB(scratch, o, column_families()); !r.ok())
    return from_rocksdb(r, fmt::format("salvage: RocksDB cannot open the journal ({}) nor repair it", repaired));
  if (s = open_rw(scratch, false, out); !s.ok())
    return from_rocksdb(s, fmt::format("salvage: RocksDB cannot open the journal ({}) even after repair", repaired));
  return {};
}

}  // namespace

status rebuild_readable_prefix(const std::string& dir, const std::string& why, const corruption_reporter& report) {
  const std::string aside = aside_path(dir);
  const std::string scratch = aside + ".scratch";
  std::error_code ec;
  fs::rename(dir, aside, ec);
  if (ec) return error{error_code::io, fmt::format("salvage: move {} aside to {}: {}", dir, aside, ec.message())};
  auto put_back = [&](error e) -> status {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    fs::remove_all(scratch, ignored);
    fs::rename(aside, dir, ignored);
    return e;
  };

  copied kept;
  std::string repaired;
  std::uint64_t known_last = 0;
  {
    opened_db src;
    if (auto s = open_scratch(aside, scratch, src, repaired); !s) return put_back(s.err());
    known_last = last_known_key(src);
    opened_db dst;
    if (auto s = open_rw(dir, true, dst); !s.ok()) return put_back(from_rocksdb(s, "salvage: create " + dir));
    if (auto s = copy_readable(src, dst, kept); !s) return put_back(s.err());
  }
  fs::remove_all(scratch, ec);

  const std::uint64_t lost_from = kept.last + 1;
  std::string what;
  if (known_last > kept.last)
    what = fmt::format("kept seq {}..{}; first lost seq {}, dropped {} records ({}..{}) at: {}", kept.first, kept.last,
                       lost_from, known_last - kept.last, lost_from, known_last, kept.stop);
  else if (kept.first == 0)
    what = fmt::format("no record could be read{}", kept.stop.empty() ? "" : " (" + kept.stop + ")");
  else
    what = fmt::format("kept every record RocksDB still knows, seq {}..{}", kept.first, kept.last);
  if (report) {
    report(lost_from, fmt::format("salvage: RocksDB could not read the journal ({}){}; rebuilt it from what reads "
                                  "back whole: {}; the damaged files are in {}",
                                  why, repaired.empty() ? "" : ", nor open it until repaired", what, aside));
    for (const auto& n : kept.notes) report(lost_from, "salvage: left behind " + n);
  }
  return {};
}

status check_snapshots_readable(const rocksdb_journal& j) {
  rocksdb::ReadOptions read;
  read.verify_checksums = true;
  read.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(j.db()->NewIterator(read, j.snapshots_cf()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const auto key = decode_key(it->key().ToStringView()).value_or(0);
    if (auto snap = decode_snapshot(key, it->value().ToStringView()); !snap)
      return error{error_code::corruption, fmt::format("snapshot at seq {}: {}", key, snap.err().message())};
  }
  if (!it->status().ok()) return from_rocksdb(it->status(), "read snapshots in " + j.dir());
  return {};
}

}  // namespace berth::journal::detail
