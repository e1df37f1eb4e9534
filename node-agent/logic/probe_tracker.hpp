#pragma once
// When to run a container's liveness or readiness probe next, and whether it
// passes, from the results so far (kubelet's prober worker, without the I/O).
// A pod actor keeps one tracker per container and probe kind, runs the probe
// through the runtime when next_due() comes, and feeds the result to record().
//
//   liveness:   passing --failureThreshold consecutive failures--> failing
//               failing --1 success-----------------------------> passing
//   readiness:  failing --successThreshold consecutive successes-> passing
//               passing --failureThreshold consecutive failures--> failing
//
// Liveness starts passing (a container is alive until shown otherwise),
// readiness starts failing (not ready until shown ready), as in Kubernetes.

#include <cstdint>

#include "actors/model/objects.hpp"

namespace berth::agent {

enum class probe_kind : std::uint8_t { liveness, readiness };

/// The state of one probe of one container. A value type owned by the pod actor.
class probe_tracker {
 public:
  /// Thresholds below 1 count as 1, a period below 1 s as 1 s, a negative
  /// initial delay as 0 (Kubernetes' validation rejects them; stay defined).
  /// Liveness needs a single success to pass again, as Kubernetes requires.
  probe_tracker(const model::probe& probe, probe_kind kind);

  /// When to run the probe next, never before `now`: `initialDelaySeconds`
  /// after `started_at`, then `periodSeconds` after the last recorded result.
  model::time_ns next_due(model::time_ns started_at, model::time_ns now) const;

  /// One probe result at `now`.
  void record(bool success, model::time_ns now);

  /// Liveness: false once failureThreshold consecutive failures were seen.
  /// Readiness: true once successThreshold consecutive successes were seen,
  /// until failureThreshold consecutive failures.
  bool passing() const { return passing_; }

  /// Back to the initial state: the container restarted.
  void reset();

  probe_kind kind() const { return kind_; }
  std::int32_t consecutive_successes() const { return successes_; }
  std::int32_t consecutive_failures() const { return failures_; }

 private:
  probe_kind kind_;
  model::time_ns initial_delay_;
  model::time_ns period_;
  std::int32_t success_threshold_;
  std::int32_t failure_threshold_;
  bool passing_;
  std::int32_t successes_ = 0;
  std::int32_t failures_ = 0;
  bool recorded_ = false;
  model::time_ns last_recorded_ = 0;
};

}  // namespace berth::agent
