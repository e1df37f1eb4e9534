#pragma once
// Translations between the agent's pod model and the container runtime
// interface (schema/runtime.capnp): the runtime's containers as an
// observed_pod (read back from their labels), and the configs the agent asks
// the runtime to create. KJ-side code only (includes Cap'n Proto headers).

#include <optional>
#include <string>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_volumes.hpp"
#include "schema/runtime.capnp.h"

namespace berth::agent {

/// One runtime container as the logic sees it; nullopt when it is not a berth container.
std::optional<observed_container> observe_container(schema::ContainerInfo::Reader info);

/// The runtime's containers of one pod, split into sandboxes and app containers.
observed_pod observe_pod(capnp::List<schema::ContainerInfo>::Reader infos);

/// The label value `key` of a container, "" when absent.
std::string label_of(capnp::List<schema::KeyValue>::Reader labels, const char* key);

/// The sandbox the runtime should make for `pod` on `node`. With a cluster DNS
/// address (`dns_ip` non-empty), pods not on the host network resolve through
/// it, with Kubernetes' search path (`<ns>.svc.<domain> svc.<domain> <domain>`).
void fill_sandbox_config(const model::pod& pod, const std::string& node, const std::string& dns_ip,
                         const std::string& domain, schema::SandboxConfig::Builder out);

/// An app container of `pod`: image, command, `env` as resolved by
/// pod_secrets' container_env (service variables first, so the spec's own
/// win), limits (memory bytes, nano-cpus), labels' values (the attempt and
/// the back-off waited come from `start`).
void fill_container_config(const model::pod& pod, const model::container& c, const container_start& start,
                           const std::string& node, const std::vector<std::pair<std::string, std::string>>& env,
                           schema::ContainerConfig::Builder out);

/// The container's volume mounts (container_mounts()) as the runtime binds them.
void fill_mounts(const std::vector<host_mount>& mounts, schema::ContainerConfig::Builder out);

/// The grace period to stop a pod's containers with: the deletion's, else the spec's.
std::int64_t grace_period_seconds(const model::pod& pod);

/// A pod rebuilt from a container's labels (uid, namespace, name, grace
/// period), for containers the agent finds but berthd no longer lists.
model::pod pod_from_labels(capnp::List<schema::KeyValue>::Reader labels);

}  // namespace berth::agent
