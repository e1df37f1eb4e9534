// The OpenAPI v3 documents kubectl 1.32 reads: well formed, every reference
// resolved, every kind findable the way kubectl finds it, merge keys that are
// patch.cpp's, fields that are the decoder's, and a hash that follows the text.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <functional>
#include <set>
#include <string>

#include "actors/kube/openapi.hpp"
#include "actors/kube/openapi_schema.hpp"
#include "actors/kube/patch.hpp"
#include "actors/kube/resources.hpp"
#include "actors/manifest/decode.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

const YAML::Node& document() {
  static const YAML::Node d = parse_json(openapi_v3_api_v1());
  return d;
}

YAML::Node schema(const std::string& name) { return document()["components"]["schemas"][name]; }

/// Calls `on_ref` with every "$ref" anywhere under `n`.
void each_ref(const YAML::Node& n, const std::function<void(const std::string&)>& on_ref) {
  if (n.IsMap()) {
    for (const auto& kv : n) {
      if (kv.first.as<std::string>() == "$ref") on_ref(kv.second.as<std::string>());
      each_ref(kv.second, on_ref);
    }
  } else if (n.IsSequence()) {
    for (const auto& item : n) each_ref(item, on_ref);
  }
}

bool gvk_equals(const YAML::Node& g, const group_version_kind& k) {
  return g.IsMap() && g.size() == 3 && text(g["group"]) == k.group && text(g["version"]) == k.version &&
         text(g["kind"]) == k.kind;
}

/// The schema listing `k` in its x-kubernetes-group-version-kind, as kubectl
/// explain and apply look it up; null when none does.
YAML::Node schema_of_kind(const group_version_kind& k) {
  for (const auto& kv : document()["components"]["schemas"]) {
    for (const auto& g : kv.second["x-kubernetes-group-version-kind"])
      if (gvk_equals(g, k)) return kv.second;
  }
  return YAML::Node();
}

/// The path operations, as (path, method, operation).
template <class Fn>
void each_operation(Fn fn) {
  for (const auto& path : document()["paths"]) {
    for (const auto& op : path.second) {
      const auto method = op.first.as<std::string>();
      if (method != "parameters") fn(path.first.as<std::string>(), method, op.second);
    }
  }
}

bool has_query_parameter(const YAML::Node& op, const std::string& name) {
  for (const auto& p : op["parameters"])
    if (text(p["name"]) == name && text(p["in"]) == "query") return true;
  return false;
}

}  // namespace

TEST_CASE("the api/v1 document is one line of OpenAPI 3.0 JSON, the same every time") {
  const auto body = openapi_v3_api_v1();
  CHECK(body == openapi_v3_api_v1());
  CHECK(text(document()["openapi"]) == "3.0.0");
  CHECK(document()["paths"].size() > 20);
  CHECK(document()["components"]["schemas"].size() == openapi_types().size() + 1);  // + meta.v1.Patch
}

TEST_CASE("every $ref names a schema of the document") {
  std::size_t refs = 0;
  each_ref(document(), [&](const std::string& ref) {
    ++refs;
    const std::string prefix = "#/components/schemas/";
    REQUIRE_MESSAGE(ref.rfind(prefix, 0) == 0, ref);
    CHECK_MESSAGE(schema(ref.substr(prefix.size())).IsMap(), ref);
  });
  CHECK(refs > 100);
}

TEST_CASE("every served kind, its list and each subresource's kind has a schema that names it") {
  for (const auto& r : served_resources()) {
    CAPTURE(r.plural);
    CHECK(schema_of_kind({"", "v1", r.kind}).IsMap());
    CHECK(schema_of_kind({"", "v1", r.list_kind}).IsMap());
    for (const auto& s : r.subresources) {
      if (s.response.group == "policy") continue;  // eviction: not described (openapi_paths.cpp)
      CHECK_MESSAGE(schema_of_kind(s.response).IsMap(), s.name);
    }
  }
  CHECK(schema_of_kind({"", "v1", "Status"}).IsMap());
  // Only kinds carry one: a PodSpec is not something kubectl can explain by kind.
  CHECK_FALSE(schema("io.k8s.api.core.v1.PodSpec")["x-kubernetes-group-version-kind"]);
}

TEST_CASE("every operation names a kind that has a schema; explain finds pods, rcs and services by path") {
  std::size_t operations = 0;
  each_operation([&](const std::string& path, const std::string& method, const YAML::Node& op) {
    CAPTURE(path);
    CAPTURE(method);
    ++operations;
    const auto g = op["x-kubernetes-group-version-kind"];
    REQUIRE(g.IsMap());
    CHECK(schema_of_kind({text(g["group"]), text(g["version"]), text(g["kind"])}).IsMap());
    CHECK(!text(op["operationId"]).empty());
    for (const auto& p : op["parameters"]) {
      CAPTURE(text(p["name"]));
      CHECK(p["in"].IsScalar());  // a name missing from openapi_paths.cpp's table has none
      CHECK(p["schema"]["type"].IsScalar());
    }
  });
  CHECK(operations > 40);
  const auto& paths = document()["paths"];
  CHECK(text(paths["/api/v1/namespaces/{namespace}/pods"]["get"]["x-kubernetes-group-version-kind"]["kind"]) == "Pod");
  CHECK(paths["/api/v1/namespaces/{namespace}/replicationcontrollers/{name}"]["patch"].IsMap());
  CHECK(paths["/api/v1/namespaces/{namespace}/services/{name}"]["delete"].IsMap());
  CHECK(paths["/api/v1/nodes/{name}"]["get"].IsMap());
  CHECK(paths["/api/v1/pods"]["get"].IsMap());  // --all-namespaces
  CHECK(text(paths["/api/v1/namespaces/{namespace}/replicationcontrollers/{name}/scale"]["patch"]
                  ["x-kubernetes-group-version-kind"]["group"]) == "autoscaling");
  CHECK_FALSE(paths["/api/v1/namespaces/{namespace}/pods/{name}/exec"]);
}

// kubectl 1.32 (cli-runtime query_param_verifier_v3.go) trusts the server to
// validate fields when the kind's PATCH operation takes fieldValidation, and
// computes apply's strategic merge patch only when the PATCH operation accepts it.
TEST_CASE("every write takes fieldValidation; every PATCH accepts the three patch types berthd applies") {
  std::size_t patches = 0;
  each_operation([&](const std::string& path, const std::string& method, const YAML::Node& op) {
    CAPTURE(path);
    CAPTURE(method);
    if (method == "post" || method == "put" || method == "patch") {
      CHECK(has_query_parameter(op, "fieldValidation"));
      CHECK(op["requestBody"]["content"].IsMap());
    }
    if (method != "patch") return;
    ++patches;
    const auto content = op["requestBody"]["content"];
    patch_type t;
    for (const auto& kv : content) CHECK(patch_type_of(kv.first.as<std::string>(), t));
    CHECK(content["application/strategic-merge-patch+json"].IsMap());
  });
  CHECK(patches >= 9);
}

TEST_CASE("every top-level kind names its group, version and kind as a one-element list") {
  for (const auto& t : openapi_types()) {
    if (t.gvk.kind.empty()) continue;
    CAPTURE(t.name);
    const auto g = schema(std::string(t.name))["x-kubernetes-group-version-kind"];
    REQUIRE(g.IsSequence());
    REQUIRE(g.size() == 1);
    CHECK(gvk_equals(g[0], t.gvk));
    CHECK(std::string(t.name).ends_with("." + std::string(t.gvk.kind)));
  }
}

TEST_CASE("every type and field is described; required fields and enums are well formed") {
  for (const auto& t : openapi_types()) {
    CAPTURE(t.name);
    CHECK(!t.description.empty());
    const auto s = schema(std::string(t.name));
    for (const auto& f : t.fields) {
      CAPTURE(f.name);
      CHECK(!f.description.empty());
      CHECK(s["properties"][std::string(f.name)].IsMap());
      if (!f.merge_key.empty()) CHECK(f.type.starts_with("[]"));
    }
    for (const auto& r : s["required"]) CHECK(s["properties"][text(r)].IsMap());
  }
  const auto policy = schema("io.k8s.api.core.v1.PodSpec")["properties"]["restartPolicy"];
  CHECK(policy["enum"].size() == 3);
  CHECK(text(policy["enum"][1]) == "OnFailure");
}

namespace {

/// The schema's field metadata for `type`.`field`.
YAML::Node property(const std::string& type, const std::string& field) { return schema(type)["properties"][field]; }

/// `{"<field>":[<a>,<b>]}` patched strategically with `{"<field>":[<a'>]}`,
/// where a' has a's key and one more field: a merged list keeps b.
std::size_t items_after_patch(const std::string& field, const std::string& key) {
  const std::string a = key.empty() ? "{\"x\":\"a\"}" : "{\"" + key + "\":80,\"x\":\"a\"}";
  const std::string b = key.empty() ? "{\"x\":\"b\"}" : "{\"" + key + "\":81,\"x\":\"b\"}";
  const std::string a2 = key.empty() ? "{\"x\":\"c\"}" : "{\"" + key + "\":80,\"y\":\"c\"}";
  std::string error;
  auto out = apply_patch("{\"" + field + "\":[" + a + "," + b + "]}", "{\"" + field + "\":[" + a2 + "]}",
                         patch_type::strategic, error);
  REQUIRE_MESSAGE(error.empty(), error);
  return YAML::Load(out)[field].size();
}

}  // namespace

TEST_CASE("the schema's merge keys are those patch.cpp merges by, and other lists are replaced whole") {
  std::size_t keyed = 0;
  for (const auto& t : openapi_types()) {
    for (const auto& f : t.fields) {
      if (!f.type.starts_with("[]")) continue;
      CAPTURE(t.name);
      CAPTURE(f.name);
      const auto p = property(std::string(t.name), std::string(f.name));
      const std::string key(f.merge_key);
      if (key.empty()) {
        CHECK(text(p["x-kubernetes-list-type"]) == "atomic");
        CHECK_FALSE(p["x-kubernetes-patch-merge-key"]);
        CHECK(items_after_patch(std::string(f.name), "") == 1);
        continue;
      }
      ++keyed;
      CHECK(text(p["x-kubernetes-patch-merge-key"]) == key);
      CHECK(text(p["x-kubernetes-patch-strategy"]) == "merge");
      CHECK(text(p["x-kubernetes-list-type"]) == "map");
      CHECK(text(p["x-kubernetes-list-map-keys"][0]) == key);
      CHECK(items_after_patch(std::string(f.name), key) == 2);
    }
  }
  CHECK(keyed >= 7);  // containers, env, container ports, service ports, conditions ×3, endpoint ports
  CHECK(text(property("io.k8s.api.core.v1.Container", "ports")["x-kubernetes-patch-merge-key"]) == "containerPort");
  CHECK(text(property("io.k8s.api.core.v1.ServiceSpec", "ports")["x-kubernetes-patch-merge-key"]) == "port");
}

namespace {

/// A value of `type` for every field the schema lists, recursively: what a
/// manifest naming every described field looks like.
YAML::Node sample(std::string_view type, int depth) {
  if (type == "string") return YAML::Node("x");
  if (type == "integer" || type == "int64") return YAML::Node(1);
  if (type == "boolean") return YAML::Node(true);
  if (type.starts_with("[]")) {
    YAML::Node list(YAML::NodeType::Sequence);
    list.push_back(sample(type.substr(2), depth));
    return list;
  }
  if (type.starts_with("map[string]")) {
    YAML::Node map(YAML::NodeType::Map);
    map["k"] = sample(type.substr(11), depth);
    return map;
  }
  const auto* t = find_openapi_type(type);
  REQUIRE_MESSAGE(t != nullptr, type);
  if (t->shape == openapi_shape::quantity || t->shape == openapi_shape::int_or_string) return YAML::Node("1");
  if (t->shape == openapi_shape::date_time) return YAML::Node("2024-01-01T00:00:00Z");
  YAML::Node map(YAML::NodeType::Map);
  for (const auto& f : t->fields) {
    if (f.name == "status" || depth > 8) continue;  // status: read-only, ignored on create
    map[std::string(f.name)] = f.values.empty() ? sample(f.type, depth + 1) : YAML::Node(std::string(f.values[0]));
  }
  return map;
}

}  // namespace

// A field the schema lists but the decoder does not know would be offered by
// kubectl explain and then refused; apply would compute patches over it.
TEST_CASE("every field the schema lists for pods, rcs and services is one the manifest decoder reads") {
  for (const auto* kind : {"Pod", "ReplicationController", "Service"}) {
    CAPTURE(kind);
    YAML::Node object = sample(kind, 0);
    object["apiVersion"] = "v1";
    object["kind"] = kind;
    YAML::Emitter out;
    out << YAML::Flow << object;
    const auto result = manifest::decode_manifests(out.c_str(), "sample");
    for (const auto& e : result.errors) {
      CHECK_MESSAGE(e.error.message.find("Unknown field") == std::string::npos, e.to_string());
      CHECK_MESSAGE(e.error.message.find("not supported") == std::string::npos, e.to_string());
    }
  }
}

TEST_CASE("the index points at api/v1 by a hash that changes with the document and only with it") {
  const auto body = openapi_v3_api_v1();
  const auto index = parse_json(openapi_v3_index(body));
  REQUIRE(index["paths"].size() == 1);
  const auto url = text(index["paths"]["api/v1"]["serverRelativeURL"]);
  CHECK(url == "/openapi/v3/api/v1?hash=" + openapi_hash(body));
  CHECK(openapi_hash(body).size() == 32);
  CHECK(openapi_v3_index(body) == openapi_v3_index(std::string(body)));
  auto changed = body;
  changed[changed.find("The containers of the pod")] = 't';
  CHECK(openapi_hash(changed) != openapi_hash(body));
  CHECK(openapi_v3_index(changed) != openapi_v3_index(body));
}

TEST_CASE("paths under /openapi/v3 and the Accept headers served as JSON") {
  CHECK(parse_openapi_v3("/openapi/v3") == openapi_v3_target::index);
  CHECK(parse_openapi_v3("/openapi/v3/") == openapi_v3_target::index);
  CHECK(parse_openapi_v3("/openapi/v3/api/v1") == openapi_v3_target::api_v1);
  CHECK(parse_openapi_v3("/openapi/v3/apis/autoscaling/v1") == openapi_v3_target::not_found);
  CHECK(parse_openapi_v3("/openapi/v3/api/v2") == openapi_v3_target::not_found);

  CHECK(openapi_accepts_json(""));
  CHECK(openapi_accepts_json("application/json"));       // kubectl 1.32, for the document
  CHECK(openapi_accepts_json("application/json, */*"));  // kubectl 1.32, for the index
  CHECK(openapi_accepts_json("text/html"));
  CHECK(openapi_accepts_json("application/com.github.proto-openapi.spec.v3@v1.0+protobuf, application/json"));
  CHECK_FALSE(openapi_accepts_json("application/com.github.proto-openapi.spec.v3@v1.0+protobuf"));
  const auto refused = openapi_not_acceptable();
  CHECK(refused.code == 406);
  CHECK(text(parse_json(refused.body)["reason"]) == "NotAcceptable");
}

}  // namespace berth::kube
