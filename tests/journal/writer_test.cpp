// Group commit: many producers, contiguous seqs, per-producer order, grouping,
// tail delivery, draining, and what an I/O failure does to later appends.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
using bj::test::temp_dir;

namespace {

std::unique_ptr<bj::journal> open_ok(const std::string& dir) {
  auto j = bj::journal::open(dir, {});
  if (!j.ok()) FAIL("open failed: " << j.err().message);
  return std::move(j).value();
}

/// Counts acknowledgements and lets the test wait for all of them.
struct ack_counter {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t n = 0;
  void add() {
    std::lock_guard g(mu);
    ++n;
    cv.notify_all();
  }
  void wait_for(std::size_t want) {
    std::unique_lock l(mu);
    cv.wait(l, [&] { return n >= want; });
  }
};

/// An in-memory journal whose append_batch fails from `fail_at` on: the writer's
/// I/O error path without breaking a disk.
class failing_journal final : public bj::journal {
 public:
  explicit failing_journal(std::uint64_t fail_at) : fail_at_(fail_at) {}
  std::uint64_t last_seq() const override { return last_; }
  std::uint64_t first_seq() const override { return last_ ? 1 : 0; }
  std::unique_ptr<bj::cursor> read_from(std::uint64_t) const override { return nullptr; }
  bj::result<bj::record> read(std::uint64_t) const override { return bj::error{bj::error_code::not_found, "unused"}; }
  bj::status put_snapshot(const bj::snapshot&) override { return {}; }
  std::vector<std::uint64_t> snapshot_seqs() const override { return {}; }
  bj::result<bj::snapshot> read_snapshot(std::uint64_t) const override {
    return bj::error{bj::error_code::not_found, "unused"};
  }
  bj::status catch_up() override { return {}; }
  const std::string& dir() const override { return dir_; }

 protected:
  bj::status append_batch(const std::vector<pending>& records, std::int64_t) override {
    if (last_ + records.size() >= fail_at_) return bj::error{bj::error_code::io, "disk on fire"};
    last_ += records.size();
    return {};
  }

 private:
  std::uint64_t fail_at_;
  std::uint64_t last_ = 0;
  std::string dir_ = "memory";
};

}  // namespace

TEST_CASE("many_producers_get_contiguous_seqs_in_submission_order_with_grouping") {
  constexpr int producers = 32, per_producer = 500, total = producers * per_producer;
  temp_dir d;
  auto j = open_ok(d.path);
  std::vector<bj::record> tail;
  // acked[p][i] = seq of producer p's i-th append (0 = not acknowledged).
  std::vector<std::vector<std::uint64_t>> acked(producers, std::vector<std::uint64_t>(per_producer));
  std::atomic<int> failures{0};
  ack_counter acks;
  bj::writer::stats stats;
  {
    bj::writer w(*j);
    w.subscribe([&tail](const bj::record& r) { tail.push_back(r); });
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p)
      threads.emplace_back([&, p] {
        for (int i = 0; i < per_producer; ++i)
          w.append(static_cast<std::uint16_t>(p), fmt::format("{}:{}", p, i),
                   [&, p, i](const bj::result<bj::append_ack>& r) {
                     if (r.ok())
                       acked[p][i] = r.value().seq;
                     else
                       failures++;
                     acks.add();
                   });
      });
    for (auto& t : threads) t.join();
    acks.wait_for(total);
    stats = w.get_stats();
  }
  CHECK(failures == 0);
  CHECK(j->last_seq() == total);
  std::set<std::uint64_t> all;
  for (int p = 0; p < producers; ++p)
    for (int i = 0; i < per_producer; ++i) {
      all.insert(acked[p][i]);
      if (i > 0 && acked[p][i] <= acked[p][i - 1])
        FAIL_CHECK("producer " << p << " append " << i << " got seq " << acked[p][i] << " after " << acked[p][i - 1]);
    }
  CHECK(all.size() == total);  // no duplicates
  CHECK(*all.begin() == 1);
  CHECK(*all.rbegin() == total);  // so exactly 1..total
  CHECK(stats.records == total);
  CHECK(stats.batches < stats.records);
  CHECK(stats.bytes > 0);

  REQUIRE(tail.size() == total);
  for (std::size_t k = 0; k < tail.size(); ++k) REQUIRE(tail[k].seq == k + 1);
  // Every acknowledged append is stored under its seq, with its payload.
  auto c = j->read_from(1);
  std::map<std::uint64_t, std::string> stored;
  while (auto r = c->next()) stored[r->seq] = r->payload;
  REQUIRE_FALSE(c->err().has_value());
  for (int p = 0; p < producers; ++p)
    for (int i = 0; i < per_producer; ++i) {
      const auto want = fmt::format("{}:{}", p, i);
      if (stored[acked[p][i]] != want || tail[acked[p][i] - 1].payload != want)
        FAIL_CHECK("seq " << acked[p][i] << " holds " << stored[acked[p][i]] << ", want " << want);
    }
}

TEST_CASE("acks_and_records_carry_the_writer_clock") {
  temp_dir d;
  auto j = open_ok(d.path);
  bj::writer_options o;
  o.clock = [] { return std::int64_t{424242}; };
  bj::writer w(*j, o);
  auto ack = w.append(3, "x").get();
  REQUIRE(ack.ok());
  CHECK(ack.value().seq == 1);
  CHECK(ack.value().time_ns == 424242);
  CHECK(j->read(1).value().time_ns == 424242);
  CHECK(j->read(1).value().type == 3);
}

TEST_CASE("invalid_appends_are_refused_before_queueing") {
  temp_dir d;
  auto j = open_ok(d.path);
  bj::writer w(*j);
  std::optional<bj::result<bj::append_ack>> got;
  w.append(
      1, "x", [&](const bj::result<bj::append_ack>& r) { got = r; }, 0x0004);
  REQUIRE(got.has_value());
  REQUIRE_FALSE(got->ok());
  CHECK(got->err().code == bj::error_code::invalid_argument);
  CHECK(got->err().message == "append: unknown flags 0x0004");
  auto reserved = w.append(0xffff, "x").get();
  REQUIRE_FALSE(reserved.ok());
  CHECK(reserved.err().message == "append: type 0xffff is reserved for snapshots");
  auto big = w.append(1, std::string((64u << 20) + 1, 'b')).get();
  REQUIRE_FALSE(big.ok());
  CHECK(big.err().message == "append: payload of 67108865 bytes exceeds the 67108864-byte maximum");
  CHECK(j->last_seq() == 0);
}

TEST_CASE("batch_caps_split_what_was_queued") {
  temp_dir d;
  auto j = open_ok(d.path);
  bj::writer_options o;
  o.max_batch_records = 1;
  std::vector<std::future<bj::result<bj::append_ack>>> f;
  bj::writer::stats stats;
  {
    bj::writer w(*j, o);
    for (int i = 0; i < 50; ++i) f.push_back(w.append(1, "x"));
    for (auto& x : f) REQUIRE(x.get().ok());
    stats = w.get_stats();
  }
  CHECK(stats.records == 50);
  CHECK(stats.batches == 50);
  CHECK(stats.bytes == 50);
}

TEST_CASE("destructor_drains_the_queue") {
  temp_dir d;
  auto j = open_ok(d.path);
  std::atomic<int> ok{0};
  {
    bj::writer w(*j);
    for (int i = 0; i < 1000; ++i) w.append(1, "drain", [&](const bj::result<bj::append_ack>& r) { ok += r.ok(); });
  }
  CHECK(ok == 1000);
  CHECK(j->last_seq() == 1000);
}

TEST_CASE("tail_subscriber_sees_only_records_after_it_subscribed_until_it_unsubscribes") {
  temp_dir d;
  auto j = open_ok(d.path);
  std::vector<std::uint64_t> seen;  // written on the writer thread
  {
    bj::writer w(*j);
    REQUIRE(w.append(1, "before").get().ok());
    // Acks run before tail delivery: wait for the delivery itself.
    std::promise<void> got_third;
    const auto id = w.subscribe([&](const bj::record& r) {
      seen.push_back(r.seq);
      if (r.seq == 3) got_third.set_value();
    });
    REQUIRE(w.append(1, "during-1").get().ok());
    REQUIRE(w.append(1, "during-2").get().ok());
    got_third.get_future().wait();
    w.unsubscribe(id);
    REQUIRE(w.append(1, "after").get().ok());
  }  // the writer's thread has finished every delivery
  CHECK(seen == std::vector<std::uint64_t>{2, 3});
  CHECK(j->last_seq() == 4);
}

TEST_CASE("io_error_fails_the_batch_and_closes_the_writer_for_later_appends") {
  failing_journal j(3);  // seqs 1 and 2 succeed; the batch holding 3 fails
  bj::writer_options o;
  o.max_batch_records = 1;
  bj::writer w(j, o);
  CHECK(w.append(1, "a").get().value().seq == 1);
  CHECK(w.append(1, "b").get().value().seq == 2);
  auto third = w.append(1, "c").get();
  REQUIRE_FALSE(third.ok());
  CHECK(third.err().code == bj::error_code::io);
  CHECK(third.err().message == "disk on fire");
  auto fourth = w.append(1, "d").get();
  REQUIRE_FALSE(fourth.ok());
  CHECK(fourth.err().code == bj::error_code::closed);
  CHECK(fourth.err().message == "writer closed: batch seq 3..3 failed: disk on fire");
  CHECK(j.last_seq() == 2);
}

TEST_CASE("inline_commit: the ack and the tail record arrive on the appending thread before append returns") {
  temp_dir dir;
  auto j = open_ok(dir.path);
  bj::writer_options o;
  o.inline_commit = true;
  bj::writer w(*j, o);
  std::vector<std::uint64_t> tail;
  std::thread::id tail_thread;
  w.subscribe([&](const bj::record& r) {
    tail.push_back(r.seq);
    tail_thread = std::this_thread::get_id();
  });
  std::vector<std::uint64_t> acked;
  for (int i = 0; i < 3; ++i) {
    w.append(7, "payload", [&](const bj::result<bj::append_ack>& r) {
      REQUIRE(r.ok());
      acked.push_back(r.value().seq);
    });
    CHECK(acked.size() == static_cast<std::size_t>(i + 1));  // already acknowledged
  }
  CHECK(acked == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(tail == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(tail_thread == std::this_thread::get_id());
  CHECK(j->last_seq() == 3);
  CHECK(w.get_stats().batches == 3);  // no group commit
}
