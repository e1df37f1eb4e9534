// Kubernetes v1.0's redis example (examples/kubernetes-v1.0.0/redis): the
// sentinel-based HA redis, its manifests used unchanged in the order of its
// README's tl;dr, on the real local Docker. kubernetes/redis:v1 is built by
// tools/build-example-images (run by tools/test before the tests) from
// Debian's redis-server and redis-sentinel and the example's own run.sh and
// .conf files. examples/kubernetes-v1.0.0/RUNNING.md says how to run it by
// hand and what to expect.
#include <doctest/doctest.h>

#include <yaml-cpp/yaml.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth::testing;

namespace {

/// `eventually`, but trying every half second: each try runs `berth exec`,
/// which starts a process in a container.
bool eventually_slow(const std::function<bool()>& condition, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (true) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

/// What `redis-cli ARGS...` prints in container `container` of `pod`
/// (through `berth exec`), without its trailing newline; "" when it failed.
std::string redis_cli(docker_cluster& k, const std::string& pod, const std::string& container,
                      const std::vector<std::string>& args) {
  std::vector<std::string> exec{"exec", pod, "-c", container, "--", "redis-cli"};
  exec.insert(exec.end(), args.begin(), args.end());
  auto r = k.berth(exec);
  if (r.exit_code != 0) return "";
  while (!r.out.empty() && (r.out.back() == '\n' || r.out.back() == '\r')) r.out.pop_back();
  return r.out;
}

/// One field of an INFO reply ("role" gives "master" or "slave"); "" when absent.
std::string info_field(const std::string& info, const std::string& field) {
  for (auto line : lines_of(info)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind(field + ":", 0) == 0) return line.substr(field.size() + 1);
  }
  return "";
}

std::string replication(docker_cluster& k, const std::string& pod, const std::string& container, const char* field) {
  return info_field(redis_cli(k, pod, container, {"INFO", "replication"}), field);
}

/// The IP address of the master that the sentinel in `pod` names for the
/// example's `mymaster` ("" when it names none).
std::string sentinel_master(docker_cluster& k, const std::string& pod, const std::string& container) {
  auto reply = lines_of(redis_cli(k, pod, container, {"-p", "26379", "SENTINEL", "get-master-addr-by-name", "mymaster"}));
  return reply.size() == 2 && reply[1] == "6379" ? reply[0] : "";
}

/// The pod's IP once it is Running with every container ready ("" before).
std::string running_ip(docker_cluster& k, const std::string& name) {
  auto p = k.pod(name);
  if (!p || !p["status"]["phase"] || p["status"]["phase"].as<std::string>() != "Running" || !p["status"]["podIP"])
    return "";
  auto statuses = p["status"]["containerStatuses"];
  if (!statuses || !statuses.IsSequence() || statuses.size() != p["spec"]["containers"].size()) return "";
  for (const auto& c : statuses)
    if (!c["ready"] || !c["ready"].as<bool>()) return "";
  return p["status"]["podIP"].as<std::string>();
}

/// The pods matching `selector`, when there are exactly `n` and each is
/// running: name → IP; else {}.
std::map<std::string, std::string> running_pods(docker_cluster& k, const std::string& selector, std::size_t n) {
  auto names = k.pod_names(selector);
  if (names.size() != n) return {};
  std::map<std::string, std::string> out;
  for (const auto& name : names) {
    auto ip = running_ip(k, name);
    if (ip.empty()) return {};
    out[name] = ip;
  }
  return out;
}

}  // namespace

TEST_CASE("redis: master, replicas and sentinels as the README builds them; the master pod goes, the data stays") {
  docker_cluster k;
  k.start_agent("a");
  auto create = [&](const std::string& file) {
    auto r = k.berth({"create", "-f", example_path("redis/" + file)});
    REQUIRE_MESSAGE(r.exit_code == 0, file, r.err);
  };

  // The bootstrap pod: redis-server as master and a sentinel that, with no
  // sentinel service yet, finds it at $(hostname -i):6379 in its own pod.
  create("redis-master.yaml");
  REQUIRE_MESSAGE(eventually([&] { return !running_ip(k, "redis-master").empty(); }, 60),
                  k.berth({"describe", "pod", "redis-master"}).out, k.agents["a"]->err());
  const auto first_master = running_ip(k, "redis-master");
  CHECK(eventually_slow([&] { return replication(k, "redis-master", "master", "role") == "master"; }, 30));
  REQUIRE_MESSAGE(
      eventually_slow([&] { return sentinel_master(k, "redis-master", "sentinel") == first_master; }, 60),
      k.berth({"logs", "redis-master", "-c", "sentinel"}).out);

  // The service, then both controllers. Kubernetes 1.0's controllers adopted
  // the bootstrap pod (its labels match both selectors); berth's own their
  // pods by owner reference and never adopt (docs/workloads.md), so each
  // starts one pod of its own: a replica and a sentinel, which ask the
  // sentinel service (REDIS_SENTINEL_SERVICE_HOST/PORT, injected by the
  // agent) for the master.
  create("redis-sentinel-service.yaml");
  create("redis-controller.yaml");
  create("redis-sentinel-controller.yaml");
  CHECK_MESSAGE(eventually([&] { return running_pods(k, "name=redis", 2).size() == 2; }, 60),
                k.berth({"get", "pods"}).out);
  CHECK_MESSAGE(eventually([&] { return running_pods(k, "redis-sentinel=true", 2).size() == 2; }, 60),
                k.berth({"get", "pods"}).out);

  // Scaled to 3: three replicas and three sentinels of the controllers, and
  // the bootstrap pod's master and sentinel.
  for (const char* rc : {"redis", "redis-sentinel"}) {
    auto r = k.berth({"scale", "rc", rc, "--replicas=3"});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  REQUIRE_MESSAGE(eventually([&] { return running_pods(k, "name=redis", 4).size() == 4; }, 60),
                  k.berth({"get", "pods"}).out);
  REQUIRE_MESSAGE(eventually([&] { return running_pods(k, "redis-sentinel=true", 4).size() == 4; }, 60),
                  k.berth({"get", "pods"}).out);
  auto servers = running_pods(k, "name=redis", 4);
  auto sentinels = running_pods(k, "redis-sentinel=true", 4);
  std::vector<std::string> replicas;
  for (const auto& [name, ip] : servers)
    if (name != "redis-master") replicas.push_back(name);
  REQUIRE(replicas.size() == 3);

  auto service = YAML::Load(k.berth({"get", "svc", "redis-sentinel", "-o", "json"}).out);
  const auto sentinel_ip = service["spec"]["clusterIP"].as<std::string>();
  auto env = k.berth({"exec", replicas[0], "--", "sh", "-c",
                      "echo $REDIS_SENTINEL_SERVICE_HOST:$REDIS_SENTINEL_SERVICE_PORT"});
  CHECK(env.out == sentinel_ip + ":26379\n");

  REQUIRE_MESSAGE(
      eventually_slow([&] { return replication(k, "redis-master", "master", "connected_slaves") == "3"; }, 90),
      redis_cli(k, "redis-master", "master", {"INFO", "replication"}), k.berth({"logs", replicas[0]}).out);
  for (const auto& r : replicas) {
    CHECK(replication(k, r, "redis", "role") == "slave");
    CHECK(replication(k, r, "redis", "master_host") == first_master);
    CHECK(replication(k, r, "redis", "master_link_status") == "up");
  }

  // A write on the master reaches every replica: their replication offsets
  // catch up with the master's, and the key reads back from each.
  REQUIRE(redis_cli(k, "redis-master", "master", {"SET", "berth:guest", "written-before-the-master-died"}) == "OK");
  const auto master_offset = std::stoll(replication(k, "redis-master", "master", "master_repl_offset"));
  for (const auto& r : replicas) {
    CHECK_MESSAGE(eventually_slow(
                      [&] {
                        auto offset = replication(k, r, "redis", "slave_repl_offset");
                        return !offset.empty() && std::stoll(offset) >= master_offset;
                      },
                      30),
                  r);
    CHECK(redis_cli(k, r, "redis", {"GET", "berth:guest"}) == "written-before-the-master-died");
  }

  // The four sentinels agree on the master and know of each other (the
  // hello messages they publish through it).
  for (const auto& [name, ip] : sentinels) {
    CHECK_MESSAGE(eventually_slow([&] { return sentinel_master(k, name, "sentinel") == first_master; }, 30), name);
    CHECK_MESSAGE(eventually_slow(
                      [&] {
                        auto info = redis_cli(k, name, "sentinel", {"-p", "26379", "INFO", "sentinel"});
                        // master0:name=mymaster,status=ok,address=IP:6379,slaves=3,sentinels=4
                        return info.find("status=ok,address=" + first_master + ":6379,slaves=3,sentinels=4") !=
                               std::string::npos;
                      },
                      30),
                  name);
  }

  // The README's last step: the bootstrap pod goes (within its 30 s grace
  // period: run.sh, PID 1's child, never sees the SIGTERM). The controllers
  // have their 3 pods each and start none; the replicas still serve the data.
  const auto deleted_at = std::chrono::steady_clock::now();
  auto deleted = k.berth({"delete", "pods", "redis-master"});
  REQUIRE_MESSAGE(deleted.exit_code == 0, deleted.err);
  REQUIRE_MESSAGE(eventually([&] { return k.pod("redis-master").IsNull(); }, 60), k.berth({"get", "pods"}).out);
  CHECK(running_pods(k, "name=redis", 3).size() == 3);
  CHECK(running_pods(k, "redis-sentinel=true", 3).size() == 3);
  for (const auto& r : replicas)
    CHECK(redis_cli(k, r, "redis", {"GET", "berth:guest"}) == "written-before-the-master-died");

  // After down-after-milliseconds (60000 in run.sh) the three sentinels left
  // agree that the master is down (quorum 2, a majority of the four they
  // know) and promote one of the replicas; the others are made its replicas.
  std::string surviving_sentinel;
  for (const auto& [name, ip] : sentinels)
    if (name != "redis-master") surviving_sentinel = name;
  std::string promoted;
  REQUIRE_MESSAGE(eventually_slow(
                      [&] {
                        for (const auto& r : replicas)
                          if (replication(k, r, "redis", "role") == "master") promoted = r;
                        return !promoted.empty();
                      },
                      150),
                  k.berth({"logs", surviving_sentinel}).out);
  MESSAGE(promoted, " promoted ",
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - deleted_at).count(),
          " s after the delete");
  CHECK(redis_cli(k, promoted, "redis", {"GET", "berth:guest"}) == "written-before-the-master-died");
  CHECK(redis_cli(k, promoted, "redis", {"SET", "berth:after", "written-to-the-new-master"}) == "OK");
  for (const auto& other : replicas) {
    if (other == promoted) continue;
    CHECK_MESSAGE(
        eventually_slow([&] { return replication(k, other, "redis", "master_host") == servers[promoted]; }, 30),
        redis_cli(k, other, "redis", {"INFO", "replication"}));
    CHECK(eventually_slow(
        [&] { return redis_cli(k, other, "redis", {"GET", "berth:after"}) == "written-to-the-new-master"; }, 30));
  }
  for (const auto& [name, ip] : sentinels)
    if (name != "redis-master")
      CHECK_MESSAGE(eventually_slow([&] { return sentinel_master(k, name, "sentinel") == servers[promoted]; }, 30),
                    name);
}
