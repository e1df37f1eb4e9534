// Secrets on a node (node-agent/logic/pod_secrets.hpp, pod_volumes.hpp): which
// secrets a pod references, the files of a secret volume, the environment with
// secretKeyRef resolved, and what a pod waits for while a secret is missing.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_secrets.hpp"
#include "node-agent/logic/pod_volumes.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;
using env_list = std::vector<std::pair<std::string, std::string>>;

model::secret make_secret(std::string ns, std::string name, std::map<std::string, std::string> data) {
  model::secret s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  s.data = std::move(data);
  return s;
}

model::env_var secret_env(std::string var, std::string secret, std::string key) {
  model::env_var e;
  e.name = std::move(var);
  e.value_from = model::env_var_source{};
  e.value_from->secret_key_ref = model::secret_key_selector{std::move(secret), std::move(key)};
  return e;
}

model::env_var plain_env(std::string var, std::string value) {
  model::env_var e;
  e.name = std::move(var);
  e.value = std::move(value);
  return e;
}

model::volume secret_vol(std::string name, std::string secret, std::vector<model::key_to_path> items = {},
                         std::int32_t mode = 0644) {
  return {std::move(name), model::secret_volume{std::move(secret), mode, std::move(items)}};
}

const node_secrets k_secrets = make_node_secrets({
    make_secret("default", "db", {{"user", "admin"}, {"password", "s3cret"}}),
    make_secret("default", "tls", {{"tls.crt", "CERT"}, {"tls.key", "KEY"}}),
    make_secret("other", "db", {{"user", "someone-else"}}),
});

TEST_CASE("referenced_secrets: secret volumes and secretKeyRefs, sorted, each once; nothing else") {
  struct row {
    const char* what;
    std::vector<model::volume> volumes;
    std::vector<model::env_var> env;
    std::vector<std::string> expected;
  };
  const std::vector<row> rows = {
      {"none", {}, {plain_env("A", "1")}, {}},
      {"a volume", {secret_vol("v", "tls")}, {}, {"tls"}},
      {"an env ref", {}, {secret_env("P", "db", "password")}, {"db"}},
      {"both, the same one twice, sorted",
       {secret_vol("v", "tls"), secret_vol("w", "db"), {"e", model::empty_dir_volume{}}},
       {secret_env("P", "db", "password"), secret_env("U", "app", "user")},
       {"app", "db", "tls"}},
      {"rbd's secretRef is not a Secret the pod mounts", {{"r", model::rbd_volume{}}}, {}, {}},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    auto pod = make_pod({"a"});
    pod.spec.volumes = r.volumes;
    pod.spec.containers[0].env = r.env;
    CHECK(model::referenced_secrets(pod.spec) == r.expected);
  }
}

TEST_CASE("secret_volume_files: one file per key with defaultMode, or the items' paths and modes") {
  const auto& db = k_secrets.at({"default", "db"});
  CHECK(secret_volume_files({"db", 0644, {}}, db).files ==
        std::vector<secret_file>{{"password", "s3cret", 0644}, {"user", "admin", 0644}});
  CHECK(secret_volume_files({"db", 0400, {}}, db).files ==
        std::vector<secret_file>{{"password", "s3cret", 0400}, {"user", "admin", 0400}});

  auto items = secret_volume_files({"db", 0444, {{"user", "config/who", std::nullopt}, {"password", "pw", 0600}}}, db);
  CHECK(items.error.empty());
  CHECK(items.files == std::vector<secret_file>{{"config/who", "admin", 0444}, {"pw", "s3cret", 0600}});

  auto missing = secret_volume_files({"db", 0644, {{"user", "u", std::nullopt}, {"token", "t", std::nullopt}}}, db);
  CHECK(missing.files.empty());
  CHECK(missing.error == "references non-existent secret key: token");

  CHECK(secret_volume_files({"empty", 0644, {}}, make_secret("default", "empty", {})).files.empty());
}

TEST_CASE("a secret volume waits for its secret, in the pod's namespace, with every item's key") {
  model::pod_spec spec;
  spec.volumes = {secret_vol("creds", "db")};
  const node_volume_support node{"node-1", false};
  CHECK_FALSE(volumes_unavailable(spec, node, "default", k_secrets));
  CHECK_FALSE(volumes_unavailable(spec, node, "other", k_secrets));
  CHECK(volumes_unavailable(spec, node, "third", k_secrets) ==
        model::container_state_waiting{"VolumeUnavailable", "volume \"creds\": secret \"db\" not found"});
  CHECK(volumes_unavailable(spec, node, "default", {}) ==
        model::container_state_waiting{"VolumeUnavailable", "volume \"creds\": secret \"db\" not found"});
  spec.volumes.push_back(secret_vol("only", "tls", {{"ca.crt", "ca", std::nullopt}}));
  CHECK(volumes_unavailable(spec, node, "default", k_secrets) ==
        model::container_state_waiting{"VolumeUnavailable", "volume \"only\": references non-existent secret key: ca.crt"});
}

TEST_CASE("env_config_errors: kubelet's words for a missing secret and a missing key; the first per container") {
  auto pod = make_pod({"ok", "no-secret", "no-key", "plain"});
  pod.spec.containers[0].env = {secret_env("P", "db", "password")};
  pod.spec.containers[1].env = {plain_env("A", "1"), secret_env("T", "token", "value"), secret_env("K", "db", "k")};
  pod.spec.containers[2].env = {secret_env("K", "db", "apikey")};
  pod.spec.containers[3].env = {plain_env("A", "1")};
  CHECK(env_config_errors(pod, k_secrets) == std::map<std::string, std::string>{
                                                 {"no-key", "couldn't find key apikey in Secret default/db"},
                                                 {"no-secret", "secret \"token\" not found"},
                                             });
  // Another namespace's secret of the same name is not this pod's.
  pod.metadata.namespace_ = "third";
  CHECK(env_config_errors(pod, k_secrets).at("ok") == "secret \"db\" not found");
}

TEST_CASE("container_env: services first, then env in order with fieldRef and secretKeyRef resolved") {
  auto pod = make_pod({"a"});
  model::env_var name_ref;
  name_ref.name = "POD";
  name_ref.value_from = model::env_var_source{};
  name_ref.value_from->field_ref = model::object_field_selector{"v1", "metadata.name"};
  pod.spec.containers[0].env = {plain_env("A", "1"), secret_env("PW", "db", "password"), name_ref};
  std::string error;
  auto env = container_env(pod, pod.spec.containers[0], {plain_env("WEB_SERVICE_HOST", "10.0.0.1")}, k_secrets, error);
  REQUIRE(env);
  CHECK(*env == env_list{{"WEB_SERVICE_HOST", "10.0.0.1"}, {"A", "1"}, {"PW", "s3cret"}, {"POD", "web"}});

  pod.spec.containers[0].env.push_back(secret_env("X", "db", "nope"));
  CHECK_FALSE(container_env(pod, pod.spec.containers[0], {}, k_secrets, error));
  CHECK(error == "couldn't find key nope in Secret default/db");
}

TEST_CASE("secrets_changed_for: only the pod's own secrets count") {
  auto pod = make_pod({"a"});
  pod.spec.volumes = {secret_vol("v", "db")};
  auto next = k_secrets;
  CHECK_FALSE(secrets_changed_for(pod, k_secrets, next));
  next.at({"default", "tls"}).data["tls.key"] = "NEW";
  CHECK_FALSE(secrets_changed_for(pod, k_secrets, next));  // not referenced
  next.at({"other", "db"}).data["user"] = "x";
  CHECK_FALSE(secrets_changed_for(pod, k_secrets, next));  // another namespace's
  next.at({"default", "db"}).data["user"] = "root";
  CHECK(secrets_changed_for(pod, k_secrets, next));
  CHECK(secrets_changed_for(pod, {}, k_secrets));  // created
  CHECK(secrets_changed_for(pod, k_secrets, {}));  // removed
}

TEST_CASE("container_mounts: a secret volume is mounted read-only from its tmpfs directory") {
  auto pod = make_pod({"a"});
  pod.spec.volumes = {secret_vol("secret-volume", "db")};
  pod.spec.containers[0].volume_mounts = {{"secret-volume", false, "/etc/secret-volume", ""}};
  CHECK(secret_volume_path("/root", "uid-web", "secret-volume") == "/root/pods/uid-web/volumes/secret/secret-volume");
  CHECK(container_mounts(pod, pod.spec.containers[0], "/root") ==
        std::vector<host_mount>{{"/root/pods/uid-web/volumes/secret/secret-volume", "/etc/secret-volume", true, ""}});
}

TEST_CASE("a container whose env cannot be built waits with CreateContainerConfigError; the others start") {
  auto pod = make_pod({"a", "b"});
  backoff_table backoff;
  pod_context ctx;
  ctx.now = 5 * k_second;
  ctx.config_errors = {{"b", "secret \"db\" not found"}};
  auto plan = pod_actions(pod, {}, ctx, backoff);
  CHECK(plan.create_sandbox);
  CHECK(start_names(plan) == std::vector<std::string>{"a#0"});
  CHECK(plan.waiting.at("b") == model::container_state_waiting{"CreateContainerConfigError", "secret \"db\" not found"});
  auto status = pod_status_of(pod, {}, plan, ctx, "10.0.0.1");
  REQUIRE(status.container_statuses.size() == 2);
  CHECK(std::get<model::container_state_waiting>(status.container_statuses[1].state) ==
        model::container_state_waiting{"CreateContainerConfigError", "secret \"db\" not found"});

  // Once the secret arrives (no error any more) it starts.
  ctx.config_errors.clear();
  observed_pod o;
  o.sandboxes = {sandbox("sb")};
  o.containers = {running(pod, "a")};
  plan = pod_actions(pod, o, ctx, backoff);
  CHECK(start_names(plan) == std::vector<std::string>{"b#0"});
}

}  // namespace
}  // namespace berth::agent
