#include "actors/debug/fields.hpp"

#include <unordered_map>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "actors/manifest/render.hpp"

namespace berth::debug {
namespace {

void flatten(const YAML::Node& n, const std::string& path, flat_fields& out) {
  if (n.IsMap()) {
    if (n.size() == 0) out.emplace_back(path, "{}");
    for (const auto& kv : n) {
      const std::string key = kv.first.as<std::string>();
      flatten(kv.second, path.empty() ? key : path + "." + key, out);
    }
  } else if (n.IsSequence()) {
    if (n.size() == 0) out.emplace_back(path, "[]");
    for (std::size_t i = 0; i < n.size(); ++i) flatten(n[i], fmt::format("{}[{}]", path, i), out);
  } else if (n.IsScalar()) {
    out.emplace_back(path, n.as<std::string>());
  } else {
    out.emplace_back(path, "null");
  }
}

template <class Map>
std::optional<std::string> json_of(const Map& objects, const typename Map::key_type& key) {
  auto it = objects.find(key);
  if (it == objects.end()) return std::nullopt;
  using T = typename Map::mapped_type;
  if constexpr (std::is_same_v<T, model::node> || std::is_same_v<T, model::endpoints>)
    return manifest::to_json(it->second);
  else
    return manifest::to_json(model::api_object{it->second});
}

template <class Map>
void ids_of(const Map& objects, const char* kind, std::vector<object_id>& out) {
  for (const auto& [key, o] : objects) out.push_back({kind, o.metadata.namespace_, o.metadata.name});
}

}  // namespace

flat_fields flatten_json(const std::string& json) {
  flat_fields out;
  flatten(YAML::Load(json), "", out);
  return out;
}

std::vector<field_change> diff_fields(const flat_fields& before, const flat_fields& after) {
  std::unordered_map<std::string, const std::string*> old_values, new_values;
  for (const auto& [path, value] : before) old_values.emplace(path, &value);
  for (const auto& [path, value] : after) new_values.emplace(path, &value);
  std::vector<field_change> out;
  for (const auto& [path, value] : after) {
    auto it = old_values.find(path);
    if (it == old_values.end())
      out.push_back({path, std::nullopt, value});
    else if (*it->second != value)
      out.push_back({path, *it->second, value});
  }
  for (const auto& [path, value] : before)
    if (!new_values.contains(path)) out.push_back({path, value, std::nullopt});
  return out;
}

std::optional<std::string> object_json(const model::cluster_state& s, const object_id& id) {
  const model::object_key key{id.namespace_, id.name};
  if (id.kind == model::k_kind_pod) return json_of(s.pods, key);
  if (id.kind == model::k_kind_rc) return json_of(s.rcs, key);
  if (id.kind == model::k_kind_service) return json_of(s.services, key);
  if (id.kind == model::k_kind_endpoints) return json_of(s.endpoints_, key);
  if (id.kind == model::k_kind_node) return json_of(s.nodes, id.name);
  return std::nullopt;
}

std::vector<object_id> objects_in(const model::cluster_state& s) {
  std::vector<object_id> out;
  ids_of(s.pods, model::k_kind_pod, out);
  ids_of(s.rcs, model::k_kind_rc, out);
  ids_of(s.services, model::k_kind_service, out);
  ids_of(s.endpoints_, model::k_kind_endpoints, out);
  ids_of(s.nodes, model::k_kind_node, out);
  return out;
}

}  // namespace berth::debug
