// kubectl against a real cluster: berthd, a real agent on the local Docker,
// real containers. What needs running pods is here (logs, logs -f, describe
// with the journal's events, graceful delete that waits until the pod is
// gone, the guestbook applied with kubectl); the rest of the API is in
// tests/integration/kubectl_test.cpp. $KUBECTL picks the kubectl (meson runs
// this with /usr/bin/kubectl 1.32 and with Debian's 1.20).
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <map>
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

namespace {

// httpd serves a small page and a 589 KB file (well past SPDY's 64 KiB windows).
const char* k_web = R"(apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "mkdir -p /www && echo forwarded through berth > /www/index.html && seq 1 100000 > /www/big.txt && exec httpd -f -p 8080 -h /www"]
)";

std::string seq_text(int n) {
  std::string out;
  for (int i = 1; i <= n; ++i) out += std::to_string(i) + "\n";
  return out;
}

/// kubectl's client minor version ("20", "32").
int kubectl_minor() {
  auto v = run_process(kubectl_path(), {"version", "--client", "-o", "json"});
  auto at = v.out.find("\"minor\"");
  if (at == std::string::npos) return 0;
  at = v.out.find('"', v.out.find(':', at)) + 1;
  return std::atoi(v.out.c_str() + at);
}

/// `kubectl port-forward pod/NAME :REMOTE` in the background; the local port
/// it chose once it says "Forwarding from 127.0.0.1:PORT".
struct forwarder {
  background_process process;
  int local_port = 0;

  forwarder(kube_cluster& k, const std::string& target, int remote, std::map<std::string, std::string> env = {})
      : process(kubectl_path(),
                {"--kubeconfig", k.berthd.data_dir() + "/kubeconfig", "port-forward", target,
                 ":" + std::to_string(remote), "-v=6"},
                with_home(k, std::move(env))) {
    eventually([&] { return process.out().find("Forwarding from 127.0.0.1:") != std::string::npos || !process.running(); },
               30);
    auto out = process.out();
    auto at = out.find("Forwarding from 127.0.0.1:");
    if (at != std::string::npos) local_port = std::atoi(out.c_str() + at + std::strlen("Forwarding from 127.0.0.1:"));
  }
  static std::map<std::string, std::string> with_home(kube_cluster& k, std::map<std::string, std::string> env) {
    env["HOME"] = k.home.path();
    return env;
  }
  process_result fetch(const std::string& path) const {
    return run_process("/usr/bin/curl", {"-sS", "--max-time", "20", fmt::format("http://127.0.0.1:{}{}", local_port, path)});
  }
};

void forwards_httpd(kube_cluster& k, std::map<std::string, std::string> env, const char* upgrade_line) {
  forwarder f(k, "pod/web", 8080, std::move(env));
  REQUIRE_MESSAGE(f.local_port > 0, (f.process.out() + f.process.err()));
  auto page = f.fetch("/index.html");
  CHECK_MESSAGE(page.out == "forwarded through berth\n", page.err);
  auto big = f.fetch("/big.txt");
  CHECK(big.out.size() == seq_text(100000).size());
  CHECK(big.out == seq_text(100000));
  // Connections one after another and side by side each get their own pair of streams.
  std::vector<std::thread> fetches;
  std::vector<std::string> got(4);
  for (int i = 0; i < 4; ++i) fetches.emplace_back([&, i] { got[i] = f.fetch(i % 2 ? "/big.txt" : "/index.html").out; });
  for (auto& t : fetches) t.join();
  for (int i = 0; i < 4; ++i) CHECK(got[i] == (i % 2 ? seq_text(100000) : std::string("forwarded through berth\n")));
  CHECK(f.process.running());
  // kubectl -v=6 logs the upgrade it made: which transport carried the session.
  CHECK_MESSAGE(f.process.err().find(upgrade_line) != std::string::npos, f.process.err());
}

}  // namespace

TEST_CASE("kubectl port-forward: httpd's bytes through 127.0.0.1, exact; a closed port is kubectl's error; a missing pod") {
  kube_cluster k;
  k.start_agent("a");
  auto created = k.kubectl({"create", "-f", "-"}, k_web);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  REQUIRE(eventually([&] { return k.jsonpath("pod/web", "{.status.phase}") == "Running"; }, 60));
  const int minor = kubectl_minor();
  REQUIRE(minor >= 20);

  if (minor >= 31) {
    // kubectl 1.32: SPDY tunnelled in a WebSocket; then, with WebSockets
    // turned off, the plain SPDY/3.1 upgrade it falls back to.
    forwards_httpd(k, {}, "GET https://");
    forwards_httpd(k, {{"KUBECTL_PORT_FORWARD_WEBSOCKETS", "false"}}, "POST https://");
  } else {
    forwards_httpd(k, {}, "POST https://");  // kubectl 1.20: the SPDY/3.1 upgrade
  }

  {  // a port nothing listens on: kubectl prints the error from the error stream
    forwarder f(k, "pod/web", 8081);
    REQUIRE_MESSAGE(f.local_port > 0, (f.process.out() + f.process.err()));
    auto refused = f.fetch("/");
    CHECK(refused.exit_code != 0);
    REQUIRE(eventually([&] { return f.process.err().find("error forwarding port 8081 to pod web") != std::string::npos; },
                       10));
    CHECK_MESSAGE(f.process.err().find("onnection refused") != std::string::npos, f.process.err());
    if (minor >= 31) {
      // kubectl 1.31+ ends the session on an error ("lost connection to pod").
      CHECK(eventually([&] { return !f.process.running(); }, 10));
      CHECK(f.process.err().find("lost connection to pod") != std::string::npos);
    } else {
      // kubectl 1.20 keeps forwarding: the next connection gets the same answer.
      CHECK(f.process.running());
      auto again = f.fetch("/");
      CHECK(again.exit_code != 0);
      CHECK(eventually(
          [&] {
            auto err = f.process.err();
            auto first = err.find("error forwarding port 8081");
            return first != std::string::npos && err.find("error forwarding port 8081", first + 1) != std::string::npos;
          },
          10));
      CHECK(f.process.running());
    }
  }

  {  // a missing pod: kubectl's NotFound
    auto missing = k.kubectl({"port-forward", "pod/nope", "8080"});
    CHECK(missing.exit_code != 0);
    CHECK_MESSAGE(missing.err.find("pods \"nope\" not found") != std::string::npos, missing.err);
  }
}
