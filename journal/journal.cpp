// Opening a journal directory: the RocksDB instance, the format version, and
// the corruption policy (torn tail = clean end; otherwise fail or salvage).
#include "journal/journal.hpp"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "journal/record_format.hpp"
#include "journal/rocksdb_journal.hpp"
#include "journal/storage_salvage.hpp"

namespace berth::journal {

namespace {

/// Opens `dir` and applies the record-level corruption policy.
result<std::unique_ptr<journal>> open_checked(const std::string& dir, const open_options& options) {
  auto j = std::make_unique<detail::rocksdb_journal>(dir, options);
  if (auto s = j->open_db(); !s) return s.err();
  if (auto s = j->check_format_version(); !s) return s.err();

  // The first stored key; scan_all starts there (history may have been folded away).
  std::uint64_t first_key = 0;
  {
    std::unique_ptr<rocksdb::Iterator> it(j->db()->NewIterator({}, j->events_cf()));
    it->SeekToFirst();
    if (!it->status().ok()) return detail::from_rocksdb(it->status(), "read " + dir);
    // Seq 0 is never written (the writer starts at 1); a malformed first key
    // is left for scan_all to name.
    if (it->Valid()) first_key = std::max<std::uint64_t>(decode_key(it->key().ToStringView()).value_or(1), 1);
  }
  detail::scan_outcome outcome;
  if (first_key != 0) outcome = options.verify_all_on_open ? j->scan_all(first_key) : j->scan_tail();
  if (auto s = j->settle(outcome, first_key); !s) return s.err();
  if (options.salvage)
    if (auto s = detail::check_snapshots_readable(*j); !s) return s.err();
  return std::unique_ptr<journal>(std::move(j));
}

}  // namespace

result<std::unique_ptr<journal>> journal::open(const std::string& dir, const open_options& options) {
  // Under --salvage every record is checked: damage anywhere must be found now.
  open_options o = options;
  if (o.salvage) o.verify_all_on_open = true;
  auto j = open_checked(dir, o);
  // A corruption error here is RocksDB's (the record-level one was salvaged
  // already): storage damage, which only a rebuild gets past.
  if (j.ok() || !o.salvage || o.mode != open_mode::read_write || j.err().code != error_code::corruption) return j;
  if (auto s = detail::rebuild_readable_prefix(dir, j.err().message, o.reporter); !s) return s.err();
  return open_checked(dir, o);
}

namespace detail {

// One descriptor per column family, default first (RocksDB requires it to be
// listed); the order fixes the index of each handle in handles_.
std::vector<rocksdb::ColumnFamilyDescriptor> column_families() {
  rocksdb::ColumnFamilyOptions cf;
  return {{rocksdb::kDefaultColumnFamilyName, cf}, {"events", cf}, {"snapshots", cf}, {"meta", cf}};
}

namespace {

namespace f = format;

bool has_db(const std::string& dir) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", ec);
}

}  // namespace

error from_rocksdb(const rocksdb::Status& s, std::string_view what) {
  error_code code = error_code::io;
  if (s.IsNotFound())
    code = error_code::not_found;
  else if (s.IsCorruption())
    code = error_code::corruption;
  else if (s.IsInvalidArgument())
    code = error_code::invalid_argument;
  return error{code, fmt::format("{}: {}", what, s.ToString())};
}

rocksdb_journal::rocksdb_journal(std::string dir, open_options options)
    : dir_(std::move(dir)), options_(std::move(options)) {}

rocksdb_journal::~rocksdb_journal() {
  // Handles before the DB, the DB before its secondary directory.
  if (db_) {
    // A clean close flushes the memtables, so that the next open does not
    // replay the whole write-ahead log (that replay dominated restart time).
    if (!read_only() && !handles_.empty()) {
      rocksdb::FlushOptions flush;
      db_->Flush(flush, handles_).PermitUncheckedError();
    }
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
    db_.reset();
  }
  if (remove_secondary_dir_) {
    std::error_code ec;
    std::filesystem::remove_all(secondary_dir_, ec);
  }
}

status rocksdb_journal::open_db() {
  rocksdb::DBOptions db_options;
  db_options.keep_log_file_num = 10;  // RocksDB's info LOGs, one per open: not history
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (read_only()) {
    if (!has_db(dir_)) return error{error_code::not_found, fmt::format("no journal at {}", dir_)};
    secondary_dir_ = options_.secondary_dir;
    if (secondary_dir_.empty()) {
      std::string templ = (std::filesystem::temp_directory_path() / "berth-journal-secondary-XXXXXX");
      if (::mkdtemp(templ.data()) == nullptr)
        return error{error_code::io, fmt::format("mkdtemp {}: {}", templ, std::strerror(errno))};
      secondary_dir_ = templ;
      remove_secondary_dir_ = true;
    }
    db_options.max_open_files = -1;  // required by secondary instances
    s = rocksdb::DB::OpenAsSecondary(db_options, dir_, secondary_dir_, column_families(), &handles_, &raw);
  } else {
    if (!options_.create_if_missing && !has_db(dir_))
      return error{error_code::not_found, fmt::format("no journal at {} (create_if_missing is false)", dir_)};
    db_options.create_if_missing = options_.create_if_missing;
    db_options.create_missing_column_families = true;
    // A write-ahead log damaged before its end is an error (salvage then
    // rebuilds: storage_salvage.hpp), not a silent cut of acknowledged
    // records; an incomplete last record is a write torn by a crash.
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    s = rocksdb::DB::Open(db_options, dir_, column_families(), &handles_, &raw);
  }
  if (!s.ok()) return from_rocksdb(s, "open " + dir_);
  db_.reset(raw);
  events_ = handles_.at(1);
  snapshots_ = handles_.at(2);
  meta_ = handles_.at(3);
  return {};
}

status rocksdb_journal::check_format_version() {
  std::string version;
  auto s = db_->Get({}, meta_, rocksdb::Slice(f::format_version_key), &version);
  if (s.ok()) {
    if (version == f::format_version) return {};
    return error{error_code::invalid_argument,
                 fmt::format("journal at {} has format version '{}'; this build reads only '{}'", dir_, version,
                             f::format_version)};
  }
  if (!s.IsNotFound()) return from_rocksdb(s, "read format version in " + dir_);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, events_));
  it->SeekToFirst();
  if (it->Valid())
    return error{error_code::corruption,
                 fmt::format("journal at {} has events but no format version in its meta column family", dir_)};
  if (read_only())
    return error{error_code::invalid_argument,
                 fmt::format("{} has no format version: not a berth journal (yet)", dir_)};
  rocksdb::WriteOptions sync;
  sync.sync = true;
  s = db_->Put(sync, meta_, rocksdb::Slice(f::format_version_key), rocksdb::Slice(f::format_version));
  if (!s.ok()) return from_rocksdb(s, "write format version in " + dir_);
  return {};
}

scan_outcome rocksdb_journal::scan_all(std::uint64_t from) const {
  scan_outcome out;
  out.last_good = from - 1;
  rocksdb::ReadOptions once;  // one sequential pass: read ahead, keep the cache for real reads
  once.fill_cache = false;
  once.readahead_size = 2u << 20;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(once, events_));
  std::uint64_t expected = from;
  for (it->Seek(encode_key(from)); it->Valid(); it->Next(), ++expected) {
    scan_problem p;
    auto key = decode_key(it->key().ToStringView());
    if (out.first_key == 0) out.first_key = key.value_or(expected);
    if (!key) {
      p = {expected, fmt::format("key of {} bytes is not an 8-byte seq", it->key().size())};
    } else if (*key != expected) {
      p = {*key, fmt::format("expected seq {}, found {}", expected, *key)};
    } else if (auto frame = decode_event_frame(*key, it->value().ToStringView()); !frame) {
      p = {*key, frame.err().reason, frame.err().kind};
    } else {
      out.last_good = *key;
      continue;
    }
    it->Next();
    p.at_last_key = !it->Valid();
    out.problem = std::move(p);
    break;
  }
  if (!it->status().ok()) out.failure = from_rocksdb(it->status(), "scan " + dir_);
  return out;
}

scan_outcome rocksdb_journal::scan_tail() const {
  scan_outcome out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, events_));
  it->SeekToLast();
  if (!it->Valid()) {
    if (!it->status().ok()) out.failure = from_rocksdb(it->status(), "scan " + dir_);
    return out;
  }
  const auto key = decode_key(it->key().ToStringView());
  if (!key) {
    out.problem = scan_problem{0, fmt::format("last key of {} bytes is not an 8-byte seq", it->key().size()),
                               damage::corrupt, true};
    return out;
  }
  out.last_good = *key - 1;
  auto frame = decode_event_frame(*key, it->value().ToStringView());
  if (frame) {
    out.last_good = *key;
    return out;
  }
  out.problem = scan_problem{*key, frame.err().reason, frame.err().kind, true};
  if (frame.err().kind != damage::torn) return out;
  // A torn tail makes key - 1 the last record: it must exist and be whole.
  it->Prev();
  if (!it->Valid()) return out;
  const auto prev = decode_key(it->key().ToStringView());
  if (prev != *key - 1) {
    out.last_good = prev.value_or(0);
    out.problem = scan_problem{*key, fmt::format("expected seq {}, found {}", out.last_good + 1, *key)};
  } else if (auto pf = decode_event_frame(*prev, it->value().ToStringView()); !pf) {
    out.last_good = *prev - 1;
    out.problem = scan_problem{*prev, pf.err().reason, damage::corrupt, false};
  }
  return out;
}

status rocksdb_journal::settle(const scan_outcome& outcome, std::uint64_t first_key) {
  if (outcome.failure) return *outcome.failure;
  std::uint64_t last = outcome.last_good;
  if (outcome.problem) {
    const scan_problem& p = *outcome.problem;
    if (p.kind == damage::torn && p.at_last_key) {
      report(p.seq, fmt::format("torn tail: {}; treated as the end of the log", p.reason));
    } else if (!options_.salvage) {
      report(p.seq, p.reason);
      return error{error_code::corruption, fmt::format("seq {}: {}", p.seq, p.reason)};
    } else if (auto s = salvage(p, last); !s) {
      return s;
    }
  }
  first_seq_.store(first_key != 0 && first_key <= last ? first_key : 0, std::memory_order_release);
  last_seq_.store(last, std::memory_order_release);
  return {};
}

void rocksdb_journal::report(std::uint64_t seq, const std::string& reason) const {
  if (options_.reporter) options_.reporter(seq, reason);
}

std::pair<std::uint64_t, std::uint64_t> rocksdb_journal::count_from(std::uint64_t from) const {
  std::uint64_t count = 0, last = from;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, events_));
  for (it->Seek(encode_key(from)); it->Valid(); it->Next()) {
    ++count;
    if (auto k = decode_key(it->key().ToStringView())) last = *k;
  }
  return {count, last};
}

status rocksdb_journal::salvage(const scan_problem& p, std::uint64_t last_good) {
  const auto [count, last_key] = count_from(p.seq);
  const std::string what = fmt::format("seq {}..{} ({} records): {}", p.seq, last_key, count, p.reason);
  if (read_only()) {
    report(p.seq, "salvage (read-only, nothing deleted): ignoring " + what);
    return {};
  }
  // The end key sorts right after last_key's 8 bytes, so UINT64_MAX needs no overflow care.
  const std::string end = encode_key(last_key) + std::string(1, '\0');
  rocksdb::WriteBatch batch;
  auto s = batch.DeleteRange(events_, encode_key(p.seq), end);
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (s.ok()) s = db_->Write(sync, &batch);
  if (!s.ok()) return from_rocksdb(s, fmt::format("salvage {}: delete seq {}..{}", dir_, p.seq, last_key));
  report(p.seq, "salvage: dropped " + what);
  return drop_snapshots_after(last_good);
}

status rocksdb_journal::drop_snapshots_after(std::uint64_t last_good) {
  // A snapshot past the valid prefix folds events that no longer exist:
  // replay would start from it and the next appends would contradict it.
  std::vector<std::string> keys;
  std::string seqs;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, snapshots_));
  for (it->Seek(encode_key(last_good + 1)); it->Valid(); it->Next()) {
    keys.push_back(it->key().ToString());
    seqs += fmt::format("{}{}", seqs.empty() ? "" : ", ", decode_key(keys.back()).value_or(0));
  }
  if (!it->status().ok()) return from_rocksdb(it->status(), "salvage " + dir_ + ": list snapshots");
  it.reset();
  if (keys.empty()) return {};
  rocksdb::WriteBatch batch;
  for (const auto& k : keys) batch.Delete(snapshots_, k).PermitUncheckedError();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  if (auto s = db_->Write(sync, &batch); !s.ok()) return from_rocksdb(s, "salvage " + dir_ + ": delete snapshots");
  report(last_good + 1, fmt::format("salvage: dropped snapshots at seq {}: they fold events after "
                                    "the valid prefix ending at seq {}",
                                    seqs, last_good));
  return {};
}

}  // namespace detail

result<std::string> read_identity(const std::string& dir) {
  const std::string path = (std::filesystem::path(dir) / "IDENTITY").string();
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int e = errno;
    return error{e == ENOENT ? error_code::not_found : error_code::io,
                 fmt::format("read {}: {}", path, std::strerror(e))};
  }
  char buffer[256];  // a UUID and a newline; anything longer is not RocksDB's
  const std::size_t n = std::fread(buffer, 1, sizeof buffer, f);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return error{error_code::io, fmt::format("read {}: I/O error", path)};
  std::string id(buffer, n);
  while (!id.empty() && (id.back() == '\n' || id.back() == '\r' || id.back() == ' ')) id.pop_back();
  if (id.empty()) return error{error_code::not_found, fmt::format("read {}: empty", path)};
  return id;
}

}  // namespace berth::journal
