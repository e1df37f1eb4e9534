#include "actors/model/namespaces.hpp"

#include <set>

namespace berth::model {
namespace {

/// True when `objects` (keyed by namespace, then name) holds a key in `ns`.
template <class Map>
bool any_in(const Map& objects, const std::string& ns) {
  auto it = objects.lower_bound(object_key{ns, ""});
  return it != objects.end() && it->first.namespace_ == ns;
}

/// Adds the namespace of every key of `objects` to `out`, jumping from one
/// namespace to the next (O(namespaces × log n), not O(n)).
template <class Map>
void namespaces_of(const Map& objects, std::set<std::string>& out) {
  auto it = objects.begin();
  while (it != objects.end()) {
    const std::string ns = it->first.namespace_;
    out.insert(ns);
    // ns + '\0' is the smallest string greater than ns.
    it = objects.lower_bound(object_key{ns + std::string(1, '\0'), ""});
  }
}

namespace_object derived(const std::string& name) {
  namespace_object n;
  n.metadata.name = name;
  return n;
}

}  // namespace

bool is_builtin_namespace(std::string_view name) { return name == k_default_namespace || name == k_system_namespace; }

bool has_objects(const cluster_state& s, const std::string& ns) {
  return any_in(s.pods, ns) || any_in(s.rcs, ns) || any_in(s.services, ns) || any_in(s.secrets, ns) ||
         any_in(s.limit_ranges, ns) || any_in(s.resource_quotas, ns) || any_in(s.claims, ns) || any_in(s.pod_templates, ns) ||
         any_in(s.endpoints_, ns);  // user-written endpoints need no service
}

std::optional<namespace_object> find_namespace(const cluster_state& s, const std::string& name) {
  if (auto it = s.namespaces.find(name); it != s.namespaces.end()) return it->second;
  if (is_builtin_namespace(name) || has_objects(s, name)) return derived(name);
  return std::nullopt;
}

bool is_terminating(const cluster_state& s, const std::string& name) {
  auto it = s.namespaces.find(name);
  return it != s.namespaces.end() && it->second.status.phase == namespace_phase::terminating;
}

std::vector<namespace_object> all_namespaces(const cluster_state& s) {
  std::set<std::string> names{k_default_namespace, k_system_namespace};
  for (const auto& [name, n] : s.namespaces) names.insert(name);
  namespaces_of(s.pods, names);
  namespaces_of(s.rcs, names);
  namespaces_of(s.services, names);
  namespaces_of(s.secrets, names);
  namespaces_of(s.limit_ranges, names);
  namespaces_of(s.resource_quotas, names);
  namespaces_of(s.claims, names);
  namespaces_of(s.pod_templates, names);
  namespaces_of(s.endpoints_, names);
  std::vector<namespace_object> out;
  out.reserve(names.size());
  for (const auto& name : names) out.push_back(*find_namespace(s, name));
  return out;
}

}  // namespace berth::model
