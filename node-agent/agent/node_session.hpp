#pragma once
// One node of a node agent, on the KJ side: the connection to berthd (join,
// heartbeats, reconnect with back-off, the NodeAgent capability berthd calls)
// and the pod_ops the node's actors use, over a container runtime client.
// A Docker agent has one; `berth-agent --hollow N` has N, each with its own
// connection and hollow runtime. Every method except the pod_ops ones must be
// called on the KJ thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "actors/rpc/rpc_security.hpp"
#include "actors/introspect/registry.hpp"
#include "node-agent/agent/agent_actors.hpp"
#include "node-agent/agent/pod_ops.hpp"

#include "schema/runtime.capnp.h"

namespace kj {
struct AsyncIoContext;
}
namespace berth::rpc {
class kj_inbox;
}

namespace berth::agent {

/// What the node registers as (capacity = allocatable).
struct node_identity {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string host_ip;  // InternalIP
  std::int64_t cpu_millis = 1000;
  std::int64_t memory_bytes = 1LL << 30;
  std::int64_t max_pods = 110;
  std::string os_image;  // "Debian GNU/Linux 12 (bookworm)"
  std::string kernel_version;
  std::string architecture = "amd64";
};

struct session_config {
  std::string server = "127.0.0.1:7420";
  rpc::rpc_security security;  // TLS pinning the cluster CA, or plain TCP (--insecure-rpc)
  std::string token;
  node_identity node;
  std::string agent_version;
  /// --heartbeat-interval: an override berthd accepts only if it is at most a
  /// third of its grace period; 0 = the interval berthd gives at join.
  std::chrono::milliseconds heartbeat_interval{0};
  std::chrono::milliseconds reconnect_min{250};
  std::chrono::milliseconds reconnect_max{5000};
  std::chrono::milliseconds image_cache{5000};  // how long an image lookup is trusted
  pod_actor_settings pods;
  bool quiet = false;          // hollow nodes: no per-node log lines
  std::string cluster_dns_ip;  // "" = pods keep Docker's resolver configuration
  std::string cluster_domain = "cluster.local";
  /// Where pod volumes live (emptyDir directories, tmpfs and nfs mounts);
  /// "" = nothing on disk (hollow nodes).
  std::string volume_root;
  /// Called on the KJ thread with every service and its endpoints, after each
  /// change berthd pushes (the service proxy and cluster DNS hang here).
  std::function<void(const std::vector<model::service>&, const std::vector<model::endpoints>&)> on_services;
  /// The process's actor registry (NodeAgent.actors answers from it); nullptr: none.
  introspect::registry* registry = nullptr;
};

class node_session final : public pod_ops {
 public:
  /// Spawns the node actor. Included by the agent's KJ-side code only.
  node_session(kj::AsyncIoContext& io, rpc::kj_inbox& inbox, caf::actor_system& sys, schema::Runtime::Client runtime,
               session_config config);
  ~node_session() override;
  node_session(const node_session&) = delete;
  node_session& operator=(const node_session&) = delete;

  /// Starts connecting (and reconnecting) to berthd and watching the runtime's events.
  void start();
  /// Stops the node's actors (before the actor system is awaited).
  void stop_actors();

  bool joined() const;
  const std::string& name() const;

  // pod_ops (thread-safe)
  void observe(const model::pod& pod, std::function<void(observation)> done) override;
  void apply(const model::pod& pod, const pod_plan& plan, const std::string& sandbox_id,
             std::function<void(std::vector<apply_error>)> done) override;
  void probe(const probe_request& request, std::function<void(probe_result)> done) override;
  void report_status(const model::pod& pod, const model::pod_status& status) override;
  void report_terminated(const model::pod& pod) override;
  void report_event(const model::pod& pod, const model::pod_event_observed& event) override;
  std::string host_ip() const override;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::agent
