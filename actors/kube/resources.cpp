#include "actors/kube/resources.hpp"

#include <algorithm>
#include <array>

namespace berth::kube {
namespace {

using sv = std::string_view;

// Verb sets, named after the registries that have them in v1.20.
constexpr std::array<sv, 8> k_crud_verbs = {"create", "delete", "deletecollection", "get",
                                            "list",   "patch",  "update",           "watch"};
// Services and namespaces have no deletecollection in v1.20.
constexpr std::array<sv, 7> k_crud_no_collection = {"create", "delete", "get", "list", "patch", "update", "watch"};
constexpr std::array<sv, 2> k_get_list = {"get", "list"};
constexpr std::array<sv, 1> k_get = {"get"};
constexpr std::array<sv, 1> k_create = {"create"};
constexpr std::array<sv, 2> k_create_get = {"create", "get"};
constexpr std::array<sv, 3> k_get_patch_update = {"get", "patch", "update"};

constexpr std::array<sv, 1> k_all = {"all"};
constexpr std::array<sv, 1> k_po = {"po"};
constexpr std::array<sv, 1> k_rc = {"rc"};
constexpr std::array<sv, 1> k_svc = {"svc"};
constexpr std::array<sv, 1> k_ep = {"ep"};
constexpr std::array<sv, 1> k_no = {"no"};
constexpr std::array<sv, 1> k_ns = {"ns"};
constexpr std::array<sv, 1> k_ev = {"ev"};
constexpr std::array<sv, 1> k_cs = {"cs"};
constexpr std::array<sv, 1> k_limits = {"limits"};
constexpr std::array<sv, 1> k_quota = {"quota"};
constexpr std::array<sv, 1> k_pv = {"pv"};
constexpr std::array<sv, 1> k_pvc = {"pvc"};

constexpr group_version_kind k_pod_gvk{"", "v1", "Pod"};

// kubectl exec/attach/port-forward POST (and 1.20 GETs for the websocket
// form); eviction is policy/v1beta1 in v1.20 (policy/v1 from 1.22).
constexpr std::array<subresource_info, 6> k_pod_subresources = {{
    {"attach", k_pod_gvk, k_create_get},
    {"eviction", {"policy", "v1beta1", "Eviction"}, k_create},
    {"exec", k_pod_gvk, k_create_get},
    {"log", k_pod_gvk, k_get},
    {"portforward", k_pod_gvk, k_create_get},
    {"status", k_pod_gvk, k_get_patch_update},
}};

constexpr std::array<subresource_info, 1> k_rc_subresources = {{
    {"scale", {"autoscaling", "v1", "Scale"}, k_get_patch_update},
}};

constexpr std::array<subresource_info, 1> k_node_subresources = {{
    {"status", {"", "v1", "Node"}, k_get_patch_update},
}};

// Alphabetical by plural, as the apiserver's APIResourceList is.
const std::array<resource_info, 14> k_resources = {{
    {"componentstatuses",
     "componentstatus",
     "ComponentStatus",
     "ComponentStatusList",
     false,
     k_get_list,
     k_cs,
     {},
     {},
     false},
    {"endpoints", "endpoints", "Endpoints", "EndpointsList", true, k_crud_verbs, k_ep, {}, {}, false},
    {"events", "event", "Event", "EventList", true, k_crud_verbs, k_ev, {}, {}, false},
    {"limitranges", "limitrange", "LimitRange", "LimitRangeList", true, k_crud_verbs, k_limits, {}, {}, false},
    {"namespaces", "namespace", "Namespace", "NamespaceList", false, k_crud_no_collection, k_ns, {}, {}, true},
    {"nodes", "node", "Node", "NodeList", false, k_crud_verbs, k_no, {}, k_node_subresources, false},
    {"persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", "PersistentVolumeClaimList", true,
     k_crud_verbs, k_pvc, {}, {}, false},
    {"persistentvolumes", "persistentvolume", "PersistentVolume", "PersistentVolumeList", false, k_crud_verbs, k_pv,
     {}, {}, false},
    {"pods", "pod", "Pod", "PodList", true, k_crud_verbs, k_po, k_all, k_pod_subresources, true},
    {"podtemplates", "podtemplate", "PodTemplate", "PodTemplateList", true, k_crud_verbs, {}, {}, {}, false},
    {"replicationcontrollers", "replicationcontroller", "ReplicationController", "ReplicationControllerList", true,
     k_crud_verbs, k_rc, k_all, k_rc_subresources, false},
    {"resourcequotas", "resourcequota", "ResourceQuota", "ResourceQuotaList", true, k_crud_verbs, k_quota, {}, {},
     false},
    {"secrets", "secret", "Secret", "SecretList", true, k_crud_verbs, {}, {}, {}, false},
    {"services", "service", "Service", "ServiceList", true, k_crud_no_collection, k_svc, k_all, {}, true},
}};

}  // namespace

std::span<const resource_info> served_resources() { return k_resources; }

const resource_info* find_resource(std::string_view plural_or_short) {
  for (const auto& r : k_resources) {
    if (r.plural == plural_or_short || r.singular == plural_or_short) return &r;
    if (allows(r.short_names, plural_or_short)) return &r;
  }
  return nullptr;
}

const subresource_info* find_subresource(const resource_info& r, std::string_view name) {
  for (const auto& s : r.subresources) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

bool allows(std::span<const std::string_view> verbs, std::string_view verb) {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

}  // namespace berth::kube
