#pragma once
// The facts pod_actions and pod_status_of both read from one pod: which
// sandbox is "the" sandbox, each spec container's observed history, whether a
// container will run again. Kept in one place so the plan and the reported
// phase can never disagree about, say, whether a container restarts.
//
// Internal to node-agent/logic: pod actors use pod_actions.hpp only.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"

namespace berth::agent {

/// One spec container and every observed container of its name.
struct container_slot {
  const model::container* spec = nullptr;
  std::vector<const observed_container*> history;  // newest first (attempt, then created_at, then id)

  /// The newest observed container, or nullptr when none was ever made.
  const observed_container* newest() const { return history.empty() ? nullptr : history.front(); }
};

/// Observed app containers whose names the spec no longer has.
struct stray_group {
  std::string name;
  std::vector<const observed_container*> history;  // newest first
};

/// A read-only view over a desired pod and its observed containers. Holds
/// pointers into both: it must not outlive them.
struct pod_view {
  const model::pod* desired = nullptr;
  bool deleted = false;                                    // metadata.deletion_timestamp != 0
  const observed_container* sandbox = nullptr;             // the newest running sandbox
  std::vector<const observed_container*> extra_sandboxes;  // older running ones
  std::vector<const observed_container*> sandbox_history;  // every sandbox, newest first
  /// restartPolicy Never and the sandbox died after app containers were made:
  /// kubelet makes no new sandbox then, since one would restart containers
  /// that must never restart. The pod ends once nothing runs.
  bool sandbox_lost_for_good = false;
  std::vector<container_slot> slots;  // in spec order
  std::vector<stray_group> strays;    // sorted by name
};

/// Builds the view. Never fails: odd observations (two running containers
/// of one name, several running sandboxes) are represented, not rejected.
pod_view view_of(const model::pod& desired, const observed_pod& observed);

/// True when `a` is newer than `b`: higher attempt, then later created_at, then larger id.
bool is_newer(const observed_container& a, const observed_container& b);

/// Exited, or created and never started: something garbage collection may remove.
bool is_dead(const observed_container& c);

/// True when a container of this slot ever started (running now, or ran and exited).
bool ever_started(const container_slot& slot);

/// Whether the pod's restart policy restarts a container that exited with `exit_code`.
bool policy_restarts(model::restart_policy policy, std::int32_t exit_code);

/// Whether this slot's newest container will run again (now or after a
/// back-off): a running one does not count. False for deleted pods and for
/// pods whose sandbox is lost for good.
bool will_restart(const pod_view& view, const container_slot& slot);

/// The newest container has exited and will not run again.
bool is_terminal(const pod_view& view, const container_slot& slot);

/// Every spec container is terminal (restartPolicy Never, or OnFailure with
/// every exit 0): the pod is Succeeded or Failed and nothing starts again.
bool all_terminal(const pod_view& view);

/// Any observed app container (spec or stray) or sandbox in state running.
bool any_app_running(const observed_pod& observed);

/// A duration as Go's time.Duration prints it, as Kubernetes' messages do:
/// "0s", "500ms", "10s", "1m20s", "5m0s", "1h0m0s".
std::string go_duration(model::time_ns d);

}  // namespace berth::agent
