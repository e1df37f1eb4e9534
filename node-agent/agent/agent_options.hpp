#pragma once
// berth-agent's command line (pure: parsed into a value, errors as text).
// CLI11 does the parsing (agent_options.cpp); this header does not show it.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace berth::agent {

struct agent_options {
  enum class mode : std::uint8_t { agent, serve_runtime, help };
  agent_options::mode mode_ = mode::agent;
  std::string server = "127.0.0.1:7420";
  std::string token_file;
  std::string join_token;     // K10<CA hash>::<node token> (berthd's DATA/join-token); instead of --token-file
  std::string ca_file;        // the cluster CA to pin; "" = ca.crt beside --token-file
  bool insecure_rpc = false;  // plain TCP to a berthd started with --insecure-rpc (tests only)
  std::string node_name;          // default: the host name
  std::string node_ip;            // default: the primary IPv4 address
  std::string introspect_listen;  // "" = no introspection listener (berth console --agent)
  std::string metrics_listen;     // "" = no /metrics over HTTP
  bool actor_stats = true;        // --no-actor-stats: no per-actor counters (benchmarks)
  std::map<std::string, std::string> labels;
  std::string runtime;     // "" = Docker in-process; "unix:PATH" = a runtime socket
  std::string serve_path;  // runtime serve unix:PATH
  std::string docker_socket = "/var/run/docker.sock";
  std::string pause_image = "berth/pause:latest";
  std::int64_t max_pods = 110;
  std::chrono::milliseconds heartbeat_interval{0};  // 0: berthd's, given at join
  std::chrono::milliseconds backoff_base{10'000};
  std::chrono::milliseconds backoff_cap{300'000};
  std::chrono::milliseconds backoff_reset{600'000};
  std::chrono::milliseconds resync_interval{10'000};
  std::string cluster_dns = "10.96.0.10";  // "none": no cluster DNS on this node
  std::string cluster_domain = "cluster.local";
  std::string service_cidr = "10.96.0.0/16";  // made local to the machine: cluster IPs never leave it
  std::string state_dir = "/var/lib/berth-agent";
  int hollow = 0;  // > 0: that many simulated nodes
  std::chrono::milliseconds hollow_start_latency{0};
  double hollow_failure_rate = 0;
};

/// The CA file the agent pins: --ca-file, else ca.crt in --token-file's
/// folder (berthd writes DATA/node.token and DATA/ca.crt together).
std::string ca_file_of(const agent_options& o);

/// The usage lines printed under an error.
std::string agent_usage();

/// `berth-agent --help`: the usage lines and every flag with its default.
std::string agent_help();

/// Parses argv[1..]; on a bad argument `error` names it and what was
/// expected. -h/--help anywhere gives mode::help. Never throws.
std::optional<agent_options> parse_agent_options(const std::vector<std::string>& args, std::string& error);

}  // namespace berth::agent
