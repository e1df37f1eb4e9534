// Discovery documents, compared field by field with what kubectl 1.20 and
// 1.32 were seen to send and accept.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "actors/kube/discovery.hpp"
#include "actors/kube/resources.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

// What kubectl 1.32.4 sends to /api and /apis.
const std::string k_kubectl_132_accept =
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";

std::vector<std::string> strings_of(const YAML::Node& list) {
  std::vector<std::string> out;
  if (!list) return out;
  for (const auto& n : list) out.push_back(n.as<std::string>());
  return out;
}

std::vector<std::string> strings_of(std::span<const std::string_view> v) { return {v.begin(), v.end()}; }

}  // namespace

TEST_CASE("version: major 1, minor 32 (no skew warning from kubectl 1.31-1.33; 1.20 has no check), semver gitVersion") {
  auto v = parse_json(version_json());
  CHECK(text(v["major"]) == "1");
  CHECK(text(v["minor"]) == "32");
  CHECK(text(v["gitVersion"]) == "v1.32.0+berth");
  for (const char* key : {"gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"}) {
    CAPTURE(key);
    CHECK(v[key].IsScalar());
  }
  CHECK(text(parse_json(version_json("0.1.0"))["gitVersion"]) == "v1.32.0+berth.0.1.0");
}

TEST_CASE("/api: APIVersions exactly as the body kubectl 1.20 accepted") {
  CHECK(
      api_versions_json("127.0.0.1:6443") ==
      R"({"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"127.0.0.1:6443"}]})");
}

TEST_CASE("/apis: an empty APIGroupList") {
  CHECK(api_group_list_json() == R"({"kind":"APIGroupList","apiVersion":"v1","groups":[]})");
}

TEST_CASE("/api/v1: pods, pods/log and rc/scale entries field by field") {
  auto list = parse_json(api_resource_list_json());
  CHECK(text(list["kind"]) == "APIResourceList");
  CHECK(text(list["groupVersion"]) == "v1");
  std::map<std::string, YAML::Node> by_name;
  for (const auto& r : list["resources"]) by_name.emplace(text(r["name"]), r);

  auto pods = by_name.at("pods");
  CHECK(text(pods["singularName"]) == "pod");
  CHECK(pods["namespaced"].as<bool>());
  CHECK(text(pods["kind"]) == "Pod");
  CHECK(strings_of(pods["verbs"]) ==
        std::vector<std::string>{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"});
  CHECK(strings_of(pods["shortNames"]) == std::vector<std::string>{"po"});
  CHECK(strings_of(pods["categories"]) == std::vector<std::string>{"all"});
  CHECK(!pods["group"]);

  auto log = by_name.at("pods/log");
  CHECK(text(log["kind"]) == "Pod");
  CHECK(strings_of(log["verbs"]) == std::vector<std::string>{"get"});
  CHECK(!log["shortNames"]);

  auto scale = by_name.at("replicationcontrollers/scale");
  CHECK(text(scale["group"]) == "autoscaling");
  CHECK(text(scale["version"]) == "v1");
  CHECK(text(scale["kind"]) == "Scale");
  CHECK(strings_of(scale["verbs"]) == std::vector<std::string>{"get", "patch", "update"});

  CHECK(!by_name.at("nodes")["namespaced"].as<bool>());
  CHECK(strings_of(by_name.at("nodes")["shortNames"]) == std::vector<std::string>{"no"});
  CHECK(!by_name.at("endpoints")["categories"]);
}

TEST_CASE("wants_discovery: the first form berthd can produce wins") {
  struct row {
    const char* accept;
    discovery_kind want;
  };
  const row rows[] = {
      {"", discovery_kind::legacy},
      {"application/json, */*", discovery_kind::legacy},  // kubectl 1.20
      {"application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json",
       discovery_kind::aggregated_v2beta1},
      {"application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", discovery_kind::legacy},
      {"application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
       discovery_kind::legacy},
      {"application/json; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList", discovery_kind::aggregated_v2},
      {"application/com.github.proto-openapi.spec.v2@v1.0+protobuf", discovery_kind::legacy},
  };
  CHECK(wants_discovery(k_kubectl_132_accept) == discovery_kind::aggregated_v2);
  for (const auto& r : rows) {
    CAPTURE(r.accept);
    CHECK(wants_discovery(r.accept) == r.want);
  }
}

TEST_CASE("aggregated /api: Content-Type and the v2 shape, field by field for pods") {
  auto reply = aggregated_api_json(discovery_kind::aggregated_v2);
  CHECK(reply.content_type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  auto list = parse_json(reply.body);
  CHECK(text(list["kind"]) == "APIGroupDiscoveryList");
  CHECK(text(list["apiVersion"]) == "apidiscovery.k8s.io/v2");
  REQUIRE(list["items"].size() == 1);
  auto core = list["items"][0];
  CHECK(!core["metadata"]["name"]);  // the core group has no name
  REQUIRE(core["versions"].size() == 1);
  auto v1 = core["versions"][0];
  CHECK(text(v1["version"]) == "v1");
  CHECK(text(v1["freshness"]) == "Current");
  YAML::Node pods;
  for (const auto& r : v1["resources"]) {
    if (text(r["resource"]) == "pods") pods.reset(r);
  }
  REQUIRE(pods);
  CHECK(text(pods["responseKind"]["group"]) == "");
  CHECK(text(pods["responseKind"]["version"]) == "v1");
  CHECK(text(pods["responseKind"]["kind"]) == "Pod");
  CHECK(text(pods["scope"]) == "Namespaced");
  CHECK(text(pods["singularResource"]) == "pod");
  CHECK(strings_of(pods["shortNames"]) == std::vector<std::string>{"po"});
  CHECK(strings_of(pods["categories"]) == std::vector<std::string>{"all"});
  std::set<std::string> subs;
  for (const auto& s : pods["subresources"]) {
    subs.insert(text(s["subresource"]));
    CHECK(s["responseKind"]["kind"].IsScalar());
    CHECK(s["verbs"].size() >= 1);
  }
  CHECK(subs == std::set<std::string>{"attach", "eviction", "exec", "log", "portforward", "status"});

  auto beta = aggregated_api_json(discovery_kind::aggregated_v2beta1);
  CHECK(beta.content_type == "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
  CHECK(text(parse_json(beta.body)["apiVersion"]) == "apidiscovery.k8s.io/v2beta1");
}

TEST_CASE("aggregated /apis: an empty APIGroupDiscoveryList") {
  auto reply = aggregated_apis_json(discovery_kind::aggregated_v2);
  CHECK(reply.content_type == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  auto list = parse_json(reply.body);
  CHECK(text(list["kind"]) == "APIGroupDiscoveryList");
  CHECK(list["items"].size() == 0);
}

TEST_CASE("invariant: every served resource and subresource appears in both forms with the same verbs and scope") {
  auto legacy = parse_json(api_resource_list_json());
  auto aggregated = parse_json(aggregated_api_json(discovery_kind::aggregated_v2).body);
  std::map<std::string, YAML::Node> by_name;
  for (const auto& r : legacy["resources"]) by_name.emplace(text(r["name"]), r);
  std::map<std::string, YAML::Node> by_resource;
  for (const auto& r : aggregated["items"][0]["versions"][0]["resources"]) by_resource.emplace(text(r["resource"]), r);

  std::size_t expected_legacy = 0;
  for (const auto& r : served_resources()) {
    std::string plural(r.plural);
    CAPTURE(plural);
    expected_legacy += 1 + r.subresources.size();
    REQUIRE(by_name.count(plural) == 1);
    REQUIRE(by_resource.count(plural) == 1);
    const auto& l = by_name[plural];
    const auto& a = by_resource[plural];
    CHECK(strings_of(l["verbs"]) == strings_of(r.verbs));
    CHECK(strings_of(a["verbs"]) == strings_of(r.verbs));
    CHECK(strings_of(l["shortNames"]) == strings_of(a["shortNames"]));
    CHECK(strings_of(l["categories"]) == strings_of(a["categories"]));
    CHECK(l["namespaced"].as<bool>() == r.namespaced);
    CHECK(text(a["scope"]) == (r.namespaced ? "Namespaced" : "Cluster"));
    CHECK(text(l["kind"]) == text(a["responseKind"]["kind"]));
    std::map<std::string, YAML::Node> subs;
    for (const auto& s : a["subresources"]) subs.emplace(text(s["subresource"]), s);
    CHECK(subs.size() == r.subresources.size());
    for (const auto& sub : r.subresources) {
      std::string name = plural + "/" + std::string(sub.name);
      CAPTURE(name);
      REQUIRE(by_name.count(name) == 1);
      REQUIRE(subs.count(std::string(sub.name)) == 1);
      CHECK(strings_of(by_name[name]["verbs"]) == strings_of(sub.verbs));
      CHECK(strings_of(subs[std::string(sub.name)]["verbs"]) == strings_of(sub.verbs));
      CHECK(text(by_name[name]["kind"]) == text(subs[std::string(sub.name)]["responseKind"]["kind"]));
    }
  }
  CHECK(legacy["resources"].size() == expected_legacy);
  CHECK(by_resource.size() == served_resources().size());
}

}  // namespace berth::kube
