// Salvage below the record layer (journal/storage_salvage.hpp): real RocksDB
// files byte-edited as a failing disk would — a table file of events, the
// MANIFEST, the write-ahead log, a snapshot's table file. Without --salvage
// the journal refuses to open and names the damage; with it, the readable
// prefix is kept, the first lost seq and the count are reported, the damaged
// files are moved aside unchanged, and appends go on after the prefix.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <random>

#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
namespace fs = std::filesystem;
using bj::test::temp_dir;

namespace {

using bj::test::reports;

bj::open_options salvaging(reports& out) { return bj::test::reporting(out, true); }

std::unique_ptr<bj::journal> open_ok(const std::string& dir, const bj::open_options& o = {}) {
  auto j = bj::journal::open(dir, o);
  if (!j.ok()) FAIL("open failed: " << j.err().message);
  return std::move(j).value();
}

/// 300 bytes that do not compress: every record spans its own part of a block.
std::string payload_of(std::uint64_t i) {
  std::mt19937_64 rng(i);
  std::string s = fmt::format("payload-{}:", i);
  while (s.size() < 300) s += static_cast<char>('a' + rng() % 26);
  return s;
}

void append_range(bj::journal& j, std::uint64_t first, std::uint64_t last) {
  bj::writer w(j);
  std::vector<std::future<bj::result<bj::append_ack>>> acks;
  for (std::uint64_t i = first; i <= last; ++i) acks.push_back(w.append(1, payload_of(i)));
  for (auto& a : acks) REQUIRE(a.get().ok());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void flip_byte(const std::string& path, std::uint64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  REQUIRE(f);
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  c = static_cast<char>(c ^ 0x5a);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

/// The table files of one column family, as RocksDB lists them (journal closed).
std::vector<std::string> table_files(const std::string& dir, const std::string& cf) {
  bj::test::raw_db raw(dir);
  std::vector<rocksdb::LiveFileMetaData> files;
  raw.db().GetLiveFilesMetaData(&files);
  std::vector<std::string> out;
  for (const auto& f : files)
    if (f.column_family_name == cf) out.push_back(dir + f.name);
  return out;
}

std::vector<std::string> files_named(const std::string& dir, const std::string& prefix_or_suffix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.rfind(prefix_or_suffix, 0) == 0 ||
        (name.size() > prefix_or_suffix.size() &&
         name.compare(name.size() - prefix_or_suffix.size(), prefix_or_suffix.size(), prefix_or_suffix) == 0))
      out.push_back(e.path().string());
  }
  return out;
}

/// The one DIR.damaged-* beside `dir`.
std::string aside_of(const std::string& dir) {
  std::vector<std::string> found;
  const auto name = fs::path(dir).filename().string() + ".damaged-";
  for (const auto& e : fs::directory_iterator(fs::path(dir).parent_path()))
    if (e.path().filename().string().rfind(name, 0) == 0) found.push_back(e.path().string());
  REQUIRE(found.size() == 1);
  return found[0];
}

/// Every record from 1 reads back as written, and there are `n` of them.
void check_prefix(const bj::journal& j, std::uint64_t n) {
  CHECK(j.first_seq() == (n ? 1u : 0u));
  CHECK(j.last_seq() == n);
  auto c = j.read_from(1);
  std::uint64_t seen = 0;
  while (auto r = c->next()) {
    ++seen;
    REQUIRE(r->seq == seen);
    REQUIRE(r->payload == payload_of(seen));
  }
  CHECK_FALSE(c->err());
  CHECK(seen == n);
}

}  // namespace

TEST_CASE("a flipped byte in an events table file: refused, then salvaged to the prefix before the block") {
  temp_dir d;
  const std::string dir = d.sub("journal");
  {
    auto j = open_ok(dir);
    append_range(*j, 1, 3000);
    REQUIRE(j->put_snapshot({1000, "h", "state at 1000"}).ok());
    REQUIRE(j->put_snapshot({2900, "h", "state at 2900"}).ok());
  }  // closed cleanly: the memtables are flushed into table files
  auto tables = table_files(dir, "events");
  REQUIRE(tables.size() == 1);
  const auto size = fs::file_size(tables[0]);
  flip_byte(tables[0], size / 2);
  const auto damaged = read_file(tables[0]);

  auto refused = bj::journal::open(dir, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.err().code == bj::error_code::corruption);
  CHECK_MESSAGE(refused.err().message.find("block checksum mismatch") != std::string::npos, refused.err().message);
  CHECK_MESSAGE(refused.err().message.find(fs::path(tables[0]).filename().string()) != std::string::npos,
                refused.err().message);
  CHECK(read_file(tables[0]) == damaged);  // refusing changed nothing

  reports seen;
  std::uint64_t kept = 0;
  {
    auto j = open_ok(dir, salvaging(seen));
    kept = j->last_seq();
    CHECK(kept > 100);
    CHECK(kept < 3000);
    check_prefix(*j, kept);
    // The snapshot past the prefix went; the one inside it stayed.
    CHECK(j->snapshot_seqs() == std::vector<std::uint64_t>{1000});
    bj::writer w(*j);
    auto ack = w.append(1, payload_of(kept + 1)).get();
    REQUIRE(ack.ok());
    CHECK(ack.value().seq == kept + 1);
  }
  REQUIRE(!seen.empty());
  CAPTURE(seen[0].second);
  CHECK(seen[0].first == kept + 1);
  CHECK(seen[0].second.find(fmt::format("kept seq 1..{}; first lost seq {}, dropped {} records ({}..3000)", kept,
                                        kept + 1, 3000 - kept, kept + 1)) != std::string::npos);
  CHECK(seen[0].second.find("block checksum mismatch") != std::string::npos);
  const auto aside = aside_of(dir);
  CHECK(seen[0].second.find(aside) != std::string::npos);
  CHECK(read_file(aside + "/" + fs::path(tables[0]).filename().string()) == damaged);  // moved aside, unchanged
  CHECK_FALSE(fs::exists(aside + ".scratch"));

  // The rebuilt journal opens without salvage, with the appended record.
  auto j = open_ok(dir);
  CHECK(j->last_seq() == kept + 1);
}

TEST_CASE("a damaged MANIFEST: RocksDB cannot open it; salvage repairs a copy and keeps every record") {
  temp_dir d;
  const std::string dir = d.sub("journal");
  {
    auto j = open_ok(dir);
    append_range(*j, 1, 500);
  }
  auto manifests = files_named(dir, "MANIFEST-");
  REQUIRE(manifests.size() == 1);
  // Every byte of the MANIFEST's first record (the column families, the
  // comparator): a checksum mismatch where RocksDB must read.
  for (std::uint64_t at = 7; at < 40; ++at) flip_byte(manifests[0], at);

  auto refused = bj::journal::open(dir, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.err().code == bj::error_code::corruption);

  reports seen;
  auto j = open_ok(dir, salvaging(seen));
  check_prefix(*j, 500);
  REQUIRE(!seen.empty());
  CAPTURE(seen[0].second);
  CHECK(seen[0].second.find("nor open it until repaired") != std::string::npos);
  CHECK(seen[0].second.find("kept every record RocksDB still knows, seq 1..500") != std::string::npos);
  CHECK(fs::exists(aside_of(dir)));
}

TEST_CASE("a damaged write-ahead log: refused, then salvaged to the records before the damage") {
  temp_dir d;
  const std::string dir = d.sub("journal");
  const std::string image = d.sub("image");
  {
    auto j = open_ok(dir);
    {
      // One WriteBatch (one log record) per journal record: a damaged log
      // record then takes one journal record, not a whole group commit.
      bj::writer w(*j);
      for (std::uint64_t i = 1; i <= 400; ++i) REQUIRE(w.append(1, payload_of(i)).get().ok());
    }
    // A crash image: the records are only in the write-ahead log (synced,
    // not flushed), as when berthd is killed.
    fs::copy(dir, image, fs::copy_options::recursive);
  }
  auto logs = files_named(image, ".log");
  REQUIRE(!logs.empty());
  std::string wal;
  for (const auto& l : logs)
    if (fs::file_size(l) > 100'000) wal = l;
  REQUIRE_FALSE(wal.empty());
  fs::remove(image + "/LOCK");
  flip_byte(wal, fs::file_size(wal) / 2);

  auto refused = bj::journal::open(image, {});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.err().code == bj::error_code::corruption);

  reports seen;
  auto j = open_ok(image, salvaging(seen));
  const auto kept = j->last_seq();
  CHECK(kept > 10);
  CHECK(kept < 400);
  check_prefix(*j, kept);
  REQUIRE(!seen.empty());
  CHECK(seen[0].first == kept + 1);
}

TEST_CASE("a damaged snapshot: found under salvage, dropped, every record kept") {
  temp_dir d;
  const std::string dir = d.sub("journal");
  std::string big(200'000, 'x');
  std::mt19937 rng(7);
  for (auto& c : big) c = static_cast<char>('a' + rng() % 26);
  {
    auto j = open_ok(dir);
    append_range(*j, 1, 50);
    REQUIRE(j->put_snapshot({50, "h", big}).ok());
  }
  auto tables = table_files(dir, "snapshots");
  REQUIRE(tables.size() == 1);
  flip_byte(tables[0], fs::file_size(tables[0]) / 3);

  reports seen;
  auto j = open_ok(dir, salvaging(seen));
  check_prefix(*j, 50);
  CHECK(j->snapshot_seqs().empty());
  bool named = false;
  for (const auto& [seq, reason] : seen) named |= reason.find("left behind snapshot") != std::string::npos ||
                                                  reason.find("left behind snapshots") != std::string::npos;
  CHECK_MESSAGE(named, (seen.empty() ? std::string("no report") : seen[0].second));
}
