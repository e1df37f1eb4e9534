// api_bench [--json] [--quick]: berthd's API and scheduler, measured on a real
// berthd process (fresh journal each time) with hollow nodes. Run it through
// tools/bench/api.
//   1. create latency at fixed offered rates (open loop: each create has a
//      scheduled send time and its latency counts from then, so queueing is
//      not hidden), p50 / p99;
//   2. scheduling throughput: an RC scaled from 0 to P pods, until every pod is
//      bound (and Running) on 100 and 1,000 hollow nodes;
//   3. berthd's peak RSS (VmHWM).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/integration/berthd_process.hpp"

namespace {

using namespace berth;
using steady = std::chrono::steady_clock;

struct options {
  bool json = false;
  bool quick = false;
};

double peak_rss_mb(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

model::pod bare_pod(const std::string& name) {
  model::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.labels["app"] = "bench";
  model::container c;
  c.name = "c";
  c.image = "busybox";
  p.spec.containers.push_back(c);
  return p;
}

struct latency_result {
  double p50_ms = 0, p99_ms = 0, achieved_per_s = 0;
};

/// Creates `rate * seconds` pods at `rate` per second from `threads` clients.
latency_result create_latency(testing::berthd_process& b, int rate, double seconds, int threads) {
  const int total = static_cast<int>(rate * seconds);
  std::vector<double> latencies(static_cast<std::size_t>(total));
  auto t0 = steady::now() + std::chrono::milliseconds(100);
  std::atomic<std::int64_t> last_done_ns{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      cli::client c(b.rpc_address(), b.admin_token());  // one per thread: it owns a KJ loop
      for (int i = t; i < total; i += threads) {
        auto scheduled = t0 + std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 * i / rate));
        std::this_thread::sleep_until(scheduled);
        auto o = c.create(bare_pod(fmt::format("p{}-{}", rate, i)));
        if (o.result != actors::outcome::code::ok) {
          fmt::print(stderr, "api_bench: create failed: {}\n", o.message);
          std::exit(2);
        }
        auto done = steady::now();
        latencies[static_cast<std::size_t>(i)] = std::chrono::duration<double, std::milli>(done - scheduled).count();
        auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(done - t0).count();
        auto prev = last_done_ns.load();
        while (ns > prev && !last_done_ns.compare_exchange_weak(prev, ns)) {
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) { return latencies[static_cast<std::size_t>(q * (latencies.size() - 1))]; };
  return {at(0.50), at(0.99), total / (last_done_ns.load() / 1e9)};
}

struct scheduling_result {
  double bound_per_s = 0, running_per_s = 0;
};

/// Scales an RC from 0 to `pods` on `nodes` hollow nodes; times all bound and all Running.
scheduling_result scheduling(testing::berthd_process& b, int nodes, int pods) {
  agent::hollow_config cfg;
  cfg.server = b.rpc_address();
  cfg.token = b.node_token();
  cfg.heartbeat_interval = std::chrono::milliseconds(5000);
  for (int i = 0; i < nodes; ++i) cfg.nodes.push_back({fmt::format("node-{}", i), "64", "256Gi", 250, {}});
  agent::hollow_fleet fleet(cfg);
  if (auto why = fleet.start(); !why.empty()) {
    fmt::print(stderr, "api_bench: {}\n", why);
    std::exit(2);
  }
  cli::client c(b.rpc_address(), b.admin_token());
  auto decoded = manifest::decode_manifests(
      "apiVersion: v1\nkind: ReplicationController\nmetadata: {name: scale}\nspec:\n  replicas: 0\n"
      "  template:\n    metadata: {labels: {app: scale}}\n    spec:\n      containers:\n"
      "      - {name: c, image: busybox}\n",
      "bench");
  auto rc = std::get<model::replication_controller>(decoded.objects.at(0).object);
  if (c.create(rc).result != actors::outcome::code::ok) std::exit(2);
  auto t0 = steady::now();
  c.scale({actors::kind::replication_controller, "default", "scale"}, pods);
  double bound_s = 0, running_s = 0;
  while (running_s == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::size_t bound = 0, running = 0;
    for (const auto& o : c.list(actors::kind::pod, "default", "app=scale").items) {
      const auto& p = std::get<model::pod>(o);
      bound += p.spec.node_name.empty() ? 0 : 1;
      running += p.status.phase == model::pod_phase::running ? 1 : 0;
    }
    double elapsed = std::chrono::duration<double>(steady::now() - t0).count();
    if (bound_s == 0 && bound == static_cast<std::size_t>(pods)) bound_s = elapsed;
    if (running == static_cast<std::size_t>(pods)) running_s = elapsed;
    if (elapsed > 300) {
      fmt::print(stderr, "api_bench: gave up after 300 s ({} bound, {} running)\n", bound, running);
      std::exit(2);
    }
  }
  return {pods / bound_s, pods / running_s};
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") o.json = true;
    else if (a == "--quick") o.quick = true;
    else return fmt::print(stderr, "usage: api_bench [--json] [--quick]\n"), 1;
  }
  double peak = 0;
  std::vector<std::pair<int, latency_result>> latency;
  for (int rate : {200, 1000}) {
    testing::berthd_process b(testing::make_temp_dir("berth-apibench"));
    b.start();
    latency.emplace_back(rate, create_latency(b, rate, o.quick ? 1.0 : 5.0, rate >= 1000 ? 8 : 4));
    peak = std::max(peak, peak_rss_mb(b.pid()));
  }
  std::vector<std::tuple<int, int, scheduling_result>> sched;
  for (auto [nodes, pods] : {std::pair{100, o.quick ? 300 : 1000}, std::pair{1000, o.quick ? 1000 : 5000}}) {
    testing::berthd_process b(testing::make_temp_dir("berth-apibench"), {"--snapshot-every", "50000"});
    b.start();
    sched.emplace_back(nodes, pods, scheduling(b, nodes, pods));
    peak = std::max(peak, peak_rss_mb(b.pid()));
  }
  if (o.json) {
    std::string p50, p99, ach, bound, running;
    for (auto& [rate, r] : latency) {
      auto sep = p50.empty() ? "" : ",";
      p50 += fmt::format("{}\"{}\":{:.3f}", sep, rate, r.p50_ms);
      p99 += fmt::format("{}\"{}\":{:.3f}", sep, rate, r.p99_ms);
      ach += fmt::format("{}\"{}\":{:.0f}", sep, rate, r.achieved_per_s);
    }
    for (auto& [nodes, pods, r] : sched) {
      auto sep = bound.empty() ? "" : ",";
      bound += fmt::format("{}\"{}\":{:.0f}", sep, nodes, r.bound_per_s);
      running += fmt::format("{}\"{}\":{:.0f}", sep, nodes, r.running_per_s);
    }
    fmt::print("{{\"create_p50_ms\":{{{}}},\"create_p99_ms\":{{{}}},\"achieved_creates_per_s\":{{{}}},"
               "\"pods_per_s\":{{{}}},\"pods_running_per_s\":{{{}}},\"berthd_peak_rss_mb\":{:.1f}}}\n",
               p50, p99, ach, bound, running, peak);
    return 0;
  }
  fmt::print("create latency (open loop, bare pods)\n{:>12} {:>10} {:>10} {:>12}\n", "offered/s", "p50 ms", "p99 ms",
             "achieved/s");
  for (auto& [rate, r] : latency)
    fmt::print("{:>12} {:>10.2f} {:>10.2f} {:>12.0f}\n", rate, r.p50_ms, r.p99_ms, r.achieved_per_s);
  fmt::print("\nscheduling: RC scaled from 0 (hollow nodes)\n{:>8} {:>8} {:>14} {:>16}\n", "nodes", "pods",
             "bound pods/s", "running pods/s");
  for (auto& [nodes, pods, r] : sched)
    fmt::print("{:>8} {:>8} {:>14.0f} {:>16.0f}\n", nodes, pods, r.bound_per_s, r.running_per_s);
  fmt::print("\nberthd peak RSS: {:.1f} MB\n", peak);
}
