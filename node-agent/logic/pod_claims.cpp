#include "node-agent/logic/pod_claims.hpp"

namespace berth::agent {

node_claims make_node_claims(std::vector<model::bound_claim> claims) {
  node_claims out;
  for (auto& c : claims) {
    auto key = std::make_pair(c.namespace_, c.claim_name);
    out.emplace(std::move(key), std::move(c));
  }
  return out;
}

model::pod with_bound_claims(model::pod pod, const node_claims& claims, std::set<std::string>* read_only) {
  for (auto& v : pod.spec.volumes) {
    const auto* c = std::get_if<model::persistent_volume_claim_volume>(&v.source);
    if (c == nullptr) continue;
    auto it = claims.find({pod.metadata.namespace_, c->claim_name});
    if (it == claims.end()) continue;
    const bool ro = c->read_only || it->second.read_only;
    v.source = it->second.source;
    if (auto* nfs = std::get_if<model::nfs_volume>(&v.source)) nfs->read_only = nfs->read_only || ro;
    if (ro && read_only != nullptr) read_only->insert(v.name);
  }
  return pod;
}

bool claims_changed_for(const model::pod& pod, const node_claims& before, const node_claims& after) {
  for (const auto& v : pod.spec.volumes) {
    const auto* c = std::get_if<model::persistent_volume_claim_volume>(&v.source);
    if (c == nullptr) continue;
    auto key = std::make_pair(pod.metadata.namespace_, c->claim_name);
    auto b = before.find(key);
    auto a = after.find(key);
    if ((b == before.end()) != (a == after.end())) return true;
    if (b != before.end() && !(b->second == a->second)) return true;
  }
  return false;
}

}  // namespace berth::agent
