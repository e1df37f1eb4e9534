#include "actors/store/node_secrets.hpp"

#include <algorithm>

namespace berth::store {

std::map<std::string, std::vector<model::secret>> secrets_for_nodes(const model::cluster_state& s,
                                                                    const std::set<std::string>& nodes) {
  std::map<std::string, std::set<model::object_key>> wanted;
  for (const auto& n : nodes) wanted[n];
  for (const auto& [key, pod] : s.pods) {
    auto it = wanted.find(pod.spec.node_name);
    if (it == wanted.end()) continue;  // unbound (node_name "" is never asked for), or another node
    for (auto& name : model::referenced_secrets(pod.spec)) it->second.insert({key.namespace_, std::move(name)});
  }
  std::map<std::string, std::vector<model::secret>> out;
  for (const auto& [node, keys] : wanted) {
    auto& list = out[node];
    for (const auto& k : keys)
      if (auto it = s.secrets.find(k); it != s.secrets.end()) list.push_back(it->second);
  }
  return out;
}

std::vector<secret_version> versions_of(const std::vector<model::secret>& secrets) {
  std::vector<secret_version> out;
  out.reserve(secrets.size());
  for (const auto& x : secrets)
    out.push_back({{x.metadata.namespace_, x.metadata.name}, x.metadata.resource_version});
  return out;
}

namespace {

/// The claim names of a pod's persistentVolumeClaim volumes, sorted, once each.
std::vector<std::string> referenced_claims(const model::pod_spec& spec) {
  std::set<std::string> names;
  for (const auto& v : spec.volumes)
    if (const auto* c = std::get_if<model::persistent_volume_claim_volume>(&v.source)) names.insert(c->claim_name);
  return {names.begin(), names.end()};
}

/// Secret names, then "claim:" and each claim name: what a node's sets depend on.
std::vector<std::string> references(const model::pod_spec& spec) {
  auto out = model::referenced_secrets(spec);
  for (auto& c : referenced_claims(spec)) out.push_back("claim:" + c);
  return out;
}

}  // namespace

std::map<std::string, std::vector<model::bound_claim>> claims_for_nodes(const model::cluster_state& s,
                                                                        const std::set<std::string>& nodes) {
  std::map<std::string, std::set<model::object_key>> wanted;
  for (const auto& n : nodes) wanted[n];
  for (const auto& [key, pod] : s.pods) {
    auto it = wanted.find(pod.spec.node_name);
    if (it == wanted.end()) continue;
    for (auto& name : referenced_claims(pod.spec)) it->second.insert({key.namespace_, std::move(name)});
  }
  std::map<std::string, std::vector<model::bound_claim>> out;
  for (const auto& [node, keys] : wanted) {
    auto& list = out[node];
    for (const auto& k : keys) {
      auto c = s.claims.find(k);
      if (c == s.claims.end() || c->second.status.phase != model::claim_phase::bound) continue;
      auto v = s.volumes.find(c->second.spec.volume_name);
      if (v == s.volumes.end() || v->second.status.phase != model::volume_phase::bound) continue;
      const auto& modes = v->second.spec.access_modes;
      bool read_only = std::find(modes.begin(), modes.end(), model::k_access_read_write_once) == modes.end() &&
                       std::find(modes.begin(), modes.end(), model::k_access_read_write_many) == modes.end();
      list.push_back({k.namespace_, k.name, v->first, v->second.spec.source, read_only});
    }
  }
  return out;
}

bool changes_node_secrets(const model::pod* before, const model::pod* after) {
  static const std::vector<std::string> none;
  const auto was = before ? references(before->spec) : none;
  const auto is = after ? references(after->spec) : none;
  if (was.empty() && is.empty()) return false;  // most pods: no node's set depends on them
  if (before == nullptr || after == nullptr) return true;
  return before->spec.node_name != after->spec.node_name || was != is;
}

}  // namespace berth::store
