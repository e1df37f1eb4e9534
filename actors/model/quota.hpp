#pragma once
// ResourceQuota, pure functions over the folded state: what a namespace uses
// (its status.used, never stored, so never stale) and whether creating one
// more object keeps it within every quota's `hard` (Kubernetes' ResourceQuota
// admission). The store calls quota_refusal while planning a create, under a
// per-namespace gate, so two creates cannot both take the last unit.

#include <string>
#include <vector>

#include "actors/model/kinds.hpp"
#include "actors/model/objects.hpp"
#include "actors/model/state.hpp"

namespace berth::model {

/// The resource names a quota may bound, in the order Kubernetes lists them.
inline constexpr const char* k_quota_resources[] = {
    "cpu", "memory", "persistentvolumeclaims", "pods", "replicationcontrollers", "resourcequotas", "secrets",
    "services"};

/// True for one of k_quota_resources.
bool is_quota_resource(std::string_view name);

/// Namespace `ns`'s usage of every k_quota_resources entry: pods counts the
/// pods not Succeeded or Failed; cpu and memory sum those pods' containers'
/// limits (what Kubernetes 1.0 charged); persistentvolumeclaims is 0 (berth
/// has no claims yet).
resource_list namespace_usage(const cluster_state& s, const std::string& ns);

/// `q` as the API shows it: status.hard = spec.hard, status.used = the usage
/// of the resources it bounds.
resource_quota with_status(const cluster_state& s, resource_quota q);

/// What creating one object of kind `k` adds to its namespace's usage; for a
/// pod use the overload below. Kinds no quota counts add nothing.
resource_list usage_of(kind k);

/// A pod: pods=1, and cpu / memory as the sums of its containers' limits
/// (a resource some container has no limit for is left out).
resource_list usage_of(const pod& p);

/// Why creating an object of kind `k` (`p`: the pod, for pods) in `ns` is
/// refused by the namespace's quotas, in Kubernetes' words, or "":
/// "exceeded quota: quota, requested: pods=1, used: pods=10, limited: pods=10";
/// "failed quota: quota: must specify cpu,memory" (a pod without limits for
/// what a quota bounds).
std::string quota_refusal(const cluster_state& s, const std::string& ns, kind k, const pod* p = nullptr);

/// quota_refusal with extra usage already committed to (pods admitted
/// earlier in the same batch, not folded yet) added to the state's.
std::string quota_refusal(const cluster_state& s, const std::string& ns, kind k, const pod* p,
                          const resource_list& pending);

/// Adds `b` into `a`, resource by resource.
void add_usage(resource_list& a, const resource_list& b);

/// The limit ranges of namespace `ns`, in name order.
std::vector<limit_range> limit_ranges_in(const cluster_state& s, const std::string& ns);

}  // namespace berth::model
