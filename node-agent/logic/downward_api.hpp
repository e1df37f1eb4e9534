#pragma once
// The downward API (env[].valueFrom.fieldRef): the value a pod field gives an
// environment variable, resolved by the node agent when it creates the
// container. Pure: the pod IP comes in pod.status.pod_ip.

#include <string>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// The value of `field_path` for `pod` as kubelet renders it: labels and
/// annotations as `key="value"` lines sorted by key (Go's %q quoting), the
/// service account name empty (berth has no service accounts yet). An
/// unknown path gives "" (validation refuses those before they get here).
std::string downward_api_value(const model::pod& pod, const std::string& field_path);

/// `e.value`, or its resolved fieldRef. secretKeyRef is resolved against the
/// node's secrets by pod_secrets' container_env, which calls this for the rest.
std::string env_value(const model::pod& pod, const model::env_var& e);

}  // namespace berth::agent
