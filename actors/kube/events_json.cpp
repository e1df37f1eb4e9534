#include "actors/kube/events_json.hpp"

#include <fmt/format.h>

#include <map>

#include "actors/model/events.hpp"

namespace berth::kube {

event_reason reason_of(const std::string& journal_type) {
  static const std::map<std::string, event_reason> known = {
      {"podBound", {"Scheduled", "Normal"}},
      {"podUnschedulable", {"FailedScheduling", "Warning"}},
      {"podCreated", {"SuccessfulCreate", "Normal"}},
      {"podDeleted", {"SuccessfulDelete", "Normal"}},
      {"podEvicted", {"Evicted", "Warning"}},
      {"podRemoved", {"Removed", "Normal"}},
      {"podStatusObserved", {"StatusChanged", "Normal"}},
      {"rcScaled", {"Scaled", "Normal"}},
      {"objectCreated", {"Created", "Normal"}},
      {"objectReplaced", {"Updated", "Normal"}},
      {"objectDeleted", {"Deleted", "Normal"}},
      {"endpointsUpdated", {"EndpointsUpdated", "Normal"}},
      {"nodeRegistered", {"RegisteredNode", "Normal"}},
      {"nodeHeartbeat", {"Heartbeat", "Normal"}},
      {"nodeUnschedulable", {"NodeSchedulable", "Normal"}},
      {"namespaceCreated", {"Created", "Normal"}},
      {"namespaceReplaced", {"Updated", "Normal"}},
      {"namespaceRemoved", {"Removed", "Normal"}},
      {"secretCreated", {"Created", "Normal"}},
      {"secretReplaced", {"Updated", "Normal"}},
      {"secretRemoved", {"Deleted", "Normal"}},
      {"limitRangeCreated", {"Created", "Normal"}},
      {"limitRangeReplaced", {"Updated", "Normal"}},
      {"limitRangeRemoved", {"Deleted", "Normal"}},
      {"resourceQuotaCreated", {"Created", "Normal"}},
      {"resourceQuotaReplaced", {"Updated", "Normal"}},
      {"resourceQuotaRemoved", {"Deleted", "Normal"}},
      {"podCreateRefused", {"FailedCreate", "Warning"}},
      {"persistentVolumeCreated", {"Created", "Normal"}},
      {"persistentVolumeReplaced", {"Updated", "Normal"}},
      {"persistentVolumeRemoved", {"Deleted", "Normal"}},
      {"persistentVolumeClaimCreated", {"Created", "Normal"}},
      {"persistentVolumeClaimReplaced", {"Updated", "Normal"}},
      {"persistentVolumeClaimRemoved", {"Deleted", "Normal"}},
      {"volumeClaimBound", {"ClaimBound", "Normal"}},
      {"volumeRecycled", {"VolumeRecycled", "Normal"}},
      {"volumeReclaimFailed", {"VolumeFailedRecycle", "Warning"}},
      {"podTemplateCreated", {"Created", "Normal"}},
      {"podTemplateReplaced", {"Updated", "Normal"}},
      {"podTemplateRemoved", {"Deleted", "Normal"}},
      {"endpointsReplaced", {"Updated", "Normal"}},
      {"endpointsRemoved", {"Deleted", "Normal"}},
  };
  if (auto it = known.find(journal_type); it != known.end()) return it->second;
  std::string reason = journal_type;
  if (!reason.empty() && reason[0] >= 'a' && reason[0] <= 'z') reason[0] = static_cast<char>(reason[0] - 'a' + 'A');
  return {reason, "Normal"};
}

namespace {

/// Node readiness events read "Node NotReady: ..." — Kubernetes' reasons
/// say which way it went, and NotReady is a warning.
event_reason readiness_reason(const journal_event_row& row, event_reason r) {
  // Kubernetes' node controller words a cordon as NodeNotSchedulable.
  if (row.type == "nodeUnschedulable")
    return row.message.find("unschedulable") != std::string::npos ? event_reason{"NodeNotSchedulable", "Normal"}
                                                                  : event_reason{"NodeSchedulable", "Normal"};
  if (row.type != "nodeReadinessDecided" && row.type != "nodeReadinessObserved") return r;
  if (row.message.rfind("Node NotReady", 0) == 0) return {"NodeNotReady", "Warning"};
  return {"NodeReady", "Normal"};
}

/// A node's report about its pod reads "Reason: message" (event_text.cpp):
/// the reason is kubelet's, and decides the type.
bool split_pod_event(const journal_event_row& row, event_reason& r, std::string& message) {
  if (row.type != "podEventObserved") return false;
  auto colon = row.message.find(": ");
  if (colon == std::string::npos) return false;
  r.reason = row.message.substr(0, colon);
  r.type = std::string(model::pod_event_type(r.reason));
  message = row.message.substr(colon + 2);
  return true;
}

}  // namespace

event_object event_of(const journal_event_row& row) {
  auto r = readiness_reason(row, reason_of(row.type));
  std::string message = row.message;
  const bool from_node = split_pod_event(row, r, message);
  event_object e;
  const bool cluster_scoped = row.kind == "Node" || row.kind == "Namespace";
  e.metadata.name = fmt::format("{}.{:x}", row.name, row.seq);
  e.metadata.namespace_ = cluster_scoped ? "default" : row.namespace_;
  e.metadata.resource_version = row.seq;
  e.metadata.creation_timestamp = row.time_ns;
  e.involved_object = model::object_reference{row.kind, cluster_scoped ? "" : row.namespace_, row.name, row.uid};
  e.reason = r.reason;
  e.message = message;
  e.type = r.type;
  e.source_component = from_node ? "berth-agent" : "berthd";
  e.first_timestamp = row.time_ns;
  e.last_timestamp = row.time_ns;
  e.count = 1;
  return e;
}

}  // namespace berth::kube
