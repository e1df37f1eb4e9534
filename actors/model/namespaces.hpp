#pragma once
// Which namespaces exist in a folded state, and in what phase. Pure.
//
// A namespace exists when it is one of the two that always exist ("default"
// and "kube-system"), when it was created (namespaceCreated: it is in
// cluster_state::namespaces), or when an object lives in it. The last rule
// keeps journals written before namespaces were objects meaning what they
// did: there, a namespace came into being with its first object, and it
// still does when such a journal is replayed. Namespaces that exist by the
// first or last rule are derived, not stored, so those journals replay to the
// same state hash as before (schema/events.capnp, ClusterSnapshot).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/state.hpp"

namespace berth::model {

inline constexpr const char* k_default_namespace = "default";
inline constexpr const char* k_system_namespace = "kube-system";

/// "default" or "kube-system": always there, never deleted.
bool is_builtin_namespace(std::string_view name);

/// True when a pod, replication controller or service lives in `ns`
/// (endpoints live only beside their service).
bool has_objects(const cluster_state& s, const std::string& ns);

/// The namespace `name` as it exists in `s`: the stored object, or a derived
/// one (phase Active, no uid, creationTimestamp unknown); nullopt when there
/// is none.
std::optional<namespace_object> find_namespace(const cluster_state& s, const std::string& name);

/// True when the namespace exists and is being deleted.
bool is_terminating(const cluster_state& s, const std::string& name);

/// Every namespace that exists, stored and derived, sorted by name.
std::vector<namespace_object> all_namespaces(const cluster_state& s);

}  // namespace berth::model
