#pragma once
// berth's one vocabulary of object kinds: the enum the API and the actors use,
// and every way a kind is spelled — in manifests and the journal ("Pod"), by
// kubectl's resource names ("pods"), singular ("pod"), short names ("po"), and
// the debugging commands' KIND/NAME ("pod", "rc", "svc"). Everything that
// turns a kind into text or text into a kind goes through here; pure, no
// Cap'n Proto.
//
// On-disk and wire formats do not depend on this header's order: the journal
// stores the kind names below (byte-identical to before this vocabulary
// existed), and schema::Kind is converted case by case in actors/rpc/api_convert.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace berth::model {

/// The API object kinds, in the order of actors::any_object's alternatives
/// (actors::kind_of relies on it).
enum class kind : std::uint8_t {
  pod,
  replication_controller,
  service,
  endpoints,
  node,
  namespace_,
  secret,
  limit_range,
  resource_quota,
  persistent_volume,
  persistent_volume_claim,
  pod_template
};

inline constexpr std::array<kind, 12> k_all_kinds = {
    kind::pod,         kind::replication_controller, kind::service,          kind::endpoints,
    kind::node,        kind::namespace_,             kind::secret,           kind::limit_range,
    kind::resource_quota, kind::persistent_volume,   kind::persistent_volume_claim, kind::pod_template};

/// Kind names exactly as Kubernetes spells them in manifests, ObjectReferences
/// and berth's event headers (the journal stores these bytes).
inline constexpr const char* k_kind_pod = "Pod";
inline constexpr const char* k_kind_rc = "ReplicationController";
inline constexpr const char* k_kind_service = "Service";
inline constexpr const char* k_kind_endpoints = "Endpoints";
inline constexpr const char* k_kind_node = "Node";
inline constexpr const char* k_kind_namespace = "Namespace";
inline constexpr const char* k_kind_secret = "Secret";
inline constexpr const char* k_kind_limit_range = "LimitRange";
inline constexpr const char* k_kind_resource_quota = "ResourceQuota";
inline constexpr const char* k_kind_persistent_volume = "PersistentVolume";
inline constexpr const char* k_kind_persistent_volume_claim = "PersistentVolumeClaim";
inline constexpr const char* k_kind_pod_template = "PodTemplate";

/// "Pod", "ReplicationController", ... (the k_kind_* above).
const char* kind_name(kind k);

/// "pods", "replicationcontrollers", ... — kubectl's resource names.
const char* resource_name(kind k);

/// "pod", "replicationcontroller", ... — kubectl's singular (`-o name`, `pod "web" deleted`).
const char* singular_name(kind k);

/// "po", "rc", "svc", "ep", "no", "ns" — kubectl's short names; "" for secrets (they have none).
const char* short_name(kind k);

/// "pod", "rc", "svc", "endpoints", "node", "namespace" — the word `berth journal|history|why`
/// put before an object's name ("rc/web").
const char* brief_name(kind k);

/// Nodes, namespaces and persistent volumes: objects outside any namespace.
constexpr bool is_cluster_scoped(kind k) {
  return k == kind::node || k == kind::namespace_ || k == kind::persistent_volume;
}

/// The kind a kind name ("Pod", ...) names; nullopt for any other text.
std::optional<kind> kind_from_name(std::string_view name);

/// The kind a command line names, as kubectl accepts it: resource name,
/// singular or short name, and node's historical "minions"/"minion".
/// Case-sensitive, like kubectl for these built-in kinds.
std::optional<kind> parse_resource(std::string_view text);

}  // namespace berth::model
