// Scheduling throughput on in-process hollow nodes: a hollow fleet joins a
// fresh berthd, then run_scale_up (scale_watch.cpp) scales an RC from 0 to N
// and watches every pod get bound and Running. Hollow pods start with no
// latency, so "Running" measures berthd pushing pods to nodes and journaling
// their status reports, not a runtime.
#include "tools/bench/api_bench/api_bench.hpp"

#include <chrono>

#include <fmt/format.h>

#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::bench {
namespace {

// Matches berthd's default --heartbeat-interval (and kubelet's): a hollow fleet
// heartbeating faster would load berthd more than real nodes do.
constexpr std::chrono::milliseconds k_heartbeat{10'000};

}  // namespace

scale_up_figures measure_scale_up(const api_options& o, int nodes, int pods) {
  scale_up_figures f;
  f.nodes = nodes;
  f.pods = pods;
  fresh_berthd b(o.berthd);
  cli::client c(b.rpc_address(), b.admin_token(), b.security());

  agent::hollow_config hc;
  hc.server = b.rpc_address();
  hc.security = b.security();
  hc.token = b.node_token();
  hc.heartbeat_interval = k_heartbeat;
  for (int i = 1; i <= nodes; ++i) {
    agent::hollow_node_spec node;  // the default capacity: 4 cpu, 8Gi, 110 pods
    node.name = fmt::format("hollow-{:04}", i);
    hc.nodes.push_back(std::move(node));
  }
  agent::hollow_fleet fleet(std::move(hc));
  double t = now_s();
  if (auto why = fleet.start(); !why.empty()) return f.error = why, f;
  if (!testing::eventually([&] { return all_nodes_ready(c, nodes); }, 60))
    return f.error = fmt::format("{} nodes did not all get Ready within 60 s", nodes), f;
  f.join_s = now_s() - t;
  run_scale_up(b, c, f);
  return f;
}

}  // namespace berth::bench
