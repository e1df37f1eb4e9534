// The store's any_object in the JSON layer's terms (actors/kube/): one
// object, a list of one kind, or a Table of one kind.
#include <stdexcept>

#include <fmt/format.h>

#include "actors/kube/objects_json.hpp"
#include "actors/kube/resources.hpp"
#include "actors/kube/tables.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/secrets/sealed.hpp"

namespace berth::rpc {

std::string render_object(const actors::any_object& o) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, model::secret>) {
          // Watch events carry folded (sealed) secrets: open them here. A
          // secret that does not open is an error naming it, never garbage.
          auto opened = x;
          if (auto error = secrets::open_with_installed(opened); !error.empty()) throw std::runtime_error(error);
          return kube::object_json(opened);
        } else if constexpr (std::is_same_v<T, model::node> || std::is_same_v<T, model::endpoints> ||
                             std::is_same_v<T, model::namespace_object> || std::is_same_v<T, model::limit_range> ||
                             std::is_same_v<T, model::resource_quota> ||
                             std::is_same_v<T, model::persistent_volume> ||
                             std::is_same_v<T, model::persistent_volume_claim> ||
                             std::is_same_v<T, model::pod_template>)
          return kube::object_json(x);
        else
          return kube::object_json(model::api_object(x));
      },
      o);
}

namespace {

template <class T>
std::string typed_table(const std::vector<actors::any_object>& items, const kube::table_options& options) {
  std::vector<T> typed;
  typed.reserve(items.size());
  for (const auto& o : items) {
    typed.push_back(std::get<T>(o));
    if constexpr (std::is_same_v<T, model::secret>)  // sealed in watch events: DATA counts the opened keys
      if (auto error = secrets::open_with_installed(typed.back()); !error.empty()) throw std::runtime_error(error);
  }
  return kube::table_json(std::span<const T>(typed), options);
}

}  // namespace

std::string render_table(actors::kind k, const std::vector<actors::any_object>& items,
                         const kube::table_options& options) {
  switch (k) {
    case actors::kind::pod: return typed_table<model::pod>(items, options);
    case actors::kind::replication_controller: return typed_table<model::replication_controller>(items, options);
    case actors::kind::service: return typed_table<model::service>(items, options);
    case actors::kind::endpoints: return typed_table<model::endpoints>(items, options);
    case actors::kind::node: return typed_table<model::node>(items, options);
    case actors::kind::namespace_: return typed_table<model::namespace_object>(items, options);
    case actors::kind::secret: return typed_table<model::secret>(items, options);
    case actors::kind::limit_range: return typed_table<model::limit_range>(items, options);
    case actors::kind::resource_quota: return typed_table<model::resource_quota>(items, options);
    case actors::kind::persistent_volume: return typed_table<model::persistent_volume>(items, options);
    case actors::kind::persistent_volume_claim: return typed_table<model::persistent_volume_claim>(items, options);
    case actors::kind::pod_template: return typed_table<model::pod_template>(items, options);
  }
  return "";
}

std::string render_list(actors::kind k, std::uint64_t resource_version, const std::vector<actors::any_object>& items,
                        const std::string& continue_token) {
  std::vector<std::string> json;
  json.reserve(items.size());
  for (const auto& o : items) json.push_back(render_object(o));
  const auto* r = kube::find_resource(actors::resource_name(k));
  return kube::list_json(r ? r->list_kind : "List", resource_version, json, continue_token);
}

}  // namespace berth::rpc
