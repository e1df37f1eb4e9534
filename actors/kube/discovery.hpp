#pragma once
// The discovery documents kubectl reads before any resource request:
//
//   GET /version   version_json()           kubectl version; 1.32 also at start-up
//   GET /api       api_versions_json()      APIVersions, or the aggregated form
//   GET /apis      api_group_list_json()    APIGroupList (empty), or aggregated
//   GET /api/v1    api_resource_list_json() APIResourceList of resources.hpp
//
// kubectl 1.32 asks /api and /apis for the aggregated form first
// (apidiscovery.k8s.io/v2, then v2beta1, then plain JSON); kubectl 1.20 and
// client libraries ask for plain JSON. wants_discovery() reads the Accept
// header; the aggregated reply must carry the matching Content-Type, which is
// how client-go tells the two forms apart.
//
// No API groups are served under /apis. rc/scale answers an autoscaling/v1
// Scale, but under /api/v1 (kubectl scale PATCHes .../replicationcontrollers/x/scale
// whatever discovery says); announcing an autoscaling group with nothing behind
// /apis/autoscaling/v1 would make kubectl warn that the group's discovery failed.
// Pure.

#include <string>
#include <string_view>

namespace berth::kube {

/// The Kubernetes version berthd reports. Minor 32: kubectl 1.32 warns in
/// `kubectl version` when the server's minor differs from its own by more
/// than one (skew_warning.go, parsed from gitVersion); kubectl 1.20 has no
/// such check, so 1.32 keeps both quiet. The objects served are still
/// core/v1 as Kubernetes 1.20 shapes them, which later servers serve too. The "+berth" build suffix marks the server, the
/// way "+k3s1" does, and keeps version comparisons semver-correct.
inline constexpr std::string_view k_kube_major = "1";
inline constexpr std::string_view k_kube_minor = "32";
inline constexpr std::string_view k_kube_git_version = "v1.32.0+berth";

/// /version: {"major","minor","gitVersion","gitCommit","gitTreeState",
/// "buildDate","goVersion","compiler","platform"}. `berth_version` ("0.1.0")
/// is appended to gitVersion's build metadata ("v1.32.0+berth.0.1.0") when given.
std::string version_json(std::string_view berth_version = {});

/// /api: {"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":
/// [{"clientCIDR":"0.0.0.0/0","serverAddress":server_address}]}.
/// `server_address` is "host:port" as clients reach berthd.
std::string api_versions_json(std::string_view server_address);

/// /apis: an APIGroupList with no groups.
std::string api_group_list_json();

/// /api/v1: the APIResourceList of every served resource, subresources as
/// "pods/log" entries (group/version set when they differ from core/v1).
std::string api_resource_list_json();

enum class discovery_kind { legacy, aggregated_v2, aggregated_v2beta1 };

/// Which form an Accept header asks for: the first of its media ranges that
/// berthd can produce wins (kubectl lists them by preference, without q
/// values). Plain JSON, `*/*` or an empty header → legacy.
discovery_kind wants_discovery(const std::string& accept);

struct discovery_reply {
  std::string content_type;  // "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
  std::string body;
};

/// /api in the aggregated form: one APIGroupDiscovery (the core group, no
/// name) with version v1 and every served resource. `version` legacy is
/// answered as v2.
discovery_reply aggregated_api_json(discovery_kind version);

/// /apis in the aggregated form: an empty APIGroupDiscoveryList.
discovery_reply aggregated_apis_json(discovery_kind version);

}  // namespace berth::kube
