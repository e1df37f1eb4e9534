#pragma once
// Runs the node's cluster DNS (dnsmasq, node-agent/dns/) on a thread of its
// own: starting it and each update may block for seconds, which the agent's
// KJ thread (heartbeats, berthd's calls) must never do. Updates coalesce:
// only the newest service list is applied.

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

  /// Queues the full service list (thread-safe, returns at once).
  void update(std::vector<model::service> services);

 private:
  void run();

  dns::dns_config config_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<std::vector<model::service>> pending_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace berth::agent
