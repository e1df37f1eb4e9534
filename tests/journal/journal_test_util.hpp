#pragma once
// Helpers for the journal tests: temporary directories, direct RocksDB access
// to plant bad values, and the exact reason strings computed independently of
// journal/record.cpp (so a test does not check the decoder against itself).

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <xxhash.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "journal/journal.hpp"
#include "journal/record.hpp"
#include "journal/record_format.hpp"

namespace berth::journal::test {

/// What a journal's corruption reporter said, in order.
using reports = std::vector<std::pair<std::uint64_t, std::string>>;

/// Open options whose reporter appends to `out`.
inline open_options reporting(reports& out, bool salvage = false) {
  open_options o;
  o.salvage = salvage;
  o.reporter = [&out](std::uint64_t seq, const std::string& reason) { out.emplace_back(seq, reason); };
  return o;
}

/// A fresh directory under the system temp dir, removed (recursively) on destruction.
struct temp_dir {
  std::string path;
  temp_dir() {
    std::string templ = (std::filesystem::temp_directory_path() / "berth-journal-test-XXXXXX");
    if (::mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = templ;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  /// A path inside the directory (not created).
  std::string sub(std::string_view name) const { return path + "/" + std::string(name); }
};

/// The journal's RocksDB opened directly (journal closed!), to plant bad values.
class raw_db {
 public:
  enum cf { events = 1, snapshots = 2, meta = 3 };

  explicit raw_db(const std::string& dir) {
    rocksdb::DBOptions options;
    rocksdb::ColumnFamilyOptions cfo;
    std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
        {rocksdb::kDefaultColumnFamilyName, cfo}, {"events", cfo}, {"snapshots", cfo}, {"meta", cfo}};
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(options, dir, cfs, &handles_, &raw);
    if (!s.ok()) throw std::runtime_error("raw_db open: " + s.ToString());
    db_.reset(raw);
  }
  ~raw_db() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    db_->Close().PermitUncheckedError();
  }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;
  rocksdb::DB& db() { return *db_; }

  std::string get(cf c, std::uint64_t seq) {
    std::string v;
    auto s = db_->Get({}, handles_[c], encode_key(seq), &v);
    if (!s.ok()) throw std::runtime_error("raw_db get: " + s.ToString());
    return v;
  }
  void put(cf c, std::uint64_t seq, std::string_view value) { put_key(c, encode_key(seq), value); }
  void put_key(cf c, const std::string& key, std::string_view value) {
    rocksdb::WriteOptions w;
    w.sync = true;
    auto s = db_->Put(w, handles_[c], key, rocksdb::Slice(value.data(), value.size()));
    if (!s.ok()) throw std::runtime_error("raw_db put: " + s.ToString());
  }
  void del(cf c, std::uint64_t seq) {
    rocksdb::WriteOptions w;
    w.sync = true;
    auto s = db_->Delete(w, handles_[c], encode_key(seq));
    if (!s.ok()) throw std::runtime_error("raw_db delete: " + s.ToString());
  }
  /// Every key of a column family, as seqs.
  std::vector<std::uint64_t> seqs(cf c) {
    std::vector<std::uint64_t> out;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator({}, handles_[c]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) out.push_back(decode_key(it->key().ToStringView()).value_or(0));
    return out;
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

/// Little-endian u64 at `offset` of `bytes`.
inline std::uint64_t le64(std::string_view bytes, std::size_t offset) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i)
    v |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  return v;
}

/// The reason a frame whose checksum no longer matches must carry.
inline std::string checksum_reason(std::string_view frame) {
  const std::uint64_t stored = le64(frame, 0);
  const std::uint64_t computed = XXH3_64bits(frame.data() + 8, frame.size() - 8);
  return fmt::format("checksum mismatch: stored 0x{:016x}, computed 0x{:016x}", stored, computed);
}

/// `value` with byte `i` inverted.
inline std::string flipped(std::string value, std::size_t i) {
  value[i] = static_cast<char>(~static_cast<unsigned char>(value[i]));
  return value;
}

}  // namespace berth::journal::test
