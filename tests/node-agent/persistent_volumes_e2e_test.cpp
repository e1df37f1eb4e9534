// Kubernetes v1.0's persistent-volumes example on the real local Docker, as
// its README walks it (examples/kubernetes-v1.0.0/persistent-volumes): a
// hostPath volume, a claim the volume controller binds to it, and nginx (a
// busybox httpd stand-in, tools/build-images) serving the page the volume
// holds. Then what the README leaves out: a Released volume kept (Retain),
// scrubbed by its recycler pod (Recycle) or removed (Delete), and a pod that
// waits until its claim is bound.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/node-agent/docker_cluster.hpp"

using namespace berth;
using namespace berth::testing;
namespace fs = std::filesystem;

namespace {

/// A host directory the example names (/tmp/data01): made with the README's
/// content, removed at the end whatever happens.
struct host_dir {
  std::string path;
  explicit host_dir(std::string p) : path(std::move(p)) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~host_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path + "/" + name) << text; }
};

YAML::Node get_json(docker_cluster& k, const std::vector<std::string>& what) {
  auto args = what;
  args.insert(args.begin(), "get");
  args.insert(args.end(), {"-o", "json"});
  auto r = k.berth(args);
  if (r.exit_code != 0) return {};
  return YAML::Load(r.out);
}

std::string field(const YAML::Node& n, const char* a, const char* b) {
  return n && n[a] && n[a][b] ? n[a][b].as<std::string>() : "";
}

std::string claim_phase(docker_cluster& k, const std::string& name) {
  return field(get_json(k, {"pvc", name}), "status", "phase");
}

std::string volume_phase(docker_cluster& k, const std::string& name) {
  return field(get_json(k, {"pv", name}), "status", "phase");
}

std::string pod_ip(docker_cluster& k, const std::string& name) {
  auto p = k.pod(name);
  return p && p["status"]["podIP"] ? p["status"]["podIP"].as<std::string>() : "";
}

}  // namespace

TEST_CASE("persistent-volumes: the claim binds pv0001 and nginx serves the page the volume holds") {
  host_dir data("/tmp/data01");  // the README: this will be nginx's webroot
  data.write("index.html", "I love Kubernetes storage!\n");
  docker_cluster k;
  k.start_agent("a");
  k.create(example_manifest("persistent-volumes/volumes/local-01.yaml"));
  auto pvs = k.berth({"get", "pv"});
  CHECK_MESSAGE(pvs.out.find("pv0001") != std::string::npos, pvs.out);
  CHECK(volume_phase(k, "pv0001") == "Available");

  k.create(example_manifest("persistent-volumes/claims/claim-01.yaml"));
  REQUIRE_MESSAGE(eventually([&] { return claim_phase(k, "myclaim-1") == "Bound"; }, 20),
                  k.berth({"describe", "pvc", "myclaim-1"}).out);
  auto claim = get_json(k, {"pvc", "myclaim-1"});
  CHECK(field(claim, "spec", "volumeName") == "pv0001");
  CHECK(claim["status"]["capacity"]["storage"].as<std::string>() == "10Gi");
  auto volume = get_json(k, {"pv", "pv0001"});
  CHECK(field(volume, "status", "phase") == "Bound");
  CHECK(volume["spec"]["claimRef"]["name"].as<std::string>() == "myclaim-1");
  // kubectl's columns, as the README shows them.
  auto table = k.berth({"get", "pv"});
  CHECK_MESSAGE(table.out.find("10Gi") != std::string::npos, table.out);
  CHECK_MESSAGE(table.out.find("default/myclaim-1") != std::string::npos, table.out);

  k.create(example_manifest("persistent-volumes/simpletest/pod.yaml"));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("mypod") == "Running"; }, 60), k.agents["a"]->err());
  std::string page;
  REQUIRE_MESSAGE(eventually([&] { return (page = curl_get("http://" + pod_ip(k, "mypod") + "/")) != ""; }, 20),
                  k.berth({"describe", "pod", "mypod"}).out);
  CHECK(page == "I love Kubernetes storage!\n");
  k.create(example_manifest("persistent-volumes/simpletest/service.json"));
  auto described = k.berth({"describe", "pvc", "myclaim-1"});
  CHECK_MESSAGE(described.out.find("Mounted By:") != std::string::npos, described.out);
  CHECK_MESSAGE(described.out.find("mypod") != std::string::npos, described.out);

  // A pod writes into the volume; the file outlives the pod.
  auto wrote = k.berth({"exec", "mypod", "--", "sh", "-c", "echo written by mypod > /var/www/html/note.txt"});
  REQUIRE_MESSAGE(wrote.exit_code == 0, wrote.err);
  CHECK(fs::exists("/tmp/data01/note.txt"));
  REQUIRE(k.berth({"delete", "pod", "mypod"}).exit_code == 0);
  REQUIRE(eventually([&] { return k.berth({"get", "pod", "mypod"}).exit_code != 0; }, 60));

  // The claim goes: pv0001 (Retain, the default) is Released and keeps its data.
  REQUIRE(k.berth({"delete", "pvc", "myclaim-1"}).exit_code == 0);
  REQUIRE_MESSAGE(eventually([&] { return volume_phase(k, "pv0001") == "Released"; }, 20),
                  k.berth({"describe", "pv", "pv0001"}).out);
  CHECK(fs::exists("/tmp/data01/note.txt"));
  // The binding is the claim's story: a decision of the volume controller.
  auto history = k.berth({"history", "pvc/myclaim-1"});
  CHECK_MESSAGE(history.out.find("bound to pv/pv0001") != std::string::npos, history.out);
  CHECK_MESSAGE(history.out.find("decision volumeClaimBound  by volume") != std::string::npos, history.out);
  // Folded with the volumes in view, the binding applies (it is not shown as ignored).
  CHECK_MESSAGE(history.out.find("ignored by the fold") == std::string::npos, history.out);
}

TEST_CASE("Recycle: a Released volume is scrubbed by its recycler pod and is Available again") {
  host_dir data("/tmp/data02");  // local-02.yaml: 8Gi, persistentVolumeReclaimPolicy: Recycle
  data.write("old.txt", "left by the last claimant\n");
  data.write(".hidden", "dot files go too\n");
  docker_cluster k;
  k.start_agent("a");
  k.create(example_manifest("persistent-volumes/volumes/local-02.yaml"));
  k.create(example_manifest("persistent-volumes/claims/claim-02.yaml"));
  REQUIRE(eventually([&] { return claim_phase(k, "myclaim-2") == "Bound"; }, 20));
  CHECK(field(get_json(k, {"pvc", "myclaim-2"}), "spec", "volumeName") == "pv0002");

  REQUIRE(k.berth({"delete", "pvc", "myclaim-2"}).exit_code == 0);
  REQUIRE_MESSAGE(eventually([&] { return volume_phase(k, "pv0002") == "Available"; }, 90),
                  (k.berth({"describe", "pv", "pv0002"}).out + k.berth({"get", "pods", "-n", "kube-system"}).out +
                   k.agents["a"]->err()));
  CHECK(fs::is_directory("/tmp/data02"));
  CHECK(fs::is_empty("/tmp/data02"));
  auto volume = get_json(k, {"pv", "pv0002"});
  CHECK_FALSE(volume["spec"]["claimRef"]);
  // The recycler pod is deleted once its work is journaled.
  CHECK(eventually([&] { return k.berth({"get", "pod", "recycler-for-pv0002", "-n", "kube-system"}).exit_code != 0; },
                   60));
  auto history = k.berth({"history", "pv/pv0002"});
  CHECK_MESSAGE(history.out.find("recycled") != std::string::npos, history.out);

  // Available again: a new claim gets it.
  k.create(example_manifest("persistent-volumes/claims/claim-02.yaml"));
  CHECK(eventually([&] { return claim_phase(k, "myclaim-2") == "Bound"; }, 20));
}

TEST_CASE("Delete: the volume and its contents go with its claim") {
  temp_dir dir{"berth-pv-delete"};
  std::ofstream(dir.path() + "/data.txt") << "gone soon\n";
  docker_cluster k;
  k.start_agent("a");
  k.create(fmt::format(R"(apiVersion: v1
kind: PersistentVolume
metadata: {{name: scratch}}
spec:
  capacity: {{storage: 1Gi}}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Delete
  hostPath: {{path: "{}"}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {{name: scratch}}
spec:
  accessModes: [ReadWriteOnce]
  resources: {{requests: {{storage: 500Mi}}}}
)",
                       dir.path()));
  REQUIRE(eventually([&] { return claim_phase(k, "scratch") == "Bound"; }, 20));
  REQUIRE(k.berth({"delete", "pvc", "scratch"}).exit_code == 0);
  REQUIRE_MESSAGE(eventually([&] { return k.berth({"get", "pv", "scratch"}).exit_code != 0; }, 90),
                  k.berth({"describe", "pv", "scratch"}).out);
  CHECK(fs::is_empty(dir.path()));
}

TEST_CASE("a pod whose claim is not bound waits, and starts once a volume is bound to it") {
  temp_dir dir{"berth-pv-late"};
  std::ofstream(dir.path() + "/hello") << "from the late volume\n";
  docker_cluster k;
  k.start_agent("a");
  k.create(R"(apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: big}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 20Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  containers:
  - name: c
    image: busybox
    command: ["sh", "-c", "cat /data/hello && sleep 3600"]
    volumeMounts: [{name: d, mountPath: /data, readOnly: true}]
  volumes:
  - name: d
    persistentVolumeClaim: {claimName: big}
)");
  REQUIRE_MESSAGE(eventually([&] {
                    return k.berth({"describe", "pod", "reader"}).out.find("is not bound to a volume") !=
                           std::string::npos;
                  },
                  60),
                  k.berth({"describe", "pod", "reader"}).out);
  CHECK(claim_phase(k, "big") == "Pending");
  k.create(fmt::format(R"(apiVersion: v1
kind: PersistentVolume
metadata: {{name: late}}
spec:
  capacity: {{storage: 50Gi}}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  hostPath: {{path: "{}"}}
)",
                       dir.path()));
  REQUIRE(eventually([&] { return claim_phase(k, "big") == "Bound"; }, 20));
  REQUIRE_MESSAGE(eventually([&] { return k.phase("reader") == "Running"; }, 60),
                  (k.berth({"describe", "pod", "reader"}).out + k.agents["a"]->err()));
  REQUIRE(eventually([&] { return k.berth({"logs", "reader"}).out == "from the late volume\n"; }, 20));
  // Mounted read-only, as the pod asked.
  auto write = k.berth({"exec", "reader", "--", "sh", "-c", "echo x > /data/new"});
  CHECK(write.exit_code != 0);
}
