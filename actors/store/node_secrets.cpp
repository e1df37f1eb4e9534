#include "actors/store/node_secrets.hpp"

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

bool changes_node_secrets(const model::pod* before, const model::pod* after) {
  static const std::vector<std::string> none;
  const auto was = before ? model::referenced_secrets(before->spec) : none;
  const auto is = after ? model::referenced_secrets(after->spec) : none;
  if (was.empty() && is.empty()) return false;  // most pods: no node's set depends on them
  if (before == nullptr || after == nullptr) return true;
  return before->spec.node_name != after->spec.node_name || was != is;
}

}  // namespace berth::store
