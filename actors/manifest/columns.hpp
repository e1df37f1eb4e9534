#pragma once
// The values in kubectl's table columns, as pure functions of a model object
// (and of `now` for ages): AGE, a pod's READY / STATUS / RESTARTS, a node's
// STATUS and ROLES, a service's TYPE / CLUSTER-IP / EXTERNAL-IP / PORT(S),
// endpoints' ENDPOINTS. They follow kubectl's printers
// (pkg/printers/internalversion/printers.go), so `berth get` (cli/tables.cpp)
// and the Table bodies berthd serves to kubectl (actors/kube/tables.cpp) show
// the same text.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::manifest {

/// kubectl's HumanDuration: "45s" below 2 minutes, "3m20s" / "12m" below 3 hours,
/// "2h30m" / "20h" below 2 days, "5d4h" / "30d" below 2 years, then "3y20d" / "9y".
/// Less than -1 s (a clock skew beyond tolerance) is "<invalid>".
std::string human_duration(std::int64_t ns);

/// AGE of an object created at `created` ("<unknown>" when 0).
std::string format_age(model::time_ns created, model::time_ns now);

/// A pod's READY, STATUS and RESTARTS columns, by kubectl's rules: STATUS is the
/// phase, overridden by status.reason, then by a container's waiting reason
/// (ContainerCreating, CrashLoopBackOff, ...) or terminated reason (Completed,
/// Error; "Signal:9" / "ExitCode:1" when the reason is empty), and finally by
/// Terminating when deletionTimestamp is set ("Unknown" if the node was lost).
struct pod_columns {
  std::string ready;  // "1/2": ready running containers / containers in the spec
  std::string status;
  std::int32_t restarts = 0;
  bool operator==(const pod_columns&) const = default;
};
pod_columns pod_summary(const model::pod& p);

/// "Ready", "NotReady" or "Unknown" (no Ready condition), plus ",SchedulingDisabled".
std::string node_status(const model::node& n);

/// ROLES: the X of each `node-role.kubernetes.io/X` label and the value of a
/// `kubernetes.io/role` label, sorted, comma-separated; "<none>" without any.
std::string node_roles(const model::node& n);

/// "80/TCP,443:30443/TCP" ("<none>" without ports).
std::string service_ports(const model::service& s);

/// "<none>" for a ClusterIP service without one, else the address (or "None": headless).
std::string service_cluster_ip(const model::service& s);

/// EXTERNAL-IP: "<pending>" for a LoadBalancer (berth has no load balancers),
/// "<none>" otherwise.
std::string service_external_ip(const model::service& s);

/// "ClusterIP", "NodePort", "LoadBalancer".
const char* service_type_name(model::service_type t);

/// "10.1.0.5:8080,10.1.0.6:8080 + 2 more..." (at most 3 shown), "<none>" when empty.
/// With `port_name`, only the ports of that name (describe's per-port Endpoints).
std::string endpoints_text(const model::endpoints& e, const std::string* port_name = nullptr);

/// "app=web,tier=front" ("<none>" when empty) — also the text of a label selector.
std::string labels_text(const model::string_map& m);

/// "True", "False", "Unknown".
const char* condition_status_name(model::condition_status s);

/// An RC's CURRENT and READY columns (and status.replicas / readyReplicas).
struct rc_counts {
  std::int32_t current = 0;
  std::int32_t ready = 0;
  bool operator==(const rc_counts&) const = default;
};

/// From the RC's status, when berthd has set it (observedGeneration > 0).
std::optional<rc_counts> rc_counts_from_status(const model::replication_controller& rc);

/// Counting `pods` (listed with the RC's selector): those not terminating and
/// controlled by this RC (or by nothing), and of them the Ready ones.
rc_counts rc_counts_from_pods(const model::replication_controller& rc, const std::vector<model::pod>& pods);

/// "TCP" or "UDP".
const char* protocol_name(model::protocol p);

/// ACCESS MODES: "RWO,ROX,RWX" in the given order, as kubectl abbreviates them.
std::string access_modes_text(const std::vector<std::string>& modes);

/// The `storage` quantity of a capacity or request ("10Gi"; "" without one).
std::string storage_text(const model::resource_list& list);

/// kubectl's persistent volume row: NAME, CAPACITY, ACCESS MODES, RECLAIM
/// POLICY, STATUS, CLAIM ("namespace/name" or ""), STORAGECLASS (always ""),
/// REASON, AGE.
std::vector<std::string> volume_cells(const model::persistent_volume& v, model::time_ns now);

/// kubectl's pod template row: NAME, CONTAINERS, IMAGES (comma-separated, in
/// spec order), POD LABELS (the template's, "<none>" without any).
std::vector<std::string> pod_template_cells(const model::pod_template& t);

/// kubectl's claim row: NAME, STATUS, VOLUME, CAPACITY, ACCESS MODES,
/// STORAGECLASS (always ""), AGE.
std::vector<std::string> claim_cells(const model::persistent_volume_claim& c, model::time_ns now);

}  // namespace berth::manifest
