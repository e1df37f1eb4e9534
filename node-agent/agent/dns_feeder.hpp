#pragma once
// Runs the node's cluster DNS (dnsmasq, node-agent/dns/) on a thread of its
// own: starting it and each update may block for seconds, which the agent's
// KJ thread (heartbeats, berthd's calls) must never do. Updates coalesce:
// only the newest service and endpoints lists are applied.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/dns/cluster_dns.hpp"

namespace berth::agent {

class dns_feeder {
 public:
  /// Starts dnsmasq on the worker thread; a failure is logged (the agent runs on without cluster DNS).
  explicit dns_feeder(dns::dns_config config);
  /// Stops the worker and dnsmasq.
  ~dns_feeder();
  dns_feeder(const dns_feeder&) = delete;
  dns_feeder& operator=(const dns_feeder&) = delete;

  /// Queues the full service and endpoints lists (thread-safe, returns at
  /// once). Endpoints give headless services their addresses.
  void update(std::vector<model::service> services, std::vector<model::endpoints> endpoints);

 private:
  void run();

  dns::dns_config config_;
  std::mutex mutex_;
  std::condition_variable wake_;
  struct snapshot {
    std::vector<model::service> services;
    std::vector<model::endpoints> endpoints;
  };
  std::optional<snapshot> pending_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace berth::agent
