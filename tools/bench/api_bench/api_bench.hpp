#pragma once
// What the control-plane API benchmark's sections share: options, a fresh
// berthd per measurement (with its peak RSS), and the figures each section
// returns. Sections: create_latency.cpp (open-loop create calls at a fixed
// offered rate), scale_up.cpp (RC scale-up to all pods bound / Running on
// hollow nodes); api_bench_main.cpp runs them and prints the report.
//
// Speed is measured here, never asserted: a section that cannot finish (a
// create refused, pods that never bind) says why on stderr and in its figures.

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"

namespace berth::testing {
class berthd_process;
}

namespace berth::bench {

/// Command-line options every section sees.
struct api_options {
  bool json = false;
  bool quick = false;        // whole run in well under a minute
  std::string berthd;        // path of the berthd binary
  int client_threads = 16;   // open-loop senders, each with its own client
};

/// How long a clean stop of berthd may take before the benchmark kills it.
constexpr double k_stop_timeout_s = 10;

/// A berthd child process on a fresh data directory under /tmp, ports chosen by
/// the kernel. Owns the process (SIGTERM on destruction) and the directory
/// (removed on destruction, with berthd's log next to it).
class fresh_berthd {
 public:
  /// Starts berthd; throws std::runtime_error with its log when it does not start.
  explicit fresh_berthd(const api_options& o);
  ~fresh_berthd();
  fresh_berthd(const fresh_berthd&) = delete;
  fresh_berthd& operator=(const fresh_berthd&) = delete;

  const std::string& rpc_address() const;
  std::string admin_token() const;
  std::string node_token() const;

  /// berthd's pid; -1 once it was stopped.
  pid_t pid() const;

  /// SIGTERM, then waits up to `timeout_s` for berthd to exit (SIGKILL after
  /// that). Returns the seconds it took to exit, or -1 when it had to be killed
  /// or was not running. The destructor does this with k_stop_timeout_s.
  double stop(double timeout_s);

  /// VmHWM of berthd so far, in MiB; -1 when /proc cannot tell (berthd gone).
  double peak_rss_mb() const;

  /// User + system CPU seconds berthd has used so far; -1 when unknown.
  double cpu_seconds() const;

 private:
  std::string dir_;
  std::unique_ptr<testing::berthd_process> process_;

  void remove_files();
};

/// Open-loop create latency at one offered rate.
struct create_figures {
  int offered_per_s = 0;
  std::size_t sent = 0;
  std::size_t failed = 0;     // outcomes other than ok (the first reason is on stderr)
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double achieved_per_s = 0;  // ok creates / (last completion - first scheduled send)
  double berthd_cpu_s = 0;
  double berthd_peak_rss_mb = 0;
  double stop_s = -1;         // SIGTERM -> exit; -1: killed after k_stop_timeout_s
};

/// `count` pod creates, sent at `offered_per_s` from several client threads,
/// latency measured from each create's scheduled send time (create_latency.cpp).
create_figures measure_creates(const api_options& o, int offered_per_s, std::size_t count);

/// Scheduling throughput: an RC scaled from 0 to `pods` on `nodes` hollow nodes.
struct scale_up_figures {
  int nodes = 0;
  int pods = 0;
  double join_s = 0;          // all nodes joined and Ready
  double bound_s = -1;        // scale call -> every pod has spec.nodeName (watch); -1: never
  double running_s = -1;      // scale call -> every pod Running (watch); -1: never
  double pods_per_s = -1;     // pods / bound_s; -1: not measured
  double running_per_s = -1;  // pods / running_s; -1: not measured
  std::size_t bound_listed = 0;    // cross-check by list at the end
  std::size_t running_listed = 0;
  double berthd_cpu_s = 0;    // during the scale-up only
  double busy_after_pct = 0;  // berthd's CPU (% of one core) in the second after all pods were Running
  double berthd_peak_rss_mb = 0;
  double stop_s = -1;         // SIGTERM -> exit; -1: killed after k_stop_timeout_s
  std::string error;          // why it did not finish ("" when it did)
};

/// One scale-up on a fresh berthd with `nodes` hollow nodes (scale_up.cpp).
scale_up_figures measure_scale_up(const api_options& o, int nodes, int pods);

/// Nearest-rank percentile (0 < q <= 1) of unsorted samples; 0 for none.
double percentile(std::vector<double> samples, double q);

/// The one object a built-in YAML manifest describes, decoded and defaulted as
/// the CLI would. Throws std::runtime_error if the manifest is bad (a bug here).
actors::any_object decode_one(const std::string& yaml);

/// Seconds on the monotonic clock since an arbitrary epoch.
double now_s();

}  // namespace berth::bench
