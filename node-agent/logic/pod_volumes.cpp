#include "node-agent/logic/pod_volumes.hpp"

#include <fmt/format.h>

namespace berth::agent {
namespace {

/// "" when the node can provide `v`, else why not (Kubernetes' wording for
/// missing objects).
std::string unavailable(const model::volume& v, const node_volume_support& node, const std::string& namespace_,
                        const node_secrets& secrets) {
  if (const auto* s = std::get_if<model::secret_volume>(&v.source)) {
    const auto* secret = find_secret(secrets, namespace_, s->secret_name);
    if (secret == nullptr) return fmt::format("secret \"{}\" not found", s->secret_name);
    return secret_volume_files(*s, *secret).error;
  }
  if (const auto* c = std::get_if<model::persistent_volume_claim_volume>(&v.source))
    return fmt::format("persistentVolumeClaim \"{}\" is not bound to a volume", c->claim_name);
  if (std::holds_alternative<model::empty_dir_volume>(v.source) ||
      std::holds_alternative<model::host_path_volume>(v.source))
    return "";
  if (std::holds_alternative<model::nfs_volume>(v.source) && node.nfs) return "";
  return fmt::format("volume type {} is not available on node {}", model::volume_type_name(v.source), node.node_name);
}

}  // namespace

std::optional<model::container_state_waiting> volumes_unavailable(const model::pod_spec& spec,
                                                                  const node_volume_support& node,
                                                                  const std::string& namespace_,
                                                                  const node_secrets& secrets) {
  std::string message;
  for (const auto& v : spec.volumes) {
    auto why = unavailable(v, node, namespace_, secrets);
    if (why.empty()) continue;
    message += (message.empty() ? "" : "; ") + fmt::format("volume \"{}\": {}", v.name, why);
  }
  if (message.empty()) return std::nullopt;
  return model::container_state_waiting{k_reason_volume_unavailable, message};
}

std::string pod_volume_dir(const std::string& root, const std::string& uid) {
  return fmt::format("{}/pods/{}", root, uid);
}

std::string empty_dir_path(const std::string& root, const std::string& uid, const std::string& name) {
  return fmt::format("{}/volumes/empty-dir/{}", pod_volume_dir(root, uid), name);
}

std::string nfs_path(const std::string& root, const std::string& uid, const std::string& name) {
  return fmt::format("{}/volumes/nfs/{}", pod_volume_dir(root, uid), name);
}

std::string secret_volume_path(const std::string& root, const std::string& uid, const std::string& name) {
  return fmt::format("{}/volumes/secret/{}", pod_volume_dir(root, uid), name);
}

std::string termination_log_path(const std::string& root, const std::string& uid, const std::string& container,
                                 std::uint32_t attempt) {
  return fmt::format("{}/containers/{}/{}-termination-log", pod_volume_dir(root, uid), container, attempt);
}

std::vector<host_mount> container_mounts(const model::pod& pod, const model::container& c, const std::string& root,
                                         const std::set<std::string>& read_only_volumes) {
  std::vector<host_mount> out;
  for (const auto& m : c.volume_mounts) {
    const model::volume* v = nullptr;
    for (const auto& candidate : pod.spec.volumes)
      if (candidate.name == m.name) v = &candidate;
    if (v == nullptr) continue;  // validation rules this out
    std::string base;
    if (std::holds_alternative<model::empty_dir_volume>(v->source))
      base = empty_dir_path(root, pod.metadata.uid, v->name);
    else if (const auto* h = std::get_if<model::host_path_volume>(&v->source))
      base = h->path;
    else if (std::holds_alternative<model::nfs_volume>(v->source))
      base = nfs_path(root, pod.metadata.uid, v->name);
    else if (std::holds_alternative<model::secret_volume>(v->source))
      base = secret_volume_path(root, pod.metadata.uid, v->name);
    else
      continue;
    const bool read_only =
        m.read_only || std::holds_alternative<model::secret_volume>(v->source) || read_only_volumes.count(v->name) != 0;
    std::string host = m.sub_path.empty() ? base : base + "/" + m.sub_path;
    out.push_back({std::move(host), m.mount_path, read_only, m.sub_path});
  }
  return out;
}

}  // namespace berth::agent
