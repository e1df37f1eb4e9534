#pragma once
// What a node agent should do about one pod, and what to report about it:
// pure functions of the desired pod and of the containers the runtime shows
// (kubelet's computePodActions and generateAPIPodStatus ideas). Pod actors
// call them after every change they see and apply the plan through the
// container runtime interface. No I/O, no clocks: `now` is a parameter.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// A container as the runtime shows it (decoded from its labels and state).
struct observed_container {
  enum class state : std::uint8_t { created, running, exited, unknown };
  std::string id;
  std::string name;           // container name in the pod spec; "POD" for the sandbox
  std::uint32_t attempt = 0;  // restart attempt it was created for
  std::string spec_hash;      // container_spec_hash() of the spec it was made from
  observed_container::state state_ = state::created;
  std::int32_t exit_code = 0;
  bool oom_killed = false;
  model::time_ns created_at = 0;
  model::time_ns started_at = 0;
  model::time_ns finished_at = 0;
  std::string ip;  // sandboxes only
  std::string image;
  std::string image_id;
  std::string error;  // the runtime's message about a failed start
  model::time_ns backoff_delay = 0;  // the back-off waited before it started (its label)
  // Exited containers: the termination message the agent read (its
  // terminationMessagePath, or the log's end), and a failed lifecycle hook
  // (its reason, e.g. FailedPostStartHook, and message) the agent recorded.
  std::string termination_message;
  std::string hook_failure_reason;
  std::string hook_failure_message;
};

/// Every container of one pod the runtime knows, running or dead.
struct observed_pod {
  std::vector<observed_container> sandboxes;   // infra containers, any state
  std::vector<observed_container> containers;  // app containers, any state
};

/// Kubernetes' CrashLoopBackOff: base doubling up to cap; reset once a
/// container ran `reset_after` without exiting.
struct backoff_config {
  model::time_ns base = 10'000'000'000LL;          // 10 s
  model::time_ns cap = 300'000'000'000LL;          // 5 min
  model::time_ns reset_after = 600'000'000'000LL;  // 10 min
};

/// The agent's memory of one container's back-off (kept per pod actor). A
/// new agent has none: it takes the delay from the label of the newest
/// container instead (observed_container::backoff_delay).
struct backoff_entry {
  model::time_ns delay = 0;       // the current delay (0: no back-off yet)
  model::time_ns not_before = 0;  // earliest time of the next start
  std::uint32_t for_attempt = 0;  // the attempt whose exit started this delay
};
using backoff_table = std::map<std::string, backoff_entry>;  // by container name

/// What the agent knows besides the runtime's view.
struct pod_context {
  model::time_ns now = 0;
  backoff_config backoff;
  /// image -> "" when present locally, else the waiting message
  /// (e.g. `image "x" not present on node and no registry configured`).
  std::map<std::string, std::string> image_errors;
  /// Containers whose liveness probe reached its failure threshold: restart them.
  std::vector<std::string> liveness_failed;
  /// Containers whose readiness probe currently passes (absent = not ready;
  /// containers without a readiness probe are ready when running).
  std::map<std::string, bool> readiness;
  /// A volume the node cannot provide (pod_volumes.hpp): nothing starts, and
  /// containers that are not running wait with this reason.
  std::optional<model::container_state_waiting> volumes_waiting;
  /// Containers whose environment cannot be built (pod_secrets.hpp,
  /// env_config_errors: a secretKeyRef that does not resolve), by name: they
  /// wait with CreateContainerConfigError and this message instead of starting.
  std::map<std::string, std::string> config_errors;
};

struct container_kill {
  std::string id;
  std::string name;
  std::string reason;  // "Unhealthy: liveness probe failed", "container spec changed", "pod deleted", ...
};

struct container_start {
  std::string name;
  std::uint32_t attempt = 0;          // label value for the new container
  model::time_ns backoff_delay = 0;  // the back-off it waited, kept as a label
};

/// What to do now. Order of application: kills, then sandbox, then starts, then removals.
struct pod_plan {
  bool create_sandbox = false;              // no running sandbox: make a new one (kill_sandboxes first)
  std::vector<std::string> kill_sandboxes;  // sandbox ids to stop (extra ones, or all when the pod ends)
  std::vector<container_kill> kills;
  std::vector<container_start> starts;
  std::vector<std::string> removals;  // dead containers to remove (keeps the newest dead one per name)
  std::map<std::string, model::container_state_waiting> waiting;  // why a container is not started
  model::time_ns wake_at = 0;  // ask again then (a back-off expires); 0 = only on change
  bool pod_finished = false;   // nothing runs or will run again (Succeeded/Failed, or deleted and all stopped)
};

/// A stable hash of the parts of a container spec that need a new container
/// when they change (image, command, args, workingDir, env, ports, resources,
/// volumeMounts). A container without mounts hashes as before mounts existed,
/// so an upgraded agent does not restart what runs.
std::string container_spec_hash(const model::container& c);

/// The plan for one pod. `backoff` is updated in place (new delays after an
/// exit, resets after a long run, entries of removed containers dropped).
/// A pod with a deletionTimestamp gets every container and sandbox killed.
pod_plan pod_actions(const model::pod& desired, const observed_pod& observed, const pod_context& context,
                     backoff_table& backoff);

/// The status to report: phase, conditions (Ready), pod IP, container
/// statuses with Kubernetes' reasons (ContainerCreating, CrashLoopBackOff,
/// Completed, Error, OOMKilled), restart counts and last termination states.
/// `plan` supplies the waiting reasons; `host_ip` the node's address;
/// `id_prefix` names the runtime in containerIDs ("docker://<id>").
model::pod_status pod_status_of(const model::pod& desired, const observed_pod& observed, const pod_plan& plan,
                                const pod_context& context, const std::string& host_ip,
                                const std::string& id_prefix = "docker://");

}  // namespace berth::agent
