// berth-agent end to end on the real local Docker: a real berthd, real
// berth-agent processes, the real `berth` CLI, and containers that really run.
// tools/test starts dockerd and builds the busybox and berth/pause images first.
//
// Each test uses its own node names and removes every container labelled
// with them at the end (also when it fails).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using testing::eventually;
using testing::process_result;

using namespace berth::testing;

namespace {

std::string container_state_reason(const YAML::Node& pod, const char* state) {
  // Step by step: yaml-cpp throws when indexing into a key that is missing,
  // and a pod has no containerStatuses until its node first reports.
  auto cs = pod["status"]["containerStatuses"];
  if (!cs || !cs.IsSequence() || cs.size() == 0) return "";
  auto s = cs[0]["state"][state];
  return s && s["reason"] ? s["reason"].as<std::string>() : "";
}

int restart_count(const YAML::Node& pod) {
  auto cs = pod["status"]["containerStatuses"];
  return cs && cs[0]["restartCount"] ? cs[0]["restartCount"].as<int>() : -1;
}

const char* k_two_containers = R"(apiVersion: v1
kind: Pod
metadata:
  name: duo
spec:
  containers:
  - name: web
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 8080 -h /www"]
  - name: client
    image: busybox
    command: ["sh", "-c", "until wget -q -O - http://127.0.0.1:8080/; do sleep 0.2; done; echo fetched; exec sleep 100000"]
)";

}  // namespace

TEST_CASE("a pod's two containers share one network namespace; the pod gets an IP; logs come through berthd") {
  docker_cluster k;
  k.start_agent("a");
  k.create(k_two_containers);
  REQUIRE_MESSAGE(eventually([&] { return k.phase("duo") == "Running"; }, 60), k.agents["a"]->err());

  // The client reached the web server over 127.0.0.1: they share the infra container's netns.
  REQUIRE(eventually([&] { return k.berth({"logs", "duo", "-c", "client"}).out == "hello-from-web\nfetched\n"; }, 30));
  auto no_container = k.berth({"logs", "duo"});
  CHECK(no_container.exit_code == 1);
  CHECK(no_container.err == "error: a container name must be specified for pod duo, choose one of: [web client]\n");
  auto tail = k.berth({"logs", "duo", "-c", "client", "--tail", "1"});
  CHECK(tail.out == "fetched\n");

  // logs -f keeps streaming until stopped.
  testing::background_process follow(
      env_path("BERTH"), {"logs", "-f", "duo", "-c", "client"},
      {{"BERTH_SERVER", k.berthd.rpc_address()}, {"BERTH_TOKEN", k.berthd.admin_token()}, {"BERTH_CA", k.berthd.ca_file()}, {"HOME", k.home.path()}});
  CHECK(eventually([&] { return follow.out() == "hello-from-web\nfetched\n"; }, 20));

  auto rows = nonempty_lines_of(k.berth({"get", "pods", "-o", "wide"}).out);
  REQUIRE(rows.size() == 2);
  auto w = words_of(rows[1]);
  REQUIRE(w.size() == 7);
  CHECK(w[0] == "duo");
  CHECK(w[1] == "2/2");
  CHECK(w[2] == "Running");
  CHECK(w[5].rfind("172.", 0) == 0);  // the docker0 bridge
  CHECK(w[6] == k.node("a"));
  auto p = k.pod("duo");
  CHECK(p["status"]["podIP"].as<std::string>() == w[5]);
  CHECK(p["status"]["containerStatuses"][0]["containerID"].as<std::string>().rfind("docker://", 0) == 0);
  // Ready once every container runs (no readiness probes).
  bool ready = false;
  for (const auto& c : p["status"]["conditions"])
    if (c["type"].as<std::string>() == "Ready") ready = c["status"].as<std::string>() == "True";
  CHECK(ready);
  // Three containers: the infra container and the two app containers.
  CHECK(k.running_ids("duo").size() == 3);
}

TEST_CASE("a killed container is restarted with its last state; a crashing one backs off in CrashLoopBackOff") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: sleeper
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
---
apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo crashing; exit 3"]
)");
  REQUIRE(eventually([&] { return k.phase("sleeper") == "Running"; }, 60));
  auto app = k.app_ids("sleeper");
  REQUIRE(app.size() == 1);
  REQUIRE(docker({"kill", app[0]}).exit_code == 0);
  REQUIRE(eventually(
      [&] {
        auto p = k.pod("sleeper");
        return restart_count(p) == 1 && k.phase("sleeper") == "Running";
      },
      30));
  auto p = k.pod("sleeper");
  auto last = p["status"]["containerStatuses"][0]["lastState"]["terminated"];
  REQUIRE(last);
  CHECK(last["exitCode"].as<int>() == 137);
  CHECK(last["reason"].as<std::string>() == "Error");
  CHECK(p["status"]["containerStatuses"][0]["state"]["running"]);

  // The crasher: restarted, then held back with growing delays (1 s, 2 s, 4 s here).
  REQUIRE(eventually([&] { return container_state_reason(k.pod("crasher"), "waiting") == "CrashLoopBackOff"; }, 30));
  auto c = k.pod("crasher");
  CHECK(c["status"]["containerStatuses"][0]["state"]["waiting"]["message"].as<std::string>().find(
            "restarting failed container=main pod=crasher_default(") != std::string::npos);
  CHECK(c["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"].as<int>() == 3);
  // When each restart shows up: the gaps grow with the back-off (1 s, 2 s, 4 s),
  // less what it takes the report to travel (lower bounds only).
  std::vector<double> seen;  // seconds since the first observation, per restart count
  auto begin = std::chrono::steady_clock::now();
  int last_count = restart_count(k.pod("crasher"));
  while (seen.size() < 3 && std::chrono::steady_clock::now() - begin < std::chrono::seconds(40)) {
    int n = restart_count(k.pod("crasher"));
    if (n > last_count) {
      seen.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
      last_count = n;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(seen.size() == 3);
  CHECK(seen[2] - seen[1] >= 2.5);  // the delay before this restart was 4 s (the cap), or 2 s then 4 s
  // Not shrinking: each gap is observed through a `berth get` poll, which on a
  // loaded 2-core machine can itself take a second, so the slack is 1.5 s.
  CHECK(seen[2] - seen[1] >= seen[1] - seen[0] - 1.5);
  // Right after a restart the container runs for a moment (and the row says
  // Running or Error); during the back-off that follows, get shows the reason.
  bool backing_off = false;
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
       !backing_off && std::chrono::steady_clock::now() < until;
       std::this_thread::sleep_for(std::chrono::milliseconds(100)))
    backing_off = k.berth({"get", "pods", "crasher"}).out.find("CrashLoopBackOff") != std::string::npos;
  CHECK(backing_off);
}

TEST_CASE("a restarted agent keeps doubling a crashing container's back-off instead of starting over") {
  docker_cluster k;
  k.backoff_base = "2s";
  k.backoff_cap = "32s";
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: crasher
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "sleep 0.3; exit 3"]
)");
  // Delays 0 s, 2 s, 4 s: attempt 3 was started after waiting 4 s.
  REQUIRE(eventually([&] { return restart_count(k.pod("crasher")) >= 3; }, 40));
  REQUIRE(restart_count(k.pod("crasher")) == 3);
  k.kill_agent("a");  // SIGKILL: its back-off table is gone
  // Attempt 3 exits while no agent runs (or just before).
  auto exited_3 = [&] {
    return !nonempty_lines_of(docker({"ps", "-aq", "--filter", "label=io.berth.pod.name=crasher", "--filter",
                                      "label=io.berth.container.attempt=3", "--filter", "status=exited"})
                                  .out)
                .empty();
  };
  REQUIRE(eventually(exited_3, 10));
  const auto exited_at = std::chrono::steady_clock::now();
  k.start_agent("a");
  // The next delay is 8 s (twice the 4 s the label records), not the 2 s base.
  REQUIRE(eventually([&] { return restart_count(k.pod("crasher")) == 4; }, 30));
  const double gap = std::chrono::duration<double>(std::chrono::steady_clock::now() - exited_at).count();
  MESSAGE("restart 4 came ", gap, " s after attempt 3 exited (expected 8 s; an agent that forgot: 2 s)");
  CHECK(gap >= 7.0);
  auto c = k.pod("crasher");
  CHECK(c["status"]["containerStatuses"][0]["lastState"]["terminated"]["exitCode"].as<int>() == 3);
}

TEST_CASE("restartPolicy Never: exit 0 gives Succeeded, non-zero gives Failed; nothing restarts") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo done"]
---
apiVersion: v1
kind: Pod
metadata:
  name: bad
spec:
  restartPolicy: Never
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "exit 7"]
)");
  REQUIRE(eventually([&] { return k.phase("ok") == "Succeeded"; }, 60));
  REQUIRE(eventually([&] { return k.phase("bad") == "Failed"; }, 60));
  CHECK(container_state_reason(k.pod("ok"), "terminated") == "Completed");
  CHECK(container_state_reason(k.pod("bad"), "terminated") == "Error");
  CHECK(k.pod("bad")["status"]["containerStatuses"][0]["state"]["terminated"]["exitCode"].as<int>() == 7);
  CHECK(restart_count(k.pod("bad")) == 0);
  // A finished pod keeps its last container for `logs`.
  CHECK(k.berth({"logs", "ok"}).out == "done\n");
  CHECK_MESSAGE(eventually([&] { return k.running_ids("ok").empty(); }, 10),  // the infra container is stopped too
                docker({"ps", "-a", "--filter", "label=io.berth.pod.name=ok"}).out);
}

TEST_CASE("deleting a pod stops its containers (SIGTERM, then SIGKILL after the grace period) and removes them") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: stubborn
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "trap '' TERM; while true; do sleep 1; done"]
)");
  REQUIRE(eventually([&] { return k.phase("stubborn") == "Running"; }, 60));
  REQUIRE(k.running_ids("stubborn").size() == 2);
  auto started = std::chrono::steady_clock::now();
  REQUIRE(k.berth({"delete", "pod", "stubborn"}).exit_code == 0);
  REQUIRE(eventually([&] { return k.berth({"get", "pod", "stubborn"}).exit_code == 1; }, 30));
  auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(took >= 1.5);  // it ignored SIGTERM: the agent waited out the grace period
  auto all = nonempty_lines_of(docker({"ps", "-aq", "--filter", "label=io.berth.pod.name=stubborn"}).out);
  CHECK(all.empty());
}

TEST_CASE("a restarted agent adopts its running pods: the same containers keep running") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: trio
spec:
  replicas: 3
  selector:
    app: trio
  template:
    metadata:
      labels:
        app: trio
    spec:
      containers:
      - name: main
        image: busybox
        command: ["sleep", "100000"]
)");
  REQUIRE(eventually(
      [&] {
        auto names = k.pod_names("app=trio");
        return names.size() == 3 &&
               std::all_of(names.begin(), names.end(), [&](const auto& n) { return k.phase(n) == "Running"; });
      },
      60));
  std::map<std::string, std::vector<std::string>> before;
  for (const auto& n : k.pod_names("app=trio")) before[n] = k.running_ids(n);
  k.kill_agent("a");  // SIGKILL
  k.start_agent("a");
  std::this_thread::sleep_for(std::chrono::seconds(3));  // several resyncs of the restarted agent
  for (const auto& [n, ids] : before) {
    CHECK(k.running_ids(n) == ids);
    CHECK(ids.size() == 2);
    CHECK(k.phase(n) == "Running");
    CHECK(restart_count(k.pod(n)) == 0);
  }
}

TEST_CASE("pods of a node whose agent stays away longer than the eviction timeout are replaced on another node") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: pair
spec:
  replicas: 2
  selector:
    app: pair
  template:
    metadata:
      labels:
        app: pair
    spec:
      containers:
      - name: main
        image: busybox
        command: ["sleep", "100000"]
)");
  auto on_node = [&](const std::string& node) {
    std::size_t n = 0;
    auto lines = nonempty_lines_of(k.berth({"get", "pods", "-l", "app=pair", "-o", "wide"}).out);
    for (std::size_t i = 1; i < lines.size(); ++i) {
      auto w = words_of(lines[i]);
      if (w.size() == 7 && w[2] == "Running" && w[6] == node) ++n;
    }
    return n;
  };
  REQUIRE(eventually([&] { return on_node(k.node("a")) == 2; }, 60));
  k.start_agent("b");
  k.kill_agent("a");
  REQUIRE(eventually([&] { return k.node_status(k.node("a")) == "NotReady"; }, 20));
  REQUIRE(eventually([&] { return on_node(k.node("b")) == 2; }, 60));
}

TEST_CASE("a missing image is a waiting reason with a clear message, and nothing is pulled") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: ghost
spec:
  containers:
  - name: main
    image: no-such-image:v9
)");
  REQUIRE(eventually([&] { return container_state_reason(k.pod("ghost"), "waiting") == "ErrImageNeverPull"; }, 30));
  auto w = k.pod("ghost")["status"]["containerStatuses"][0]["state"]["waiting"];
  CHECK(w["message"].as<std::string>() == "image \"no-such-image:v9\" not present on node and no registry configured");
  CHECK(k.phase("ghost") == "Pending");
  CHECK(docker({"image", "inspect", "no-such-image:v9"}).exit_code != 0);
}

TEST_CASE("a failing liveness probe restarts the container; the readiness probe drives the Ready condition") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: probed
spec:
  terminationGracePeriodSeconds: 1   # `sleep` as PID 1 ignores SIGTERM: the kill takes the grace period
  containers:
  - name: web
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo ok > /www/ready && exec httpd -f -p 8080 -h /www"]
    readinessProbe:
      httpGet:
        path: /ready
        port: 8080
      periodSeconds: 1
      failureThreshold: 1
  - name: heart
    image: busybox
    command: ["sh", "-c", "touch /tmp/alive; exec sleep 100000"]
    livenessProbe:
      exec:
        command: ["cat", "/tmp/alive"]
      periodSeconds: 1
      failureThreshold: 2
)");
  auto ready = [&] {
    for (const auto& c : k.pod("probed")["status"]["conditions"])
      if (c["type"].as<std::string>() == "Ready") return c["status"].as<std::string>() == "True";
    return false;
  };
  auto restarts_of = [&](const std::string& name) {
    for (const auto& cs : k.pod("probed")["status"]["containerStatuses"])
      if (cs["name"].as<std::string>() == name) return cs["restartCount"].as<int>();
    return -1;
  };
  REQUIRE(eventually([&] { return k.phase("probed") == "Running" && ready(); }, 60));

  // Readiness: the page disappears -> not ready; it comes back -> ready, without restarts.
  auto web = k.app_ids("probed");
  REQUIRE(web.size() == 2);
  for (const auto& id : web) docker({"exec", id, "rm", "-f", "/www/ready"});
  REQUIRE(eventually([&] { return !ready(); }, 20));
  for (const auto& id : web) docker({"exec", id, "sh", "-c", "test -d /www && echo ok > /www/ready"});
  REQUIRE(eventually([&] { return ready(); }, 20));
  CHECK(restarts_of("web") == 0);

  // Liveness: the file goes away -> the container is restarted (a new one that touches it again).
  for (const auto& id : web) docker({"exec", id, "rm", "-f", "/tmp/alive"});
  REQUIRE_MESSAGE(eventually([&] { return restarts_of("heart") == 1; }, 30), YAML::Dump(k.pod("probed")["status"]));
  CHECK(restarts_of("web") == 0);
}

TEST_CASE("when berthd restarts, the agent reconnects, joins again and leaves running containers alone") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: steady
spec:
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
)");
  REQUIRE(eventually([&] { return k.phase("steady") == "Running"; }, 60));
  auto ids = k.running_ids("steady");
  REQUIRE(ids.size() == 2);
  k.berthd.kill9();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  k.berthd.start();  // same journal, same tokens
  REQUIRE(eventually([&] { return k.node_status(k.node("a")) == "Ready"; }, 30));
  CHECK(k.agents["a"]->err().find("lost berthd") != std::string::npos);
  CHECK(k.phase("steady") == "Running");
  CHECK(k.running_ids("steady") == ids);
  CHECK(restart_count(k.pod("steady")) == 0);
}
