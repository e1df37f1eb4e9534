// PATCH bodies: merge patch, strategic merge patch (kubectl apply's), JSON patch.
#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "actors/kube/patch.hpp"

namespace berth::kube {
namespace {

const char* k_rc = R"({"apiVersion":"v1","kind":"ReplicationController",
 "metadata":{"name":"web","labels":{"app":"web","flag":"true"},"annotations":{"a":"1"}},
 "spec":{"replicas":2,"selector":{"app":"web"},"template":{"metadata":{"labels":{"app":"web"}},
  "spec":{"containers":[{"name":"nginx","image":"nginx:1.7","ports":[{"containerPort":80},{"containerPort":443}],
   "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},{"name":"side","image":"busybox","args":["a","b"]}]}}}})";

YAML::Node patched(const char* patch, patch_type type) {
  std::string error;
  auto out = apply_patch(k_rc, patch, type, error);
  REQUIRE_MESSAGE(error.empty(), error);
  return YAML::Load(out);
}

}  // namespace

TEST_CASE("content types name the three patch kinds; anything else is refused") {
  patch_type t;
  CHECK((patch_type_of("application/merge-patch+json", t) && t == patch_type::merge));
  CHECK((patch_type_of("application/strategic-merge-patch+json; charset=utf-8", t) && t == patch_type::strategic));
  CHECK((patch_type_of("application/json-patch+json", t) && t == patch_type::json));
  CHECK_FALSE(patch_type_of("application/json", t));
  CHECK_FALSE(patch_type_of("application/apply-patch+yaml", t));
}

TEST_CASE("merge patch: maps merge, null deletes, lists replace, strings stay strings") {
  auto r = patched(R"({"metadata":{"labels":{"tier":"web","app":null}},"spec":{"replicas":3,
    "template":{"spec":{"containers":[{"name":"only","image":"x"}]}}}})",
                   patch_type::merge);
  CHECK(r["metadata"]["labels"]["tier"].as<std::string>() == "web");
  CHECK_FALSE(r["metadata"]["labels"]["app"]);
  CHECK(r["metadata"]["labels"]["flag"].Tag() == "!");  // "true" the string, not the boolean
  CHECK(r["metadata"]["annotations"]["a"].Tag() == "!");
  CHECK(r["spec"]["replicas"].as<int>() == 3);
  CHECK(r["spec"]["template"]["spec"]["containers"].size() == 1);
}

TEST_CASE("strategic merge patch: containers by name, ports by containerPort, env by name, directives") {
  // What kubectl apply sends for a changed image and replicas.
  auto r = patched(R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
    "spec":{"replicas":4,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"side"}],
    "containers":[{"image":"nginx:1.9","name":"nginx","ports":[{"containerPort":80,"name":"http"}],
     "env":[{"name":"B","$patch":"delete"},{"name":"C","value":"3"}]},
     {"name":"side","$deleteFromPrimitiveList/args":["a"]}]}}}})",
                   patch_type::strategic);
  CHECK(r["spec"]["replicas"].as<int>() == 4);
  auto containers = r["spec"]["template"]["spec"]["containers"];
  REQUIRE(containers.size() == 2);
  CHECK(containers[0]["name"].as<std::string>() == "nginx");
  CHECK(containers[0]["image"].as<std::string>() == "nginx:1.9");
  REQUIRE(containers[0]["ports"].size() == 2);  // 443 kept, 80 merged
  CHECK(containers[0]["ports"][0]["name"].as<std::string>() == "http");
  CHECK(containers[0]["ports"][1]["containerPort"].as<int>() == 443);
  REQUIRE(containers[0]["env"].size() == 2);
  CHECK(containers[0]["env"][0]["name"].as<std::string>() == "A");
  CHECK(containers[0]["env"][1]["name"].as<std::string>() == "C");
  REQUIRE(containers[1]["args"].size() == 1);
  CHECK(containers[1]["args"][0].as<std::string>() == "b");
  CHECK_FALSE(r["spec"]["template"]["spec"]["$setElementOrder/containers"]);
  CHECK(r["metadata"]["annotations"]["a"].as<std::string>() == "1");
  CHECK(r["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"].as<std::string>() == "{}\n");

  auto replaced = patched(R"({"metadata":{"labels":{"$patch":"replace","only":"this"}}})", patch_type::strategic);
  CHECK(replaced["metadata"]["labels"].size() == 1);
  CHECK(replaced["metadata"]["labels"]["only"].as<std::string>() == "this");
}

TEST_CASE("JSON patch: every operation, and a failing test or bad path is named") {
  auto r = patched(R"([{"op":"replace","path":"/spec/replicas","value":5},
    {"op":"add","path":"/metadata/labels/new~1key","value":"v"},
    {"op":"remove","path":"/metadata/annotations/a"},
    {"op":"add","path":"/spec/template/spec/containers/1/args/-","value":"c"},
    {"op":"copy","from":"/spec/selector","path":"/metadata/annotations/copied"},
    {"op":"move","from":"/metadata/labels/flag","path":"/metadata/labels/moved"},
    {"op":"test","path":"/spec/replicas","value":5}])",
                   patch_type::json);
  CHECK(r["spec"]["replicas"].as<int>() == 5);
  CHECK(r["metadata"]["labels"]["new/key"].as<std::string>() == "v");
  CHECK_FALSE(r["metadata"]["annotations"]["a"]);
  CHECK(r["spec"]["template"]["spec"]["containers"][1]["args"].size() == 3);
  CHECK(r["metadata"]["annotations"]["copied"]["app"].as<std::string>() == "web");
  CHECK(r["metadata"]["labels"]["moved"].as<std::string>() == "true");
  CHECK_FALSE(r["metadata"]["labels"]["flag"]);

  std::string error;
  CHECK(apply_patch(k_rc, R"([{"op":"test","path":"/spec/replicas","value":9}])", patch_type::json, error).empty());
  CHECK(error == "patch op 0 (test) failed at /spec/replicas");
  CHECK(apply_patch(k_rc, R"([{"op":"remove","path":"/spec/nothing"}])", patch_type::json, error).empty());
  CHECK(error == "patch op 0 (remove) found nothing at /spec/nothing");
  CHECK(apply_patch(k_rc, R"({"op":"remove"})", patch_type::json, error).empty());
  CHECK(error == "patch: a JSON patch must be an array of operations");
  CHECK(apply_patch(k_rc, R"([1, 2)", patch_type::merge, error).empty());
  CHECK(error.rfind("patch: not valid JSON: line 1", 0) == 0);
  CHECK(apply_patch(k_rc, R"([1])", patch_type::merge, error).empty());
  CHECK(error == "patch: a merge patch must be a JSON object");
}

}  // namespace berth::kube
