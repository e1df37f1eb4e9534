// Hollow scale-up: a fresh berthd and ONE `berth-agent --hollow N` process
// (N simulated nodes, each with its own connection, in one process); once
// every node is Ready, run_scale_up (bench_support.hpp) scales an RC from 0
// to the pod count and watches every pod get bound and Running. Unlike
// api_bench's scale-up, the nodes are the real agent binary (its node and pod
// actors, its RPC), so its peak RSS is measured too.
//
// The agent keeps its default 10 s heartbeat, as berthd's default and
// kubelet's: a fleet heartbeating faster would load berthd more than real
// nodes do.
#include "tools/bench/agent_bench/agent_bench.hpp"

#include <fmt/format.h>

#include "cli/client.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::bench {
namespace {

// 1,000 nodes join in a few seconds; this only bounds a run that hangs.
constexpr double k_join_timeout_s = 120;

}  // namespace

hollow_figures measure_hollow(const agent_bench_options& o) {
  hollow_figures h;
  auto& f = h.scale;
  f.nodes = o.nodes > 0 ? o.nodes : (o.quick ? 100 : 1000);
  f.pods = o.pods > 0 ? o.pods : (o.quick ? 1000 : 10'000);
  std::vector<std::string> no_stats;
  if (!o.actor_stats) no_stats.push_back("--no-actor-stats");
  fresh_berthd b(o.berthd, no_stats);
  cli::client c(b.rpc_address(), b.admin_token(), b.security());
  double t = now_s();
  std::vector<std::string> args{"--token-file",  b.node_token_file(), "--server",
                                b.rpc_address(), "--hollow",          std::to_string(f.nodes)};
  args.insert(args.end(), no_stats.begin(), no_stats.end());
  agent_process agent(o.agent, args);
  if (!testing::eventually([&] { return all_nodes_ready(c, f.nodes); }, k_join_timeout_s)) {
    f.error = fmt::format("{} hollow nodes did not all get Ready within {:.0f} s", f.nodes, k_join_timeout_s);
  } else {
    f.join_s = now_s() - t;
    run_scale_up(b, c, f);  // stops berthd at the end
  }
  h.agent_peak_rss_mb = peak_rss_mb(agent.pid());
  h.agent_cpu_s = cpu_seconds(agent.pid());
  if (!agent.running()) {
    fmt::print(stderr, "agent_bench: berth-agent --hollow exited during the run; its log:\n{}\n", agent.log());
    if (f.error.empty()) f.error = "berth-agent --hollow exited during the run";
  }
  agent.stop(k_stop_timeout_s);
  return h;
}

}  // namespace berth::bench
