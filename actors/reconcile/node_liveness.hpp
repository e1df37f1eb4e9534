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
#include <optional>
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
  /// More than flap_limit readiness transitions within flap_window: the node
  /// is called out as flapping (describe, and its NotReady decisions).
  std::chrono::nanoseconds flap_window = std::chrono::minutes(10);
  std::size_t flap_limit = 6;
  bool operator==(const liveness_config&) const = default;
};

/// Why `cfg` makes no sense, or empty: every duration must be positive and the
/// heartbeat interval at most a third of the grace period (two heartbeats may
/// be late or lost before a healthy node is marked NotReady; Kubernetes' 10s
/// and 40s give four).
std::string check_config(const liveness_config& cfg);

/// What berthd and one agent agree on at join: the agent heartbeats every
/// `interval`; berthd marks its node NotReady after `grace_period` without
/// one, and evicts its pods after `eviction_timeout` NotReady.
struct heartbeat_contract {
  std::chrono::nanoseconds interval{0};
  std::chrono::nanoseconds grace_period{0};
  std::chrono::nanoseconds eviction_timeout{0};
  bool operator==(const heartbeat_contract&) const = default;
};

/// The contract for an agent that asked for `requested` (0: none asked, it
/// gets berthd's interval). An interval above a third of the grace period
/// would make a healthy node flap: refused, with `error` naming both values.
std::optional<heartbeat_contract> negotiate_heartbeat(const liveness_config& cfg, std::chrono::nanoseconds requested,
                                                      std::string& error);

/// The contract is journaled with the node's registration, as annotations
/// (berth.dev/heartbeat-interval-ms, berth.dev/grace-period-ms,
/// berth.dev/eviction-timeout-ms), so that `describe node`, the node actor
/// and an audit read the same values.
void annotate(model::node& n, const heartbeat_contract& c);

/// The contract in `n`'s annotations; nullopt when absent or not numbers.
std::optional<heartbeat_contract> contract_of(const model::node& n);

/// "1s", "1.5s", "250ms", "2m": a duration as berthd's flags take it.
std::string duration_text(std::chrono::nanoseconds d);

/// When berthd restarts it knows a node's last heartbeat only from the
/// journal (`journaled`, 0 = none), which may be up to grace_period/4 old
/// (heartbeats are journaled at most that often). A live agent reconnects
/// within its back-off cap (`reconnect_window`) and heartbeats within one
/// interval, so the restored heartbeat is never older than leaves that much
/// time before the grace period runs out; a node that was already silent
/// keeps its real deadline instead of a fresh grace period.
model::time_ns restored_heartbeat(model::time_ns journaled, model::time_ns restart, const liveness_config& cfg,
                                  std::chrono::nanoseconds reconnect_window);

/// True when a heartbeat at `now` should be journaled: the last journaled one
/// (`journaled`) is at least grace_period/4 old (like Kubernetes' node lease,
/// renewed every 10s for a 40s grace period), and the grace period is longer
/// than reconnect_window + one interval — otherwise restored_heartbeat gives
/// a fresh grace period after a restart anyway, and journaling would only add
/// noise (short test timings).
bool heartbeat_due(model::time_ns journaled, model::time_ns now, const liveness_config& cfg,
                   std::chrono::nanoseconds reconnect_window);

/// Readiness transitions (Ready <-> NotReady) of one node within `window`
/// before `now`, from their times; a node with more than `limit` of them is
/// flapping.
struct flap_check {
  std::size_t transitions = 0;
  bool flapping = false;
};
flap_check check_flapping(const std::vector<model::time_ns>& transition_times, model::time_ns now,
                          std::chrono::nanoseconds window, std::size_t limit);

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
