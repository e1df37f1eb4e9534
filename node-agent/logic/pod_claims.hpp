#pragma once
// Claims on a node, as pure decisions: a pod's persistentVolumeClaim volumes
// become the sources of the volumes bound to them (kubelet looks the claim
// and its volume up, then mounts the volume's source). The node's claims are
// what berthd last sent (NodeAgent.setClaims: the bound claims its pods
// mount); a claim not among them is not bound yet and the pod waits
// (pod_volumes.hpp).

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// The node's bound claims, by (namespace, claim name).
using node_claims = std::map<std::pair<std::string, std::string>, model::bound_claim>;

/// The list berthd sent, keyed.
node_claims make_node_claims(std::vector<model::bound_claim> claims);

/// `pod` with each persistentVolumeClaim volume whose claim is in `claims`
/// replaced by its volume's source (hostPath, nfs, ...: the rest of the agent
/// mounts those as pod volumes). Unbound claims stay as they are. The
/// containers are left alone (their spec hashes must not change): the names
/// of volumes to mount read-only — a claim mounted readOnly, or bound to a
/// volume that offers only ReadOnlyMany — go to `read_only` (container_mounts).
model::pod with_bound_claims(model::pod pod, const node_claims& claims, std::set<std::string>* read_only = nullptr);

/// Whether a change of the node's claims from `before` to `after` changes
/// what `pod` mounts (its actor must look again: a waiting pod may start).
bool claims_changed_for(const model::pod& pod, const node_claims& before, const node_claims& after);

}  // namespace berth::agent
