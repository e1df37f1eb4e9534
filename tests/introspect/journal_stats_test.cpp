// The journal writer's statistics behind berth_journal_* on /metrics: one
// append-latency observation per durable record, one group-commit
// observation per batch, and nothing for appends that were refused.
#include <doctest/doctest.h>

#include <stdlib.h>

#include <condition_variable>
#include <filesystem>
#include <future>
#include <mutex>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "journal/record_format.hpp"
#include "journal/writer.hpp"

namespace bj = berth::journal;

namespace {

/// A journal in a fresh temporary directory, removed afterwards.
struct temp_journal {
  std::string dir;
  std::unique_ptr<bj::journal> j;
  temp_journal() {
    std::string templ = (std::filesystem::temp_directory_path() / "berth-metrics-test-XXXXXX");
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    dir = templ;
    auto opened = bj::journal::open(dir + "/journal", {});
    REQUIRE_MESSAGE(opened.ok(), (opened.ok() ? "" : opened.err().message));
    j = std::move(opened).value();
  }
  ~temp_journal() {
    j.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

template <class Array>
std::uint64_t total(const Array& a) {
  return std::accumulate(a.begin(), a.end(), std::uint64_t{0});
}

/// Holds the writer thread inside the tail callback of the first record until released.
struct gate {
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, open = false;
  void hold() {
    std::unique_lock l(mu);
    if (entered) return;  // only the first record waits
    entered = true;
    cv.notify_all();
    cv.wait(l, [this] { return open; });
  }
  void wait_entered() {
    std::unique_lock l(mu);
    cv.wait(l, [this] { return entered; });
  }
  void release() {
    std::lock_guard l(mu);
    open = true;
    cv.notify_all();
  }
};

}  // namespace

TEST_CASE("every durable record is one latency observation and every batch one group-commit observation") {
  temp_journal t;
  {
    bj::writer w(*t.j);
    std::vector<std::thread> producers;
    for (int p = 0; p < 4; ++p)
      producers.emplace_back([&w] {
        std::vector<std::future<bj::result<bj::append_ack>>> acks;
        for (int i = 0; i < 25; ++i) acks.push_back(w.append(1, std::string(10, 'x')));
        for (auto& a : acks) REQUIRE(a.get().ok());
      });
    for (auto& p : producers) p.join();

    auto s = w.get_stats();
    CHECK(s.records == 100);
    CHECK(s.bytes == 1000);
    CHECK(s.append_count == 100);
    CHECK(total(s.append_buckets) == 100);
    CHECK(s.append_seconds_sum > 0);
    CHECK(total(s.batch_records_buckets) == s.batches);
    CHECK(s.batches >= 1);
    CHECK(s.batches <= 100);
  }
}

TEST_CASE("records queued while the writer is busy form one batch, counted in the bucket of its size") {
  temp_journal t;
  bj::writer w(*t.j);
  gate g;
  w.subscribe([&g](const bj::record&) { g.hold(); });
  auto first = w.append(1, "a");
  g.wait_entered();  // batch 1 (one record) is durable; the writer is held in its delivery
  auto b = w.append(1, "b");
  auto c = w.append(1, "c");
  auto d = w.append(1, "d");
  g.release();
  REQUIRE(first.get().ok());
  REQUIRE(b.get().ok());
  REQUIRE(c.get().ok());
  REQUIRE(d.get().ok());

  auto s = w.get_stats();
  CHECK(s.batches == 2);
  CHECK(s.records == 4);
  CHECK(s.append_count == 4);
  // Bounds 1, 2, 4, ...: one batch of 1 (le=1) and one of 3 (le=4).
  decltype(s.batch_records_buckets) want{};
  want[0] = 1;
  want[2] = 1;
  CHECK(s.batch_records_buckets == want);
}

TEST_CASE("appends refused up front are in no statistic") {
  temp_journal t;
  bj::writer w(*t.j);
  std::string why;
  w.append(
      1, "x", [&why](const bj::result<bj::append_ack>& r) { why = r.ok() ? "" : r.err().message; }, 0x8000);
  CHECK(why == "append: unknown flags 0x8000");
  auto snapshot = w.append(bj::format::snapshot_type, "x").get();
  REQUIRE(!snapshot.ok());
  CHECK(snapshot.err().code == bj::error_code::invalid_argument);
  auto s = w.get_stats();
  CHECK(s.records == 0);
  CHECK(s.batches == 0);
  CHECK(s.append_count == 0);
  CHECK(total(s.append_buckets) == 0);
  CHECK(total(s.batch_records_buckets) == 0);
  CHECK(s.append_seconds_sum == 0);
}
