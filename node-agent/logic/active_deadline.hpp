#pragma once
// spec.activeDeadlineSeconds, as Kubernetes 1.0's kubelet enforced it
// (pastActiveDeadline): a pod active on its node longer than that since its
// start is failed, its containers killed, and never started again. Pure:
// pod_actions and pod_status_of both ask, with the same `now`, so the plan
// (kill everything) and the report (Failed, DeadlineExceeded) agree.

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"

namespace berth::agent {

inline constexpr const char* k_deadline_reason = "DeadlineExceeded";
inline constexpr const char* k_deadline_message = "Pod was active on the node longer than specified deadline";

/// When the pod started on this node: the earlier of the startTime berthd
/// holds for it and the first sandbox the runtime still shows; 0 when it has
/// not started. Taking the earlier keeps the deadline from moving later when
/// an old sandbox is garbage collected.
model::time_ns active_since(const model::pod& desired, const observed_pod& observed);

/// The time the deadline passes; 0 without a deadline or before the start.
model::time_ns deadline_of(const model::pod& desired, const observed_pod& observed);

/// True from the deadline on (and so forever: `now` only grows).
bool past_active_deadline(const model::pod& desired, const observed_pod& observed, model::time_ns now);

}  // namespace berth::agent
