// journal_bench [--json] [--quick]: durable appends per second through the
// journal writer (group commit), side by side with the same threads writing the
// same payloads straight to RocksDB with sync=true (RocksDB's own group commit,
// the practical limit of this disk). Run it through tools/bench/journal.
//
// main() runs a list of sections; each section is a function that measures
// something and adds its JSON members and its table to a bench_report. The
// journal section lives here; the fold/replay section is in fold_bench.cpp.
#include <fmt/format.h>
#include <rocksdb/db.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <random>
#include <semaphore>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "journal/journal.hpp"
#include "journal/record.hpp"
#include "journal/writer.hpp"
#include "tools/bench/bench_report.hpp"
#include "tools/bench/journal_debug_bench.hpp"

namespace berth::bench {

namespace {

using steady = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
  fmt::print(stderr, "journal_bench: {}\n", what);
  std::exit(2);
}

/// Incompressible bytes, so neither side gains from RocksDB's compression.
std::string random_payload(std::size_t size, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::string s(size, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

/// Appends done and wall time taken by one or more trials.
struct tally {
  double appends = 0;
  double seconds = 0;
  std::uint64_t batches = 0;  // journal only
  double per_s() const { return seconds > 0 ? appends / seconds : 0; }
  void add(const tally& t) {
    appends += t.appends;
    seconds += t.seconds;
    batches += t.batches;
  }
};

/// Runs `producers` threads calling `one_append(thread)` in a closed loop for
/// `duration`.
template <class F>
tally closed_loop(int producers, std::chrono::milliseconds duration, F one_append) {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> done{0};
  std::vector<std::thread> threads;
  const auto start = steady::now();
  for (int t = 0; t < producers; ++t)
    threads.emplace_back([&, t] {
      std::uint64_t n = 0;
      while (!stop.load(std::memory_order_relaxed)) {
        one_append(t);
        ++n;
      }
      done += n;
    });
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& th : threads) th.join();
  return {static_cast<double>(done.load()), std::chrono::duration<double>(steady::now() - start).count()};
}

tally run_journal(int producers, std::size_t payload_bytes, std::chrono::milliseconds d, bool latency_stats = true) {
  temp_dir dir;
  auto j = journal::journal::open(dir.path, {});
  if (!j.ok()) die("open journal: " + j.err().message);
  journal::writer_options wo;
  wo.latency_stats = latency_stats;
  journal::writer w(*j.value(), wo);
  std::vector<std::string> payloads;
  for (int t = 0; t < producers; ++t) payloads.push_back(random_payload(payload_bytes, t));
  std::deque<std::binary_semaphore> acked;  // not movable: a deque never relocates them
  for (int t = 0; t < producers; ++t) acked.emplace_back(0);
  std::atomic<bool> failed{false};
  tally r = closed_loop(producers, d, [&](int t) {
    w.append(1, payloads[t], [&, t](const journal::result<journal::append_ack>& a) {
      if (!a.ok()) failed = true;
      acked[t].release();
    });
    acked[t].acquire();
  });
  if (failed) die("an append failed");
  r.batches = w.get_stats().batches;
  return r;
}

tally run_raw_rocksdb(int producers, std::size_t payload_bytes, std::chrono::milliseconds d) {
  temp_dir dir;
  rocksdb::Options options;
  options.create_if_missing = true;
  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::Open(options, dir.path, &raw); !s.ok()) die("open rocksdb: " + s.ToString());
  std::unique_ptr<rocksdb::DB> db(raw);
  std::vector<std::string> payloads;
  for (int t = 0; t < producers; ++t) payloads.push_back(random_payload(payload_bytes, t));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  std::atomic<std::uint64_t> next_key{1};
  tally r = closed_loop(producers, d, [&](int t) {
    const std::string key = journal::encode_key(next_key.fetch_add(1));
    if (auto s = db->Put(sync, key, payloads[t]); !s.ok()) die("rocksdb put: " + s.ToString());
  });
  db->Close().PermitUncheckedError();
  return r;
}

/// Durable appends per second at 1, 16, 256 producers x 256 B, 2 KiB payloads.
/// Each case alternates short journal and raw trials (fresh directories) so
/// that a load change on a shared machine hits both sides alike.
void journal_section(bench_report& report, const bench_options& o) {
  const int rounds = o.quick ? 2 : 4;
  const std::chrono::milliseconds trial(o.quick ? 150 : 500);
  std::string cases, table;
  table += "journal: durable appends per second, closed loop (each producer waits for its ack)\n";
  table += fmt::format("{:>9} {:>8} {:>12} {:>14} {:>6} {:>14} {:>16} {:>11}\n", "producers", "payload", "journal/s",
                       "raw rocksdb/s", "ratio", "records/batch", "no-latency-stats/s", "stats cost");
  for (int producers : {1, 16, 256})
    for (std::size_t bytes : {std::size_t{256}, std::size_t{2048}}) {
      // bare: the writer without its append-latency histogram (/metrics'
      // berth_journal_append_seconds), to show what that costs.
      tally ours, raw, bare;
      for (int round = 0; round < rounds; ++round) {
        if (round % 2 == 0) raw.add(run_raw_rocksdb(producers, bytes, trial));
        if (round % 2 == 1) bare.add(run_journal(producers, bytes, trial, false));
        ours.add(run_journal(producers, bytes, trial));
        if (round % 2 == 0) bare.add(run_journal(producers, bytes, trial, false));
        if (round % 2 == 1) raw.add(run_raw_rocksdb(producers, bytes, trial));
      }
      const double stats_cost = bare.per_s() > 0 ? 1 - ours.per_s() / bare.per_s() : 0;
      const double ratio = raw.per_s() > 0 ? ours.per_s() / raw.per_s() : 0;
      const double per_batch = ours.batches ? ours.appends / static_cast<double>(ours.batches) : 0;
      cases += fmt::format(
          "{}{{\"producers\":{},\"payload_bytes\":{},\"appends_per_s\":{:.0f},"
          "\"raw_rocksdb_appends_per_s\":{:.0f},\"ratio_vs_raw_rocksdb\":{:.3f},"
          "\"records_per_batch\":{:.1f},\"no_latency_stats_appends_per_s\":{:.0f},"
          "\"latency_stats_cost\":{:.3f}}}",
          cases.empty() ? "" : ",", producers, bytes, ours.per_s(), raw.per_s(), ratio, per_batch, bare.per_s(),
          stats_cost);
      table += fmt::format("{:>9} {:>8} {:>12.0f} {:>14.0f} {:>6.2f} {:>14.1f} {:>16.0f} {:>10.1f}%\n", producers,
                           bytes, ours.per_s(), raw.per_s(), ratio, per_batch, bare.per_s(), 100 * stats_cost);
      if (!o.json) fmt::print(stderr, ".");  // progress while the table is being built
    }
  if (!o.json) fmt::print(stderr, "\n");
  report.members.push_back({"cases", "[" + cases + "]"});
  report.tables.push_back(std::move(table));
}

}  // namespace
}  // namespace berth::bench

int main(int argc, char** argv) {
  using namespace berth::bench;
  bench_options o;
  bool debug_only = false;    // only the debugging section (journal_debug_bench.cpp)
  bool appends_only = false;  // only the appends section (journal vs raw RocksDB)
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--json")
      o.json = true;
    else if (a == "--quick")
      o.quick = true;
    else if (a == "--debug-only")
      debug_only = true;
    else if (a == "--appends-only")
      appends_only = true;
    else {
      fmt::print(stderr, "usage: journal_bench [--json] [--quick] [--debug-only | --appends-only]\n");
      return a == "--help" || a == "-h" ? 0 : 1;
    }
  }
  // Sections run in this order; each adds JSON members and a table.
  using section = void (*)(bench_report&, const bench_options&);
  const section sections[] = {journal_section, fold_section, debug_section};
  bench_report report;
  for (section s : sections)
    if ((!debug_only || s == debug_section) && (!appends_only || s == journal_section)) s(report, o);
  if (o.json)
    fmt::print("{}\n", report.to_json());
  else
    fmt::print("{}", report.to_text());
}
