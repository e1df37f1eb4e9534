#include "actors/store/fold_diff.hpp"

#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "actors/model/kinds.hpp"
#include "actors/model/namespaces.hpp"

namespace berth::store {
namespace {

using actors::kind;

model::object_key key_of(const model::object_meta& m) { return {m.namespace_, m.name}; }

template <class O>
constexpr kind kind_of_type() {
  if constexpr (std::is_same_v<O, model::pod>) return kind::pod;
  if constexpr (std::is_same_v<O, model::replication_controller>) return kind::replication_controller;
  return kind::service;
}

}  // namespace

std::vector<std::pair<kind, model::object_key>> touched_keys(const model::event& e) {
  std::vector<std::pair<kind, model::object_key>> out;
  auto add = [&](kind k, model::object_key key) {
    if (model::is_cluster_scoped(k)) key.namespace_.clear();
    for (const auto& [k2, key2] : out)
      if (k2 == k && key2 == key) return;
    out.emplace_back(k, std::move(key));
  };
  if (auto k = model::kind_from_name(e.header.object.kind)) add(*k, {e.header.object.namespace_, e.header.object.name});
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, model::object_created> || std::is_same_v<T, model::object_replaced>) {
          std::visit([&](const auto& o) { add(kind_of_type<std::decay_t<decltype(o)>>(), key_of(o.metadata)); },
                     p.object);
        } else if constexpr (std::is_same_v<T, model::pod_created>) {
          add(kind::pod, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::endpoints_updated>) {
          add(kind::endpoints, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::node_registered>) {
          add(kind::node, {"", p.object.metadata.name});
        } else if constexpr (std::is_same_v<T, model::namespace_created> ||
                             std::is_same_v<T, model::namespace_replaced>) {
          add(kind::namespace_, {"", p.object.metadata.name});
        } else if constexpr (std::is_same_v<T, model::secret_created> || std::is_same_v<T, model::secret_replaced>) {
          add(kind::secret, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::limit_range_created> ||
                             std::is_same_v<T, model::limit_range_replaced>) {
          add(kind::limit_range, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::resource_quota_created> ||
                             std::is_same_v<T, model::resource_quota_replaced>) {
          add(kind::resource_quota, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::persistent_volume_created> ||
                             std::is_same_v<T, model::persistent_volume_replaced>) {
          add(kind::persistent_volume, {"", p.object.metadata.name});
        } else if constexpr (std::is_same_v<T, model::persistent_volume_claim_created> ||
                             std::is_same_v<T, model::persistent_volume_claim_replaced>) {
          add(kind::persistent_volume_claim, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::pod_template_created> ||
                             std::is_same_v<T, model::pod_template_replaced>) {
          add(kind::pod_template, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::volume_claim_bound>) {
          add(kind::persistent_volume, {"", p.volume_name});
        } else if constexpr (std::is_same_v<T, model::object_deleted>) {
          if (e.header.object.kind == model::k_kind_service)
            add(kind::endpoints, {e.header.object.namespace_, e.header.object.name});
        }
      },
      e.payload);
  return out;
}

std::vector<touched_object> fold_and_diff(model::cluster_state& s, const model::event& e) {
  std::vector<touched_object> touched;
  for (auto& [k, key] : touched_keys(e)) touched.push_back({k, key, find_object(s, k, key), std::nullopt});
  // An RC deleted with orphanDependents changes its pods too (their owner
  // reference goes): which pods depends on the state, not just the event.
  if (const auto* d = std::get_if<model::object_deleted>(&e.payload);
      d && d->orphan_dependents && e.header.object.kind == model::k_kind_rc) {
    if (auto it = s.rcs.find({e.header.object.namespace_, e.header.object.name}); it != s.rcs.end())
      for (auto& key : model::pods_controlled_by(s, it->second.metadata.uid))
        touched.push_back({kind::pod, key, find_object(s, kind::pod, key), std::nullopt});
  }
  // A claim's removal releases its volume; a volume's removal loses its claim,
  // its replacement changes its claim's status: the other side is named by the state.
  if (std::holds_alternative<model::persistent_volume_claim_removed>(e.payload)) {
    if (auto it = s.claims.find({e.header.object.namespace_, e.header.object.name});
        it != s.claims.end() && !it->second.spec.volume_name.empty()) {
      model::object_key key{"", it->second.spec.volume_name};
      touched.push_back({kind::persistent_volume, key, find_object(s, kind::persistent_volume, key), std::nullopt});
    }
  }
  if (std::holds_alternative<model::persistent_volume_removed>(e.payload) ||
      std::holds_alternative<model::persistent_volume_replaced>(e.payload)) {
    if (auto it = s.volumes.find(e.header.object.name);
        it != s.volumes.end() && !it->second.spec.claim_ref.name.empty()) {
      model::object_key key{it->second.spec.claim_ref.namespace_, it->second.spec.claim_ref.name};
      touched.push_back(
          {kind::persistent_volume_claim, key, find_object(s, kind::persistent_volume_claim, key), std::nullopt});
    }
  }
  model::apply(s, e);
  for (auto& t : touched) t.after = find_object(s, t.k, t.key);
  return touched;
}

std::optional<actors::any_object> find_object(const model::cluster_state& s, kind k, const model::object_key& key) {
  auto look = [&](const auto& map, const auto& map_key) -> std::optional<actors::any_object> {
    auto it = map.find(map_key);
    if (it == map.end()) return std::nullopt;
    return actors::any_object(it->second);
  };
  switch (k) {
    case kind::pod: return look(s.pods, key);
    case kind::replication_controller: return look(s.rcs, key);
    case kind::service: return look(s.services, key);
    case kind::endpoints: return look(s.endpoints_, key);
    case kind::node: return look(s.nodes, key.name);
    case kind::namespace_: {
      auto n = model::find_namespace(s, key.name);
      if (!n) return std::nullopt;
      return actors::any_object(std::move(*n));
    }
    case kind::secret: return look(s.secrets, key);
    case kind::limit_range: return look(s.limit_ranges, key);
    case kind::resource_quota: return look(s.resource_quotas, key);
    case kind::persistent_volume: return look(s.volumes, key.name);
    case kind::persistent_volume_claim: return look(s.claims, key);
    case kind::pod_template: return look(s.pod_templates, key);
  }
  return std::nullopt;
}

model::object_key state_key(const actors::object_key& k) {
  return {model::is_cluster_scoped(k.kind) ? "" : k.namespace_, k.name};
}

std::string event_key(kind k, const model::object_key& key) {
  return fmt::format("{}/{}/{}", actors::resource_name(k), key.namespace_, key.name);
}

}  // namespace berth::store
