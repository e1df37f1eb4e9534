#include "actors/kube/openapi.hpp"

#include <xxhash.h>

#include <fmt/format.h>

#include "actors/kube/discovery.hpp"
#include "actors/kube/media_type.hpp"
#include "actors/kube/openapi_paths.hpp"
#include "actors/kube/openapi_schema.hpp"
#include "actors/manifest/emit.hpp"

namespace berth::kube {
namespace {

using manifest::detail::doc;
using sv = std::string_view;

doc str(sv s) { return doc::str(std::string(s)); }

/// A reference to a named type, wrapped in allOf as kube-apiserver writes
/// every reference, so that siblings (description) are allowed beside it.
/// A name missing from the table still makes a reference: the unit test
/// finds it unresolved.
doc named(sv name) {
  const auto* t = find_openapi_type(name);
  return doc::map().set("allOf", doc::list().push(detail::schema_ref(t ? t->name : name)));
}

/// The schema of a field's type, in the grammar of openapi_schema.hpp.
doc type_schema(sv type) {
  if (type == "string") return doc::map().set("type", str("string"));
  if (type == "boolean") return doc::map().set("type", str("boolean"));
  if (type == "integer") return doc::map().set("type", str("integer")).set("format", str("int32"));
  if (type == "int64") return doc::map().set("type", str("integer")).set("format", str("int64"));
  if (type.starts_with("[]")) return doc::map().set("type", str("array")).set("items", type_schema(type.substr(2)));
  if (type.starts_with("map[string]"))
    return doc::map().set("type", str("object")).set("additionalProperties", type_schema(type.substr(11)));
  return named(type);
}

/// The strategic merge patch metadata kubectl apply reads (k8s.io/apimachinery
/// strategicpatch PatchMetaFromOpenAPIV3) and the list semantics server-side
/// tools read: merged by a key, or replaced whole ("atomic").
void list_extensions(doc& d, const openapi_field& f) {
  if (f.merge_key.empty()) {
    d.set("x-kubernetes-list-type", str("atomic"));
    return;
  }
  d.set("x-kubernetes-list-map-keys", doc::list().push(str(f.merge_key)));
  d.set("x-kubernetes-list-type", str("map"));
  d.set("x-kubernetes-patch-merge-key", str(f.merge_key));
  d.set("x-kubernetes-patch-strategy", str("merge"));
}

doc field_schema(const openapi_field& f) {
  doc d = type_schema(f.type).set("description", str(f.description));
  if (!f.values.empty()) {
    doc values = doc::list();
    for (sv v : f.values) values.push(str(v));
    d.set("enum", std::move(values));
  }
  if (f.type.starts_with("[]")) list_extensions(d, f);
  return d;
}

doc one_of(std::initializer_list<sv> types) {
  doc list = doc::list();
  for (sv t : types) list.push(doc::map().set("type", str(t)));
  return list;
}

doc type_doc(const openapi_type& t) {
  doc d = doc::map().set("description", str(t.description));
  switch (t.shape) {
    case openapi_shape::date_time: return d.set("type", str("string")).set("format", str("date-time"));
    case openapi_shape::quantity: return d.set("oneOf", one_of({"string", "number"}));
    case openapi_shape::int_or_string:
      return d.set("format", str("int-or-string")).set("oneOf", one_of({"integer", "string"}));
    case openapi_shape::object: break;
  }
  d.set("type", str("object"));
  doc required = doc::list();
  doc properties = doc::map();
  for (const auto& f : t.fields) {
    if (f.required) required.push(str(f.name));
    properties.set(std::string(f.name), field_schema(f));
  }
  d.set_nonempty("required", std::move(required)).set("properties", std::move(properties));
  if (!t.gvk.kind.empty()) {
    // A list, as kube-apiserver writes it (a type may serve several kinds);
    // kubectl apply matches the kind against its elements.
    doc gvk = doc::map().set("group", str(t.gvk.group)).set("kind", str(t.gvk.kind));
    d.set("x-kubernetes-group-version-kind", doc::list().push(std::move(gvk.set("version", str(t.gvk.version)))));
  }
  return d;
}

doc components() {
  doc schemas = doc::map();
  for (const auto& t : openapi_types()) schemas.set(std::string(t.name), type_doc(t));
  schemas.set("io.k8s.apimachinery.pkg.apis.meta.v1.Patch",
              doc::map()
                  .set("description", str("A PATCH body, in the form its Content-Type names."))
                  .set("type", str("object")));
  // Every request needs the admin token (kube_http.cpp).
  doc bearer = doc::map().set("type", str("apiKey")).set("name", str("authorization")).set("in", str("header"));
  bearer.set("description", str("Bearer token authentication: \"Authorization: Bearer TOKEN\"."));
  return doc::map().set("schemas", std::move(schemas)).set("securitySchemes", doc::map().set("BearerToken", bearer));
}

bool is_protobuf(const media_range& m) {
  return m.type == "application/com.github.proto-openapi.spec.v3@v1.0+protobuf" ||
         m.type == "application/com.github.proto-openapi.spec.v3.v1.0+protobuf";
}

}  // namespace

std::string openapi_v3_api_v1() {
  doc info = doc::map().set("title", str("berth")).set("version", str(k_kube_git_version));
  doc d = doc::map().set("openapi", str("3.0.0")).set("info", std::move(info));
  d.set("paths", detail::openapi_paths()).set("components", components());
  d.set("security", doc::list().push(doc::map().set("BearerToken", doc::list())));
  return manifest::detail::write_json_compact(d);
}

std::string openapi_hash(std::string_view document) {
  const XXH128_hash_t h = XXH3_128bits(document.data(), document.size());
  return fmt::format("{:016X}{:016X}", h.high64, h.low64);
}

std::string openapi_v3_index(std::string_view api_v1) {
  doc v1 = doc::map().set("serverRelativeURL", doc::str("/openapi/v3/api/v1?hash=" + openapi_hash(api_v1)));
  return manifest::detail::write_json_compact(doc::map().set("paths", doc::map().set("api/v1", std::move(v1))));
}

openapi_v3_target parse_openapi_v3(std::string_view path) {
  constexpr sv prefix = "/openapi/v3";
  if (!path.starts_with(prefix)) return openapi_v3_target::not_found;
  path.remove_prefix(prefix.size());
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return openapi_v3_target::index;
  if (path == "api/v1") return openapi_v3_target::api_v1;
  return openapi_v3_target::not_found;
}

bool openapi_accepts_json(std::string_view accept) {
  bool protobuf = false;
  bool other = false;
  for (const auto& m : parse_accept(accept)) {
    if (accepts_json(m)) return true;
    (is_protobuf(m) ? protobuf : other) = true;
  }
  return !protobuf || other;
}

reply openapi_not_acceptable() {
  doc d = doc::map().set("kind", str("Status")).set("apiVersion", str("v1")).set("metadata", doc::map());
  d.set("status", str("Failure"));
  d.set("message", str("the OpenAPI v3 documents are served as application/json only; berthd has no protobuf form"));
  d.set("reason", str("NotAcceptable")).set("code", doc::integer(406));
  return {406, manifest::detail::write_json_compact(d)};
}

}  // namespace berth::kube
