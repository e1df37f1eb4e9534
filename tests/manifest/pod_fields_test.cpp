// Pod-level fields of Kubernetes v1.0: activeDeadlineSeconds (>= 1 when set)
// and imagePullSecrets (stored and shown), decoded, validated and rendered.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/manifest/render.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using berth::manifest::test::errors_of;

namespace {

std::string pod_with(const std::string& spec_extra) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n" + spec_extra +
         "  containers:\n  - name: c\n    image: busybox\n";
}

}  // namespace

TEST_CASE("activeDeadlineSeconds and imagePullSecrets decode, render and decode back") {
  auto r = manifest::decode_manifests(pod_with("  activeDeadlineSeconds: 3\n  imagePullSecrets:\n  - name: key\n"),
                                      "test.yaml");
  REQUIRE(r.ok());
  const auto& p = std::get<model::pod>(r.objects.at(0).object);
  CHECK(p.spec.active_deadline_seconds == 3);
  REQUIRE(p.spec.image_pull_secrets.size() == 1);
  CHECK(p.spec.image_pull_secrets[0].name == "key");
  const auto yaml = manifest::to_yaml(model::api_object{p});
  CHECK(yaml.find("activeDeadlineSeconds: 3") != std::string::npos);
  CHECK(yaml.find("imagePullSecrets:") != std::string::npos);
  auto back = manifest::decode_manifests(yaml, "rendered.yaml");
  REQUIRE(back.ok());
  CHECK(std::get<model::pod>(back.objects.at(0).object).spec == p.spec);
}

TEST_CASE("unset, neither is rendered") {
  auto r = manifest::decode_manifests(pod_with(""), "test.yaml");
  REQUIRE(r.ok());
  const auto yaml = manifest::to_yaml(model::api_object{std::get<model::pod>(r.objects.at(0).object)});
  CHECK(yaml.find("activeDeadlineSeconds") == std::string::npos);
  CHECK(yaml.find("imagePullSecrets") == std::string::npos);
}

TEST_CASE("activeDeadlineSeconds below 1 is refused at its path; imagePullSecrets entries take only a name") {
  CHECK(errors_of(pod_with("  activeDeadlineSeconds: 0\n")) ==
        std::vector<std::string>{
            "test.yaml document 1: spec.activeDeadlineSeconds: Invalid value: 0: must be greater than or equal to 1"});
  CHECK(errors_of(pod_with("  activeDeadlineSeconds: -5\n")) ==
        std::vector<std::string>{
            "test.yaml document 1: spec.activeDeadlineSeconds: Invalid value: -5: must be greater than or equal to 1"});
  CHECK(errors_of(pod_with("  imagePullSecrets:\n  - name: key\n    server: x\n")) ==
        std::vector<std::string>{"test.yaml document 1: spec.imagePullSecrets[0].server: Unknown field"});
}

TEST_CASE("an RC template carries them too") {
  auto r = manifest::decode_manifests(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: rc
spec:
  replicas: 1
  selector: {app: x}
  template:
    metadata:
      labels: {app: x}
    spec:
      activeDeadlineSeconds: 60
      containers:
      - name: c
        image: busybox
)",
                                      "test.yaml");
  REQUIRE(r.ok());
  CHECK(std::get<model::replication_controller>(r.objects.at(0).object).spec.template_.spec.active_deadline_seconds ==
        60);
}
