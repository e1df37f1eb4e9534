#pragma once
// A pod's volumes on one node, as pure decisions: whether the node can
// provide them (else the pod waits with reason VolumeUnavailable), where each
// lives on the host, and the bind mounts of a container. The files and
// mounts themselves are node-agent/agent/volume_host's job.
//
// Host layout under the node's volume root (<berth-agent --state-dir>/nodes/<node name>):
//
//   <root>/pods/<pod uid>/volumes/empty-dir/<volume name>    emptyDir (a tmpfs mount when medium: Memory)
//   <root>/pods/<pod uid>/volumes/nfs/<volume name>          nfs (mounted by mount.nfs)
//   <root>/pods/<pod uid>/volumes/secret/<volume name>       secret (a tmpfs, one file per key)

#include <optional>
#include <set>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_secrets.hpp"

namespace berth::agent {

/// What this node can mount besides emptyDir and hostPath.
struct node_volume_support {
  std::string node_name;
  bool nfs = false;  // mount.nfs is installed
};

/// The waiting reason of containers whose pod has a volume the node cannot provide.
inline constexpr const char* k_reason_volume_unavailable = "VolumeUnavailable";

/// Why the pod cannot start here (reason VolumeUnavailable, one message per
/// volume in spec order, "; "-joined), or nullopt when every volume can be
/// provided. A secret volume needs its secret in the pod's namespace among
/// the node's `secrets` (`secret "NAME" not found`, kubelet's words) with
/// every key its items name. A persistentVolumeClaim volume still here was not
/// resolved (pod_claims.hpp: its claim is not bound): `persistentVolumeClaim
/// "NAME" is not bound to a volume`.
std::optional<model::container_state_waiting> volumes_unavailable(const model::pod_spec& spec,
                                                                  const node_volume_support& node,
                                                                  const std::string& namespace_ = "",
                                                                  const node_secrets& secrets = {});

/// <root>/pods/<uid>: everything the agent keeps for the pod's volumes.
std::string pod_volume_dir(const std::string& root, const std::string& uid);

/// <root>/pods/<uid>/volumes/empty-dir/<name>.
std::string empty_dir_path(const std::string& root, const std::string& uid, const std::string& name);

/// <root>/pods/<uid>/volumes/nfs/<name>.
std::string nfs_path(const std::string& root, const std::string& uid, const std::string& name);

/// <root>/pods/<uid>/volumes/secret/<name>: a tmpfs holding the secret's files.
std::string secret_volume_path(const std::string& root, const std::string& uid, const std::string& name);

/// The host file bind-mounted at a container's terminationMessagePath (one per
/// start, as kubelet does: Docker's /dev is a tmpfs that goes with the
/// container, so a message written there could not be read after the exit).
std::string termination_log_path(const std::string& root, const std::string& uid, const std::string& container,
                                 std::uint32_t attempt);

/// One bind mount into a container.
struct host_mount {
  std::string host_path;  // with the subPath appended
  std::string container_path;
  bool read_only = false;
  std::string sub_path;  // "" = the volume's root (the agent makes a missing subPath)
  bool operator==(const host_mount&) const = default;
};

/// The container's mounts, in volumeMounts order; secret volumes and those
/// named in `read_only_volumes` (read-only claims: pod_claims.hpp) are always
/// read-only; mounts of volumes that are not emptyDir, hostPath, nfs or
/// secret are left out (such pods do not start).
std::vector<host_mount> container_mounts(const model::pod& pod, const model::container& c, const std::string& root,
                                         const std::set<std::string>& read_only_volumes = {});

}  // namespace berth::agent
