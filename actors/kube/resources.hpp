#pragma once
// The resources berthd serves under /api/v1: one table that both discovery
// forms (the legacy APIResourceList and the aggregated APIGroupDiscoveryList,
// actors/kube/discovery.hpp) and the request handlers read, so that what
// kubectl is told and what berthd does cannot drift apart.
//
// Verbs, short names and categories are Kubernetes v1.20's for the same
// resources (pkg/registry/core/*/storage): kubectl resolves `po`, `rc`, `all`
// from them, and a handler answers 405 MethodNotAllowed for a verb the table
// does not list. Pure constant data.

#include <span>
#include <string_view>

namespace berth::kube {

/// An API group/version/kind; group "" is the core group.
struct group_version_kind {
  std::string_view group;
  std::string_view version;
  std::string_view kind;
};

/// A subresource: "log" of pods/log.
struct subresource_info {
  std::string_view name;
  group_version_kind response;  // what it returns: Pod for pods/status, autoscaling/v1 Scale for rc/scale
  std::span<const std::string_view> verbs;
};

struct resource_info {
  std::string_view plural;     // "pods": the path segment
  std::string_view singular;   // "pod"
  std::string_view kind;       // "Pod"
  std::string_view list_kind;  // "PodList"
  bool namespaced = true;
  std::span<const std::string_view> verbs;        // sorted, as the apiserver lists them
  std::span<const std::string_view> short_names;  // "po"
  std::span<const std::string_view> categories;   // "all" for kubectl get all
  std::span<const subresource_info> subresources;
  /// DELETE answers with the object (pods, services, namespaces: their
  /// registries set ReturnDeletedObject) rather than a Success Status.
  bool delete_returns_object = false;
};

/// Every served resource, in the order discovery lists them.
std::span<const resource_info> served_resources();

/// The resource named by its plural ("pods"), singular ("pod") or a short
/// name ("po"); nullptr for anything else. Case-sensitive, as URL paths are.
const resource_info* find_resource(std::string_view plural_or_short);

/// `r`'s subresource `name` ("scale"), or nullptr.
const subresource_info* find_subresource(const resource_info& r, std::string_view name);

/// True when `verbs` holds `verb` ("get", "list", "watch", "create", "update",
/// "patch", "delete", "deletecollection").
bool allows(std::span<const std::string_view> verbs, std::string_view verb);

}  // namespace berth::kube
