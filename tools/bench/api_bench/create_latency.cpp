// Open-loop create latency: bare pods created at a fixed offered rate.
//
// Create i is scheduled at t0 + i / rate and sent by thread i mod T (each
// thread has its own synchronous client, so it has one call in flight). The
// latency of a create runs from its *scheduled* time to its reply, not from
// when it was actually sent: when berthd falls behind, a thread sends late and
// that wait counts, so a stall shows up in the percentiles instead of quietly
// lowering the offered rate (coordinated omission, as wrk2 and HdrHistogram
// describe it).
#include "tools/bench/api_bench/api_bench.hpp"

#include <algorithm>
#include <chrono>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "actors/manifest/render.hpp"
#include "cli/client.hpp"
#include "tools/bench/api_bench/rest_client.hpp"

namespace berth::bench {
namespace {

using clock = std::chrono::steady_clock;

// A bare pod: no nodes are joined, so the scheduler finds it fits nowhere and
// records that, which is part of the load a create puts on berthd.
constexpr const char* k_pod_yaml = R"(apiVersion: v1
kind: Pod
metadata:
  name: template
  labels:
    app: api-bench
spec:
  containers:
  - name: web
    image: busybox:1.36
    resources:
      requests:
        cpu: 10m
        memory: 16Mi
)";

/// What one sender thread saw.
struct sender_result {
  std::vector<double> latencies_ms;  // ok creates only
  std::size_t failed = 0;
  clock::time_point last_done{};
};

struct shared_run {
  const std::string& server;
  const std::string& token;
  const create_transport transport;
  const std::string& api_address;  // REST: berthd's HTTPS API
  const std::string& ca_pem;
  const rpc::rpc_security& security;  // RPC: TLS pinning the same CA
  const actors::any_object& pod;
  int rate = 0;
  std::size_t count = 0;
  std::size_t threads = 0;
  clock::time_point t0{};
  std::latch& connected;  // every sender has its client (or failed to)
  std::latch& go;         // t0 is set
  std::mutex error_mutex;
  std::string first_error;

  void note_error(const std::string& why) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (first_error.empty()) first_error = why;
  }
};

/// How many of thread k's creates are scheduled at index `from` or later.
std::size_t remaining(const shared_run& run, std::size_t from) {
  return from >= run.count ? 0 : (run.count - from + run.threads - 1) / run.threads;
}

/// One create over the transport the run uses: "" when it was created, else why not.
class sender {
 public:
  explicit sender(const shared_run& run) {
    if (run.transport == create_transport::rest) {
      rest_.emplace(run.api_address, run.ca_pem, run.token);
      std::string body;
      rest_->get("/version", "", body);  // one round trip before the clock starts
    } else {
      rpc_.emplace(run.server, run.token, run.security);
      rpc_->version();
    }
  }

  std::string create(const model::pod& pod) {
    if (rpc_) {
      auto o = rpc_->create(pod);
      return o.result == actors::outcome::code::ok ? "" : o.message;
    }
    std::string body;
    int code = rest_->post("/api/v1/namespaces/default/pods", manifest::to_json(model::api_object(pod)), body);
    return code == 201 ? "" : fmt::format("HTTP {}: {}", code, body.substr(0, 200));
  }

 private:
  std::optional<cli::client> rpc_;
  std::optional<rest_client> rest_;
};

void send_creates(shared_run& run, std::size_t k, sender_result& out) {
  std::optional<sender> c;
  try {
    c.emplace(run);
  } catch (const std::exception& e) {
    run.note_error(e.what());
  }
  run.connected.count_down();
  run.go.wait();
  if (!c) {
    out.failed += remaining(run, k);
    return;
  }
  auto interval = std::chrono::duration<double>(1.0 / run.rate);
  for (std::size_t i = k; i < run.count; i += run.threads) {
    auto scheduled = run.t0 + std::chrono::duration_cast<clock::duration>(interval * static_cast<double>(i));
    std::this_thread::sleep_until(scheduled);
    auto pod = std::get<model::pod>(run.pod);
    pod.metadata.name = fmt::format("bench-{}-{:06}", run.rate, i);
    try {
      auto why = c->create(pod);
      auto done = clock::now();
      if (why.empty()) {
        out.latencies_ms.push_back(std::chrono::duration<double, std::milli>(done - scheduled).count());
        out.last_done = std::max(out.last_done, done);
      } else {
        ++out.failed;
        run.note_error(fmt::format("{}: {}", pod.metadata.name, why));
      }
    } catch (const std::exception& e) {
      out.failed += remaining(run, i);
      run.note_error(e.what());
      return;
    }
  }
}

}  // namespace

create_figures measure_creates(const api_options& o, int offered_per_s, std::size_t count, create_transport transport) {
  fresh_berthd b(o.berthd);
  auto pod = decode_one(k_pod_yaml);
  auto token = b.admin_token();
  auto api = b.api_address();
  auto ca = b.ca_pem();
  auto security = b.security();
  auto threads = static_cast<std::size_t>(std::max(1, o.client_threads));
  std::latch connected(static_cast<std::ptrdiff_t>(threads));
  std::latch go(1);
  shared_run run{b.rpc_address(), token, transport, api, ca, security, pod, offered_per_s, count, threads, {}, connected, go,
                 {}, {}};
  std::vector<sender_result> results(threads);
  std::vector<std::thread> senders;
  for (std::size_t k = 0; k < threads; ++k)
    senders.emplace_back([&run, &results, k] { send_creates(run, k, results[k]); });

  // Every client is connected; the first create goes out 50 ms from now.
  connected.wait();
  run.t0 = clock::now() + std::chrono::milliseconds(50);
  double cpu_before = b.cpu_seconds();
  go.count_down();
  for (auto& t : senders) t.join();

  create_figures f;
  f.transport = transport;
  f.offered_per_s = offered_per_s;
  f.sent = count;
  std::vector<double> all;
  clock::time_point last = run.t0;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    f.failed += r.failed;
    last = std::max(last, r.last_done);
  }
  if (!run.first_error.empty())
    fmt::print(stderr, "api_bench: {} of {} creates at {}/s failed; first: {}\n", f.failed, count, offered_per_s,
               run.first_error);
  f.p50_ms = percentile(all, 0.50);
  f.p99_ms = percentile(all, 0.99);
  f.max_ms = percentile(all, 1.0);
  double span = std::chrono::duration<double>(last - run.t0).count();
  f.achieved_per_s = span > 0 ? static_cast<double>(all.size()) / span : 0;
  f.berthd_cpu_s = b.cpu_seconds() - cpu_before;
  f.berthd_peak_rss_mb = b.peak_rss_mb();
  f.stop_s = b.stop(k_stop_timeout_s);
  return f;
}

}  // namespace berth::bench
