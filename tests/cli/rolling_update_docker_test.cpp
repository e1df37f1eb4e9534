// `berth rolling-update` on real containers: berthd, a berth-agent on the
// local Docker (tests/node-agent/docker_cluster.hpp), the berth CLI. Pods are
// Ready here only when their containers really run, so the update's wait
// for readiness is the real one.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

const char* k_web = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: 2
  selector:
    app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: busybox
        command: ["sleep", "100000"]
)";

/// `n` pods matching `selector`, each Running, READY 1/1, with its app container running in Docker.
bool running_in_docker(docker_cluster& k, const std::string& selector, std::size_t n) {
  auto lines = nonempty_lines_of(k.berth({"get", "pods", "-l", selector}).out);
  if (lines.size() != n + 1) return false;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto w = words_of(lines[i]);
    if (w.size() != 5 || w[1] != "1/1" || w[2] != "Running" || k.app_ids(w[0]).size() != 1) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("rolling-update --image on Docker: the new pods' containers run before the old ones stop") {
  docker_cluster k;
  k.start_agent("a");
  k.create(k_web);
  REQUIRE_MESSAGE(eventually([&] { return running_in_docker(k, "app=web", 2); }, 60), k.agents["a"]->err());
  auto old_pods = k.pod_names("app=web");

  // busybox:latest is the image busybox already names: nothing to pull, yet a new template.
  auto r = k.berth({"rolling-update", "web", "--image", "busybox:latest", "--update-period", "0s", "--poll-interval",
                    "200ms", "--timeout", "1m"});
  CHECK(r.err == "");
  REQUIRE(r.exit_code == 0);
  auto lines = nonempty_lines_of(r.out);
  REQUIRE(lines.size() == 5);
  const std::string next = lines.back();
  CHECK(lines[0] == "Creating " + next);
  CHECK(lines[3] == "Update succeeded. Deleting web");
  const std::string hash = next.substr(next.rfind('-') + 1);

  CHECK(eventually([&] { return running_in_docker(k, "deployment=" + hash, 2); }, 60));
  CHECK(eventually([&] { return k.pod_names("app=web").size() == 2; }, 60));  // the old pods are gone
  for (const auto& old : old_pods) CHECK(eventually([&] { return k.running_ids(old).empty(); }, 60));
  auto rcs = nonempty_lines_of(k.berth({"get", "rc"}).out);
  REQUIRE(rcs.size() == 2);
  CHECK(words_of(rcs[1]).at(0) == next);
}
