// agent_bench: the node-agent benchmark (berth issue 4).
//   agent_bench podstart ...   real pod starts vs the same containers through the Engine API
//   agent_bench hollow ...     RC scale-up on one `berth-agent --hollow N` process
//   agent_bench actor-stats .. the hollow scale-up without and with per-actor counters
// Run it through tools/bench/podstart and tools/bench/hollow, which build a
// release tree first.
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "actors/text/json_quote.hpp"
#include "tools/bench/agent_bench/agent_bench.hpp"

namespace {

using namespace berth::bench;

constexpr const char* k_usage = R"(usage: agent_bench podstart|hollow|actor-stats --berthd PATH --agent PATH [options]
  --berthd PATH      the berthd binary (a fresh one per run)
  --agent PATH       the berth-agent binary
  --json             print one JSON object instead of tables
  --quick            a short run (podstart: 5 pods; hollow: 1,000 pods on 100 nodes)
  --pods N           podstart: pods started one at a time (default 20); hollow: RC replicas (default 10,000)
  --nodes N          hollow: simulated nodes (default 1,000)
  --rounds N         actor-stats: runs without and with the counters, each (default 3)
  --docker-socket P  podstart: dockerd's socket (default /var/run/docker.sock))";

[[noreturn]] void usage_error(const std::string& why) {
  fmt::print(stderr, "agent_bench: {}\n{}\n", why, k_usage);
  std::exit(1);
}

void require_executable(const std::string& flag, const std::string& path) {
  if (path.empty()) usage_error(flag + " PATH is required");
  if (::access(path.c_str(), X_OK) != 0)
    usage_error(fmt::format("{} is not executable: {}", path, std::strerror(errno)));
}

/// Parses argv; prints why and exits 1 on a bad argument.
agent_bench_options parse(int argc, char** argv) {
  agent_bench_options o;
  if (argc < 2) usage_error("which section: podstart or hollow?");
  std::string section = argv[1];
  if (section == "-h" || section == "--help") fmt::print("{}\n", k_usage), std::exit(0);
  if (section == "podstart")
    o.section = agent_bench_options::section_kind::podstart;
  else if (section == "hollow")
    o.section = agent_bench_options::section_kind::hollow;
  else if (section == "actor-stats")
    o.section = agent_bench_options::section_kind::actor_stats;
  else
    usage_error("unknown section " + section);
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(a + " needs a value");
      return argv[++i];
    };
    auto count = [&]() {
      auto v = value();
      int n = std::atoi(v.c_str());
      if (n < 1) usage_error(fmt::format("{} needs a positive count, not {}", a, v));
      return n;
    };
    if (a == "--json")
      o.json = true;
    else if (a == "--quick")
      o.quick = true;
    else if (a == "--berthd")
      o.berthd = value();
    else if (a == "--agent")
      o.agent = value();
    else if (a == "--pods")
      o.pods = count();
    else if (a == "--nodes")
      o.nodes = count();
    else if (a == "--rounds")
      o.rounds = count();
    else if (a == "--docker-socket")
      o.docker_socket = value();
    else
      usage_error("unknown argument " + a);
  }
  require_executable("--berthd", o.berthd);
  require_executable("--agent", o.agent);
  return o;
}

/// A JSON number, or null for a figure that was not measured.
std::string number(double v, int decimals) { return v < 0 ? "null" : fmt::format("{:.{}f}", v, decimals); }

/// A table cell: "-" for a figure that was not measured.
std::string cell(double v, int decimals) { return v < 0 ? "-" : fmt::format("{:.{}f}", v, decimals); }

std::string errors_json(const std::string& error) {
  return error.empty() ? std::string("[]") : fmt::format("[{}]", berth::text::json_quote(error));
}

double ratio(double a, double b) { return a > 0 && b > 0 ? a / b : -1; }

std::string summary_json(const std::vector<double>& samples) {
  auto s = summarise(samples);
  return fmt::format("{{\"p50\":{},\"p90\":{},\"min\":{},\"max\":{}}}", number(s.p50_ms, 1), number(s.p90_ms, 1),
                     number(s.min_ms, 1), number(s.max_ms, 1));
}

void print_podstart(const podstart_figures& f, bool json) {
  double berth = summarise(f.berth_ms).p50_ms;
  double vs_docker = ratio(berth, summarise(f.infra_app_ms).p50_ms);
  double vs_plain = ratio(berth, summarise(f.plain_ms).p50_ms);
  if (json) {
    fmt::print(
        "{{\"pods\":{},\"measured\":{},\"berth_ms\":{},\"docker_infra_app_ms\":{},\"docker_plain_ms\":{},"
        "\"ratio_vs_docker\":{},\"ratio_vs_plain\":{},\"berth_breakdown_ms\":{{\"bound\":{},"
        "\"to_infra_created\":{},\"infra_created_to_app_started\":{},\"app_started_to_running_seen\":{}}},"
        "\"berthd_peak_rss_mb\":{},\"agent_peak_rss_mb\":{},\"errors\":{}}}\n",
        f.pods, f.berth_ms.size(), summary_json(f.berth_ms), summary_json(f.infra_app_ms), summary_json(f.plain_ms),
        number(vs_docker, 3), number(vs_plain, 3), summary_json(f.bound_ms), summary_json(f.to_infra_ms),
        summary_json(f.docker_ms), summary_json(f.report_ms), number(f.berthd_peak_rss_mb, 1),
        number(f.agent_peak_rss_mb, 1), errors_json(f.error));
    return;
  }
  fmt::print(
      "pod start on the local Docker: {} of {} pods, one at a time (after one uncounted warm-up round),\n"
      "node {}; each round: berth pod, then Engine API infra + app, then Engine API plain\n",
      f.berth_ms.size(), f.pods, f.node);
  fmt::print("{:<44} {:>9} {:>9} {:>9} {:>9}\n", "", "p50 ms", "p90 ms", "min ms", "max ms");
  auto row = [](const char* what, const std::vector<double>& v) {
    auto s = summarise(v);
    fmt::print("{:<44} {:>9} {:>9} {:>9} {:>9}\n", what, cell(s.p50_ms, 1), cell(s.p90_ms, 1), cell(s.min_ms, 1),
               cell(s.max_ms, 1));
  };
  row("berth: create call -> Running (watch)", f.berth_ms);
  row("docker: pause + joined busybox -> running", f.infra_app_ms);
  row("docker: busybox alone -> running", f.plain_ms);
  fmt::print("\nratio_vs_docker (berth p50 / infra+app p50): {}x (target <= 1.15x)\n", cell(vs_docker, 2));
  fmt::print("ratio_vs_plain  (berth p50 / plain p50):     {}x\n", cell(vs_plain, 2));
  fmt::print("\nwhere a berth pod start goes (watch times and the containers' Docker timestamps):\n");
  row("  create call -> bound seen", f.bound_ms);
  row("  create call -> infra container created", f.to_infra_ms);
  row("  infra created -> app container started", f.docker_ms);
  row("  app started -> Running seen by the watch", f.report_ms);
  fmt::print("\npeak RSS (VmHWM): berthd {} MB, berth-agent {} MB\n", cell(f.berthd_peak_rss_mb, 1),
             cell(f.agent_peak_rss_mb, 1));
  if (!f.error.empty()) fmt::print("not finished: {}\n", f.error);
}

void print_hollow(const hollow_figures& h, bool json) {
  const auto& s = h.scale;
  if (json) {
    fmt::print(
        "{{\"nodes\":{},\"pods\":{},\"join_s\":{},\"bound_s\":{},\"running_s\":{},\"pods_per_s\":{},"
        "\"pods_running_per_s\":{},\"bound_listed\":{},\"running_listed\":{},\"berthd_cpu_s\":{},"
        "\"berthd_busy_after_pct\":{},\"berthd_peak_rss_mb\":{},\"agent_peak_rss_mb\":{},\"agent_cpu_s\":{},"
        "\"berthd_stop_s\":{},\"errors\":{}}}\n",
        s.nodes, s.pods, number(s.join_s, 2), number(s.bound_s, 3), number(s.running_s, 3), number(s.pods_per_s, 1),
        number(s.running_per_s, 1), s.bound_listed, s.running_listed, number(s.berthd_cpu_s, 2),
        number(s.busy_after_pct, 0), number(s.berthd_peak_rss_mb, 1), number(h.agent_peak_rss_mb, 1),
        number(h.agent_cpu_s, 2), number(s.stop_s, 2), errors_json(s.error));
    return;
  }
  fmt::print(
      "hollow scale-up: ONE berth-agent --hollow {} process (start latency 0, 10 s heartbeat),\n"
      "RC scaled 0 -> {}; times from the scale call\n",
      s.nodes, s.pods);
  fmt::print("{:>6} {:>6} {:>7} {:>9} {:>8} {:>10} {:>10} {:>11} {:>10} {:>10} {:>11}\n", "nodes", "pods", "join s",
             "bound s", "pods/s", "running s", "running/s", "berthd cpu", "berthd MB", "agent MB", "agent cpu");
  fmt::print("{:>6} {:>6} {:>7.2f} {:>9} {:>8} {:>10} {:>10} {:>10}s {:>10} {:>10} {:>10}s\n", s.nodes, s.pods,
             s.join_s, cell(s.bound_s, 3), cell(s.pods_per_s, 1), cell(s.running_s, 3), cell(s.running_per_s, 1),
             cell(s.berthd_cpu_s, 2), cell(s.berthd_peak_rss_mb, 1), cell(h.agent_peak_rss_mb, 1),
             cell(h.agent_cpu_s, 2));
  fmt::print("\nlisted at the end: {} bound, {} Running; berthd busy after: {}% of a core; berthd stop: {}\n",
             s.bound_listed, s.running_listed, cell(s.busy_after_pct, 0),
             s.stop_s < 0 ? std::string("killed") : fmt::format("{:.2f} s", s.stop_s));
  fmt::print("MB: peak RSS (VmHWM); berthd cpu: during the scale-up; agent cpu: the whole run, join included\n");
  if (!s.error.empty()) fmt::print("not finished: {}\n", s.error);
}

double median(std::vector<double> v) {
  if (v.empty()) return -1;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void print_actor_stats(const actor_stats_figures& f, bool json) {
  auto ratio = [](double on, double off) { return on < 0 || off <= 0 ? -1.0 : on / off; };
  double off_b = median(f.off_bound_per_s), on_b = median(f.on_bound_per_s);
  double off_r = median(f.off_running_per_s), on_r = median(f.on_running_per_s);
  double off_c = median(f.off_berthd_cpu_s), on_c = median(f.on_berthd_cpu_s);
  if (json) {
    fmt::print(
        "{{\"nodes\":{},\"pods\":{},\"rounds\":{},\"bound_per_s_without\":{},\"bound_per_s_with\":{},"
        "\"bound_ratio\":{},\"running_per_s_without\":{},\"running_per_s_with\":{},\"running_ratio\":{},"
        "\"berthd_cpu_s_without\":{},\"berthd_cpu_s_with\":{},\"cpu_ratio\":{},\"errors\":{}}}\n",
        f.nodes, f.pods, f.rounds, number(off_b, 1), number(on_b, 1), number(ratio(on_b, off_b), 3), number(off_r, 1),
        number(on_r, 1), number(ratio(on_r, off_r), 3), number(off_c, 2), number(on_c, 2),
        number(ratio(on_c, off_c), 3), errors_json(f.error));
    return;
  }
  fmt::print(
      "per-actor counters on the scheduling path: hollow scale-up, {} nodes, RC 0 -> {} pods,\n"
      "{} runs each without (--no-actor-stats) and with them, alternating; medians\n",
      f.nodes, f.pods, f.rounds);
  fmt::print("{:>22} {:>10} {:>10} {:>8}\n", "", "without", "with", "ratio");
  fmt::print("{:>22} {:>10} {:>10} {:>8}\n", "pods bound/s", cell(off_b, 1), cell(on_b, 1),
             cell(ratio(on_b, off_b), 3));
  fmt::print("{:>22} {:>10} {:>10} {:>8}\n", "pods Running/s", cell(off_r, 1), cell(on_r, 1),
             cell(ratio(on_r, off_r), 3));
  fmt::print("{:>22} {:>10} {:>10} {:>8}\n", "berthd CPU s", cell(off_c, 2), cell(on_c, 2),
             cell(ratio(on_c, off_c), 3));
  if (!f.error.empty()) fmt::print("not finished: {}\n", f.error);
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  try {
    if (o.section == agent_bench_options::section_kind::podstart) {
      auto f = measure_podstart(o);
      print_podstart(f, o.json);
      return f.error.empty() ? 0 : 3;
    }
    if (o.section == agent_bench_options::section_kind::actor_stats) {
      auto f = measure_actor_stats(o);
      print_actor_stats(f, o.json);
      return f.error.empty() ? 0 : 3;
    }
    auto h = measure_hollow(o);
    print_hollow(h, o.json);
    return h.scale.error.empty() ? 0 : 3;
  } catch (const std::exception& e) {
    fmt::print(stderr, "agent_bench: {}\n", e.what());
    return 2;
  }
}
