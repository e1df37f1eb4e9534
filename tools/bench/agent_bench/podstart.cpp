// Real pod start: a fresh berthd and one real berth-agent on the local
// Docker. Pods are started one at a time: the clock starts just before the
// create call and stops when a watch on the pod (from the create's seq, so
// nothing is missed) sees it Running; the pod is then deleted and the next
// one waits until it is gone. In the same loop, the same containers are
// started straight through the Engine API (docker_side): infra + app, the
// layout of a berth pod, and the app container alone.
//
// One warm-up round of each kind runs first and is not counted: the first
// container start after a while pays for cold caches that would otherwise
// land on whichever kind happens to go first.
#include "tools/bench/agent_bench/agent_bench.hpp"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <optional>

#include <fmt/format.h>

#include "cli/client.hpp"
#include "schema/runtime.capnp.h"
#include "tests/integration/berthd_process.hpp"
#include "tools/bench/agent_bench/docker_side.hpp"

namespace berth::bench {
namespace {

constexpr const char* k_pause_image = "berth/pause:latest";
constexpr const char* k_app_image = "busybox";

// PID 1 of a container ignores SIGTERM unless it traps it: without the trap
// every deletion would wait out the 30 s grace period.
constexpr const char* k_script = "trap 'exit 0' TERM; sleep 100000 & wait";

constexpr const char* k_pod_yaml = R"(apiVersion: v1
kind: Pod
metadata:
  name: template
  labels:
    app: podstart-bench
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
)";

// A pod start or deletion that sees no watch event for this long has failed.
constexpr std::uint64_t k_silence_ms = 60'000;

std::int64_t wall_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// One berth pod start as the client saw it.
struct pod_sample {
  double total_ms = -1;  // just before create -> Running seen
  double bound_ms = -1;  // just before create -> spec.nodeName seen
  std::int64_t create_wall_ns = 0;
  std::int64_t running_wall_ns = 0;
};

/// Creates pod `name` and watches it until Running; nullopt with `error` set when it did not get there.
std::optional<pod_sample> start_pod(cli::client& c, const model::pod& templ, const std::string& name,
                                    std::string& error) {
  auto pod = templ;
  pod.metadata.name = name;
  pod_sample s;
  s.create_wall_ns = wall_ns();
  double t0 = now_s();
  auto created = c.create(pod);
  if (created.result != actors::outcome::code::ok)
    return error = "creating " + name + ": " + created.message, std::nullopt;
  std::string phase_seen;
  auto why = c.watch(
      actors::kind::pod, "default", "app=podstart-bench", "", created.seq,
      [&](const actors::watch_event& e) {
        const auto& p = std::get<model::pod>(e.object);
        if (p.metadata.name != name || e.type == actors::watch_event_type::deleted) return true;
        double t = now_s();
        if (s.bound_ms < 0 && !p.spec.node_name.empty()) s.bound_ms = (t - t0) * 1e3;
        if (p.status.phase == model::pod_phase::running) {
          s.total_ms = (t - t0) * 1e3;
          s.running_wall_ns = wall_ns();
          return false;
        }
        phase_seen = model::phase_name(p.status.phase);
        return p.status.phase != model::pod_phase::failed && p.status.phase != model::pod_phase::succeeded;
      },
      k_silence_ms);
  if (s.total_ms >= 0) return s;
  error = fmt::format("pod {} did not get Running (last phase seen: {}; watch: {})", name,
                      phase_seen.empty() ? "none" : phase_seen, why.empty() ? "ended" : why);
  return std::nullopt;
}

/// Deletes pod `name` and waits until berthd removed it; false with `error` set when it did not go.
bool delete_pod(cli::client& c, const std::string& name, std::string& error) {
  auto removed = c.remove({actors::kind::pod, "default", name});
  if (removed.result != actors::outcome::code::ok) return error = "deleting " + name + ": " + removed.message, false;
  bool gone = false;
  auto why = c.watch(
      actors::kind::pod, "default", "app=podstart-bench", "", removed.seq,
      [&](const actors::watch_event& e) {
        gone = e.type == actors::watch_event_type::deleted && std::get<model::pod>(e.object).metadata.name == name;
        return !gone;
      },
      k_silence_ms);
  if (!gone) error = fmt::format("pod {} was not removed after its deletion (watch: {})", name, why);
  return gone;
}

/// One round: a berth pod (with where its time went), then Docker infra + app, then Docker plain.
/// Returns false with `f.error` set when the run cannot go on.
bool one_round(cli::client& c, docker_side& docker, const model::pod& templ, int index, bool counted,
               podstart_figures& f) {
  auto name = counted ? fmt::format("podstart-{:03}", index) : std::string("podstart-warmup");
  auto s = start_pod(c, templ, name, f.error);
  if (!s) return false;
  auto times = docker.pod_times(f.node, name);
  if (!delete_pod(c, name, f.error)) return false;
  double infra_app = docker.start_infra_app(index);
  double plain = docker.start_plain(index);
  if (!counted) return true;
  f.berth_ms.push_back(s->total_ms);
  f.bound_ms.push_back(s->bound_ms);
  f.infra_app_ms.push_back(infra_app * 1e3);
  f.plain_ms.push_back(plain * 1e3);
  if (times.infra_created_ns > 0 && times.app_started_ns > 0) {
    f.to_infra_ms.push_back(static_cast<double>(times.infra_created_ns - s->create_wall_ns) / 1e6);
    f.docker_ms.push_back(static_cast<double>(times.app_started_ns - times.infra_created_ns) / 1e6);
    f.report_ms.push_back(static_cast<double>(s->running_wall_ns - times.app_started_ns) / 1e6);
  }
  return true;
}

void run_rounds(const agent_bench_options& o, fresh_berthd& b, docker_side& docker, podstart_figures& f) {
  cli::client c(b.rpc_address(), b.admin_token(), b.security());
  agent_process agent(o.agent,
                      {"--token-file", b.node_token_file(), "--server", b.rpc_address(), "--node-name", f.node});
  if (!testing::eventually([&] { return all_nodes_ready(c, 1); }, 30)) {
    f.error = fmt::format("node {} did not get Ready within 30 s", f.node);
  } else {
    auto templ = std::get<model::pod>(decode_one(k_pod_yaml));
    for (int i = -1; i < f.pods && one_round(c, docker, templ, i, i >= 0, f); ++i) {}
  }
  f.agent_peak_rss_mb = peak_rss_mb(agent.pid());
  f.berthd_peak_rss_mb = b.peak_rss_mb();
  agent.stop(k_stop_timeout_s);
  if (!f.error.empty()) fmt::print(stderr, "agent_bench: berth-agent's log:\n{}\n", agent.log());
}

}  // namespace

latency_summary summarise(const std::vector<double>& samples_ms) {
  latency_summary s;
  if (samples_ms.empty()) return s;
  s.p50_ms = percentile(samples_ms, 0.5);
  s.p90_ms = percentile(samples_ms, 0.9);
  s.min_ms = percentile(samples_ms, 0);
  s.max_ms = percentile(samples_ms, 1);
  return s;
}

podstart_figures measure_podstart(const agent_bench_options& o) {
  podstart_figures f;
  f.pods = o.pods > 0 ? o.pods : (o.quick ? 5 : 20);
  f.node = fmt::format("podbench-{}-{}", ::getpid(), std::time(nullptr));
  // Declared first, destroyed last: its destructor sweeps this run's containers.
  docker_side docker(o.docker_socket, f.node, k_pause_image, k_app_image, {"sh", "-c", k_script});
  {
    fresh_berthd b(o.berthd);
    try {
      run_rounds(o, b, docker, f);
    } catch (const std::exception& e) {
      f.error = e.what();
    }
  }
  // Pods the agent left behind (a run that stopped early): its containers carry the node's name.
  auto left = docker.remove_labelled(fmt::format("{}={}", schema::LABEL_NODE.get().cStr(), f.node));
  if (left > 0) fmt::print(stderr, "agent_bench: removed {} containers node {} left behind\n", left, f.node);
  return f;
}

}  // namespace berth::bench
