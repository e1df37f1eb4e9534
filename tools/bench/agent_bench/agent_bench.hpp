#pragma once
// The node-agent benchmark (berth issue 4). Two sections, each on a fresh
// berthd (bench_support.hpp) and a real berth-agent child process:
//   podstart.cpp  real pod starts on the local Docker, side by side with the
//                 same containers started straight through the Engine API
//                 (docker_side.cpp);
//   hollow.cpp    an RC scale-up on `berth-agent --hollow N` (run_scale_up).
// agent_bench_main.cpp picks the section and prints the report. Run it
// through tools/bench/podstart and tools/bench/hollow.

#include <sys/types.h>

#include <string>
#include <vector>

#include "tools/bench/api_bench/bench_support.hpp"

namespace berth::bench {

/// Command-line options of both sections.
struct agent_bench_options {
  enum class section_kind : std::uint8_t { podstart, hollow, actor_stats };
  section_kind section = section_kind::podstart;
  bool json = false;
  bool quick = false;
  std::string berthd;  // path of the berthd binary
  std::string agent;   // path of the berth-agent binary
  std::string docker_socket = "/var/run/docker.sock";
  int pods = 0;             // 0: the section's default (podstart 20 / 5, hollow 10,000 / 1,000)
  int nodes = 0;            // hollow only; 0: 1,000 / 100
  int rounds = 3;           // actor-stats: hollow runs with and without the stats, each
  bool actor_stats = true;  // false: berthd and the agent run with --no-actor-stats
};

/// A berth-agent child process; stdout and stderr go to a log file under
/// /tmp (removed on destruction, which also stops the process).
class agent_process {
 public:
  /// Starts `binary args...`; throws std::runtime_error when fork fails.
  agent_process(const std::string& binary, const std::vector<std::string>& args);
  ~agent_process();
  agent_process(const agent_process&) = delete;
  agent_process& operator=(const agent_process&) = delete;

  /// The child's pid; -1 once it was stopped.
  pid_t pid() const { return pid_; }
  /// Whether the child is still alive (it is reaped when it exited).
  bool running();
  /// Everything it wrote so far.
  std::string log() const;
  /// SIGTERM, waits up to `timeout_s`, then SIGKILL; reaps the child.
  /// Returns the seconds it took to exit, or -1 when it had to be killed.
  double stop(double timeout_s);

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

/// Median and p90 of one series of samples, in ms.
struct latency_summary {
  double p50_ms = -1;
  double p90_ms = -1;
  double min_ms = -1;
  double max_ms = -1;
};

/// Summarises `samples_ms` (all -1 for none).
latency_summary summarise(const std::vector<double>& samples_ms);

/// Real pod starts, one at a time, and the same containers through the Engine API.
struct podstart_figures {
  int pods = 0;
  std::string node;
  std::vector<double> berth_ms;      // just before create -> the watch saw Running
  std::vector<double> infra_app_ms;  // Engine API: pause + joined busybox, until inspect says running
  std::vector<double> plain_ms;      // Engine API: busybox alone
  // Where a berth pod start goes, from the watch and the containers' Docker
  // timestamps (wall clock): create -> bound seen, create -> infra container
  // created, infra created -> app container started, app started -> Running seen.
  std::vector<double> bound_ms, to_infra_ms, docker_ms, report_ms;
  double berthd_peak_rss_mb = -1;
  double agent_peak_rss_mb = -1;
  std::string error;  // why the run stopped early ("" when it did not)
};

/// The podstart section (podstart.cpp).
podstart_figures measure_podstart(const agent_bench_options& o);

/// An RC scale-up on one `berth-agent --hollow N` process.
struct hollow_figures {
  scale_up_figures scale;
  double agent_peak_rss_mb = -1;
  double agent_cpu_s = -1;  // over the whole run (join included)
};

/// The hollow section (hollow.cpp).
hollow_figures measure_hollow(const agent_bench_options& o);

/// What the per-actor counters cost (actor_stats.cpp): hollow runs with
/// --no-actor-stats and with the stats, alternating, `rounds` of each.
struct actor_stats_figures {
  int nodes = 0, pods = 0, rounds = 0;
  std::vector<double> off_bound_per_s, on_bound_per_s;      // pods bound per second
  std::vector<double> off_running_per_s, on_running_per_s;  // pods Running per second
  std::vector<double> off_berthd_cpu_s, on_berthd_cpu_s;    // berthd CPU during the scale-up
  std::string error;
};
actor_stats_figures measure_actor_stats(const agent_bench_options& o);

}  // namespace berth::bench
