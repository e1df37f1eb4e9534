// Kubernetes 1.0 container fields: env valueFrom, securityContext, stdin/tty.
// Decoding keeps them; validation refuses bad ones with their field path.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/manifest/test_util.hpp"

using berth::manifest::test::errors_of;
using strings = std::vector<std::string>;

namespace {

std::string pod(const std::string& container_extra) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n"
         "    image: nginx:1.25\n" +
         container_extra;
}

std::string d1(const std::string& e) { return "test.yaml document 1: " + e; }

const berth::model::container& only_container(const std::string& text) {
  static berth::manifest::decode_result result;
  result = berth::manifest::decode_manifests(text, "test.yaml");
  REQUIRE(result.errors.empty());
  REQUIRE(result.objects.size() == 1);
  return std::get<berth::model::pod>(result.objects[0].object).spec.containers.at(0);
}

}  // namespace

TEST_CASE("container fields: valueFrom, securityContext and stdio decode into the model") {
  const auto& c = only_container(pod(
      "    env:\n    - name: MY_POD_NAME\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.name\n"
      "    - name: PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: pw\n"
      "    securityContext:\n      privileged: true\n      runAsUser: 1000\n      readOnlyRootFilesystem: true\n"
      "      capabilities:\n        add: [NET_ADMIN]\n        drop: [NET_RAW]\n"
      "      seLinuxOptions:\n        level: s0:c1\n"
      "    stdin: true\n    stdinOnce: true\n    tty: true\n"));
  REQUIRE(c.env.size() == 2);
  REQUIRE(c.env[0].value_from);
  CHECK(c.env[0].value_from->field_ref->field_path == "metadata.name");
  CHECK(c.env[0].value_from->field_ref->api_version == "v1");
  CHECK(c.env[1].value_from->secret_key_ref->name == "db");
  CHECK(c.env[1].value_from->secret_key_ref->key == "pw");
  REQUIRE(c.security_context_);
  CHECK(c.security_context_->privileged);
  CHECK(c.security_context_->run_as_user == 1000);
  CHECK(c.security_context_->read_only_root_filesystem);
  CHECK(c.security_context_->capabilities_->add == strings{"NET_ADMIN"});
  CHECK(c.security_context_->capabilities_->drop == strings{"NET_RAW"});
  CHECK(c.security_context_->se_linux_options_->level == "s0:c1");
  CHECK(c.stdin);
  CHECK(c.stdin_once);
  CHECK(c.tty);
}

TEST_CASE("container fields: a container without them decodes as before") {
  const auto& c = only_container(pod("    env:\n    - name: A\n      value: b\n"));
  CHECK_FALSE(c.env[0].value_from);
  CHECK_FALSE(c.security_context_);
  CHECK_FALSE(c.stdin);
}

TEST_CASE("container fields: refusals name the field") {
  struct bad_case {
    std::string name;
    std::string text;
    strings errors;
  };
  const std::vector<bad_case> cases = {
      {"value and valueFrom",
       pod("    env:\n    - name: A\n      value: x\n      valueFrom:\n        fieldRef:\n"
           "          fieldPath: metadata.name\n"),
       {d1("spec.containers[0].env[0].valueFrom: Invalid value: \"\": may not be specified when `value` is not "
           "empty")}},
      {"unknown fieldPath",
       pod("    env:\n    - name: A\n      valueFrom:\n        fieldRef:\n          fieldPath: metadata.uid\n"),
       {d1("spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: \"metadata.uid\": "
           "supported values: \"metadata.annotations\", \"metadata.labels\", \"metadata.name\", "
           "\"metadata.namespace\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.podIP\"")}},
      {"empty valueFrom",
       pod("    env:\n    - name: A\n      valueFrom: {}\n"),
       {d1("spec.containers[0].env[0].valueFrom: Invalid value: \"\": must specify one of: `fieldRef` or "
           "`secretKeyRef`")}},
      {"secretKeyRef without key",
       pod("    env:\n    - name: A\n      valueFrom:\n        secretKeyRef:\n          name: s\n"),
       {d1("spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value")}},
      {"negative runAsUser",
       pod("    securityContext:\n      runAsUser: -1\n"),
       {d1("spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be greater than or equal to 0")}},
      {"stdinOnce without stdin",
       pod("    stdinOnce: true\n"),
       {d1("spec.containers[0].stdinOnce: Invalid value: \"true\": requires `stdin` to be true")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}
