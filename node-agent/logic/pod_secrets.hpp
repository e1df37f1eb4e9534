#pragma once
// Secrets on a node, as pure decisions: which of the node's secrets a pod
// finds, the files of a secret volume, and the environment of a container
// with its secretKeyRef values resolved (kubelet's makeEnvironmentVariables
// and secret volume plugin). The node's secrets are what berthd last sent
// (NodeAgent.setSecrets: only those its pods reference); writing the files
// is node-agent/agent/volume_host's job.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// The node's secrets with plaintext data, by (namespace, name).
using node_secrets = std::map<std::pair<std::string, std::string>, model::secret>;

/// The list berthd sent, keyed.
node_secrets make_node_secrets(std::vector<model::secret> secrets);

/// The secret `name` of `namespace_`, or nullptr.
const model::secret* find_secret(const node_secrets& secrets, const std::string& namespace_, const std::string& name);

/// The waiting reason of a container whose environment cannot be built.
inline constexpr const char* k_reason_create_container_config_error = "CreateContainerConfigError";

/// One file of a secret volume, relative to the volume's directory.
struct secret_file {
  std::string path;  // a key, or an item's path (may contain '/')
  std::string data;
  std::int32_t mode = 0644;
  bool operator==(const secret_file&) const = default;
};

/// The files of a secret volume, or why it cannot be made.
struct secret_volume_content {
  std::vector<secret_file> files;  // sorted by path
  std::string error;               // "" or kubelet's words
};

/// A file per key (mode defaultMode), or per `items[]` entry (its path, its
/// mode or defaultMode) when the volume lists items; an item naming a key
/// the secret does not have is an error (`references non-existent secret key: KEY`).
secret_volume_content secret_volume_files(const model::secret_volume& volume, const model::secret& secret);

/// Why `c` cannot be created with the node's secrets: the first secretKeyRef
/// (in env order) whose secret is missing (`secret "NAME" not found`) or
/// lacks the key (`couldn't find key KEY in Secret NS/NAME`); nullopt when
/// every reference resolves.
std::optional<std::string> env_config_error(const model::pod& pod, const model::container& c,
                                             const node_secrets& secrets);

/// env_config_error for every container of the pod that has one, by name
/// (pod_context::config_errors).
std::map<std::string, std::string> env_config_errors(const model::pod& pod, const node_secrets& secrets);

/// A container's environment as it is given to the runtime: the service
/// variables first, then `env` in order with fieldRef (the downward API) and
/// secretKeyRef resolved. nullopt (and `error` set) when a secretKeyRef does not resolve.
std::optional<std::vector<std::pair<std::string, std::string>>> container_env(
    const model::pod& pod, const model::container& c, const std::vector<model::env_var>& service_env,
    const node_secrets& secrets, std::string& error);

/// Whether any of the secrets the pod references differs between `before`
/// and `after` (added, removed or changed): its volumes need rewriting, and a
/// waiting pod may start.
bool secrets_changed_for(const model::pod& pod, const node_secrets& before, const node_secrets& after);

}  // namespace berth::agent
