// api_bench: the control-plane API benchmark (berth issue 3). Each
// measurement runs on a fresh berthd with a fresh data directory under /tmp:
//   1. open-loop create latency at fixed offered rates (create_latency.cpp),
//      over Cap'n Proto RPC and over the Kubernetes REST API (HTTPS,
//      keep-alive: rest_client.cpp);
//   2. scheduling throughput of an RC scale-up on hollow nodes (scale_up.cpp);
//   3. berthd's peak RSS (VmHWM), the largest over all those berthds.
// Run it through tools/bench/api, which builds a release tree first.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tools/bench/api_bench/api_bench.hpp"

namespace {

using namespace berth::bench;

constexpr const char* k_usage = R"(usage: api_bench --berthd PATH --agent PATH [--json] [--quick] [--reads|--no-reads] [--threads N]
  --berthd PATH   the berthd binary to start (a fresh one per measurement)
  --agent PATH    the berth-agent binary (--hollow N nodes for the watch rows)
  --reads         only the REST read rows (list latency, concurrent watches)
  --no-reads      everything but the REST read rows
  --list-pods N, --watchers N, --watch-pods N, --watch-nodes N
  --no-watch      leave out the concurrent-watch row
                  sizes of the read rows (defaults: 10000, 1000, 5000, 1000; --quick: 1000, 100, 1000, 100)
  --json          print one JSON object instead of tables
  --quick         short runs (~1 s per rate, fewer pods)
  --threads N     open-loop sender threads, each with its own client (default 16))";

struct plan {
  struct rate_case {
    int per_s;
    std::size_t creates;
  };
  struct scale_case {
    int nodes;
    int pods;
  };
  std::vector<rate_case> rates;
  std::vector<scale_case> scale_ups;
};

// About 5 s per offered rate (1 s with --quick); the scale-ups bind 1,000 pods
// on 100 nodes and 5,000 on 1,000 (200 and 1,000 with --quick).
plan plan_for(const api_options& o) {
  if (o.quick) return {{{200, 200}, {1000, 1000}}, {{100, 200}, {1000, 1000}}};
  return {{{200, 1000}, {1000, 5000}}, {{100, 1000}, {1000, 5000}}};
}

/// Parses argv; prints why and exits 1 on a bad argument.
api_options parse(int argc, char** argv) {
  api_options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) fmt::print(stderr, "api_bench: {} needs a value\n{}\n", a, k_usage), std::exit(1);
      return argv[++i];
    };
    if (a == "--json")
      o.json = true;
    else if (a == "--quick")
      o.quick = true;
    else if (a == "--berthd")
      o.berthd = value();
    else if (a == "--agent")
      o.agent = value();
    else if (a == "--reads")
      o.reads_only = true;
    else if (a == "--no-reads")
      o.reads = false;
    else if (a == "--no-watch")
      o.watchers = -1;
    else if (a == "--list-pods")
      o.list_pods = std::atoi(value().c_str());
    else if (a == "--watchers")
      o.watchers = std::atoi(value().c_str());
    else if (a == "--watch-pods")
      o.watch_pods = std::atoi(value().c_str());
    else if (a == "--watch-nodes")
      o.watch_nodes = std::atoi(value().c_str());
    else if (a == "--threads")
      o.client_threads = std::atoi(value().c_str());
    else if (a == "-h" || a == "--help")
      fmt::print("{}\n", k_usage), std::exit(0);
    else
      fmt::print(stderr, "api_bench: unknown argument {}\n{}\n", a, k_usage), std::exit(1);
  }
  if (o.berthd.empty()) fmt::print(stderr, "api_bench: --berthd PATH is required\n{}\n", k_usage), std::exit(1);
  if (::access(o.berthd.c_str(), X_OK) != 0)
    fmt::print(stderr, "api_bench: {} is not an executable berthd: {}\n", o.berthd, std::strerror(errno)), std::exit(1);
  if (o.reads && o.agent.empty()) fmt::print(stderr, "api_bench: --agent PATH is required for the read rows\n{}\n", k_usage), std::exit(1);
  if (o.client_threads < 1) fmt::print(stderr, "api_bench: --threads must be at least 1\n"), std::exit(1);
  return o;
}

/// A JSON number, or null for a figure that was not measured.
std::string number(double v, int decimals) { return v < 0 ? "null" : fmt::format("{:.{}f}", v, decimals); }

template <class T, class F>
std::string keyed(const std::vector<T>& rows, F&& entry) {
  std::string out = "{";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i) out += ',';
    out += entry(rows[i]);
  }
  return out + "}";
}

std::string reads_json(const std::vector<list_figures>& lists, const std::vector<watch_figures>& watches) {
  std::string out;
  for (const auto& l : lists)
    out += fmt::format(",\"list_pods\":{},\"list_json_p50_ms\":{},\"list_json_p99_ms\":{},\"list_table_p50_ms\":{},"
                       "\"list_table_p99_ms\":{},\"list_json_bytes\":{},\"list_table_bytes\":{}",
                       l.pods, number(l.json_p50_ms, 2), number(l.json_p99_ms, 2), number(l.table_p50_ms, 2),
                       number(l.table_p99_ms, 2), l.json_bytes, l.table_bytes);
  for (const auto& w : watches)
    out += fmt::format(",\"watchers\":{},\"watch_pods\":{},\"watch_nodes\":{},\"watch_changes\":{},"
                       "\"watch_lag_p50_ms\":{},\"watch_lag_p99_ms\":{},\"watch_lag_max_ms\":{},"
                       "\"watch_every_change\":{},\"watch_complete\":{},\"watch_berthd_cpu_s\":{}",
                       w.watchers, w.pods, w.nodes, w.changes, number(w.lag_p50_ms, 1), number(w.lag_p99_ms, 1),
                       number(w.lag_max_ms, 1), w.every_change ? "true" : "false", w.complete,
                       number(w.berthd_cpu_s, 2));
  return out;
}

std::string to_json(const std::vector<create_figures>& all_creates, const std::vector<scale_up_figures>& scale_ups,
                    double peak_rss_mb) {
  std::vector<create_figures> creates, rest;
  for (const auto& c : all_creates) (c.transport == create_transport::rest ? rest : creates).push_back(c);
  auto by_rate = [](auto field, int decimals) {
    return [field, decimals](const create_figures& c) {
      return fmt::format("\"{}\":{}", c.offered_per_s, number(c.*field, decimals));
    };
  };
  auto by_nodes = [](auto field, int decimals) {
    return [field, decimals](const scale_up_figures& s) {
      return fmt::format("\"{}\":{}", s.nodes, number(s.*field, decimals));
    };
  };
  std::string errors;
  for (const auto& s : scale_ups)
    if (!s.error.empty()) errors += fmt::format("{}\"{} nodes: {}\"", errors.empty() ? "" : ",", s.nodes, s.error);
  return fmt::format(
      "{{\"create_p50_ms\":{},\"create_p99_ms\":{},\"achieved_creates_per_s\":{},\"create_failures\":{},"
      "\"rest_create_p50_ms\":{},\"rest_create_p99_ms\":{},\"rest_achieved_creates_per_s\":{},"
      "\"rest_create_failures\":{},"
      "\"pods_per_s\":{},\"pods_running_per_s\":{},\"scale_up_pods\":{},\"berthd_peak_rss_mb\":{},"
      "\"berthd_stop_s\":{{\"creates\":{},\"scale_up\":{}}},\"errors\":[{}]",
      keyed(creates, by_rate(&create_figures::p50_ms, 3)), keyed(creates, by_rate(&create_figures::p99_ms, 3)),
      keyed(creates, by_rate(&create_figures::achieved_per_s, 1)),
      keyed(creates, [](const create_figures& c) { return fmt::format("\"{}\":{}", c.offered_per_s, c.failed); }),
      keyed(rest, by_rate(&create_figures::p50_ms, 3)), keyed(rest, by_rate(&create_figures::p99_ms, 3)),
      keyed(rest, by_rate(&create_figures::achieved_per_s, 1)),
      keyed(rest, [](const create_figures& c) { return fmt::format("\"{}\":{}", c.offered_per_s, c.failed); }),
      keyed(scale_ups, by_nodes(&scale_up_figures::pods_per_s, 1)),
      keyed(scale_ups, by_nodes(&scale_up_figures::running_per_s, 1)),
      keyed(scale_ups, [](const scale_up_figures& s) { return fmt::format("\"{}\":{}", s.nodes, s.pods); }),
      number(peak_rss_mb, 1), keyed(creates, by_rate(&create_figures::stop_s, 2)),
      keyed(scale_ups, by_nodes(&scale_up_figures::stop_s, 2)), errors);
}

/// A table cell: "-" for a figure that was not measured.
std::string cell(double v, int decimals) { return v < 0 ? "-" : fmt::format("{:.{}f}", v, decimals); }

std::string stop_text(double stop_s) { return stop_s < 0 ? "killed" : fmt::format("{:.2f}", stop_s); }

void print_tables(const std::vector<create_figures>& creates, const std::vector<scale_up_figures>& scale_ups,
                  double peak_rss_mb, int threads) {
  fmt::print("create latency: bare pods, open loop, {} client threads, latency from the scheduled send time\n"
             "(rpc: Cap'n Proto, the berth CLI's client; rest: the Kubernetes API over HTTPS, keep-alive)\n",
             threads);
  fmt::print("{:>5} {:>10} {:>8} {:>7} {:>8} {:>8} {:>8} {:>11} {:>10} {:>8} {:>7}\n", "via", "offered/s", "creates",
             "failed", "p50 ms", "p99 ms", "max ms", "achieved/s", "berthd cpu", "rss MB", "stop s");
  for (const auto& c : creates)
    fmt::print("{:>5} {:>10} {:>8} {:>7} {:>8.3f} {:>8.3f} {:>8.3f} {:>11.1f} {:>9.2f}s {:>8.1f} {:>7}\n",
               c.transport == create_transport::rest ? "rest" : "rpc", c.offered_per_s, c.sent, c.failed, c.p50_ms,
               c.p99_ms, c.max_ms, c.achieved_per_s, c.berthd_cpu_s, c.berthd_peak_rss_mb, stop_text(c.stop_s));
  fmt::print("\nscheduling: RC scaled 0 -> N on hollow nodes (start latency 0), times from the scale call\n");
  fmt::print("{:>6} {:>6} {:>7} {:>9} {:>8} {:>11} {:>10} {:>10} {:>8} {:>7} {:>10}\n", "nodes", "pods", "join s",
             "bound s", "pods/s", "running s", "running/s", "berthd cpu", "rss MB", "stop s", "busy after");
  for (const auto& s : scale_ups) {
    fmt::print("{:>6} {:>6} {:>7.2f} {:>9} {:>8} {:>11} {:>10} {:>9.2f}s {:>8.1f} {:>7} {:>9.0f}%\n", s.nodes, s.pods,
               s.join_s, cell(s.bound_s, 3), cell(s.pods_per_s, 1), cell(s.running_s, 3), cell(s.running_per_s, 1),
               s.berthd_cpu_s, s.berthd_peak_rss_mb, stop_text(s.stop_s), s.busy_after_pct);
    if (!s.error.empty())
      fmt::print("       not finished: {}; listed at the end: {} bound, {} Running\n", s.error, s.bound_listed,
                 s.running_listed);
  }
  fmt::print("\nberthd peak RSS (VmHWM, largest over every run): {:.1f} MB\n", peak_rss_mb);
  fmt::print("busy after: berthd's CPU (% of a core) in the second after the last pod was Running\n");
  fmt::print("stop s: SIGTERM to exit, measured after the figures; \"killed\": still busy after {:.0f} s\n",
             k_stop_timeout_s);
}

void print_reads(const std::vector<list_figures>& lists, const std::vector<watch_figures>& watches) {
  if (lists.empty() && watches.empty()) return;
  fmt::print("\nREST list of every pod over HTTPS, one keep-alive connection\n");
  fmt::print("{:>7} {:>9} {:>10} {:>10} {:>11} {:>11} {:>9} {:>9}\n", "pods", "requests", "json p50", "json p99",
             "table p50", "table p99", "json MB", "table MB");
  for (const auto& l : lists) {
    fmt::print("{:>7} {:>9} {:>8}ms {:>8}ms {:>9}ms {:>9}ms {:>9.1f} {:>9.1f}\n", l.pods, l.requests,
               cell(l.json_p50_ms, 1), cell(l.json_p99_ms, 1), cell(l.table_p50_ms, 1), cell(l.table_p99_ms, 1),
               l.json_bytes / 1e6, l.table_bytes / 1e6);
    if (!l.error.empty()) fmt::print("        not finished: {}\n", l.error);
  }
  fmt::print("\nconcurrent REST watches of an RC scale-up on berth-agent --hollow nodes\n"
             "(lag: line received - the journal's time of its resourceVersion, every line of every watch)\n");
  fmt::print("{:>8} {:>6} {:>6} {:>8} {:>9} {:>9} {:>9} {:>14} {:>10} {:>8}\n", "watchers", "pods", "nodes",
             "changes", "lag p50", "lag p99", "lag max", "every change", "berthd cpu", "rss MB");
  for (const auto& w : watches) {
    fmt::print("{:>8} {:>6} {:>6} {:>8} {:>7}ms {:>7}ms {:>7}ms {:>14} {:>9.1f}s {:>8.1f}\n", w.watchers, w.pods,
               w.nodes, w.changes, cell(w.lag_p50_ms, 0), cell(w.lag_p99_ms, 0), cell(w.lag_max_ms, 0),
               w.every_change ? "yes" : fmt::format("no ({}/{})", w.complete, w.watchers), w.berthd_cpu_s,
               w.berthd_peak_rss_mb);
    if (!w.error.empty()) fmt::print("         {}\n", w.error);
  }
}

}  // namespace

int main(int argc, char** argv) {
  auto o = parse(argc, argv);
  auto p = plan_for(o);
  std::vector<create_figures> creates;
  std::vector<scale_up_figures> scale_ups;
  std::vector<list_figures> lists;
  std::vector<watch_figures> watches;
  double peak = -1;
  try {
    if (o.reads_only) p.rates.clear(), p.scale_ups.clear();
    for (const auto& r : p.rates) {
      fmt::print(stderr, "api_bench: {} creates at {}/s...\n", r.creates, r.per_s);
      creates.push_back(measure_creates(o, r.per_s, r.creates));
      peak = std::max(peak, creates.back().berthd_peak_rss_mb);
      fmt::print(stderr, "api_bench: {} creates at {}/s over the REST API...\n", r.creates, r.per_s);
      creates.push_back(measure_creates(o, r.per_s, r.creates, create_transport::rest));
      peak = std::max(peak, creates.back().berthd_peak_rss_mb);
    }
    for (const auto& s : p.scale_ups) {
      fmt::print(stderr, "api_bench: scale-up to {} pods on {} hollow nodes...\n", s.pods, s.nodes);
      scale_ups.push_back(measure_scale_up(o, s.nodes, s.pods));
      peak = std::max(peak, scale_ups.back().berthd_peak_rss_mb);
    }
    if (o.reads) {
      // 10,000 pods listed, 1,000 watches of a 5,000-pod scale-up on 1,000
      // hollow nodes (1,000 / 100 / 1,000 / 100 with --quick).
      auto size = [](int given, int quick, int full, bool q) { return given > 0 ? given : (q ? quick : full); };
      const int list_pods = size(o.list_pods, 1000, 10'000, o.quick);
      fmt::print(stderr, "api_bench: list of {} pods over the REST API...\n", list_pods);
      lists.push_back(measure_lists(o, list_pods, o.quick ? 10 : 20));
      const int watchers = size(o.watchers, 100, 1000, o.quick), pods = size(o.watch_pods, 1000, 5000, o.quick),
                nodes = size(o.watch_nodes, 100, 1000, o.quick);
      peak = std::max(peak, lists.back().berthd_peak_rss_mb);
      if (o.watchers >= 0) {
        fmt::print(stderr, "api_bench: {} REST watches of a {}-pod scale-up on {} hollow nodes...\n", watchers,
                   pods, nodes);
        watches.push_back(measure_watchers(o, watchers, nodes, pods));
        peak = std::max(peak, watches.back().berthd_peak_rss_mb);
      }
    }
  } catch (const std::exception& e) {
    fmt::print(stderr, "api_bench: {}\n", e.what());
    return 2;
  }
  if (o.json)
    fmt::print("{}{}}}\n", to_json(creates, scale_ups, peak), reads_json(lists, watches));
  else {
    if (!o.reads_only) print_tables(creates, scale_ups, peak, o.client_threads);
    print_reads(lists, watches);
  }
  return 0;
}
