#pragma once
// What the benchmarks that drive a real berthd share (library
// berth_bench_support, linked by api_bench and agent_bench): a fresh berthd
// per measurement with its peak RSS and CPU time, /proc figures of any child
// process, percentiles, built-in manifests, and the RC scale-up measurement
// (scale_watch.cpp) that runs once the nodes are Ready — on an in-process
// hollow fleet (api_bench) or a `berth-agent --hollow N` process (agent_bench).
//
// Speed is measured here, never asserted: a measurement that cannot finish
// (a create refused, pods that never bind) says why in its figures.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/rpc/rpc_security.hpp"

namespace berth::testing {
class berthd_process;
}

namespace berth::cli {
class client;
}

namespace berth::bench {

/// How long a clean stop of berthd may take before the benchmark kills it.
constexpr double k_stop_timeout_s = 10;

/// A berthd child process on a fresh data directory under /tmp, ports chosen by
/// the kernel. Owns the process (SIGTERM on destruction) and the directory
/// (removed on destruction, with berthd's log next to it).
class fresh_berthd {
 public:
  /// Starts the berthd binary at `berthd_path`; throws std::runtime_error
  /// with its log when it does not start.
  explicit fresh_berthd(const std::string& berthd_path, std::vector<std::string> extra_args = {});
  ~fresh_berthd();
  fresh_berthd(const fresh_berthd&) = delete;
  fresh_berthd& operator=(const fresh_berthd&) = delete;

  const std::string& rpc_address() const;
  /// The Kubernetes API's HOST:PORT (HTTPS) and the CA that signed it.
  const std::string& api_address() const;
  std::string ca_pem() const;
  /// What an RPC client pins to reach it (its CA).
  rpc::rpc_security security() const;
  std::string admin_token() const;
  std::string node_token() const;
  /// The file holding the node join token (what `berth-agent --token-file` reads).
  std::string node_token_file() const;

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

/// VmHWM (peak resident set) of process `pid` so far, in MiB; -1 when /proc
/// cannot tell (no such process, or `pid` <= 0).
double peak_rss_mb(pid_t pid);

/// User + system CPU seconds process `pid` has used so far; -1 when unknown.
double cpu_seconds(pid_t pid);

/// Nearest-rank percentile (0 < q <= 1) of unsorted samples; 0 for none.
double percentile(std::vector<double> samples, double q);

/// The one object a built-in YAML manifest describes, decoded and defaulted as
/// the CLI would. Throws std::runtime_error if the manifest is bad (a bug here).
actors::any_object decode_one(const std::string& yaml);

/// Seconds on the monotonic clock since an arbitrary epoch.
double now_s();

/// Scheduling throughput: an RC scaled from 0 to `pods` on `nodes` nodes.
struct scale_up_figures {
  int nodes = 0;
  int pods = 0;
  double join_s = 0;             // all nodes joined and Ready
  double bound_s = -1;           // scale call -> every pod has spec.nodeName (watch); -1: never
  double running_s = -1;         // scale call -> every pod Running (watch); -1: never
  double pods_per_s = -1;        // pods / bound_s; -1: not measured
  double running_per_s = -1;     // pods / running_s; -1: not measured
  std::size_t bound_listed = 0;  // cross-check by list at the end
  std::size_t running_listed = 0;
  double berthd_cpu_s = 0;    // during the scale-up only
  double busy_after_pct = 0;  // berthd's CPU (% of one core) in the second after all pods were Running
  double berthd_peak_rss_mb = 0;
  double stop_s = -1;  // SIGTERM -> exit; -1: killed after k_stop_timeout_s
  std::string error;   // why it did not finish ("" when it did)
};

/// Whether berthd lists exactly `nodes` nodes and every one is Ready.
bool all_nodes_ready(cli::client& c, int nodes);

/// The scale-up itself, once `f.nodes` nodes are Ready on `b`: creates an RC
/// with 0 replicas, scales it to `f.pods` while a watch from the RC's seq
/// records when the last pod was bound and Running, cross-checks by list,
/// then fills berthd's CPU, busy-after, peak RSS and stop time (berthd is
/// stopped at the end). Failures go to `f.error`.
void run_scale_up(fresh_berthd& b, cli::client& c, scale_up_figures& f);

}  // namespace berth::bench
