#pragma once
// Which secrets each node may see: those the pods bound to it reference
// (secret volumes, env[].valueFrom.secretKeyRef; model::referenced_secrets),
// and no others — Kubernetes' node authorizer rule. Pure functions of the
// folded state; the store actor pushes the result to each node's agent
// (NodeAgent.setSecrets, actors/core/store_agents.cpp) when it changes.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "actors/model/state.hpp"

namespace berth::store {

/// For each node of `nodes` (each present, maybe with an empty list): the
/// existing secrets its bound pods reference, in (namespace, name) order, as
/// folded (sealed). A referenced secret that does not exist is left out (the
/// agent's pod waits for it). One pass over the pods, whatever their phase.
std::map<std::string, std::vector<model::secret>> secrets_for_nodes(const model::cluster_state& s,
                                                                    const std::set<std::string>& nodes);

/// What tells one pushed set from the next: each secret's key and resourceVersion.
struct secret_version {
  model::object_key key;
  std::uint64_t resource_version = 0;
  bool operator==(const secret_version&) const = default;
};
std::vector<secret_version> versions_of(const std::vector<model::secret>& secrets);

/// For each node of `nodes` (each present): the claims its bound pods mount
/// (persistentVolumeClaim volumes) that are Bound, each with its volume's
/// source, in (namespace, claim) order. A claim not bound yet is left out:
/// the agent's pod waits for it. Pushed with the secrets (same triggers,
/// same coalescing: NodeAgent.setClaims).
std::map<std::string, std::vector<model::bound_claim>> claims_for_nodes(const model::cluster_state& s,
                                                                        const std::set<std::string>& nodes);

/// Whether a pod's change can change its node's set of secrets or claims: a
/// pod that references secrets or claims appeared, went or moved to a node,
/// or its references changed. A pod that references none never does (so
/// most pod changes cost nothing).
bool changes_node_secrets(const model::pod* before, const model::pod* after);

}  // namespace berth::store
