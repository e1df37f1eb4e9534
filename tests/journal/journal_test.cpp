// The RocksDB journal: open, read, torn tail, corruption, salvage, secondary
// instances and snapshots. Bad values are planted with RocksDB directly.
#include <doctest/doctest.h>

#include <thread>
#include <utility>

#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
using bj::test::checksum_reason;
using bj::test::flipped;
using bj::test::raw_db;
using bj::test::temp_dir;

namespace {

using bj::test::reporting;
using bj::test::reports;

std::unique_ptr<bj::journal> open_ok(const std::string& dir, const bj::open_options& o = {}) {
  auto j = bj::journal::open(dir, o);
  if (!j.ok()) FAIL("open failed: " << j.err().message);
  return std::move(j).value();
}

std::string payload_of(std::uint64_t i) { return fmt::format("payload-{}", i); }

/// Appends payload_of(first..last) through a writer, one batch per record.
void append_range(bj::journal& j, std::uint64_t first, std::uint64_t last) {
  bj::writer w(j);
  for (std::uint64_t i = first; i <= last; ++i) {
    auto ack = w.append(static_cast<std::uint16_t>(i % 50), payload_of(i)).get();
    REQUIRE(ack.ok());
    CHECK(ack.value().seq == i);
  }
}

/// A journal in `dir` holding records 1..n.
void make_journal(const std::string& dir, std::uint64_t n) {
  auto j = open_ok(dir);
  append_range(*j, 1, n);
}

std::vector<std::string> read_all(const bj::journal& j, std::uint64_t from = 1) {
  std::vector<std::string> out;
  auto c = j.read_from(from);
  while (auto r = c->next()) out.push_back(r->payload);
  if (c->err()) FAIL("cursor: " << c->err()->message);
  return out;
}

}  // namespace

TEST_CASE("new_journal_is_empty") {
  temp_dir d;
  auto j = open_ok(d.sub("j"));
  CHECK(j->last_seq() == 0);
  CHECK(j->first_seq() == 0);
  CHECK(j->dir() == d.sub("j"));
  auto c = j->read_from(1);
  CHECK_FALSE(c->next().has_value());
  CHECK_FALSE(c->err().has_value());
  auto r = j->read(1);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().code == bj::error_code::not_found);
  CHECK(r.err().message == "seq 1 is not in the journal (first 0, last 0)");
}

TEST_CASE("missing_directory_without_create_if_missing_is_not_found") {
  temp_dir d;
  bj::open_options o;
  o.create_if_missing = false;
  auto j = bj::journal::open(d.sub("nope"), o);
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().code == bj::error_code::not_found);
  CHECK(j.err().message == "no journal at " + d.sub("nope") + " (create_if_missing is false)");
}

TEST_CASE("appended_records_survive_reopen_and_read_from_any_seq") {
  temp_dir d;
  make_journal(d.path, 20);
  auto j = open_ok(d.path);
  CHECK(j->first_seq() == 1);
  CHECK(j->last_seq() == 20);
  for (std::uint64_t s = 1; s <= 21; ++s) {
    CAPTURE(s);
    auto got = read_all(*j, s);
    REQUIRE(got.size() == 21 - s);
    if (!got.empty()) CHECK(got.front() == payload_of(s));
  }
  auto r = j->read(7);
  REQUIRE(r.ok());
  CHECK(r.value().seq == 7);
  CHECK(r.value().type == 7);
  CHECK(r.value().payload == "payload-7");
  CHECK(read_all(*j, 0).size() == 20);  // 0 = from the first record
}

TEST_CASE("read_out_of_range_is_not_found") {
  temp_dir d;
  make_journal(d.path, 3);
  auto j = open_ok(d.path);
  for (std::uint64_t s : {0u, 4u, 1000u}) {
    auto r = j->read(s);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().code == bj::error_code::not_found);
    CHECK(r.err().message == fmt::format("seq {} is not in the journal (first 1, last 3)", s));
  }
}

TEST_CASE("cursor_at_the_end_picks_up_later_appends") {
  temp_dir d;
  auto j = open_ok(d.path);
  append_range(*j, 1, 2);
  auto c = j->read_from(1);
  CHECK(c->next()->seq == 1);
  CHECK(c->next()->seq == 2);
  CHECK_FALSE(c->next().has_value());
  append_range(*j, 3, 4);
  CHECK(c->next()->payload == "payload-3");
  CHECK(c->next()->payload == "payload-4");
  CHECK_FALSE(c->next().has_value());
  CHECK_FALSE(c->err().has_value());
}

TEST_CASE("unknown_format_version_is_refused") {
  temp_dir d;
  make_journal(d.path, 1);
  raw_db(d.path).put_key(raw_db::meta, "format_version", "berth-journal-9");
  auto j = bj::journal::open(d.path, {});
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().code == bj::error_code::invalid_argument);
  CHECK(j.err().message == "journal at " + d.path +
                               " has format version 'berth-journal-9'; this build reads only "
                               "'berth-journal-1'");
}

TEST_CASE("truncated_trailing_record_is_tolerated_reported_and_overwritten") {
  for (bool verify_all : {true, false}) {
    CAPTURE(verify_all);
    temp_dir d;
    make_journal(d.path, 5);
    {
      raw_db raw(d.path);
      const std::string v = raw.get(raw_db::events, 5);
      raw.put(raw_db::events, 5, v.substr(0, v.size() - 1));
    }
    reports seen;
    auto o = reporting(seen);
    o.verify_all_on_open = verify_all;
    {
      auto j = open_ok(d.path, o);
      CHECK(j->last_seq() == 4);
      REQUIRE(seen.size() == 1);
      CHECK(seen[0].first == 5);
      CHECK(seen[0].second ==
            "torn tail: length field says 9 payload bytes but 8 follow; treated as the end of the log");
      CHECK(read_all(*j).size() == 4);
      bj::writer w(*j);
      auto ack = w.append(1, "rewritten").get();
      REQUIRE(ack.ok());
      CHECK(ack.value().seq == 5);
    }
    seen.clear();
    auto j = open_ok(d.path, o);
    CHECK(seen.empty());
    CHECK(j->last_seq() == 5);
    CHECK(j->read(5).value().payload == "rewritten");
  }
}

TEST_CASE("cursor_reads_the_rewritten_record_not_the_torn_one_it_passed") {
  temp_dir d;
  make_journal(d.path, 3);
  {
    raw_db raw(d.path);
    const std::string v = raw.get(raw_db::events, 3);
    raw.put(raw_db::events, 3, v.substr(0, 40));
  }
  auto j = open_ok(d.path);
  REQUIRE(j->last_seq() == 2);
  auto c = j->read_from(1);
  CHECK(c->next()->seq == 1);
  CHECK(c->next()->seq == 2);
  CHECK_FALSE(c->next().has_value());  // the torn seq 3 is past the end
  REQUIRE(bj::writer(*j).append(1, "whole").get().ok());
  auto r = c->next();
  REQUIRE(r.has_value());
  CHECK(r->seq == 3);
  CHECK(r->payload == "whole");
  CHECK_FALSE(c->err().has_value());
}

TEST_CASE("torn_only_record_leaves_an_empty_log") {
  temp_dir d;
  make_journal(d.path, 1);
  raw_db(d.path).put(raw_db::events, 1, "short");
  reports seen;
  auto j = open_ok(d.path, reporting(seen));
  CHECK(j->last_seq() == 0);
  CHECK(j->first_seq() == 0);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].second ==
        "torn tail: value is 5 bytes, shorter than the 32-byte header; treated as the end of the log");
}

TEST_CASE("corrupt_record_in_the_middle_fails_open_naming_the_seq") {
  temp_dir d;
  make_journal(d.path, 5);
  std::string bad;
  {
    raw_db raw(d.path);
    bad = flipped(raw.get(raw_db::events, 3), 35);
    raw.put(raw_db::events, 3, bad);
  }
  reports seen;
  auto j = bj::journal::open(d.path, reporting(seen));
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().code == bj::error_code::corruption);
  CHECK(j.err().message == "seq 3: " + checksum_reason(bad));
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] == std::pair<std::uint64_t, std::string>(3, checksum_reason(bad)));
}

TEST_CASE("torn_record_in_the_middle_is_corruption") {
  temp_dir d;
  make_journal(d.path, 5);
  {
    raw_db raw(d.path);
    const std::string v = raw.get(raw_db::events, 2);
    raw.put(raw_db::events, 2, v.substr(0, v.size() - 3));
  }
  auto j = bj::journal::open(d.path, {});
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().message == "seq 2: length field says 9 payload bytes but 6 follow");
}

TEST_CASE("record_under_the_wrong_key_is_corruption") {
  temp_dir d;
  make_journal(d.path, 5);
  {
    raw_db raw(d.path);
    raw.put(raw_db::events, 3, raw.get(raw_db::events, 2));
  }
  auto j = bj::journal::open(d.path, {});
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().message == "seq 3: key says 3 but record says 2");
}

TEST_CASE("missing_seq_is_detected") {
  temp_dir d;
  make_journal(d.path, 5);
  raw_db(d.path).del(raw_db::events, 3);
  auto j = bj::journal::open(d.path, {});
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().code == bj::error_code::corruption);
  CHECK(j.err().message == "seq 4: expected seq 3, found 4");
}

TEST_CASE("salvage_keeps_the_valid_prefix_and_reports_what_it_dropped") {
  temp_dir d;
  make_journal(d.path, 5);
  {
    auto j = open_ok(d.path);
    REQUIRE(j->put_snapshot({2, "h2", "s2"}).ok());
    REQUIRE(j->put_snapshot({4, "h4", "s4"}).ok());
  }
  std::string bad;
  {
    raw_db raw(d.path);
    bad = flipped(raw.get(raw_db::events, 3), 0);
    raw.put(raw_db::events, 3, bad);
  }
  reports seen;
  {
    auto j = open_ok(d.path, reporting(seen, true));
    CHECK(j->last_seq() == 2);
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].first == 3);
    CHECK(seen[0].second == "salvage: dropped seq 3..5 (3 records): " + checksum_reason(bad));
    CHECK(seen[1].first == 3);
    CHECK(seen[1].second ==
          "salvage: dropped snapshots at seq 4: they fold events after the valid prefix ending at seq 2");
    CHECK(j->snapshot_seqs() == std::vector<std::uint64_t>{2});
    auto ack = bj::writer(*j).append(1, "after salvage").get();
    REQUIRE(ack.ok());
    CHECK(ack.value().seq == 3);
  }
  auto j = open_ok(d.path);  // no salvage needed any more
  CHECK(j->last_seq() == 3);
  CHECK(read_all(*j) == std::vector<std::string>{"payload-1", "payload-2", "after salvage"});
}

TEST_CASE("salvage_after_a_missing_seq_resumes_at_the_missing_seq") {
  temp_dir d;
  make_journal(d.path, 6);
  raw_db(d.path).del(raw_db::events, 3);
  reports seen;
  auto j = open_ok(d.path, reporting(seen, true));
  CHECK(j->last_seq() == 2);
  REQUIRE(seen.size() == 1);
  CHECK(seen[0] ==
        std::pair<std::uint64_t, std::string>(4, "salvage: dropped seq 4..6 (3 records): expected seq 3, found 4"));
  j.reset();  // the journal holds the DB: check the keys after closing it
  CHECK(raw_db(d.path).seqs(raw_db::events) == std::vector<std::uint64_t>{1, 2});
}

TEST_CASE("without_verify_all_middle_corruption_is_found_by_the_cursor") {
  temp_dir d;
  make_journal(d.path, 5);
  std::string bad;
  {
    raw_db raw(d.path);
    bad = flipped(raw.get(raw_db::events, 3), 40);
    raw.put(raw_db::events, 3, bad);
  }
  bj::open_options o;
  o.verify_all_on_open = false;
  auto j = open_ok(d.path, o);
  CHECK(j->last_seq() == 5);
  auto c = j->read_from(1);
  CHECK(c->next()->seq == 1);
  CHECK(c->next()->seq == 2);
  CHECK_FALSE(c->next().has_value());
  REQUIRE(c->err().has_value());
  CHECK(c->err()->code == bj::error_code::corruption);
  CHECK(c->err()->message == "seq 3: " + checksum_reason(bad));
  CHECK_FALSE(c->next().has_value());  // stays stopped
  auto r = j->read(3);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message == "seq 3: " + checksum_reason(bad));
}

TEST_CASE("cursor_reports_a_gap") {
  temp_dir d;
  make_journal(d.path, 5);
  raw_db(d.path).del(raw_db::events, 2);
  bj::open_options o;
  o.verify_all_on_open = false;
  auto j = open_ok(d.path, o);
  auto c = j->read_from(1);
  CHECK(c->next()->seq == 1);
  CHECK_FALSE(c->next().has_value());
  REQUIRE(c->err().has_value());
  CHECK(c->err()->message == "seq 3: expected seq 2, found 3");
  auto r = j->read(2);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message == "seq 2: missing (first 1, last 5)");
}

TEST_CASE("history_folded_away_moves_first_seq") {
  temp_dir d;
  make_journal(d.path, 4);
  raw_db(d.path).del(raw_db::events, 1);
  auto j = open_ok(d.path);
  CHECK(j->first_seq() == 2);
  CHECK(j->last_seq() == 4);
  auto c = j->read_from(1);
  CHECK_FALSE(c->next().has_value());
  REQUIRE(c->err().has_value());
  CHECK(c->err()->code == bj::error_code::not_found);
  CHECK(c->err()->message == "seq 1 is before the first record, seq 2");
  CHECK(read_all(*j, 0).front() == "payload-2");
}

TEST_CASE("read_only_secondary_catches_up_with_a_writer_that_keeps_appending") {
  temp_dir d;
  auto primary = open_ok(d.sub("j"));
  bj::writer w(*primary);
  for (int i = 1; i <= 10; ++i) REQUIRE(w.append(1, payload_of(i)).get().ok());

  bj::open_options ro;
  ro.mode = bj::open_mode::read_only;
  ro.secondary_dir = d.sub("secondary");
  auto reader = open_ok(d.sub("j"), ro);
  CHECK(reader->last_seq() == 10);
  CHECK(read_all(*reader).size() == 10);

  // The writer keeps appending while the reader catches up and reads.
  std::thread producer([&w] {
    for (int i = 11; i <= 200; ++i) CHECK(w.append(1, payload_of(i)).get().ok());
  });
  auto c = reader->read_from(1);
  std::uint64_t expect = 1;
  for (int round = 0; round < 20; ++round) {
    REQUIRE(reader->catch_up().ok());
    while (auto r = c->next()) CHECK(r->payload == payload_of(expect++));
    REQUIRE_FALSE(c->err().has_value());
  }
  producer.join();
  REQUIRE(reader->catch_up().ok());
  CHECK(reader->last_seq() == 200);
  while (auto r = c->next()) CHECK(r->payload == payload_of(expect++));
  CHECK_FALSE(c->err().has_value());
  CHECK(expect == 201);
  CHECK(reader->read(200).value().payload == "payload-200");

  auto snap = reader->put_snapshot({1, "h", "s"});
  REQUIRE_FALSE(snap.ok());
  CHECK(snap.err().code == bj::error_code::invalid_argument);
  CHECK(snap.err().message == "put_snapshot at seq 1: journal " + d.sub("j") + " is open read_only");
  auto refused = bj::writer(*reader).append(1, "no").get();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.err().code == bj::error_code::invalid_argument);
  CHECK(refused.err().message == "append: journal " + d.sub("j") + " is open read_only");
  CHECK(primary->last_seq() == 200);
}

TEST_CASE("read_only_open_of_a_missing_directory_is_not_found") {
  temp_dir d;
  bj::open_options ro;
  ro.mode = bj::open_mode::read_only;
  auto j = bj::journal::open(d.sub("nope"), ro);
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().code == bj::error_code::not_found);
  CHECK(j.err().message == "no journal at " + d.sub("nope"));
}

TEST_CASE("read_only_open_fails_on_corruption") {
  temp_dir d;
  make_journal(d.path, 3);
  {
    raw_db raw(d.path);
    raw.put(raw_db::events, 2, raw.get(raw_db::events, 1));
  }
  bj::open_options ro;
  ro.mode = bj::open_mode::read_only;
  auto j = bj::journal::open(d.path, ro);
  REQUIRE_FALSE(j.ok());
  CHECK(j.err().message == "seq 2: key says 2 but record says 1");
}

TEST_CASE("snapshots_put_list_read") {
  temp_dir d;
  make_journal(d.path, 5);
  auto j = open_ok(d.path);
  CHECK(j->snapshot_seqs().empty());
  REQUIRE(j->put_snapshot({5, "hash5", "state5"}).ok());
  REQUIRE(j->put_snapshot({3, "hash3", std::string(100'000, 'x')}).ok());
  CHECK(j->snapshot_seqs() == std::vector<std::uint64_t>{3, 5});
  auto s = j->read_snapshot(3);
  REQUIRE(s.ok());
  CHECK(s.value().seq == 3);
  CHECK(s.value().hash == "hash3");
  CHECK(s.value().state == std::string(100'000, 'x'));

  auto missing = j->read_snapshot(4);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.err().code == bj::error_code::not_found);
  CHECK(missing.err().message == "no snapshot at seq 4");
  for (std::uint64_t bad_seq : {0u, 6u}) {
    auto st = j->put_snapshot({bad_seq, "h", "s"});
    REQUIRE_FALSE(st.ok());
    CHECK(st.err().code == bj::error_code::invalid_argument);
    CHECK(st.err().message == fmt::format("put_snapshot at seq {}: the last durable seq is 5", bad_seq));
  }
}

TEST_CASE("corrupted_snapshot_is_reported") {
  temp_dir d;
  make_journal(d.path, 5);
  REQUIRE(open_ok(d.path)->put_snapshot({4, "hash4", "state4"}).ok());
  std::string bad;
  {
    raw_db raw(d.path);
    bad = flipped(raw.get(raw_db::snapshots, 4), 45);
    raw.put(raw_db::snapshots, 4, bad);
  }
  auto j = open_ok(d.path);  // snapshots are checked when read, not at open
  auto s = j->read_snapshot(4);
  REQUIRE_FALSE(s.ok());
  CHECK(s.err().code == bj::error_code::corruption);
  CHECK(s.err().message == "snapshot seq 4: " + checksum_reason(bad));
}
