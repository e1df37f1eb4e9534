#pragma once
// Which pod Events one probe result makes, in kubelet's words: what the agent
// reports to berthd (journaled as podEventObserved) so that `berth describe
// pod` and `kubectl describe pod` show why a container was restarted or is
// not ready, as the liveness example's README shows. Pure.
//
//   liveness failure   -> Unhealthy "Liveness probe failed: <output>", every
//                         time (at most failureThreshold per container
//                         instance: the container is then restarted), and
//                         when the threshold is crossed, Killing "Container X
//                         failed liveness probe, will be restarted"
//   readiness failure  -> Unhealthy "Readiness probe failed: <output>" for the
//                         first failure of a streak only: a probe that keeps
//                         failing every period must not fill the journal
//   success            -> nothing

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/events.hpp"
#include "node-agent/logic/probe_tracker.hpp"

namespace berth::agent {

/// One probe result as the pod actor saw it: the tracker's state before and after recording it.
struct probe_outcome {
  probe_kind kind = probe_kind::liveness;
  std::string container;
  bool success = false;
  std::string message;                   // why it failed ("HTTP probe failed with statuscode: 500")
  bool passing_before = true;
  bool passing_after = true;
  std::int32_t consecutive_failures = 0;  // after recording it
};

/// Why an exec probe failed, as kubelet words it: the command's output
/// (trailing white space trimmed, at most 1 KiB), or "command exited with N"
/// when it printed nothing.
std::string exec_failure_message(std::int32_t exit_code, std::string_view output);

/// The Events `o` makes, in the order kubelet records them.
std::vector<model::pod_event_observed> probe_events(const probe_outcome& o);

}  // namespace berth::agent
