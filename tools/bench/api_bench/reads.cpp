// The REST read rows (berth issue 12), each on a fresh berthd:
//   - list latency: GET of every pod (10,000; 1,000 with --quick) over HTTPS,
//     as JSON and as a Table (kubectl get's Accept), p50/p99 over repeated
//     requests on one keep-alive connection;
//   - watch delivery: many concurrent REST watches of the pods (1,000; 100
//     with --quick), each on its own TLS connection, while an RC is scaled
//     from 0 on `berth-agent --hollow N` nodes. Lag = the time a watch line
//     arrived minus the journal's time for the seq it carries (the
//     resourceVersion), over every line of every watch; "every watcher saw
//     every change" = each watch got the same lines in the same order, none
//     ended early, and each saw every pod Running.
#include "tools/bench/api_bench/api_bench.hpp"

#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "cli/client.hpp"
#include "journal/record.hpp"
#include "tools/bench/agent_bench/agent_bench.hpp"
#include "tools/bench/api_bench/rest_client.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tools/bench/api_bench/rest_watchers.hpp"

namespace berth::bench {
namespace {

constexpr const char* k_table_accept = "application/json;as=Table;v=v1;g=meta.k8s.io";

actors::any_object bare_pod(const std::string& name) {
  model::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.labels = {{"app", "list-bench"}};
  model::container c;
  c.name = "main";
  c.image = "busybox:1.36";
  p.spec.containers.push_back(c);
  return p;
}

/// Creates `pods` bare pods from 8 client threads; the first failure, or "".
std::string create_pods(const fresh_berthd& b, int pods) {
  constexpr int k_threads = 8;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(k_threads);
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      try {
        cli::client c(b.rpc_address(), b.admin_token(), b.security());
        for (int i = t; i < pods; i += k_threads) {
          auto o = c.create(bare_pod(fmt::format("list-{:05}", i)));
          if (o.result != actors::outcome::code::ok) {
            errors[t] = "create failed: " + o.message;
            return;
          }
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (!e.empty()) return e;
  return "";
}

/// The journal's time of every seq from `from` on (for watch lag).
std::map<std::uint64_t, std::int64_t> journal_times(cli::client& c, std::uint64_t from) {
  std::map<std::uint64_t, std::int64_t> times;
  for (;;) {
    auto values = c.journal_read(from, 4096);
    if (values.empty()) break;
    for (const auto& v : values) {
      auto seq = journal::decode_key(v.key);
      if (!seq) continue;
      auto frame = journal::decode_event_frame(*seq, v.value);
      if (frame.ok()) times[*seq] = frame.value().time_ns;
      from = *seq + 1;
    }
  }
  return times;
}

constexpr const char* k_rc_yaml = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: watch-bench
spec:
  replicas: 0
  template:
    metadata:
      labels:
        app: watch-bench
    spec:
      containers:
      - name: web
        image: busybox:1.36
        resources:
          requests:
            cpu: 10m
            memory: 16Mi
)";

/// Checks the watches' records against each other and fills the figures.
void judge(std::vector<watch_record>& records, const std::map<std::uint64_t, std::int64_t>& times, int pods,
           watch_figures& f) {
  std::vector<double> lags;
  const auto& reference = records.front().lines;
  f.changes = reference.size();
  f.complete = 0;
  for (const auto& r : records) {
    bool same = r.lines.size() == reference.size() && r.end.empty() && r.status == 200;
    std::set<std::string> running;
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
      const auto& l = r.lines[i];
      if (same && (l.type != reference[i].type || l.name != reference[i].name ||
                   l.resource_version != reference[i].resource_version))
        same = false;
      if (l.running) running.insert(l.name);
      if (auto t = times.find(l.resource_version); t != times.end())
        lags.push_back(static_cast<double>(l.received_ns - t->second) / 1e6);
    }
    if (same && static_cast<int>(running.size()) >= pods) ++f.complete;
    else if (f.error.empty())
      f.error = fmt::format("a watch got {} lines (first watch: {}), {} pods Running, end: {}", r.lines.size(),
                            reference.size(), running.size(), r.end.empty() ? "stopped by the bench" : r.end);
  }
  f.lag_p50_ms = percentile(lags, 0.5);
  f.lag_p99_ms = percentile(lags, 0.99);
  f.lag_max_ms = percentile(lags, 1.0);
  f.every_change = f.complete == f.watchers;
}

}  // namespace

list_figures measure_lists(const api_options& o, int pods, int requests) {
  list_figures f;
  f.pods = pods;
  f.requests = requests;
  fresh_berthd b(o.berthd);
  if (auto why = create_pods(b, pods); !why.empty()) return f.error = why, f;
  rest_client rest(b.api_address(), b.ca_pem(), b.admin_token());
  for (const bool table : {false, true}) {
    std::vector<double> ms;
    for (int i = 0; i < requests; ++i) {
      std::string body;
      double t = now_s();
      int code = rest.get("/api/v1/namespaces/default/pods", table ? k_table_accept : "application/json", body);
      ms.push_back((now_s() - t) * 1000);
      if (code != 200) return f.error = fmt::format("list answered {}: {}", code, body.substr(0, 200)), f;
      (table ? f.table_bytes : f.json_bytes) = body.size();
    }
    (table ? f.table_p50_ms : f.json_p50_ms) = percentile(ms, 0.5);
    (table ? f.table_p99_ms : f.json_p99_ms) = percentile(ms, 0.99);
  }
  f.berthd_peak_rss_mb = b.peak_rss_mb();
  return f;
}

watch_figures measure_watchers(const api_options& o, int watchers, int nodes, int pods) {
  watch_figures f;
  f.watchers = watchers;
  f.nodes = nodes;
  f.pods = pods;
  fresh_berthd b(o.berthd);
  cli::client c(b.rpc_address(), b.admin_token(), b.security());
  agent_process agent(o.agent, {"--token-file", b.node_token_file(), "--server", b.rpc_address(), "--hollow",
                                std::to_string(nodes)});
  if (!testing::eventually([&] { return all_nodes_ready(c, nodes); }, 120))
    return f.error = fmt::format("{} hollow nodes did not all get Ready within 120 s", nodes), f;
  if (auto created = c.create(decode_one(k_rc_yaml)); created.result != actors::outcome::code::ok)
    return f.error = "creating the RC failed: " + created.message, f;
  const auto from = c.list(actors::kind::pod, "default").resource_version;
  double t = now_s();
  rest_watchers w(b.api_address(), b.ca_pem(), b.admin_token(),
                  fmt::format("/api/v1/namespaces/default/pods?watch=true&resourceVersion={}", from), watchers);
  f.connect_s = now_s() - t;
  double cpu_before = b.cpu_seconds();
  if (auto scaled = c.scale({actors::kind::replication_controller, "default", "watch-bench"}, pods);
      scaled.result != actors::outcome::code::ok)
    return f.error = "scaling the RC failed: " + scaled.message, f;
  // Until every pod is Running in the store, then until the watches are quiet.
  const double deadline = now_s() + (o.quick ? 120 : 600);
  auto all_running = [&] {
    std::size_t n = 0;
    for (const auto& p : c.list(actors::kind::pod, "default", "app=watch-bench").items)
      n += std::get<model::pod>(p).status.phase == model::pod_phase::running ? 1 : 0;
    return static_cast<int>(n) >= pods;
  };
  while (now_s() < deadline && !all_running()) std::this_thread::sleep_for(std::chrono::milliseconds(500));
  for (auto last = w.lines();; ) {
    std::this_thread::sleep_for(std::chrono::seconds(2));
    auto now = w.lines();
    if (now == last || now_s() > deadline || w.ended() == watchers) break;
    last = now;
  }
  f.berthd_cpu_s = b.cpu_seconds() - cpu_before;
  f.berthd_peak_rss_mb = b.peak_rss_mb();
  auto records = w.stop();
  judge(records, journal_times(c, from + 1), pods, f);
  agent.stop(10);
  return f;
}

}  // namespace berth::bench
