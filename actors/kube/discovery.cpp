#include "actors/kube/discovery.hpp"

#include "actors/kube/media_type.hpp"
#include "actors/kube/resources.hpp"
#include "actors/manifest/emit.hpp"

namespace berth::kube {
namespace {

using manifest::detail::doc;

constexpr std::string_view k_discovery_group = "apidiscovery.k8s.io";
constexpr std::string_view k_discovery_list = "APIGroupDiscoveryList";

doc str(std::string_view s) { return doc::str(std::string(s)); }

doc strings(std::span<const std::string_view> v) {
  doc d = doc::list();
  for (auto s : v) d.push(str(s));
  return d;
}

doc gvk_doc(const group_version_kind& k) {
  return doc::map().set("group", str(k.group)).set("version", str(k.version)).set("kind", str(k.kind));
}

// ------------------------------------------------------------- legacy form

doc legacy_resource(const resource_info& r) {
  doc d = doc::map();
  d.set("name", str(r.plural)).set("singularName", str(r.singular)).set("namespaced", doc::boolean(r.namespaced));
  d.set("kind", str(r.kind)).set("verbs", strings(r.verbs));
  d.set_nonempty("shortNames", strings(r.short_names)).set_nonempty("categories", strings(r.categories));
  return d;
}

/// "pods/log"; group and version only when they are not the list's core/v1,
/// as the apiserver writes them (rc/scale: autoscaling/v1 Scale).
doc legacy_subresource(const resource_info& r, const subresource_info& s) {
  doc d = doc::map();
  d.set("name", doc::str(std::string(r.plural) + "/" + std::string(s.name))).set("singularName", str(""));
  d.set("namespaced", doc::boolean(r.namespaced));
  if (!s.response.group.empty()) d.set("group", str(s.response.group)).set("version", str(s.response.version));
  return d.set("kind", str(s.response.kind)).set("verbs", strings(s.verbs));
}

// ------------------------------------------------------------- aggregated form

doc aggregated_resource(const resource_info& r) {
  doc d = doc::map();
  d.set("resource", str(r.plural)).set("responseKind", gvk_doc({"", "v1", r.kind}));
  d.set("scope", str(r.namespaced ? "Namespaced" : "Cluster")).set("singularResource", str(r.singular));
  d.set("verbs", strings(r.verbs));
  d.set_nonempty("shortNames", strings(r.short_names)).set_nonempty("categories", strings(r.categories));
  doc subs = doc::list();
  for (const auto& s : r.subresources) {
    subs.push(doc::map()
                  .set("subresource", str(s.name))
                  .set("responseKind", gvk_doc(s.response))
                  .set("verbs", strings(s.verbs)));
  }
  return d.set_nonempty("subresources", std::move(subs));
}

std::string_view api_version_of(discovery_kind k) {
  return k == discovery_kind::aggregated_v2beta1 ? "apidiscovery.k8s.io/v2beta1" : "apidiscovery.k8s.io/v2";
}

discovery_reply aggregated_reply(discovery_kind k, doc items) {
  std::string_view v = k == discovery_kind::aggregated_v2beta1 ? "v2beta1" : "v2";
  doc list = doc::map().set("kind", str(k_discovery_list)).set("apiVersion", str(api_version_of(k)));
  list.set("metadata", doc::map()).set("items", std::move(items));
  return {"application/json;g=" + std::string(k_discovery_group) + ";v=" + std::string(v) +
              ";as=" + std::string(k_discovery_list),
          manifest::detail::write_json_compact(list)};
}

}  // namespace

std::string version_json(std::string_view berth_version) {
  std::string git_version(k_kube_git_version);
  if (!berth_version.empty()) git_version += "." + std::string(berth_version);
  doc d = doc::map();
  d.set("major", str(k_kube_major)).set("minor", str(k_kube_minor)).set("gitVersion", doc::str(git_version));
  d.set("gitCommit", str("")).set("gitTreeState", str("")).set("buildDate", str(""));
  d.set("goVersion", str("")).set("compiler", str("")).set("platform", str("linux/amd64"));
  return manifest::detail::write_json_compact(d);
}

std::string api_versions_json(std::string_view server_address) {
  doc cidr = doc::map().set("clientCIDR", str("0.0.0.0/0")).set("serverAddress", str(server_address));
  doc d = doc::map().set("kind", str("APIVersions")).set("versions", doc::list().push(str("v1")));
  d.set("serverAddressByClientCIDRs", doc::list().push(std::move(cidr)));
  return manifest::detail::write_json_compact(d);
}

std::string api_group_list_json() {
  doc d = doc::map().set("kind", str("APIGroupList")).set("apiVersion", str("v1")).set("groups", doc::list());
  return manifest::detail::write_json_compact(d);
}

std::string api_resource_list_json() {
  doc resources = doc::list();
  for (const auto& r : served_resources()) {
    resources.push(legacy_resource(r));
    for (const auto& s : r.subresources) resources.push(legacy_subresource(r, s));
  }
  doc d = doc::map().set("kind", str("APIResourceList")).set("apiVersion", str("v1"));
  d.set("groupVersion", str("v1")).set("resources", std::move(resources));
  return manifest::detail::write_json_compact(d);
}

discovery_kind wants_discovery(const std::string& accept) {
  for (const auto& m : parse_accept(accept)) {
    if (m.type == "application/json" && m.param("g") == k_discovery_group && m.param("as") == k_discovery_list) {
      if (m.param("v") == "v2") return discovery_kind::aggregated_v2;
      if (m.param("v") == "v2beta1") return discovery_kind::aggregated_v2beta1;
      continue;  // a discovery version berthd does not produce
    }
    if (accepts_json(m) && m.param("as").empty()) return discovery_kind::legacy;
  }
  return discovery_kind::legacy;
}

discovery_reply aggregated_api_json(discovery_kind version) {
  doc resources = doc::list();
  for (const auto& r : served_resources()) resources.push(aggregated_resource(r));
  doc v1 = doc::map().set("version", str("v1")).set("resources", std::move(resources));
  v1.set("freshness", str("Current"));
  // The core group has no name; the apiserver still writes the metadata object.
  doc core = doc::map().set("metadata", doc::map()).set("versions", doc::list().push(std::move(v1)));
  return aggregated_reply(version, doc::list().push(std::move(core)));
}

discovery_reply aggregated_apis_json(discovery_kind version) { return aggregated_reply(version, doc::list()); }

}  // namespace berth::kube
