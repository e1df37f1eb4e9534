#include "actors/kube/openapi_paths.hpp"

#include <initializer_list>
#include <string>
#include <utility>

#include "actors/kube/resources.hpp"

namespace berth::kube::detail {
namespace {

using manifest::detail::doc;
using sv = std::string_view;

doc str(sv s) { return doc::str(std::string(s)); }

struct parameter {
  sv name;
  sv in;  // "path" or "query"
  sv type;
  sv description;
};

// The parameters berthd reads (actors/rpc/kube_*.cpp), and fieldValidation,
// which it does not need to read: unknown and duplicate fields are always
// refused. kubectl 1.32 sends fieldValidation=Strict only to servers whose
// PATCH operations list it, and otherwise validates client-side against
// /openapi/v2, which berthd leaves empty.
constexpr parameter k_parameters[] = {
    {"namespace", "path", "string", "The namespace of the objects."},
    {"name", "path", "string", "The name of the object."},
    {"labelSelector", "query", "string", "Only objects whose labels match, such as app=web,tier!=db."},
    {"fieldSelector", "query", "string",
     "Only objects whose fields match: metadata.name, metadata.namespace, spec.nodeName, status.phase, "
     "involvedObject.*, with = or !=."},
    {"limit", "query", "integer", "The most items to return; a cut list carries a continue token."},
    {"continue", "query", "string", "The continue token of a cut list: return the next part."},
    {"resourceVersion", "query", "string", "With watch: the version to watch from."},
    {"watch", "query", "boolean", "Stream changes as watch events (ADDED, MODIFIED, DELETED) instead of listing."},
    {"timeoutSeconds", "query", "integer", "End a watch after this many seconds."},
    {"dryRun", "query", "string", "All: check the request and answer as if done, but store nothing."},
    {"fieldManager", "query", "string",
     "The client making the change. Accepted; berthd does not track field "
     "ownership."},
    {"fieldValidation", "query", "string",
     "How to treat unknown or duplicate fields in the body. berthd always refuses them (422 Invalid, naming the "
     "field), which is what Strict asks; Ignore and Warn are accepted and treated as Strict."},
    {"gracePeriodSeconds", "query", "integer", "Seconds the pods get to stop; 0 stops them at once."},
    {"propagationPolicy", "query", "string",
     "Background or Foreground: what the object owns (a controller's pods) is deleted with it. Orphan is "
     "refused."},
    {"container", "query", "string", "The container whose log to read; optional when the pod has one."},
    {"follow", "query", "boolean", "Keep sending the log as it grows, until the container ends."},
    {"tailLines", "query", "integer", "Only the last lines of the log."},
    {"previous", "query", "boolean", "The log of the container's previous run, after a restart."},
    {"timestamps", "query", "boolean", "Begin each line with the time it was written (RFC 3339)."},
};

doc parameter_doc(sv name) {
  for (const auto& p : k_parameters) {
    if (p.name != name) continue;
    doc d = doc::map().set("name", str(p.name)).set("in", str(p.in)).set("description", str(p.description));
    if (p.in == "path") d.set("required", doc::boolean(true));
    return d.set("schema", doc::map().set("type", str(p.type)));
  }
  return doc::map().set("name", str(name));  // not in the table: the unit test names it
}

doc parameters(std::initializer_list<sv> names) {
  doc list = doc::list();
  for (sv n : names) list.push(parameter_doc(n));
  return list;
}

doc gvk_doc(const group_version_kind& k) {
  return doc::map().set("group", str(k.group)).set("version", str(k.version)).set("kind", str(k.kind));
}

/// The schema name of a kind: the table in openapi_schema.cpp names them so.
std::string schema_of(const group_version_kind& k) {
  if (k.group.empty()) return "io.k8s.api.core.v1." + std::string(k.kind);
  return "io.k8s.api." + std::string(k.group) + "." + std::string(k.version) + "." + std::string(k.kind);
}

doc json_content(doc schema) { return doc::map().set("application/json", doc::map().set("schema", std::move(schema))); }

/// {"200":{"description":"OK","content":{"application/json":{"schema":{"$ref":…}}}},…}
doc responses(const std::string& schema, std::initializer_list<std::pair<sv, sv>> codes) {
  doc d = doc::map();
  for (auto [code, text] : codes)
    d.set(std::string(code), doc::map().set("description", str(text)).set("content", json_content(schema_ref(schema))));
  return d.set("401", doc::map().set("description", str("Unauthorized")));
}

/// What an operation is: its id, what it does, the kind it is about.
struct operation {
  std::string id;
  std::string description;
  sv action;  // x-kubernetes-action: list, get, post, put, patch, delete, deletecollection
  group_version_kind gvk;
};

doc operation_doc(const operation& op, doc params, doc responses) {
  doc d = doc::map().set("tags", doc::list().push(str("core_v1"))).set("description", doc::str(op.description));
  d.set("operationId", doc::str(op.id)).set_nonempty("parameters", std::move(params));
  d.set("responses", std::move(responses)).set("x-kubernetes-action", str(op.action));
  return d.set("x-kubernetes-group-version-kind", gvk_doc(op.gvk));
}

doc with_body(doc op, doc content) {
  // Appended after the other keys: JSON readers do not care about order.
  return op.set("requestBody", doc::map().set("content", std::move(content)));
}

/// The three patch types patch.hpp applies. kubectl apply computes a
/// strategic merge patch from the schemas only when its media type is listed.
doc patch_content() {
  doc d = doc::map();
  for (sv type :
       {"application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json"})
    d.set(std::string(type), doc::map().set("schema", schema_ref("io.k8s.apimachinery.pkg.apis.meta.v1.Patch")));
  return d;
}

/// "CoreV1NamespacedPod", "CoreV1Node": the middle of the apiserver's operation ids.
std::string op_name(const resource_info& r) {
  return std::string("CoreV1") + (r.namespaced ? "Namespaced" : "") + std::string(r.kind);
}

doc collection_path(const resource_info& r) {
  const group_version_kind kind{"", "v1", r.kind};
  const group_version_kind list{"", "v1", r.list_kind};
  const std::string name = op_name(r);
  doc d = doc::map();
  if (allows(r.verbs, "list")) {
    operation op{"list" + name, "list or watch " + std::string(r.plural), "list", kind};
    d.set("get", operation_doc(op,
                               parameters({"labelSelector", "fieldSelector", "limit", "continue", "resourceVersion",
                                           "watch", "timeoutSeconds"}),
                               responses(schema_of(list), {{"200", "OK"}})));
  }
  if (allows(r.verbs, "create")) {
    operation op{"create" + name, "create a " + std::string(r.kind), "post", kind};
    doc o = operation_doc(op, parameters({"dryRun", "fieldManager", "fieldValidation"}),
                          responses(schema_of(kind), {{"200", "OK"}, {"201", "Created"}, {"202", "Accepted"}}));
    d.set("post",
          with_body(std::move(o), doc::map().set("*/*", doc::map().set("schema", schema_ref(schema_of(kind))))));
  }
  if (allows(r.verbs, "deletecollection")) {
    operation op{"deleteCoreV1Collection" + name.substr(6), "delete a collection of " + std::string(r.plural),
                 "deletecollection", kind};
    // berthd answers with the list of what it deleted.
    d.set("delete",
          operation_doc(
              op, parameters({"labelSelector", "fieldSelector", "gracePeriodSeconds", "propagationPolicy", "dryRun"}),
              responses(schema_of(list), {{"200", "OK"}})));
  }
  return d.set_nonempty("parameters", r.namespaced ? parameters({"namespace"}) : doc::list());
}

doc item_path(const resource_info& r) {
  const group_version_kind kind{"", "v1", r.kind};
  const std::string name = op_name(r);
  const std::string the = "the specified " + std::string(r.kind);
  doc d = doc::map();
  if (allows(r.verbs, "get"))
    d.set("get", operation_doc({"read" + name, "read " + the, "get", kind}, doc::list(),
                               responses(schema_of(kind), {{"200", "OK"}})));
  if (allows(r.verbs, "update")) {
    doc o = operation_doc({"replace" + name, "replace " + the, "put", kind},
                          parameters({"dryRun", "fieldManager", "fieldValidation"}),
                          responses(schema_of(kind), {{"200", "OK"}, {"201", "Created"}}));
    d.set("put", with_body(std::move(o), doc::map().set("*/*", doc::map().set("schema", schema_ref(schema_of(kind))))));
  }
  if (allows(r.verbs, "patch")) {
    doc o = operation_doc({"patch" + name, "partially update " + the, "patch", kind},
                          parameters({"dryRun", "fieldManager", "fieldValidation"}),
                          responses(schema_of(kind), {{"200", "OK"}, {"201", "Created"}}));
    d.set("patch", with_body(std::move(o), patch_content()));
  }
  if (allows(r.verbs, "delete")) {
    // Pods, services and namespaces answer with the object; the others with a Status.
    const std::string answer =
        r.delete_returns_object ? schema_of(kind) : "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
    d.set("delete", operation_doc({"delete" + name, "delete " + the, "delete", kind},
                                  parameters({"gracePeriodSeconds", "propagationPolicy", "dryRun"}),
                                  responses(answer, {{"200", "OK"}, {"202", "Accepted"}})));
  }
  doc common = r.namespaced ? parameters({"name", "namespace"}) : parameters({"name"});
  return d.set("parameters", std::move(common));
}

/// status and scale (get/put/patch of an object of `s.response`'s kind), and
/// pods/log (text). exec, attach and portforward need a streaming upgrade
/// berthd does not speak, and eviction is in the policy group: not listed.
doc subresource_path(const resource_info& r, const subresource_info& s) {
  const std::string name = op_name(r) + char(s.name[0] - 'a' + 'A') + std::string(s.name.substr(1));
  const std::string of = std::string(s.name) + " of the specified " + std::string(r.kind);
  doc d = doc::map();
  if (s.name == "log") {
    doc ok = doc::map().set("description", str("OK"));
    ok.set("content", doc::map().set("text/plain", doc::map().set("schema", doc::map().set("type", str("string")))));
    doc codes = doc::map().set("200", std::move(ok)).set("401", doc::map().set("description", str("Unauthorized")));
    d.set("get",
          operation_doc({"read" + name, "read " + of, "get", {"", "v1", r.kind}},
                        parameters({"container", "follow", "tailLines", "previous", "timestamps"}), std::move(codes)));
  } else {
    const auto schema = schema_of(s.response);
    if (allows(s.verbs, "get"))
      d.set("get", operation_doc({"read" + name, "read " + of, "get", s.response}, doc::list(),
                                 responses(schema, {{"200", "OK"}})));
    if (allows(s.verbs, "update")) {
      doc o = operation_doc({"replace" + name, "replace " + of, "put", s.response},
                            parameters({"dryRun", "fieldManager", "fieldValidation"}),
                            responses(schema, {{"200", "OK"}, {"201", "Created"}}));
      d.set("put", with_body(std::move(o), doc::map().set("*/*", doc::map().set("schema", schema_ref(schema)))));
    }
    if (allows(s.verbs, "patch")) {
      doc o = operation_doc({"patch" + name, "partially update " + of, "patch", s.response},
                            parameters({"dryRun", "fieldManager", "fieldValidation"}),
                            responses(schema, {{"200", "OK"}, {"201", "Created"}}));
      d.set("patch", with_body(std::move(o), patch_content()));
    }
  }
  doc common = r.namespaced ? parameters({"name", "namespace"}) : parameters({"name"});
  return d.set("parameters", std::move(common));
}

bool described(const subresource_info& s) { return s.name == "log" || s.name == "status" || s.name == "scale"; }

}  // namespace

doc schema_ref(std::string_view name) {
  return doc::map().set("$ref", doc::str("#/components/schemas/" + std::string(name)));
}

doc openapi_paths() {
  doc paths = doc::map();
  for (const auto& r : served_resources()) {
    const std::string base =
        r.namespaced ? "/api/v1/namespaces/{namespace}/" + std::string(r.plural) : "/api/v1/" + std::string(r.plural);
    paths.set(base, collection_path(r));
    paths.set(base + "/{name}", item_path(r));
    for (const auto& s : r.subresources)
      if (described(s)) paths.set(base + "/{name}/" + std::string(s.name), subresource_path(r, s));
    if (r.namespaced && allows(r.verbs, "list")) {
      operation op{"listCoreV1" + std::string(r.kind) + "ForAllNamespaces",
                   "list or watch " + std::string(r.plural) + " in every namespace",
                   "list",
                   {"", "v1", r.kind}};
      doc get = operation_doc(op,
                              parameters({"labelSelector", "fieldSelector", "limit", "continue", "resourceVersion",
                                          "watch", "timeoutSeconds"}),
                              responses(schema_of({"", "v1", r.list_kind}), {{"200", "OK"}}));
      paths.set("/api/v1/" + std::string(r.plural), doc::map().set("get", std::move(get)));
    }
  }
  return paths;
}

}  // namespace berth::kube::detail
