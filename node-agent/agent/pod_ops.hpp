#pragma once
// What a pod actor may ask of the rest of its node agent: look at the pod's
// containers, apply a plan, run a probe, report to berthd. Implemented on the
// KJ side (node_session.cpp) over the container runtime interface and the
// berthd connection; the actors never see Cap'n Proto or KJ (the same split as
// berthd's control_plane facade).
//
// Every method is thread-safe and returns at once; its callback runs later on
// the KJ thread and must be cheap (pod actors pass one that sends a message).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/probe_tracker.hpp"

namespace berth::agent {

/// The runtime's view of one pod, plus what the agent learnt about its images.
struct observation {
  bool ok = true;  // false: the runtime did not answer (error says why)
  std::string error;
  observed_pod pod;
  std::map<std::string, std::string> image_errors;  // image -> "" (present) or why not
  std::optional<model::container_state_waiting> volumes_waiting;  // a volume this node cannot provide
  std::map<std::string, std::string> config_errors;  // container -> why its env cannot be built (a secretKeyRef)
};

struct probe_request {
  std::string container_id;  // for exec probes
  std::string pod_ip;        // for httpGet / tcpSocket (host IP with host networking)
  model::probe probe;
  const model::container* container = nullptr;  // resolves named ports; valid during the call only
};

struct probe_result {
  bool success = false;
  std::string message;  // why it failed, in words ("HTTP probe failed with statuscode: 500")
};

/// A step of a plan the runtime refused.
struct apply_error {
  std::string container;  // the spec container it concerns ("" = the sandbox, a kill or a removal)
  std::string message;    // what the runtime said, naming the step
};

class pod_ops {
 public:
  virtual ~pod_ops() = default;

  /// Every container of the pod (by uid) and the status of the images its spec names.
  virtual void observe(const model::pod& pod, std::function<void(observation)> done) = 0;

  /// Applies `plan` (kills, sandbox, starts, removals; see pod_plan). `sandbox_id`
  /// is the running sandbox when the plan does not create one. `done` gets the
  /// steps the runtime refused, empty when all went well.
  virtual void apply(const model::pod& pod, const pod_plan& plan, const std::string& sandbox_id,
                     std::function<void(std::vector<apply_error>)> done) = 0;

  /// Runs one probe with its timeout.
  virtual void probe(const probe_request& request, std::function<void(probe_result)> done) = 0;

  /// Reports a status transition to berthd (dropped while disconnected: the
  /// agent resends everything after it joins again).
  virtual void report_status(const model::pod& pod, const model::pod_status& status) = 0;

  /// Tells berthd that every container of a deleted pod is gone.
  virtual void report_terminated(const model::pod& pod) = 0;

  /// Reports something that happened to the pod that kubelet records as an
  /// Event (probe_events.hpp). Best effort: dropped while disconnected.
  virtual void report_event(const model::pod& pod, const model::pod_event_observed& event) = 0;

  /// The node's address (hostIP of every pod; pod IP of host-network pods).
  virtual std::string host_ip() const = 0;
};

}  // namespace berth::agent
