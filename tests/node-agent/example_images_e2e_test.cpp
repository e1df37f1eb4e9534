// Kubernetes v1.0 examples whose images berth builds itself
// (tools/build-example-images, run by tools/test before the tests): liveness
// (http) and update-demo, their manifests used unchanged as their READMEs do,
// on the real local Docker. examples/kubernetes-v1.0.0/RUNNING.md says how to
// run them by hand.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

int restart_count(const YAML::Node& pod) {
  auto c = first_container_status(pod);
  return c && c["restartCount"] ? c["restartCount"].as<int>() : -1;
}

/// The update-demo pods of one version (`version=kitten`), when there are
/// exactly `n` and each is Running, ready and serving: their IPs, else {}.
std::vector<std::string> serving_pods(docker_cluster& k, const std::string& version, std::size_t n) {
  auto names = k.pod_names("name=update-demo,version=" + version);
  if (names.size() != n) return {};
  std::vector<std::string> ips;
  for (const auto& name : names) {
    auto ip = k.ready_pod_ip(name);
    if (ip.empty()) return {};
    ips.push_back(ip);
  }
  return ips;
}

/// What the update-demo image of `version` serves as /data.json: the
/// example's images/VERSION/html/data.json, which names VERSION's picture
/// (so kitten's and nautilus's differ).
std::string data_json_of(const std::string& version) {
  std::ifstream in(example_path("update-demo/images/" + version + "/html/data.json"));
  std::stringstream text;
  text << in.rdbuf();
  REQUIRE_MESSAGE(text.str().find("\"" + version + ".jpg\"") != std::string::npos, text.str());
  return text.str();
}

/// The events `berth history KIND/NAME` prints, one per "seq N  TIME  ..."
/// line, from the event's kind on ("command rcScaled  by admin: ...").
std::vector<std::string> history_events(const std::string& history) {
  std::vector<std::string> events;
  for (const auto& line : nonempty_lines_of(history)) {
    if (line.rfind("seq ", 0) != 0) continue;
    auto kind = line.find("  command ");
    REQUIRE_MESSAGE(kind != std::string::npos, line);
    events.push_back(line.substr(kind + 2));
  }
  return events;
}

}  // namespace

TEST_CASE("liveness (http): /healthz answers 500 after 10 s, the probe fails and the container is restarted") {
  docker_cluster k;
  k.start_agent("a");
  auto created = k.berth({"create", "-f", example_path("liveness/http-liveness.yaml")});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  // The image is the example's server.go, built by tools/build-example-images.
  REQUIRE_MESSAGE(eventually([&] { return !k.ready_pod_ip("liveness-http").empty(); }, 60),
                  k.berth({"describe", "pod", "liveness-http"}).out, k.agents["a"]->err());
  CHECK(restart_count(k.pod("liveness-http")) == 0);
  // The server itself, on the pod's IP (a container this test created):
  // healthy in its first 10 s.
  auto ip = k.ready_pod_ip("liveness-http");
  CHECK(curl_get("http://" + ip + ":8080/healthz") == "ok");

  // The probe starts at 15 s (initialDelaySeconds), when /healthz already
  // answers 500; after 3 failures the agent kills the container and starts it again.
  REQUIRE_MESSAGE(eventually([&] { return restart_count(k.pod("liveness-http")) >= 1; }, 90),
                  k.berth({"describe", "pod", "liveness-http"}).out);
  auto last = first_container_status(k.pod("liveness-http"))["lastState"]["terminated"];
  REQUIRE_MESSAGE(last, YAML::Dump(k.pod("liveness-http")));
  // Stopped by SIGTERM; the Go server is PID 1, where that signal's default
  // action does not apply, so Go's runtime exits with 2 instead.
  CHECK(last["exitCode"].as<int>() == 2);
  auto described = k.berth({"describe", "pod", "liveness-http"});
  CHECK_MESSAGE(described.out.find("Last State:     Terminated") != std::string::npos, described.out);
  CHECK_MESSAGE(
      k.agents["a"]->err().find("liveness probe failed: HTTP probe failed with statuscode: 500") != std::string::npos,
      k.agents["a"]->err());
  // The pod's Events say why, in kubelet's words.
  CHECK_MESSAGE(described.out.find("Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500") !=
                    std::string::npos,
                described.out);
  CHECK_MESSAGE(described.out.find("Killing: Container liveness failed liveness probe, will be restarted") !=
                    std::string::npos,
                described.out);
  // The new instance is a fresh server: healthy again, for its first 10 s.
  CHECK(eventually([&] { return k.phase("liveness-http") == "Running"; }, 30));
}

TEST_CASE("update-demo: nautilus scaled to 4, rolled to kitten one pod at a time as the README does, and back") {
  docker_cluster k;
  k.start_agent("a");
  // Step Two: two replicas of nautilus, each serving its data.json on port 80.
  auto created = k.berth({"create", "-f", example_path("update-demo/nautilus-rc.yaml")});
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  REQUIRE_MESSAGE(eventually([&] { return serving_pods(k, "nautilus", 2).size() == 2; }, 60),
                  k.berth({"get", "pods"}).out, k.agents["a"]->err());
  for (const auto& ip : serving_pods(k, "nautilus", 2))
    CHECK(curl_get("http://" + ip + "/data.json") == data_json_of("nautilus"));

  // Step Three: four replicas.
  auto scaled = k.berth({"scale", "rc", "update-demo-nautilus", "--replicas=4"});
  REQUIRE_MESSAGE(scaled.exit_code == 0, scaled.err);
  REQUIRE_MESSAGE(eventually([&] { return serving_pods(k, "nautilus", 4).size() == 4; }, 60),
                  k.berth({"get", "pods"}).out);

  // Step Four, with a short update period. kitten-rc.yaml names no replicas,
  // which v1 reads as 1: the new controller ends at 1. The two together never
  // run more than 1+1 pods, so nautilus first comes down to 1.
  auto rolled = k.berth({"rolling-update", "update-demo-nautilus", "--update-period=1s", "--poll-interval", "200ms",
                         "--timeout", "2m", "-f", example_path("update-demo/kitten-rc.yaml")});
  REQUIRE_MESSAGE(rolled.exit_code == 0, rolled.out, rolled.err);
  CHECK_MESSAGE((nonempty_lines_of(rolled.out) ==
                 std::vector<std::string>{"Creating update-demo-kitten",
                                          "Updating update-demo-nautilus replicas: 1, update-demo-kitten replicas: 0",
                                          "Updating update-demo-nautilus replicas: 0, update-demo-kitten replicas: 1",
                                          "Update succeeded. Deleting update-demo-nautilus", "update-demo-kitten"}),
                rolled.out);

  // The kitten pod serves kitten's data.json; no nautilus pod is left, and
  // the old controller is gone.
  REQUIRE_MESSAGE(eventually([&] { return serving_pods(k, "kitten", 1).size() == 1; }, 60),
                  k.berth({"get", "pods"}).out);
  for (const auto& ip : serving_pods(k, "kitten", 1))
    CHECK(curl_get("http://" + ip + "/data.json") == data_json_of("kitten"));
  CHECK(eventually([&] { return k.pod_names("version=nautilus").empty(); }, 60));
  CHECK(k.berth({"get", "rc", "update-demo-nautilus"}).exit_code != 0);
  auto rcs = nonempty_lines_of(k.berth({"get", "rc"}).out);
  REQUIRE(rcs.size() == 2);
  CHECK(words_of(rcs[1]).at(0) == "update-demo-kitten");

  // The journal tells the steps, each a command of the user running the
  // update: the old controller annotated, scaled down and deleted; the new
  // one created at 0, scaled up, and its rollout annotations dropped.
  auto old_history = k.berth({"history", "rc/update-demo-nautilus"});
  REQUIRE_MESSAGE(old_history.exit_code == 0, old_history.err);
  CHECK_MESSAGE((history_events(old_history.out) ==
                 std::vector<std::string>{"command objectCreated  by admin: created rc/update-demo-nautilus",
                                          "command rcScaled  by admin: scaled to 4 replicas",
                                          "command objectReplaced  by admin: replaced rc/update-demo-nautilus",
                                          "command rcScaled  by admin: scaled to 1 replicas",
                                          "command rcScaled  by admin: scaled to 0 replicas",
                                          "command objectDeleted  by admin: deleted"}),
                old_history.out);
  CHECK_MESSAGE(old_history.out.find("next-controller-id: (none) → update-demo-kitten") != std::string::npos,
                old_history.out);
  auto new_history = k.berth({"history", "rc/update-demo-kitten"});
  REQUIRE_MESSAGE(new_history.exit_code == 0, new_history.err);
  CHECK_MESSAGE((history_events(new_history.out) ==
                 std::vector<std::string>{"command objectCreated  by admin: created rc/update-demo-kitten",
                                          "command rcScaled  by admin: scaled to 1 replicas",
                                          "command objectReplaced  by admin: replaced rc/update-demo-kitten"}),
                new_history.out);

  // And back, growing: nautilus-rc.yaml asks for 2, so kitten's one pod is
  // replaced and a second nautilus pod added; every pod of the new
  // controller serves nautilus's data.json.
  auto back = k.berth({"rolling-update", "update-demo-kitten", "--update-period=1s", "--poll-interval", "200ms",
                       "--timeout", "2m", "-f", example_path("update-demo/nautilus-rc.yaml")});
  REQUIRE_MESSAGE(back.exit_code == 0, back.out, back.err);
  CHECK_MESSAGE((nonempty_lines_of(back.out) ==
                 std::vector<std::string>{"Creating update-demo-nautilus",
                                          "Updating update-demo-kitten replicas: 0, update-demo-nautilus replicas: 1",
                                          "Resizing update-demo-nautilus replicas: 1 -> 2",
                                          "Update succeeded. Deleting update-demo-kitten", "update-demo-nautilus"}),
                back.out);
  REQUIRE_MESSAGE(eventually([&] { return serving_pods(k, "nautilus", 2).size() == 2; }, 60),
                  k.berth({"get", "pods"}).out);
  for (const auto& ip : serving_pods(k, "nautilus", 2))
    CHECK(curl_get("http://" + ip + "/data.json") == data_json_of("nautilus"));
  CHECK(eventually([&] { return k.pod_names("version=kitten").empty(); }, 60));
  CHECK(k.berth({"get", "rc", "update-demo-kitten"}).exit_code != 0);

  // Step Five (kubectl stop rc): the controller and its pods go.
  auto deleted = k.berth({"delete", "rc", "update-demo-nautilus"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(eventually([&] { return k.pod_names("name=update-demo").empty(); }, 60));
}
