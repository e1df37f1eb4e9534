#pragma once
// The service's decision: its endpoints, computed from the pods that match its
// selector (Kubernetes' endpoints controller, including the repacking of
// subsets). The service actor appends endpoints_updated when the result
// differs from the folded endpoints.
//
// A pod is an endpoint when it is in the service's namespace, matches the
// selector, has a pod IP, is not terminating and not Succeeded/Failed. Ready
// pods go to `addresses`, the others to `notReadyAddresses`.
//
// Ports: a numeric targetPort is used as is (an unset one means the service
// port); a named targetPort is looked up among the pod's container ports by
// name and protocol, and a pod lacking it is left out of that port. Pods with
// the same set of resolved ports share one subset. Everything is sorted
// (subsets by ports, ports by name then number, addresses by IP then pod name),
// so equal inputs, in any order, give an equal value.

#include <optional>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::reconcile {

/// The endpoints `svc` should have, named like the service. nullopt when the
/// service has no selector: its endpoints are managed by hand and must be left
/// alone. Never fails.
std::optional<model::endpoints> compute_endpoints(const model::service& svc, const std::vector<model::pod>& pods);

/// The container port a service port reaches on `p`, or nullopt when `p`
/// exposes no port of that name and protocol.
std::optional<std::int32_t> resolve_target_port(const model::service_port& sp, const model::pod& p);

}  // namespace berth::reconcile
