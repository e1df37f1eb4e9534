// kubectl against a real cluster: berthd, a real agent on the local Docker,
// real containers. What needs running pods is here (logs, logs -f, describe
// with the journal's events, graceful delete that waits until the pod is
// gone, the guestbook applied with kubectl); the rest of the API is in
// tests/integration/kubectl_test.cpp. $KUBECTL picks the kubectl (meson runs
// this with /usr/bin/kubectl 1.32 and with Debian's 1.20).
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

std::string kubectl_path() {
  const char* path = std::getenv("KUBECTL");
  return path && *path ? path : "/usr/bin/kubectl";
}

struct kube_cluster : docker_cluster {
  process_result kubectl(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--kubeconfig", berthd.data_dir() + "/kubeconfig"});
    return run_process(kubectl_path(), args, {{"HOME", home.path()}, {"KUBECONFIG", ""}}, stdin_text);
  }
  std::string jsonpath(const std::string& what, const std::string& path) {
    return kubectl({"get", what, "-o", "jsonpath=" + path}).out;
  }
};

const char* k_talker = R"(apiVersion: v1
kind: Pod
metadata:
  name: talker
spec:
  terminationGracePeriodSeconds: 2
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo first; echo second; i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.3; done"]
)";

}  // namespace

TEST_CASE("kubectl logs, logs -f, describe with the journal's events, and a delete that waits until the pod is gone") {
  kube_cluster k;
  k.start_agent("a");
  auto created = k.kubectl({"create", "-f", "-"}, k_talker);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  REQUIRE(eventually([&] { return k.jsonpath("pod/talker", "{.status.phase}") == "Running"; }, 60));

  auto pods = k.kubectl({"get", "pods", "-o", "wide"});
  CHECK(pods.out.find("talker   1/1     Running") != std::string::npos);
  CHECK(pods.out.find(k.node("a")) != std::string::npos);

  REQUIRE(eventually([&] { return k.kubectl({"logs", "talker"}).out.find("tick-2") != std::string::npos; }, 20));
  auto logs = k.kubectl({"logs", "talker"});
  CHECK(logs.out.rfind("first\nsecond\n", 0) == 0);
  auto tail = k.kubectl({"logs", "talker", "--tail", "1"});
  CHECK(std::count(tail.out.begin(), tail.out.end(), '\n') == 1);

  {
    background_process follow(kubectl_path(),
                              {"--kubeconfig", k.berthd.data_dir() + "/kubeconfig", "logs", "-f", "talker"},
                              {{"HOME", k.home.path()}});
    // Lines keep arriving while the command runs: more than were there at the start.
    REQUIRE(eventually([&] { return follow.out().find("tick-") != std::string::npos; }, 10));
    auto seen = std::count(logs.out.begin(), logs.out.end(), '\n');
    CHECK(eventually([&] { return follow.out().find("tick-" + std::to_string(seen + 4)) != std::string::npos; }, 15));
    const auto followed = follow.out();
    CHECK(followed.rfind("first\nsecond\n", 0) == 0);
  }

  auto describe = k.kubectl({"describe", "pod", "talker"});
  REQUIRE_MESSAGE(describe.exit_code == 0, describe.err);
  CHECK(describe.out.find("Events:") != std::string::npos);
  CHECK_MESSAGE(describe.out.find("Scheduled") != std::string::npos, describe.out);
  auto events = k.kubectl({"get", "events", "--field-selector", "involvedObject.name=talker"});
  CHECK(events.out.find("pod/talker") != std::string::npos);

  // kubectl delete returns once the pod is gone (it waits on a watch), after
  // the agent stopped the container gracefully.
  auto started = std::chrono::steady_clock::now();
  auto deleted = k.kubectl({"delete", "pod", "talker", "--timeout=60s", "-v=6"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(deleted.out == "pod \"talker\" deleted\n");
  CHECK(k.kubectl({"get", "pod", "talker"}).err.find("NotFound") != std::string::npos);
  CHECK(docker({"ps", "-aq", "--filter", "label=io.berth.pod.name=talker", "--filter", "label=io.berth.node=" + k.node("a")})
            .out.empty());
  MESSAGE("kubectl delete took ",
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), " s");
}

TEST_CASE("the guestbook v1.2.0 applied with kubectl runs: 6 pods Running and Ready, services with endpoints") {
  kube_cluster k;
  k.start_agent("a");
  const char* dir = std::getenv("BERTH_EXAMPLES");
  REQUIRE_MESSAGE(dir != nullptr, "BERTH_EXAMPLES is not set (meson passes the examples directory)");
  auto applied = k.kubectl({"apply", "-f", std::string(dir) + "/guestbook-v1.2.0/all-in-one/guestbook-all-in-one.yaml"});
  REQUIRE_MESSAGE(applied.exit_code == 0, applied.err);
  CHECK(applied.out.find("replicationcontroller/frontend created") != std::string::npos);
  REQUIRE(eventually(
      [&] {
        auto ready = k.kubectl({"get", "pods", "-o",
                                "jsonpath={range .items[*]}{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}"})
                         .out;
        return std::count(ready.begin(), ready.end(), 'T') == 6;
      },
      120));
  auto rc = k.kubectl({"get", "rc", "frontend"});
  CHECK(rc.out.find("frontend   3         3         3") != std::string::npos);
  CHECK(!k.jsonpath("endpoints/redis-master", "{.subsets[0].addresses[0].ip}").empty());
  auto again = k.kubectl({"apply", "-f", std::string(dir) + "/guestbook-v1.2.0/all-in-one/guestbook-all-in-one.yaml"});
  REQUIRE_MESSAGE(again.exit_code == 0, again.err);
  CHECK(again.out.find("replicationcontroller/frontend unchanged") != std::string::npos);
}

TEST_CASE("kubectl cordon, drain and uncordon: an RC's pods move to the other node and stay off the cordoned one") {
  kube_cluster k;
  k.start_agent("a");
  k.start_agent("b");
  k.create(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: movers
spec:
  replicas: 4
  selector:
    app: movers
  template:
    metadata:
      labels:
        app: movers
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: busybox
        command: ["sleep", "100000"]
)");
  auto running_on = [&](const std::string& node) {
    auto out = k.kubectl({"get", "pods", "-l", "app=movers", "--field-selector", "spec.nodeName=" + node + ",status.phase=Running",
                          "-o", "name"})
                   .out;
    return std::count(out.begin(), out.end(), '\n');
  };
  REQUIRE(eventually([&] { return running_on(k.node("a")) + running_on(k.node("b")) == 4; }, 60));

  auto cordoned = k.kubectl({"cordon", k.node("a")});
  REQUIRE_MESSAGE(cordoned.exit_code == 0, cordoned.err);
  CHECK(cordoned.out == "node/" + k.node("a") + " cordoned\n");
  CHECK(k.kubectl({"get", "node", k.node("a")}).out.find("Ready,SchedulingDisabled") != std::string::npos);
  CHECK(k.jsonpath("node/" + k.node("a"), "{.spec.unschedulable}") == "true");

  auto drained = k.kubectl({"drain", k.node("a"), "--ignore-daemonsets", "--force", "--timeout=90s"});
  REQUIRE_MESSAGE(drained.exit_code == 0, (drained.out + drained.err));
  // kubectl 1.32 evicts (pods/eviction: "pod/X evicted", "node/N drained");
  // 1.20 finds no policy group in discovery and deletes ("pod/X deleted",
  // "node/N deleted").
  const auto said = drained.out + drained.err;
  CHECK_MESSAGE((said.find("node/" + k.node("a") + " drained") != std::string::npos ||
                 said.find("node/" + k.node("a") + " deleted") != std::string::npos),
                said);
  CHECK_MESSAGE((said.find(" evicted") != std::string::npos || said.find("pod/movers-") != std::string::npos), said);
  REQUIRE(eventually([&] { return running_on(k.node("b")) == 4; }, 60));
  CHECK(running_on(k.node("a")) == 0);
  CHECK(docker({"ps", "-q", "--filter", "label=io.berth.pod.name", "--filter", "label=io.berth.node=" + k.node("a")})
            .out.empty());

  auto uncordoned = k.kubectl({"uncordon", k.node("a")});
  REQUIRE_MESSAGE(uncordoned.exit_code == 0, uncordoned.err);
  CHECK(uncordoned.out == "node/" + k.node("a") + " uncordoned\n");
  CHECK(k.kubectl({"get", "node", k.node("a")}).out.find("SchedulingDisabled") == std::string::npos);
  // What the agent does not own is refused, naming the field.
  auto labelled = k.kubectl({"label", "node", k.node("a"), "tier=gpu"});
  CHECK(labelled.exit_code != 0);
  CHECK(labelled.err.find("metadata.labels: Forbidden") != std::string::npos);
  auto events = k.kubectl({"get", "events", "--field-selector", "involvedObject.name=" + k.node("a")});
  CHECK(events.out.find("NodeNotSchedulable") != std::string::npos);
}
