// Kubernetes 1.0 container fields end to end on the real local Docker: the
// downward API, securityContext, a Secret reference (no Secret kind yet), and
// activeDeadlineSeconds.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <thread>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;

namespace {

std::string waiting(const YAML::Node& pod, const char* field) {
  auto cs = pod["status"]["containerStatuses"];
  if (!cs || !cs.IsSequence() || cs.size() == 0) return "";
  auto w = cs[0]["state"]["waiting"];
  return w && w[field] ? w[field].as<std::string>() : "";
}

}  // namespace

TEST_CASE("the downward API gives a container its pod's name, namespace, IP and labels") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: downward
  labels:
    app: web
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo $MY_POD_NAME $MY_POD_NAMESPACE $MY_POD_IP; echo \"$MY_LABELS\""]
    env:
    - name: MY_POD_NAME
      valueFrom:
        fieldRef:
          fieldPath: metadata.name
    - name: MY_POD_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    - name: MY_POD_IP
      valueFrom:
        fieldRef:
          fieldPath: status.podIP
    - name: MY_LABELS
      valueFrom:
        fieldRef:
          fieldPath: metadata.labels
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("downward") == "Succeeded"; }, 60), k.agents["a"]->err());
  auto ip = k.pod("downward")["status"]["podIP"].as<std::string>();
  CHECK(k.berth({"logs", "downward"}).out == "downward default " + ip + "\napp=\"web\"\n");
}

TEST_CASE("securityContext: runAsUser, readOnlyRootFilesystem and capabilities reach Docker") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: secure
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "id -u; touch /x 2>/dev/null && echo wrote || echo read-only; grep CapEff /proc/self/status"]
    securityContext:
      runAsUser: 1000
      readOnlyRootFilesystem: true
  - name: caps
    image: busybox
    command: ["sh", "-c", "grep CapBnd /proc/self/status"]
    securityContext:
      capabilities:
        add: [NET_ADMIN]
        drop: [NET_RAW]
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("secure") == "Succeeded"; }, 60), k.agents["a"]->err());
  auto out = k.berth({"logs", "secure", "-c", "main"}).out;
  CHECK(out.rfind("1000\nread-only\n", 0) == 0);
  // CAP_NET_ADMIN is bit 12, CAP_NET_RAW bit 13.
  auto caps = k.berth({"logs", "secure", "-c", "caps"}).out;
  REQUIRE(caps.size() > 8);
  auto mask = std::stoull(caps.substr(caps.find_first_of("0123456789abcdef", 7)), nullptr, 16);
  CHECK((mask & (1ull << 12)) != 0);
  CHECK((mask & (1ull << 13)) == 0);
}

TEST_CASE("a secretKeyRef to a secret that does not exist waits with CreateContainerConfigError") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: needs-secret
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "1000"]
    env:
    - name: PASSWORD
      valueFrom:
        secretKeyRef:
          name: db
          key: password
)");
  REQUIRE(eventually([&] { return waiting(k.pod("needs-secret"), "reason") == "CreateContainerConfigError"; }, 30));
  CHECK(waiting(k.pod("needs-secret"), "message") == "secret \"db\" not found");
  CHECK(k.phase("needs-secret") == "Pending");
}

TEST_CASE("activeDeadlineSeconds: a pod active longer fails with DeadlineExceeded and its container is stopped") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: deadline
spec:
  activeDeadlineSeconds: 3
  terminationGracePeriodSeconds: 1
  imagePullSecrets:
  - name: registry-key
  containers:
  - name: main
    image: busybox
    command: ["sleep", "3600"]
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("deadline") == "Running"; }, 60), k.agents["a"]->err());
  REQUIRE_MESSAGE(eventually([&] { return k.phase("deadline") == "Failed"; }, 30), k.agents["a"]->err());
  auto pod = k.pod("deadline");
  CHECK(pod["status"]["reason"].as<std::string>() == "DeadlineExceeded");
  CHECK(pod["status"]["message"].as<std::string>() == "Pod was active on the node longer than specified deadline");
  // No container of the pod runs any more (docker ps lists running ones).
  CHECK(eventually([&] { return k.app_ids("deadline").empty(); }, 15));
  // Its container's last state is the kill (reported once the agent saw it exit).
  CHECK_MESSAGE(eventually([&] { return bool(k.pod("deadline")["status"]["containerStatuses"][0]["state"]["terminated"]); },
                           15),
                k.berth({"get", "pod", "deadline", "-o", "yaml"}).out);
  // Nothing restarts it (restartPolicy Always): it stays Failed.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(k.phase("deadline") == "Failed");
  CHECK(k.app_ids("deadline").empty());
  // The spec keeps both fields, Kubernetes-shaped.
  CHECK(pod["spec"]["activeDeadlineSeconds"].as<int>() == 3);
  CHECK(pod["spec"]["imagePullSecrets"][0]["name"].as<std::string>() == "registry-key");
}
