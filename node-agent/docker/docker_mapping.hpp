#pragma once
// How berth's container runtime interface maps onto the Docker Engine API:
// container names, labels, create bodies, list filters, and inspect/event
// JSON back into ContainerInfo. Pure functions (no I/O), so the mapping is
// table-tested without dockerd; docker_runtime does the talking.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "node-agent/docker/docker_json.hpp"
#include "schema/runtime.capnp.h"

namespace berth::agent::docker {

/// The waiting reason for an image that is not on the node.
std::string image_missing_message(std::string_view image);

/// `berth_<namespace>_<pod>_<container>_<first 8 of uid>_<attempt>`; characters
/// Docker does not allow in names become '-'.
std::string container_name(std::string_view namespace_, std::string_view pod, std::string_view container,
                           std::string_view uid, std::uint32_t attempt);

/// The labels of a sandbox / an app container (schema/runtime.capnp `label*`).
std::map<std::string, std::string> sandbox_labels(schema::SandboxConfig::Reader config);
std::map<std::string, std::string> container_labels(schema::ContainerConfig::Reader config);

/// The body of `POST /containers/create` for a sandbox (infra container).
std::string sandbox_create_body(schema::SandboxConfig::Reader config, std::string_view pause_image);

/// The body of `POST /containers/create` for an app container joined to the
/// sandbox's network and IPC namespaces.
std::string container_create_body(std::string_view sandbox_id, schema::ContainerConfig::Reader config);

/// `GET /containers/json?...` for a label filter: always restricted to berth
/// containers (those with a pod uid label), every pair ANDed.
std::string list_path(schema::LabelFilter::Reader filter);

/// The Ids of a `GET /containers/json` reply.
std::vector<std::string> listed_ids(json_value list);

/// Fills `info` from a `GET /containers/{id}/json` reply.
void fill_container_info(json_value inspect, schema::ContainerInfo::Builder info);

/// One container event of `GET /events`.
struct docker_event {
  std::string id;
  std::string action;                         // "start", "die", "oom", "destroy", ...
  std::map<std::string, std::string> labels;  // the io.berth.* attributes
  std::int64_t time_ns = 0;
};

/// Decodes one event object; nullopt for events the agent does not want:
/// not about a container, or exec_* (exec probes would flood the agent).
std::optional<docker_event> parse_event(json_value event);

/// "seconds.nanoseconds", the form of `since=` that dockerd accepts.
std::string docker_since(std::int64_t time_ns);

}  // namespace berth::agent::docker
