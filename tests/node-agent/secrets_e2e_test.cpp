// Secrets on a node end to end on the real local Docker: a real berthd, a real
// berth-agent. Kubernetes v1.0's secrets example as its README runs it (the
// pod prints data-1 from its secret volume); a replaced secret rewrites the
// file in the running pod; a secretKeyRef gives the env var its value; a pod
// whose secret is missing waits with kubelet's reason and starts once it exists.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;

namespace {

/// The example file, as its README has users create it.
std::string example(const std::string& relative) {
  const std::string path = env_path("BERTH_EXAMPLES") + "/kubernetes-v1.0.0/" + relative;
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), path << " is missing");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string waiting(const YAML::Node& pod, std::size_t i, const char* field) {
  auto cs = pod["status"]["containerStatuses"];
  if (!cs || !cs.IsSequence() || cs.size() <= i) return "";
  auto w = cs[i]["state"]["waiting"];
  return w && w[field] ? w[field].as<std::string>() : "";
}

/// The agent's --state-dir in docker_cluster, and the layout of logic/pod_volumes.hpp.
std::string secret_dir_on_host(docker_cluster& k, const std::string& uid, const std::string& volume) {
  return fmt::format("/var/lib/berth-agent-test/nodes/{}/pods/{}/volumes/secret/{}", k.node("a"), uid, volume);
}

/// Deletes the cluster's pods and waits until they are gone, so that the
/// agent unmounts their secret tmpfs before the fixture stops it (a stopped
/// agent leaves its pods' mounts in place, as a crashed one would).
void delete_pods(docker_cluster& k, const std::vector<std::string>& names) {
  for (const auto& name : names) k.berth({"delete", "pod", name, "--grace-period", "1"});
  CHECK_MESSAGE(eventually([&] {
    for (const auto& name : names)
      if (k.berth({"get", "pod", name}).exit_code == 0) return false;
    return true;
  }, 60), k.agents["a"]->err());
}

constexpr const char* k_reader = R"(apiVersion: v1
kind: Pod
metadata:
  name: secret-reader
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
    volumeMounts:
    - name: secret-volume
      mountPath: /etc/secret-volume
  volumes:
  - name: secret-volume
    secret:
      secretName: test-secret
)";

constexpr const char* k_env_pod = R"(apiVersion: v1
kind: Pod
metadata:
  name: secret-env
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo \"DATA_1=$DATA_1\""]
    env:
    - name: DATA_1
      valueFrom:
        secretKeyRef:
          name: test-secret
          key: data-1
)";

}  // namespace

TEST_CASE("secrets example: the pod prints data-1 from its volume; a replaced secret changes the file; secretKeyRef") {
  docker_cluster k;
  k.start_agent("a");
  k.create(example("secrets/secret.yaml"));
  k.create(example("secrets/secret-pod.yaml"));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("secret-test-pod") == "Succeeded"; }, 60), k.agents["a"]->err());
  // data-1 is "value-1\r\n" (dmFsdWUtMQ0K); mounttest prints it after the file's name.
  CHECK(k.berth({"logs", "secret-test-pod"}).out == "content of file \"/etc/secret-volume/data-1\": value-1\r\n\n");

  // A running pod sees the files, read-only, with the default mode 0644.
  k.create(k_reader);
  REQUIRE_MESSAGE(eventually([&] { return k.phase("secret-reader") == "Running"; }, 60), k.agents["a"]->err());
  CHECK(k.berth({"exec", "secret-reader", "--", "cat", "/etc/secret-volume/data-1"}).out == "value-1\r\n");
  CHECK(k.berth({"exec", "secret-reader", "--", "cat", "/etc/secret-volume/data-2"}).out == "value-2\r\n\r\n");
  CHECK(k.berth({"exec", "secret-reader", "--", "stat", "-c", "%a", "/etc/secret-volume/data-1"}).out == "644\n");
  CHECK(k.berth({"exec", "secret-reader", "--", "touch", "/etc/secret-volume/x"}).exit_code != 0);
  const auto uid = k.pod("secret-reader")["metadata"]["uid"].as<std::string>();
  const auto host_dir = secret_dir_on_host(k, uid, "secret-volume");
  CHECK(std::filesystem::exists(host_dir + "/data-1"));

  // Replaced: data-1 changes in place in the running container, data-2 goes.
  auto applied = k.berth({"apply", "-f", "-"}, R"(apiVersion: v1
kind: Secret
metadata:
  name: test-secret
stringData:
  data-1: rotated
)");
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  CHECK_MESSAGE(eventually([&] {
    return k.berth({"exec", "secret-reader", "--", "cat", "/etc/secret-volume/data-1"}).out == "rotated";
  }, 30), k.agents["a"]->err());
  CHECK(eventually([&] {
    return k.berth({"exec", "secret-reader", "--", "ls", "/etc/secret-volume"}).out == "data-1\n";
  }, 10));

  // secretKeyRef: the env var holds the key's (current) value.
  k.create(k_env_pod);
  REQUIRE_MESSAGE(eventually([&] { return k.phase("secret-env") == "Succeeded"; }, 60), k.agents["a"]->err());
  CHECK(k.berth({"logs", "secret-env"}).out == "DATA_1=rotated\n");

  // The pod goes: its secret tmpfs is unmounted and removed.
  REQUIRE(k.berth({"delete", "pod", "secret-reader", "--grace-period", "1"}).exit_code == 0);
  CHECK(eventually([&] { return !std::filesystem::exists(host_dir); }, 60));
  delete_pods(k, {"secret-test-pod", "secret-env"});
}

TEST_CASE("a pod whose secret is missing waits with kubelet's reason and starts once the secret is created") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: needs-volume
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "cat /creds/password; echo; exec sleep 100000"]
    volumeMounts:
    - name: creds
      mountPath: /creds
  volumes:
  - name: creds
    secret:
      secretName: later
)");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: needs-env
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo \"PASSWORD=$PASSWORD\"; exec sleep 100000"]
    env:
    - name: PASSWORD
      valueFrom:
        secretKeyRef:
          name: later
          key: password
  - name: wrong-key
    image: busybox
    command: ["sleep", "100000"]
    env:
    - name: TOKEN
      valueFrom:
        secretKeyRef:
          name: later
          key: token
)");
  REQUIRE(eventually([&] { return waiting(k.pod("needs-volume"), 0, "reason") == "VolumeUnavailable"; }, 30));
  CHECK(waiting(k.pod("needs-volume"), 0, "message") == "volume \"creds\": secret \"later\" not found");
  REQUIRE(eventually([&] { return waiting(k.pod("needs-env"), 0, "reason") == "CreateContainerConfigError"; }, 30));
  CHECK(waiting(k.pod("needs-env"), 0, "message") == "secret \"later\" not found");
  CHECK(k.phase("needs-volume") == "Pending");

  k.create(R"(apiVersion: v1
kind: Secret
metadata:
  name: later
stringData:
  password: open-sesame
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("needs-volume") == "Running"; }, 30), k.agents["a"]->err());
  CHECK(eventually([&] { return k.berth({"logs", "needs-volume"}).out == "open-sesame\n"; }, 10));
  REQUIRE(eventually([&] { return !k.app_ids("needs-env").empty(); }, 30));
  CHECK(eventually([&] { return k.berth({"logs", "needs-env", "-c", "main"}).out == "PASSWORD=open-sesame\n"; }, 10));
  // The other container's key is not in the secret: it keeps waiting, in kubelet's words.
  CHECK(eventually([&] {
    return waiting(k.pod("needs-env"), 1, "message") == "couldn't find key token in Secret default/later";
  }, 10));
  CHECK(waiting(k.pod("needs-env"), 1, "reason") == "CreateContainerConfigError");
  delete_pods(k, {"needs-volume", "needs-env"});
}

TEST_CASE("a secret replaced while the agent was down is rewritten in the volume the restarted agent finds mounted") {
  docker_cluster k;
  k.start_agent("a");
  k.create(example("secrets/secret.yaml"));
  k.create(k_reader);
  REQUIRE_MESSAGE(eventually([&] { return k.phase("secret-reader") == "Running"; }, 60), k.agents["a"]->err());
  const auto before = k.app_ids("secret-reader");
  REQUIRE(before.size() == 1);

  k.kill_agent("a");  // SIGKILL: the container and its secret tmpfs stay
  auto applied = k.berth({"apply", "-f", "-"}, R"(apiVersion: v1
kind: Secret
metadata:
  name: test-secret
stringData:
  data-1: while-away
)");
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  k.start_agent("a");
  CHECK_MESSAGE(eventually([&] {
    return k.berth({"exec", "secret-reader", "--", "cat", "/etc/secret-volume/data-1"}).out == "while-away";
  }, 30), k.agents["a"]->err());
  CHECK(k.app_ids("secret-reader") == before);  // adopted, not restarted
  delete_pods(k, {"secret-reader"});
}
