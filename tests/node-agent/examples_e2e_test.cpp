// Kubernetes v1.0 example manifests run unchanged (examples/kubernetes-v1.0.0)
// on the real local Docker, each doing what its README describes:
// downward-api, liveness (exec), node-selection. examples/kubernetes-v1.0.0/
// RUNNING.md says how to run them by hand.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

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

int restart_count(const YAML::Node& pod) {
  auto cs = pod["status"]["containerStatuses"];
  return cs && cs.IsSequence() && cs.size() > 0 && cs[0]["restartCount"] ? cs[0]["restartCount"].as<int>() : -1;
}

std::string node_name_of(const YAML::Node& pod) {
  return pod && pod["spec"]["nodeName"] ? pod["spec"]["nodeName"].as<std::string>() : "";
}

}  // namespace

TEST_CASE("downward-api: dapi-test-pod prints its own name and namespace") {
  docker_cluster k;
  k.start_agent("a");
  k.create(example("downward-api/dapi-pod.yaml"));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("dapi-test-pod") == "Succeeded"; }, 60), k.agents["a"]->err());
  auto logs = k.berth({"logs", "dapi-test-pod"});
  REQUIRE_MESSAGE(logs.exit_code == 0, logs.err);
  // The README: "POD_NAME=dapi-test-pod" and "POD_NAMESPACE=default" among the env output.
  CHECK_MESSAGE(logs.out.find("POD_NAME=dapi-test-pod\n") != std::string::npos, logs.out);
  CHECK_MESSAGE(logs.out.find("POD_NAMESPACE=default\n") != std::string::npos, logs.out);
}

TEST_CASE("liveness: the exec probe fails once /tmp/health is gone, and the container is restarted") {
  docker_cluster k;
  k.start_agent("a");
  k.create(example("liveness/exec-liveness.yaml"));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("liveness-exec") == "Running"; }, 60), k.agents["a"]->err());
  CHECK(restart_count(k.pod("liveness-exec")) == 0);
  // The file goes after 10 s; the probe starts at 15 s. The README's
  // `get pods` shows RESTARTS 1 a little later.
  REQUIRE_MESSAGE(eventually([&] { return restart_count(k.pod("liveness-exec")) >= 1; }, 90),
                  k.berth({"describe", "pod", "liveness-exec"}).out);
  auto described = k.berth({"describe", "pod", "liveness-exec"});
  // Killed by the agent (SIGKILL after the stop signal), then started again.
  CHECK_MESSAGE(described.out.find("Last State:     Terminated") != std::string::npos, described.out);
  CHECK_MESSAGE(described.out.find("Exit Code:    137") != std::string::npos, described.out);
  // Why, as the README's describe shows it: the probe's own output, then the kill.
  CHECK_MESSAGE(described.out.find("Unhealthy: Liveness probe failed: cat: can't open '/tmp/health': No such file or "
                                   "directory") != std::string::npos,
                described.out);
  CHECK_MESSAGE(described.out.find("Killing: Container liveness failed liveness probe, will be restarted") !=
                    std::string::npos,
                described.out);
  // Said by the pod's node, journaled as an observation.
  const auto unhealthy = described.out.find("Unhealthy: ");
  const auto line_start = described.out.rfind('\n', unhealthy);
  const auto line = described.out.substr(line_start + 1, unhealthy - line_start);
  CHECK_MESSAGE(line.find("node:") != std::string::npos, line);
  CHECK_MESSAGE(line.find("podEventObserved") != std::string::npos, line);
  CHECK(k.phase("liveness-exec") == "Running");
}

TEST_CASE("node-selection: the nginx pod waits for a node labelled disktype=ssd, then lands there") {
  docker_cluster k;
  k.start_agent("plain");
  k.create(example("node-selection/pod.yaml"));
  // No node matches: the pod stays unscheduled, with why.
  REQUIRE(eventually([&] { return k.berth({"describe", "pod", "nginx"}).out.find("disktype") != std::string::npos; },
                     30));
  CHECK(node_name_of(k.pod("nginx")).empty());
  k.start_agent("ssd", {"--labels", "disktype=ssd"});
  REQUIRE_MESSAGE(eventually([&] { return node_name_of(k.pod("nginx")) == k.node("ssd"); }, 60),
                  k.berth({"describe", "pod", "nginx"}).out);
}
