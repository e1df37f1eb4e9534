// Container lifecycle hooks and termination messages end to end on the real
// local Docker: postStart before the main process relies on it, a failing
// postStart restarting the container, preStop on deletion, and the message a
// container leaves in /dev/termination-log (or its log) in the pod's status.
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;

namespace {

YAML::Node status_of(const YAML::Node& pod, const std::string& container) {
  auto cs = pod["status"]["containerStatuses"];
  if (!cs || !cs.IsSequence()) return {};
  for (const auto& c : cs)
    if (c["name"].as<std::string>() == container) return c;
  return {};
}

std::string terminated(const YAML::Node& pod, const std::string& container, const char* field,
                       const char* which = "state") {
  auto s = status_of(pod, container);
  if (!s) return "";
  auto t = s[which]["terminated"];
  return t && t[field] ? t[field].as<std::string>() : "";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("postStart runs right after the start: the main process sees what it wrote") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: hooked
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "for i in $(seq 1 100); do if [ -f /tmp/hooked ]; then cat /tmp/hooked; exit 0; fi; sleep 0.1; done; exit 1"]
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "echo from postStart > /tmp/hooked"]
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("hooked") == "Succeeded"; }, 60), k.agents["a"]->err());
  CHECK(k.berth({"logs", "hooked"}).out == "from postStart\n");
}

TEST_CASE("a failing postStart kills the container, which restartPolicy starts again") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: bad-hook
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
    lifecycle:
      postStart:
        exec:
          command: ["sh", "-c", "exit 7"]
)");
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        auto s = status_of(k.pod("bad-hook"), "main");
                        return s && s["restartCount"] && s["restartCount"].as<int>() >= 1;
                      },
                      60),
                  k.agents["a"]->err());
  auto pod = k.pod("bad-hook");
  auto reason = terminated(pod, "main", "reason", "lastState");
  if (reason.empty()) reason = terminated(pod, "main", "reason");
  CHECK(reason == "FailedPostStartHook");
  auto message = terminated(pod, "main", "message", "lastState");
  if (message.empty()) message = terminated(pod, "main", "message");
  CHECK(message == "postStart hook (exec sh -c exit 7) failed: command exited with 7");
  CHECK(k.agents["a"]->err().find("FailedPostStartHook") != std::string::npos);
}

TEST_CASE("preStop runs on deletion before the container is stopped") {
  docker_cluster k;
  temp_dir host{"berth-prestop"};
  k.start_agent("a");
  k.create(fmt::format(R"(apiVersion: v1
kind: Pod
metadata:
  name: stopper
spec:
  terminationGracePeriodSeconds: 5
  volumes:
  - name: out
    hostPath:
      path: {}
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
    volumeMounts:
    - name: out
      mountPath: /out
    lifecycle:
      preStop:
        exec:
          command: ["sh", "-c", "echo stopping $(hostname) > /out/prestop"]
)",
                       host.path()));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("stopper") == "Running"; }, 60), k.agents["a"]->err());
  CHECK_FALSE(std::filesystem::exists(host.path() + "/prestop"));
  REQUIRE(k.berth({"delete", "pod", "stopper"}).exit_code == 0);
  // The hook wrote from inside the running container: the file appears
  // while the pod is still being stopped.
  REQUIRE_MESSAGE(eventually([&] { return std::filesystem::exists(host.path() + "/prestop"); }, 30),
                  k.agents["a"]->err());
  CHECK(slurp(host.path() + "/prestop") == "stopping stopper\n");
  CHECK(eventually([&] { return k.berth({"get", "pod", "stopper"}).exit_code == 1; }, 30));
}

TEST_CASE("the termination message: /dev/termination-log, and the log's end with FallbackToLogsOnError") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: farewell
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "printf 'disk is full' > /dev/termination-log; exit 3"]
  - name: logs
    image: busybox
    command: ["sh", "-c", "echo first; echo last words; exit 2"]
    terminationMessagePolicy: FallbackToLogsOnError
  - name: custom
    image: busybox
    command: ["sh", "-c", "echo custom path > /tmp/why"]
    terminationMessagePath: /tmp/why
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("farewell") == "Failed"; }, 60), k.agents["a"]->err());
  CHECK(eventually([&] { return terminated(k.pod("farewell"), "main", "message") == "disk is full"; }, 15));
  auto pod = k.pod("farewell");
  CHECK(terminated(pod, "main", "exitCode") == "3");
  CHECK(terminated(pod, "logs", "message") == "first\nlast words\n");
  CHECK(terminated(pod, "custom", "message") == "custom path\n");
  CHECK(pod["spec"]["containers"][0]["terminationMessagePath"].as<std::string>() == "/dev/termination-log");
  CHECK(pod["spec"]["containers"][1]["terminationMessagePolicy"].as<std::string>() == "FallbackToLogsOnError");
}
