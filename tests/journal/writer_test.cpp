// Group commit: many producers, contiguous seqs, per-producer order, grouping,
// tail delivery, draining, and what an I/O failure does to later appends.
#include <doctest/doctest.h>

#include <sched.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
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
    batches.push_back(records.size());
    last_ += records.size();
    return {};
  }

 public:
  std::vector<std::size_t> batches;  // records per successful WriteBatch

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

TEST_CASE("close_writes_what_was_queued_then_refuses_while_producers_go_on") {
  temp_dir d;
  auto j = open_ok(d.path);
  bj::writer w(*j);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::atomic<bool> stop{false};
  auto count = [&](const bj::result<bj::append_ack>& r) {
    if (r.ok())
      ++ok;
    else if (r.err().code == bj::error_code::closed)
      ++refused;
    else
      ++other;
  };
  // A producer that goes on appending while the writer closes: what berthd's
  // busy actors do when the shutdown deadline ends the process.
  std::thread producer([&] {
    while (!stop) w.append(1, "busy", count);
  });
  for (int i = 0; i < 500; ++i) w.append(1, "before", count);
  w.close();
  const auto acked_at_close = ok.load();
  CHECK(acked_at_close >= 500);
  CHECK(j->last_seq() == static_cast<std::uint64_t>(acked_at_close));  // acknowledged = durable, nothing more
  w.close();  // idempotent
  w.append(1, "after", count);
  stop = true;
  producer.join();
  CHECK(ok == acked_at_close);
  CHECK(refused >= 1);
  CHECK(other == 0);
  CHECK(j->last_seq() == static_cast<std::uint64_t>(acked_at_close));
}

TEST_CASE("inline_commit: a closed writer refuses appends") {
  temp_dir d;
  auto j = open_ok(d.path);
  bj::writer_options o;
  o.inline_commit = true;
  bj::writer w(*j, o);
  CHECK(w.append(1, "one").get().ok());
  w.close();
  auto r = w.append(1, "two").get();
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().code == bj::error_code::closed);
  CHECK(j->last_seq() == 1);
}

namespace {

std::vector<bj::group_append> group_of(int n, std::atomic<int>& ok, std::atomic<int>& failed) {
  std::vector<bj::group_append> g;
  for (int i = 0; i < n; ++i)
    g.push_back({1, fmt::format("member-{}", i), [&](const bj::result<bj::append_ack>& r) { r.ok() ? ++ok : ++failed; }});
  return g;
}

}  // namespace

TEST_CASE("a group is one write batch even above the caps, and a failure takes all of it") {
  failing_journal j(UINT64_MAX);  // never fails; records the batches
  std::atomic<int> ok{0}, failed{0};
  {
    bj::writer_options o;
    o.max_batch_records = 2;
    bj::writer w(j, o);
    w.append_group(group_of(5, ok, failed));
    w.append_group(group_of(1, ok, failed));
    w.append_group(group_of(3, ok, failed));
  }
  CHECK(ok == 9);
  // Never cut inside a group: 5 stays whole; the others may share a batch up to the cap.
  CHECK(std::find(j.batches.begin(), j.batches.end(), 5u) != j.batches.end());
  std::size_t total = 0;
  for (auto b : j.batches) total += b;
  CHECK(total == 9);

  failing_journal failing(3);  // the batch reaching seq 3: inside the group
  std::atomic<int> ok2{0}, failed2{0};
  {
    bj::writer w(failing, {});
    w.append_group(group_of(4, ok2, failed2));
  }
  CHECK(ok2 == 0);
  CHECK(failed2 == 4);
  CHECK(failing.last_seq() == 0);
}

TEST_CASE("a group with one bad entry is refused whole before it is queued") {
  failing_journal j(UINT64_MAX);
  std::atomic<int> ok{0}, failed{0};
  bj::writer w(j);
  auto g = group_of(3, ok, failed);
  g[1].flags = 0x8000;  // unknown flag
  w.append_group(std::move(g));
  CHECK(failed == 3);
  CHECK(ok == 0);
}

TEST_CASE("a nearly full file system: writes refused as journal full, reads go on, writes resume once freed") {
  // A private mount namespace, so that the small tmpfs is this process's alone.
  REQUIRE_MESSAGE(::geteuid() == 0, "needs root (CI runs as root) to mount a small tmpfs");
  REQUIRE(::unshare(CLONE_NEWNS) == 0);
  REQUIRE(::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) == 0);
  temp_dir d;
  REQUIRE(::mount("tmpfs", d.path.c_str(), "tmpfs", 0, "size=32m") == 0);
  const std::string dir = d.sub("journal");
  {
    auto j = open_ok(dir);
    bj::writer_options o;
    o.min_free_bytes = 8u << 20;
    bj::writer w(*j, o);
    REQUIRE(w.append(1, "before").get().ok());
    // Fill the file system to 4 MiB free: below the margin.
    {
      std::FILE* f = std::fopen(d.sub("ballast").c_str(), "wb");
      REQUIRE(f);
      std::string mib(1 << 20, 'b');
      struct statvfs fs {};
      for (;;) {
        REQUIRE(::statvfs(d.path.c_str(), &fs) == 0);
        if (static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize <= (4u << 20)) break;
        REQUIRE(std::fwrite(mib.data(), 1, mib.size(), f) == mib.size());
        std::fflush(f);
      }
      std::fclose(f);
    }
    std::atomic<int> ok{0}, failed{0};
    auto refused = w.append(1, "while full").get();
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.err().code == bj::error_code::full);
    CHECK(refused.err().message.rfind("journal full: ", 0) == 0);
    CHECK(refused.err().message.find(dir) != std::string::npos);
    CHECK(j->last_seq() == 1);
    CHECK(j->read(1).ok());  // reads go on
    std::filesystem::remove(d.sub("ballast"));
    auto after = w.append(1, "after").get();
    REQUIRE(after.ok());
    CHECK(after.value().seq == 2);  // nothing latched, no gap
  }
  auto j = open_ok(dir);
  CHECK(j->last_seq() == 2);
  REQUIRE(::umount2(d.path.c_str(), MNT_DETACH) == 0);
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
