#pragma once
// What the control-plane API benchmark's sections share: options and the
// figures each section returns (the fresh berthd, percentiles and the RC
// scale-up itself are in bench_support.hpp, shared with agent_bench).
// Sections: create_latency.cpp (open-loop create calls at a fixed offered
// rate), scale_up.cpp (RC scale-up to all pods bound / Running on in-process
// hollow nodes); api_bench_main.cpp runs them and prints the report.
//
// Speed is measured here, never asserted: a section that cannot finish (a
// create refused, pods that never bind) says why on stderr and in its figures.

#include <cstdint>
#include <string>

#include "tools/bench/api_bench/bench_support.hpp"

namespace berth::bench {

/// Command-line options every section sees.
struct api_options {
  bool json = false;
  bool quick = false;       // whole run in well under a minute
  std::string berthd;       // path of the berthd binary
  int client_threads = 16;  // open-loop senders, each with its own client
  std::string agent;        // path of the berth-agent binary (--hollow N for the watch rows)
  bool reads = true;        // the REST read rows (reads.cpp)
  bool reads_only = false;  // --reads: only those
  // Sizes of the read rows (0: 10,000 listed, 1,000 watchers of 5,000 pods
  // on 1,000 nodes; 1,000 / 100 / 1,000 / 100 with --quick).
  int list_pods = 0, watchers = 0, watch_pods = 0, watch_nodes = 0;
};

/// GET of every pod over HTTPS, JSON and Table (reads.cpp).
struct list_figures {
  int pods = 0;
  int requests = 0;  // per format
  double json_p50_ms = -1, json_p99_ms = -1;
  double table_p50_ms = -1, table_p99_ms = -1;
  std::size_t json_bytes = 0, table_bytes = 0;
  double berthd_peak_rss_mb = -1;
  std::string error;
};
list_figures measure_lists(const api_options& o, int pods, int requests);

/// Concurrent REST watches of an RC scale-up on hollow nodes (reads.cpp).
struct watch_figures {
  int watchers = 0, nodes = 0, pods = 0;
  double connect_s = 0;      // opening every watch
  std::size_t changes = 0;   // lines the first watch got
  int complete = 0;          // watches that got every change (same lines, in order, every pod Running)
  bool every_change = false;  // complete == watchers
  double lag_p50_ms = -1, lag_p99_ms = -1, lag_max_ms = -1;
  double berthd_cpu_s = 0;
  double berthd_peak_rss_mb = -1;
  std::string error;
};
watch_figures measure_watchers(const api_options& o, int watchers, int nodes, int pods);

/// How creates reach berthd: Cap'n Proto RPC (the berth CLI's client) or the
/// Kubernetes REST API over HTTPS with keep-alive (what kubectl and client
/// libraries use).
enum class create_transport { rpc, rest };

/// Open-loop create latency at one offered rate.
struct create_figures {
  create_transport transport = create_transport::rpc;
  int offered_per_s = 0;
  std::size_t sent = 0;
  std::size_t failed = 0;  // outcomes other than ok (the first reason is on stderr)
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double achieved_per_s = 0;  // ok creates / (last completion - first scheduled send)
  double berthd_cpu_s = 0;
  double berthd_peak_rss_mb = 0;
  double stop_s = -1;  // SIGTERM -> exit; -1: killed after k_stop_timeout_s
};

/// `count` pod creates, sent at `offered_per_s` from several client threads,
/// latency measured from each create's scheduled send time (create_latency.cpp).
create_figures measure_creates(const api_options& o, int offered_per_s, std::size_t count,
                               create_transport transport = create_transport::rpc);

/// One scale-up on a fresh berthd with `nodes` hollow nodes (scale_up.cpp).
scale_up_figures measure_scale_up(const api_options& o, int nodes, int pods);

}  // namespace berth::bench
