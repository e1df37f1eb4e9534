// The served resource table: names kubectl resolves, scopes, verbs.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "actors/kube/resources.hpp"

namespace berth::kube {

TEST_CASE("find_resource: plurals, singulars and short names; anything else is not served") {
  struct row {
    const char* text;
    const char* plural;
  };
  const row rows[] = {
      {"pods", "pods"},
      {"pod", "pods"},
      {"po", "pods"},
      {"rc", "replicationcontrollers"},
      {"replicationcontrollers", "replicationcontrollers"},
      {"svc", "services"},
      {"ep", "endpoints"},
      {"endpoints", "endpoints"},
      {"no", "nodes"},
      {"ns", "namespaces"},
      {"ev", "events"},
      {"cs", "componentstatuses"},
      {"componentstatus", "componentstatuses"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto* found = find_resource(r.text);
    REQUIRE(found != nullptr);
    CHECK(found->plural == r.plural);
  }
  CHECK(find_resource("deployments") == nullptr);
  CHECK(find_resource("Pods") == nullptr);
  CHECK(find_resource("") == nullptr);
}

TEST_CASE("scopes: nodes, namespaces, componentstatuses and persistent volumes are cluster-scoped, the rest namespaced") {
  std::set<std::string> cluster;
  for (const auto& r : served_resources()) {
    if (!r.namespaced) cluster.insert(std::string(r.plural));
  }
  CHECK(cluster == std::set<std::string>{"componentstatuses", "namespaces", "nodes", "persistentvolumes"});
}

TEST_CASE("categories: `kubectl get all` is pods, replicationcontrollers and services") {
  std::set<std::string> all;
  for (const auto& r : served_resources()) {
    if (allows(r.categories, "all")) all.insert(std::string(r.plural));
  }
  CHECK(all == std::set<std::string>{"pods", "replicationcontrollers", "services"});
}

TEST_CASE("subresources: pods' six, rc/scale as autoscaling/v1 Scale, nodes/status") {
  const auto* pods = find_resource("pods");
  REQUIRE(pods != nullptr);
  for (const char* sub : {"log", "status", "exec", "attach", "portforward", "eviction"}) {
    CAPTURE(sub);
    CHECK(find_subresource(*pods, sub) != nullptr);
  }
  const auto* log = find_subresource(*pods, "log");
  CHECK((log->verbs.size() == 1 && log->verbs[0] == "get"));
  const auto* scale = find_subresource(*find_resource("rc"), "scale");
  REQUIRE(scale != nullptr);
  CHECK(scale->response.group == "autoscaling");
  CHECK(scale->response.version == "v1");
  CHECK(scale->response.kind == "Scale");
  CHECK(allows(scale->verbs, "patch"));
  CHECK(find_subresource(*find_resource("nodes"), "status") != nullptr);
  CHECK(find_subresource(*find_resource("services"), "scale") == nullptr);
}

TEST_CASE("every resource: sorted unique verbs, get among them, a list kind named after the kind") {
  std::set<std::string> plurals;
  for (const auto& r : served_resources()) {
    CAPTURE(r.plural);
    CHECK(plurals.insert(std::string(r.plural)).second);
    CHECK(std::is_sorted(r.verbs.begin(), r.verbs.end()));
    CHECK(std::adjacent_find(r.verbs.begin(), r.verbs.end()) == r.verbs.end());
    CHECK(allows(r.verbs, "get"));
    CHECK(allows(r.verbs, "list"));
    CHECK(r.list_kind == std::string(r.kind) + "List");
    CHECK(find_resource(r.plural) == &r);
    for (auto s : r.short_names) CHECK(find_resource(s) == &r);
    for (const auto& sub : r.subresources) {
      CHECK(std::is_sorted(sub.verbs.begin(), sub.verbs.end()));
      CHECK(!sub.verbs.empty());
    }
  }
}

}  // namespace berth::kube
