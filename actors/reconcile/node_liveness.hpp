#pragma once
// The node actor's decisions about a node that may have gone quiet:
//
//        heartbeat older than grace_period          NotReady for longer than eviction_timeout
//  Ready ─────────────────────────────────► NotReady ─────────────────────────────────► evict its pods
//    ▲                                          │
//    └──────── the agent reports Ready again ───┘   (an observation, not decided here)
//
// Both boundaries are strict: exactly grace_period after the last heartbeat the
// node is still Ready; exactly eviction_timeout after the transition nothing is
// evicted yet. `now` and the last heartbeat are inputs: no clock in here.

#include <chrono>
#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/reconcile/pod_facts.hpp"

namespace berth::reconcile {

/// Timing of node liveness (issue 3's defaults). heartbeat_interval is what
/// agents are told; the other two drive the decisions below.
struct liveness_config {
  std::chrono::nanoseconds heartbeat_interval = std::chrono::seconds(10);
  std::chrono::nanoseconds grace_period = std::chrono::seconds(40);
  std::chrono::nanoseconds eviction_timeout = std::chrono::seconds(60);
  bool operator==(const liveness_config&) const = default;
};

/// Why `cfg` makes no sense, or empty: every duration must be positive and the
/// grace period at least one heartbeat interval (else a healthy node flaps).
std::string check_config(const liveness_config& cfg);

/// What to do about one node now.
struct node_verdict {
  bool mark_not_ready = false;  // the node is Ready and its heartbeat is older than grace
  std::string reason;           // "NodeStatusUnknown" when mark_not_ready
  std::string message;          // "berth-agent stopped posting node status (last heartbeat 10:13:21)"
  bool evict = false;           // NotReady for longer than eviction_timeout: evict its pods
  /// The earliest time at which assessing again could give a different verdict
  /// (for the actor's timer); 0 when only a new observation can change it.
  model::time_ns recheck_at = 0;
  bool operator==(const node_verdict&) const = default;
};

/// Assesses `n` given its last heartbeat. A node with no Ready condition (never
/// reported) is neither marked nor evicted. Never fails.
node_verdict assess_node(const model::node& n, model::time_ns last_heartbeat, model::time_ns now,
                         const liveness_config& cfg);

struct pod_eviction {
  pod_ref pod;
  model::reason why;  // {"NodeLost", "node n1 has been NotReady for 75s (eviction timeout 60s)"}
  bool operator==(const pod_eviction&) const = default;
};

/// The pods to evict from `n`: when the node has been NotReady for longer than
/// eviction_timeout, every non-terminating pod of `pods_on_node` bound to it;
/// otherwise none. Sorted by namespace, then name.
std::vector<pod_eviction> pods_to_evict(const model::node& n, const std::vector<model::pod>& pods_on_node,
                                        model::time_ns now, const liveness_config& cfg);

/// "10:13:21": the UTC time of day of `t`, for messages.
std::string clock_text(model::time_ns t);

}  // namespace berth::reconcile
