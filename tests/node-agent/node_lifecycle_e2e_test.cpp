// Node lifecycle end to end on the real local Docker (issue 17): the operator's
// scenario — berthd with short liveness timings, two agents, an RC of 4
// `sleep` pods — in both halves:
//   1. only berthd is configured: the agents heartbeat at the interval berthd
//      gives them at join, and nothing flaps;
//   2. `kill -STOP` of one agent moves its pods to the other node; after
//      `kill -CONT` exactly 4 pods remain, all Running, with exactly their
//      containers in Docker, and `berth why` explains a replacement from its
//      creation down to the node's last journaled heartbeat.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <signal.h>

#include <map>
#include <set>
#include <string>
#include <thread>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

const char* k_sleepers = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: sleepers
spec:
  replicas: 4
  selector:
    app: sleepers
  template:
    metadata:
      labels:
        app: sleepers
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: s
        image: busybox
        command: ["sleep", "100000"]
)";

struct pod_row {
  std::string status;
  std::string node;
};

/// The RC's pods as `get pods -o wide` lists them: name -> (STATUS, NODE).
std::map<std::string, pod_row> sleepers(docker_cluster& k) {
  std::map<std::string, pod_row> out;
  auto lines = nonempty_lines_of(k.berth({"get", "pods", "-l", "app=sleepers", "-o", "wide", "--no-headers"}).out);
  for (const auto& l : lines) {
    auto w = words_of(l);
    if (w.size() >= 7) out[w[0]] = {w[2], w[6]};
  }
  return out;
}

std::size_t running_on(docker_cluster& k, const std::string& node) {
  std::size_t n = 0;
  for (const auto& [_, r] : sleepers(k)) n += r.status == "Running" && r.node == node ? 1 : 0;
  return n;
}

/// The pod names of the app containers running in Docker for the cluster's nodes.
std::multiset<std::string> running_app_containers(docker_cluster& k) {
  std::multiset<std::string> out;
  for (const auto& node : k.nodes) {
    auto rows = nonempty_lines_of(docker({"ps", "--filter", "label=io.berth.node=" + node, "--format",
                                          "{{.Label \"io.berth.pod.name\"}} {{.Label \"io.berth.container.name\"}}"})
                                      .out);
    for (const auto& row : rows) {
      auto w = words_of(row);
      if (w.size() == 2 && w[1] != "POD") out.insert(w[0]);
    }
  }
  return out;
}

std::size_t count_of(const std::string& text, const std::string& word) {
  std::size_t n = 0;
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("only berthd sets the heartbeat: agents keep its interval and no node flaps") {
  docker_cluster k{{"--heartbeat-interval", "1s", "--grace-period", "4s", "--eviction-timeout", "6s"}};
  k.agent_heartbeat = "";  // as the operator did: no --heartbeat-interval on the agents
  k.start_agent("n1");
  k.start_agent("n2");
  k.create(k_sleepers);
  REQUIRE(eventually([&] { return running_on(k, k.node("n1")) + running_on(k, k.node("n2")) == 4; }, 60));
  const auto before = sleepers(k);

  // Three grace periods and two eviction timeouts: a 10 s agent default would
  // have flapped both nodes and evicted every pod by now.
  std::this_thread::sleep_for(std::chrono::seconds(14));
  CHECK(sleepers(k).size() == 4);
  for (const auto& [name, row] : sleepers(k)) {
    CHECK_MESSAGE(before.count(name) == 1, name, " is a replacement: something was evicted");
    CHECK(row.status == "Running");
  }
  auto journal = k.berth({"journal", "ls"}).out;
  CHECK(count_of(journal, "nodeReadinessDecided") == 0);
  CHECK(count_of(journal, "podEvicted") == 0);
  auto described = k.berth({"describe", "node", k.node("n1")}).out;
  CHECK(described.find("1s (given by berthd at join)") != std::string::npos);
  CHECK(described.find("4s (NotReady after that long without one)") != std::string::npos);
  CHECK(described.find("no (0 transitions in the last 10m)") != std::string::npos);
  CHECK(k.agents["n1"]->err().find("heartbeat every 1000ms, NotReady after 4000ms without one") != std::string::npos);

  // An agent asking for an interval the grace period cannot absorb is refused, with both values named.
  auto name = k.node("slow");
  k.nodes.insert(name);
  background_process slow(
      env_path("BERTH_AGENT"),
      {"--server", k.berthd.rpc_address(), "--token-file", k.berthd.data_dir() + "/node.token", "--node-name", name,
       "--heartbeat-interval", "2s", "--cluster-dns", "none", "--state-dir", "/var/lib/berth-agent-test"});
  REQUIRE(eventually([&] { return slow.err().find("more than a third") != std::string::npos; }, 20));
  CHECK(slow.err().find("--heartbeat-interval 2s is more than a third of berthd's --grace-period 4s") !=
        std::string::npos);
  CHECK(k.node_status(name).empty());  // never registered
}

TEST_CASE("kill -STOP moves the pods; after kill -CONT exactly 4 pods run, with exactly their containers") {
  // A grace period long enough that berthd journals heartbeats (every 2 s), so
  // that `why` reaches the last one; evictions 4 s after NotReady.
  docker_cluster k{{"--heartbeat-interval", "1s", "--grace-period", "8s", "--eviction-timeout", "4s"}};
  k.agent_heartbeat = "";
  k.start_agent("n1");
  k.create(k_sleepers);
  const auto n1 = k.node("n1"), n2 = k.node("n2");
  REQUIRE(eventually([&] { return running_on(k, n1) == 4; }, 60));
  const auto originals = sleepers(k);
  k.start_agent("n2");
  std::this_thread::sleep_for(std::chrono::seconds(3));  // n1's heartbeats get journaled

  k.agents["n1"]->signal(SIGSTOP);
  const auto stopped = std::chrono::steady_clock::now();
  REQUIRE(eventually([&] { return running_on(k, n2) == 4; }, 60));
  const auto moved_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - stopped).count();
  MESSAGE(fmt::format("4 pods Running on n2 {:.1f} s after kill -STOP (grace 8 s + eviction 4 s + start)", moved_s));
  std::set<std::string> replacements;
  for (const auto& [name, row] : sleepers(k))
    if (!originals.count(name) && row.node == n2) replacements.insert(name);
  REQUIRE(replacements.size() == 4);

  k.agents["n1"]->signal(SIGCONT);
  // The evicted pods on n1 are killed and reported once its agent runs again:
  // nothing stays Terminating, no container runs without a pod.
  auto settled = [&] {
    auto now = sleepers(k);
    if (now.size() != 4) return false;
    for (const auto& [name, row] : now)
      if (row.status != "Running" || !replacements.count(name)) return false;
    return running_app_containers(k) == std::multiset<std::string>(replacements.begin(), replacements.end());
  };
  REQUIRE_MESSAGE(eventually(settled, 60), k.berth({"get", "pods", "-o", "wide"}).out);
  CHECK(eventually([&] { return k.node_status(n1) == "Ready"; }, 20));
  // And it stays that way.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  CHECK(settled());

  // Why does a replacement exist? Its creation, the eviction that caused it,
  // the node going NotReady, and the last heartbeat berthd journaled before.
  auto why = k.berth({"why", "pod/" + *replacements.begin()});
  REQUIRE(why.exit_code == 0);
  const auto chain = nonempty_lines_of(why.out).at(0);
  CAPTURE(chain);
  // The chain starts at the pod's latest event (its status) and reaches its creation.
  CHECK(chain.find(fmt::format("pod/{} created ← RC sleepers reconciled ← pod/", *replacements.begin())) !=
        std::string::npos);
  CHECK(chain.find(" evicted by node controller (NodeLost: node " + n1 + " has been NotReady for ") !=
        std::string::npos);
  CHECK(chain.find(" ← node " + n1 + " NotReady since ") != std::string::npos);
  CHECK(chain.find(" ← node " + n1 + " heartbeat at ") != std::string::npos);
  bool evicted_original = false;
  for (const auto& [name, _] : originals)
    evicted_original |= chain.find("pod/" + name + " evicted") != std::string::npos;
  CHECK(evicted_original);
}
