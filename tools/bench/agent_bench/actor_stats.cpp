// What the introspection registry's per-actor counters cost on the
// scheduling path: the hollow scale-up (hollow.cpp) run with berthd and the
// agent started with --no-actor-stats, then with the counters (the default),
// alternating so that drift of the machine hits both sides alike. The report
// compares the medians (ratio = with ÷ without).
#include "tools/bench/agent_bench/agent_bench.hpp"

#include <fmt/format.h>

namespace berth::bench {

actor_stats_figures measure_actor_stats(const agent_bench_options& o) {
  actor_stats_figures f;
  f.rounds = o.rounds;
  for (int r = 0; r < o.rounds && f.error.empty(); ++r) {
    for (bool on : {false, true}) {
      auto run = o;
      run.actor_stats = on;
      auto h = measure_hollow(run);
      f.nodes = h.scale.nodes;
      f.pods = h.scale.pods;
      if (!h.scale.error.empty()) {
        f.error = fmt::format("round {} ({}): {}", r + 1, on ? "with stats" : "without", h.scale.error);
        break;
      }
      (on ? f.on_bound_per_s : f.off_bound_per_s).push_back(h.scale.pods_per_s);
      (on ? f.on_running_per_s : f.off_running_per_s).push_back(h.scale.running_per_s);
      (on ? f.on_berthd_cpu_s : f.off_berthd_cpu_s).push_back(h.scale.berthd_cpu_s);
      fmt::print(stderr, "agent_bench: round {} {}: {:.1f} bound/s, {:.1f} Running/s, berthd {:.2f} s CPU\n", r + 1,
                 on ? "with stats" : "without   ", h.scale.pods_per_s, h.scale.running_per_s, h.scale.berthd_cpu_s);
    }
  }
  return f;
}

}  // namespace berth::bench
