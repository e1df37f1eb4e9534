#pragma once
// The node agent's actors: one node actor per node (routes berthd's desired
// pods and the runtime's events to pod actors, adopts or cleans up what the
// runtime already runs) and one pod actor per pod (observe → pod_actions →
// apply → report, with back-off and probes). Kept free of CAF headers so that
// the KJ side can include it.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"

namespace caf {
class actor;
class actor_system;
}  // namespace caf

namespace berth::agent {

class pod_ops;

struct pod_actor_settings {
  backoff_config backoff;
  std::chrono::milliseconds resync_interval{10'000};  // look again even without runtime events
  std::chrono::milliseconds error_retry{2'000};       // after the runtime refused part of a plan
};

/// Spawns the node actor of one node. `ops` must outlive the actor system.
caf::actor spawn_node_actor(caf::actor_system& sys, pod_ops& ops, pod_actor_settings settings, std::string node_name);

/// Thread-safe senders to a node actor (used from the KJ thread).
void send_set_pods(const caf::actor& node, std::vector<model::pod> pods);
void send_upsert_pod(const caf::actor& node, model::pod pod);
void send_remove_pod(const caf::actor& node, const std::string& uid);
void send_container_event(const caf::actor& node, const std::string& pod_uid);
/// Pods the runtime runs for this node that berthd no longer wants (built from
/// container labels, with a deletionTimestamp): their containers are stopped and removed.
void send_orphans(const caf::actor& node, std::vector<model::pod> orphans);

}  // namespace berth::agent
