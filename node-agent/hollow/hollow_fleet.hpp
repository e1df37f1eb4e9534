#pragma once
// Hollow nodes: N simulated node agents in one process, each with its own
// Cap'n Proto connection to berthd and the real node protocol (join,
// heartbeats, desired pods pushed by berthd, pod status reports), but no
// containers: a pod "starts" after a configurable latency and "stops" at once.
// Kubernetes' kubemark idea — for scale tests, benchmarks and control-plane
// integration tests only; every behaviour it stands for is also tested on real
// Docker by the node-agent tests.
//
// All nodes run on one KJ event-loop thread owned by the fleet; the public
// methods are thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actors/rpc/rpc_security.hpp"

namespace berth::agent {

struct hollow_node_spec {
  std::string name;
  std::string cpu = "4";  // capacity = allocatable
  std::string memory = "8Gi";
  std::int64_t max_pods = 110;
  std::map<std::string, std::string> labels;
};

struct hollow_config {
  std::string server = "127.0.0.1:7420";
  rpc::rpc_security security;  // TLS pinning the cluster CA, or plain TCP
  std::string token;  // the node join token
  std::vector<hollow_node_spec> nodes;
  std::chrono::milliseconds heartbeat_interval{0};  // override of berthd's interval; 0: the one given at join
  std::chrono::milliseconds start_latency{0};       // bound -> Running
  double failure_rate = 0.0;                        // share of pods that fail to start (phase Failed)
  std::uint64_t seed = 1;                           // for failures
};

/// What one hollow node is doing, for tests.
struct hollow_node_view {
  bool joined = false;
  bool heartbeating = true;
  std::size_t pods = 0;     // desired pods it was given
  std::size_t running = 0;  // of which reported Running
};

class hollow_fleet {
 public:
  explicit hollow_fleet(hollow_config config);
  /// Disconnects every node and stops the thread.
  ~hollow_fleet();
  hollow_fleet(const hollow_fleet&) = delete;
  hollow_fleet& operator=(const hollow_fleet&) = delete;

  /// Connects and joins every node; returns "" once all joined, or why one could not.
  std::string start();

  /// Stops (false) or resumes (true) one node's heartbeats; the connection stays.
  void set_heartbeating(const std::string& node, bool on);

  /// Drops one node's connection (as if its agent died).
  void disconnect(const std::string& node);

  /// A snapshot of every node's view.
  std::map<std::string, hollow_node_view> view() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::agent
