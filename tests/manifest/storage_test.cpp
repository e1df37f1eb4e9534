// PersistentVolume and PersistentVolumeClaim manifests: the v1.0 example's
// files decode as written, refusals name the field in Kubernetes' words,
// and what berth renders decodes to the same object.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/manifest/render.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using berth::manifest::decode_manifests;
using strings = std::vector<std::string>;

namespace {

std::string d1(const std::string& e) { return "test.yaml document 1: " + e; }

template <class T>
T decode_one(const std::string& text) {
  auto r = decode_manifests(text, "test.yaml");
  REQUIRE(r.error_strings() == strings{});
  REQUIRE(r.objects.size() == 1);
  return std::get<T>(r.objects[0].object);
}

const char* k_local_02 = R"(kind: PersistentVolume
apiVersion: v1
metadata:
  name: pv0002
  labels:
    type: local
spec:
  capacity:
    storage: 8Gi
  accessModes:
    - ReadWriteOnce
  hostPath:
    path: "/tmp/data02"
  persistentVolumeReclaimPolicy: Recycle
)";

}  // namespace

TEST_CASE("the example's local-02 volume and claim-03 decode as written") {
  auto v = decode_one<model::persistent_volume>(k_local_02);
  CHECK(v.metadata.name == "pv0002");
  CHECK(v.metadata.labels.at("type") == "local");
  CHECK(model::to_string(v.spec.capacity.at("storage")) == "8Gi");
  CHECK(v.spec.access_modes == strings{"ReadWriteOnce"});
  CHECK(v.spec.policy == model::reclaim_policy::recycle);
  CHECK(std::get<model::host_path_volume>(v.spec.source).path == "/tmp/data02");

  auto c = decode_one<model::persistent_volume_claim>(R"({
    "kind": "PersistentVolumeClaim", "apiVersion": "v1",
    "metadata": {"name": "myclaim-3"},
    "spec": {"accessModes": ["ReadWriteOnce", "ReadOnlyMany"], "resources": {"requests": {"storage": "10G"}}}})");
  CHECK(c.metadata.name == "myclaim-3");
  CHECK(c.spec.access_modes == strings{"ReadWriteOnce", "ReadOnlyMany"});
  CHECK(model::to_string(c.spec.resources.requests.at("storage")) == "10G");
}

TEST_CASE("a volume's default reclaim policy is Retain; gcePersistentDisk and nfs volumes are stored") {
  auto v = decode_one<model::persistent_volume>(
      "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pd}\nspec:\n  capacity: {storage: 5Gi}\n"
      "  accessModes: [ReadWriteOnce]\n  gcePersistentDisk: {pdName: disk, fsType: ext4}\n");
  CHECK(v.spec.policy == model::reclaim_policy::retain);
  CHECK(std::get<model::gce_persistent_disk_volume>(v.spec.source).pd_name == "disk");
}

TEST_CASE("refusals name the field") {
  struct row {
    const char* what;
    std::string text;
    strings errors;
  };
  const std::string pv = "apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: pv}\nspec:\n";
  const std::string pvc = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: c}\nspec:\n";
  const row rows[] = {
      {"no source", pv + "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n",
       {d1("spec: Required value: must specify a volume type")}},
      {"two sources",
       pv + "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /a}\n"
            "  nfs: {server: s, path: /b}\n",
       {d1("spec.nfs: Forbidden: may not specify more than 1 volume type")}},
      {"a pod-only source", pv + "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  emptyDir: {}\n",
       {d1("spec.emptyDir: Unknown field"), d1("spec: Required value: must specify a volume type")}},
      {"bad policy",
       pv + "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /a}\n"
            "  persistentVolumeReclaimPolicy: Keep\n",
       {d1("spec.persistentVolumeReclaimPolicy: Unsupported value: \"Keep\": supported values: \"Retain\", "
           "\"Recycle\", \"Delete\"")}},
      {"relative hostPath", pv + "  capacity: {storage: 1Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: a}\n",
       {d1("spec.hostPath.path: Invalid value: \"a\": must be an absolute path")}},
      {"zero capacity and an unknown resource",
       pv + "  capacity: {storage: 0, cpu: 1}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /a}\n",
       {d1("spec.capacity[cpu]: Unsupported value: \"cpu\": supported values: \"storage\""),
        d1("spec.capacity[storage]: Invalid value: \"0\": must be greater than zero")}},
      {"claim without modes or request", pvc + "  resources: {}\n",
       {d1("spec.accessModes: Required value: at least 1 access mode is required"),
        d1("spec.resources.requests[storage]: Required value")}},
      {"a later field of claims", pvc + "  accessModes: [ReadWriteOnce]\n  storageClassName: fast\n"
                                        "  resources: {requests: {storage: 1Gi}}\n",
       {d1("spec.storageClassName: Forbidden: not supported by berth yet")}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    CHECK(decode_manifests(r.text, "test.yaml").error_strings() == r.errors);
  }
}

TEST_CASE("rendered volumes and claims decode to the same objects, status included in the text") {
  auto v = decode_one<model::persistent_volume>(k_local_02);
  v.spec.claim_ref = {model::k_kind_persistent_volume_claim, "default", "myclaim-2", "uid-2"};
  v.status.phase = model::volume_phase::bound;
  auto yaml = manifest::to_yaml(v);
  CHECK(yaml.find("phase: Bound") != std::string::npos);
  CHECK(yaml.find("persistentVolumeReclaimPolicy: Recycle") != std::string::npos);
  auto back = decode_one<model::persistent_volume>(yaml);
  CHECK(back.spec == v.spec);
  CHECK(back.metadata.labels == v.metadata.labels);

  model::persistent_volume_claim c;
  c.metadata.name = "myclaim-2";
  c.metadata.namespace_ = "default";
  c.spec.access_modes = {"ReadWriteOnce"};
  c.spec.resources.requests["storage"] = *model::parse_quantity("8Gi");
  c.spec.volume_name = "pv0002";
  c.status = {model::claim_phase::bound, {"ReadWriteOnce"}, {{"storage", *model::parse_quantity("8Gi")}}};
  auto json = manifest::to_json(c);
  CHECK(json.find("\"volumeName\": \"pv0002\"") != std::string::npos);
  CHECK(decode_one<model::persistent_volume_claim>(json).spec == c.spec);
}
