#pragma once
// LimitRange admission (Kubernetes' LimitRanger), a pure function: a pod
// being created gets its namespace's defaults, then is checked against every
// min, max and maxLimitRequestRatio. Pods that exist already are never
// touched: a limit range acts when a pod is created, as in Kubernetes.

#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::model {

/// Fills each container's missing limits from the Container items' `default`
/// and missing requests from their `defaultRequest`, in place.
void apply_limit_defaults(const std::vector<limit_range>& ranges, pod& p);

/// Every violation of `ranges` by `p` (defaults already applied), in the order
/// of the ranges and their items, as Kubernetes words them: "maximum cpu usage
/// per Container is 2, but limit is 3", "minimum memory usage per Pod is 6Mi,
/// but request is 4Mi", "maximum memory usage per Container is 1Gi.  No limit
/// is specified". A missing request counts as its limit (Kubernetes defaults
/// requests to limits). Empty: admitted.
std::vector<std::string> limit_violations(const std::vector<limit_range>& ranges, const pod& p);

/// apply_limit_defaults, then limit_violations joined as Kubernetes'
/// aggregate error does ("a" alone; "[a, b]" for several); "" when admitted.
std::string admit_limits(const std::vector<limit_range>& ranges, pod& p);

/// `pods "web" is forbidden: <why>`: Kubernetes' admission refusal.
std::string forbidden(const std::string& resource, const std::string& name, const std::string& why);

}  // namespace berth::model
