// Pod volumes end to end on the real local Docker: a real berthd, a real
// berth-agent, busybox containers. emptyDir is shared by a pod's containers,
// survives a container restart and goes with the pod; medium Memory is a
// tmpfs; a readOnly hostPath refuses writes; a volume no node can provide
// keeps the pod waiting with the reason.
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;

namespace {

/// The agent's --state-dir in docker_cluster, and the layout of logic/pod_volumes.hpp.
std::string empty_dir_on_host(docker_cluster& k, const std::string& pod, const std::string& volume) {
  auto uid = k.pod(pod)["metadata"]["uid"].as<std::string>();
  return fmt::format("/var/lib/berth-agent-test/nodes/{}/pods/{}/volumes/empty-dir/{}", k.node("a"), uid, volume);
}

/// The running container `name` of a pod (its full id), "" when none.
std::string container_id(const std::string& pod, const std::string& name) {
  auto rows = nonempty_lines_of(docker({"ps", "--no-trunc", "--filter", "label=io.berth.pod.name=" + pod, "--filter",
                                        "label=io.berth.container.name=" + name, "--format", "{{.ID}}"})
                                    .out);
  return rows.size() == 1 ? rows[0] : "";
}

std::string waiting(const YAML::Node& pod, std::size_t i, const char* field) {
  auto cs = pod["status"]["containerStatuses"];
  if (!cs || !cs.IsSequence() || cs.size() <= i) return "";
  auto w = cs[i]["state"]["waiting"];
  return w && w[field] ? w[field].as<std::string>() : "";
}

}  // namespace

TEST_CASE("an emptyDir is shared by the pod's containers, survives a container restart and goes with the pod") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: shared
spec:
  volumes:
  - name: data
    emptyDir: {}
  containers:
  - name: writer
    image: busybox
    command: ["sh", "-c", "echo written >> /data/log; exec sleep 100000"]
    volumeMounts:
    - name: data
      mountPath: /data
  - name: reader
    image: busybox
    command: ["sh", "-c", "until [ -f /in/log ]; do sleep 0.2; done; cat /in/log; exec sleep 100000"]
    volumeMounts:
    - name: data
      mountPath: /in
      readOnly: true
)");
  REQUIRE_MESSAGE(eventually([&] { return k.phase("shared") == "Running"; }, 60), k.agents["a"]->err());
  CHECK(eventually([&] { return k.berth({"logs", "shared", "-c", "reader"}).out == "written\n"; }, 30));
  const auto host_dir = empty_dir_on_host(k, "shared", "data");
  CHECK(std::filesystem::is_directory(host_dir));

  // The reader's mount is read-only; the writer's is not.
  auto reader = container_id("shared", "reader");
  REQUIRE_FALSE(reader.empty());
  CHECK(docker({"exec", reader, "touch", "/in/x"}).exit_code != 0);

  // A killed writer is restarted by the agent and finds what it wrote before.
  auto writer = container_id("shared", "writer");
  REQUIRE_FALSE(writer.empty());
  REQUIRE(docker({"kill", writer}).exit_code == 0);
  REQUIRE(eventually(
      [&] {
        auto id = container_id("shared", "writer");
        return !id.empty() && id != writer && docker({"exec", reader, "cat", "/in/log"}).out == "written\nwritten\n";
      },
      60));

  REQUIRE(k.berth({"delete", "pod", "shared", "--grace-period", "1"}).exit_code == 0);
  REQUIRE(eventually([&] { return k.berth({"get", "pod", "shared"}).exit_code == 1; }, 30));
  CHECK(eventually([&] { return !std::filesystem::exists(host_dir); }, 10));
}

TEST_CASE("an emptyDir with medium Memory is a tmpfs; a readOnly hostPath refuses writes") {
  docker_cluster k;
  temp_dir host{"berth-hostpath"};
  std::ofstream(host.path() + "/greeting") << "hello\n";
  k.start_agent("a");
  k.create(fmt::format(R"(apiVersion: v1
kind: Pod
metadata:
  name: mounts
spec:
  volumes:
  - name: mem
    emptyDir:
      medium: Memory
  - name: host
    hostPath:
      path: {}
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "grep ' /mem ' /proc/mounts | cut -d' ' -f3; cat /host/greeting; touch /host/x 2>/dev/null && echo writable || echo read-only; exec sleep 100000"]
    volumeMounts:
    - name: mem
      mountPath: /mem
    - name: host
      mountPath: /host
      readOnly: true
)",
                       host.path()));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("mounts") == "Running"; }, 60), k.agents["a"]->err());
  CHECK(eventually([&] { return k.berth({"logs", "mounts"}).out == "tmpfs\nhello\nread-only\n"; }, 30));
  CHECK_FALSE(std::filesystem::exists(host.path() + "/x"));
  const auto mem_dir = empty_dir_on_host(k, "mounts", "mem");
  REQUIRE(k.berth({"delete", "pod", "mounts", "--grace-period", "1"}).exit_code == 0);
  REQUIRE(eventually([&] { return k.berth({"get", "pod", "mounts"}).exit_code == 1; }, 30));
  // Unmounted and removed with the pod.
  CHECK(eventually([&] { return !std::filesystem::exists(mem_dir); }, 10));
}

TEST_CASE("a pod with a volume no node provides is stored and waits with VolumeUnavailable; nothing runs") {
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: Pod
metadata:
  name: disk
spec:
  volumes:
  - name: pd
    gcePersistentDisk:
      pdName: my-disk
      fsType: ext4
  containers:
  - name: main
    image: busybox
    command: ["sleep", "100000"]
    volumeMounts:
    - name: pd
      mountPath: /data
)");
  REQUIRE_MESSAGE(eventually([&] { return waiting(k.pod("disk"), 0, "reason") == "VolumeUnavailable"; }, 30),
                  k.agents["a"]->err());
  CHECK(waiting(k.pod("disk"), 0, "message") ==
        fmt::format("volume \"pd\": volume type gcePersistentDisk is not available on node {}", k.node("a")));
  CHECK(k.phase("disk") == "Pending");
  CHECK(k.running_ids("disk").empty());
  // Stored as given: the volume reads back Kubernetes-shaped.
  auto pd = k.pod("disk")["spec"]["volumes"][0]["gcePersistentDisk"];
  CHECK(pd["pdName"].as<std::string>() == "my-disk");
  CHECK(pd["fsType"].as<std::string>() == "ext4");
}
