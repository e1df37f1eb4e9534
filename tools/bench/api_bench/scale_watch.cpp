// The RC scale-up measurement shared by api_bench (in-process hollow fleet)
// and agent_bench (a `berth-agent --hollow N` process): once the nodes are
// Ready, an RC is created with 0 replicas and then scaled to N; a watch on
// the RC's pods (from the RC's creation seq, so nothing is missed however
// late it connects) records when the last pod got its spec.nodeName and when
// the last one was reported Running.
#include "tools/bench/api_bench/bench_support.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/client.hpp"

namespace berth::bench {
namespace {

constexpr const char* k_rc_name = "scale-bench";

// Small requests: 110 pods fit a hollow node (4 cpu, 8Gi, 110 pods) by every
// measure, so the pod count, not cpu, caps what a node takes.
constexpr const char* k_rc_yaml = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: scale-bench
spec:
  replicas: 0
  template:
    metadata:
      labels:
        app: scale-bench
    spec:
      containers:
      - name: web
        image: busybox:1.36
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
)";

// How long a scale-up may take, and how long the watch may stay silent,
// before the run is reported as not finished.
constexpr double k_deadline_s = 300;
constexpr std::uint64_t k_silence_ms = 30'000;

/// What the watch saw: the time the last pod was bound / Running (-1: not yet).
struct watch_outcome {
  double all_bound_at = -1;
  double all_running_at = -1;
  std::size_t bound = 0;
  std::size_t running = 0;
  std::string end;  // why the watch ended early ("" when it saw everything)
};

watch_outcome watch_pods(const std::string& server, const std::string& token, const rpc::rpc_security& security,
                         std::uint64_t from_seq, int pods,
                         double deadline) {
  watch_outcome w;
  std::set<std::string> bound, running;
  auto want = static_cast<std::size_t>(pods);
  try {
    cli::client c(server, token, security);
    auto why = c.watch(
        actors::kind::pod, "default", std::string("app=") + k_rc_name, "", from_seq,
        [&](const actors::watch_event& e) {
          const auto& p = std::get<model::pod>(e.object);
          if (e.type != actors::watch_event_type::deleted) {
            if (!p.spec.node_name.empty()) bound.insert(p.metadata.name);
            if (p.status.phase == model::pod_phase::running) running.insert(p.metadata.name);
          }
          double t = now_s();
          if (w.all_bound_at < 0 && bound.size() >= want) w.all_bound_at = t;
          if (w.all_running_at < 0 && running.size() >= want) w.all_running_at = t;
          return w.all_running_at < 0 && t < deadline;
        },
        k_silence_ms);
    if (w.all_running_at < 0) w.end = why.empty() ? "deadline passed" : "watch ended: " + why;
  } catch (const std::exception& e) {
    w.end = e.what();
  }
  w.bound = bound.size();
  w.running = running.size();
  return w;
}

/// Creates the RC with 0 replicas; returns its seq, or 0 with `error` set.
std::uint64_t create_rc(cli::client& c, std::string& error) {
  auto created = c.create(decode_one(k_rc_yaml));
  if (created.result != actors::outcome::code::ok) error = "creating the RC failed: " + created.message;
  return created.seq;
}

void count_listed(cli::client& c, scale_up_figures& f) {
  for (const auto& o : c.list(actors::kind::pod, "default", std::string("app=") + k_rc_name).items) {
    const auto& p = std::get<model::pod>(o);
    if (p.metadata.deletion_timestamp != 0) continue;
    f.bound_listed += p.spec.node_name.empty() ? 0 : 1;
    f.running_listed += p.status.phase == model::pod_phase::running ? 1 : 0;
  }
}

}  // namespace

bool all_nodes_ready(cli::client& c, int nodes) {
  auto listed = c.list(actors::kind::node, "");
  if (static_cast<int>(listed.items.size()) != nodes) return false;
  return std::all_of(listed.items.begin(), listed.items.end(), [](const actors::any_object& o) {
    const auto* ready = model::find_condition(std::get<model::node>(o).status.conditions, "Ready");
    return ready && ready->status == model::condition_status::is_true;
  });
}

void run_scale_up(fresh_berthd& b, cli::client& c, scale_up_figures& f) {
  auto pods = f.pods;
  auto seq = create_rc(c, f.error);
  if (seq == 0) return;
  double cpu_before = b.cpu_seconds();
  double t_scale = now_s();
  watch_outcome w;
  std::thread watcher([&] { w = watch_pods(b.rpc_address(), b.admin_token(), b.security(), seq, pods, t_scale + k_deadline_s); });
  auto scaled = c.scale({actors::kind::replication_controller, "default", k_rc_name}, pods);
  watcher.join();
  if (scaled.result != actors::outcome::code::ok) f.error = "scaling the RC failed: " + scaled.message;
  f.berthd_cpu_s = b.cpu_seconds() - cpu_before;
  if (w.all_bound_at >= 0) f.bound_s = w.all_bound_at - t_scale;
  if (w.all_running_at >= 0) f.running_s = w.all_running_at - t_scale;
  f.pods_per_s = f.bound_s > 0 ? pods / f.bound_s : -1;
  f.running_per_s = f.running_s > 0 ? pods / f.running_s : -1;
  if (f.error.empty() && !w.end.empty())
    f.error = fmt::format("{} ({} of {} bound, {} Running)", w.end, w.bound, pods, w.running);
  count_listed(c, f);
  // Work berthd still has queued once the figures are in (a backlog in some
  // actor) shows as CPU time spent after the last pod was Running.
  double cpu_after = b.cpu_seconds(), t_after = now_s();
  std::this_thread::sleep_for(std::chrono::seconds(1));
  f.busy_after_pct = 100 * (b.cpu_seconds() - cpu_after) / (now_s() - t_after);
  f.berthd_peak_rss_mb = b.peak_rss_mb();
  f.stop_s = b.stop(k_stop_timeout_s);
}

}  // namespace berth::bench
