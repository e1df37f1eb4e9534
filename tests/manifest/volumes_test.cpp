// Pod volumes and volume mounts: what decodes and validates, each refusal
// with its field path and Kubernetes' wording, and the render round trip.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/manifest/render.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using berth::manifest::decode_manifests;
using berth::manifest::test::errors_of;
using strings = std::vector<std::string>;

namespace {

/// A pod with `volumes` (indented as list items under spec.volumes) and one
/// container with `mounts` (indented under its volumeMounts).
std::string pod(const std::string& volumes, const std::string& mounts = "") {
  std::string out = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n";
  if (!volumes.empty()) out += "  volumes:\n" + volumes;
  out += "  containers:\n  - name: app\n    image: busybox\n";
  if (!mounts.empty()) out += "    volumeMounts:\n" + mounts;
  return out;
}

std::string d1(const std::string& e) { return "test.yaml document 1: " + e; }

model::pod decode_pod(const std::string& text) {
  auto r = decode_manifests(text, "test.yaml");
  REQUIRE(r.error_strings() == strings{});
  REQUIRE(r.objects.size() == 1);
  return std::get<model::pod>(r.objects[0].object);
}

struct bad_case {
  std::string name;
  std::string text;
  strings errors;
};

}  // namespace

TEST_CASE("volumes: every source Kubernetes 1.0 wrote decodes into its own model type") {
  auto p = decode_pod(pod("  - name: scratch\n    emptyDir: {}\n"
                          "  - name: shm\n    emptyDir:\n      medium: Memory\n"
                          "  - name: logs\n    hostPath:\n      path: /var/log\n"
                          "  - name: creds\n    secret:\n      secretName: db\n      items:\n"
                          "      - key: pw\n        path: pw.txt\n        mode: 256\n"
                          "  - name: claim\n    persistentVolumeClaim:\n      claimName: data\n      readOnly: true\n"
                          "  - name: share\n    nfs:\n      server: nfs.local\n      path: /exports\n"
                          "  - name: disk\n    gcePersistentDisk:\n      pdName: pd1\n      fsType: ext4\n"
                          "      partition: 1\n"
                          "  - name: ebs\n    awsElasticBlockStore:\n      volumeID: vol-1\n"
                          "  - name: lun\n    iscsi:\n      targetPortal: 10.0.0.1:3260\n      iqn: iqn.x\n"
                          "      lun: 0\n"
                          "  - name: ceph\n    rbd:\n      monitors: [10.0.0.2:6789]\n      image: img\n"
                          "      secretRef:\n        name: ceph-key\n"
                          "  - name: gluster\n    glusterfs:\n      endpoints: gl\n      path: vol\n"
                          "  - name: defaulted\n",
                          "    - name: scratch\n      mountPath: /scratch\n"
                          "    - name: logs\n      mountPath: /logs\n      readOnly: true\n      subPath: app\n"));
  const auto& v = p.spec.volumes;
  REQUIRE(v.size() == 12);
  CHECK(std::get<model::empty_dir_volume>(v[0].source).medium.empty());
  CHECK(std::get<model::empty_dir_volume>(v[1].source).medium == "Memory");
  CHECK(std::get<model::host_path_volume>(v[2].source).path == "/var/log");
  const auto& secret = std::get<model::secret_volume>(v[3].source);
  CHECK(secret.secret_name == "db");
  CHECK(secret.default_mode == 0644);
  CHECK(secret.items == std::vector<model::key_to_path>{{"pw", "pw.txt", 256}});
  CHECK(std::get<model::persistent_volume_claim_volume>(v[4].source) ==
        model::persistent_volume_claim_volume{"data", true});
  CHECK(std::get<model::nfs_volume>(v[5].source) == model::nfs_volume{"nfs.local", "/exports", false});
  CHECK(std::get<model::gce_persistent_disk_volume>(v[6].source) ==
        model::gce_persistent_disk_volume{"pd1", "ext4", 1, false});
  CHECK(std::get<model::aws_elastic_block_store_volume>(v[7].source).volume_id == "vol-1");
  CHECK(std::get<model::iscsi_volume>(v[8].source).iqn == "iqn.x");
  CHECK(std::get<model::rbd_volume>(v[9].source).secret_ref == "ceph-key");
  CHECK(std::get<model::glusterfs_volume>(v[10].source).endpoints == "gl");
  // Kubernetes defaults a volume without a source to emptyDir.
  CHECK(std::holds_alternative<model::empty_dir_volume>(v[11].source));
  CHECK(model::volume_type_name(v[6].source) == std::string("gcePersistentDisk"));
  CHECK(p.spec.containers[0].volume_mounts ==
        std::vector<model::volume_mount>{{"scratch", false, "/scratch", ""}, {"logs", true, "/logs", "app"}});
}

TEST_CASE("volumes: each refusal names its field, in Kubernetes' words") {
  const std::string dns_label_msg =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
      "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const std::vector<bad_case> cases = {
      {"volume without a name", pod("  - emptyDir: {}\n"), {d1("spec.volumes[0].name: Required value")}},
      {"volume name not a DNS label",
       pod("  - name: Data\n"),
       {d1("spec.volumes[0].name: Invalid value: \"Data\": " + dns_label_msg)}},
      {"duplicate volume names",
       pod("  - name: a\n  - name: a\n"),
       {d1("spec.volumes[1].name: Duplicate value: \"a\"")}},
      {"two sources in one volume",
       pod("  - name: a\n    emptyDir: {}\n    hostPath:\n      path: /tmp\n"),
       {d1("spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type")}},
      {"hostPath without a path",
       pod("  - name: a\n  - name: b\n    hostPath: {}\n"),
       {d1("spec.volumes[1].hostPath.path: Required value")}},
      {"hostPath relative",
       pod("  - name: a\n    hostPath:\n      path: var/log\n"),
       {d1("spec.volumes[0].hostPath.path: Invalid value: \"var/log\": must be an absolute path")}},
      {"hostPath with ..",
       pod("  - name: a\n    hostPath:\n      path: /var/../etc\n"),
       {d1("spec.volumes[0].hostPath.path: Invalid value: \"/var/../etc\": must not contain '..'")}},
      {"emptyDir medium",
       pod("  - name: a\n    emptyDir:\n      medium: HugePages\n"),
       {d1("spec.volumes[0].emptyDir.medium: Unsupported value: \"HugePages\": supported values: \"\", "
           "\"Memory\"")}},
      {"secret without secretName",
       pod("  - name: a\n    secret: {}\n"),
       {d1("spec.volumes[0].secret.secretName: Required value")}},
      {"secret defaultMode out of range",
       pod("  - name: a\n    secret:\n      secretName: s\n      defaultMode: 512\n"),
       {d1("spec.volumes[0].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), "
           "both inclusive")}},
      {"persistentVolumeClaim without claimName",
       pod("  - name: a\n    persistentVolumeClaim: {}\n"),
       {d1("spec.volumes[0].persistentVolumeClaim.claimName: Required value")}},
      {"nfs without server, relative path",
       pod("  - name: a\n    nfs:\n      path: exports\n"),
       {d1("spec.volumes[0].nfs.server: Required value"),
        d1("spec.volumes[0].nfs.path: Invalid value: \"exports\": must be an absolute path")}},
      {"gcePersistentDisk without pdName",
       pod("  - name: a\n    gcePersistentDisk:\n      fsType: ext4\n"),
       {d1("spec.volumes[0].gcePersistentDisk.pdName: Required value")}},
      {"awsElasticBlockStore without volumeID",
       pod("  - name: a\n    awsElasticBlockStore: {}\n"),
       {d1("spec.volumes[0].awsElasticBlockStore.volumeID: Required value")}},
      {"iscsi without portal and iqn",
       pod("  - name: a\n    iscsi:\n      lun: 300\n"),
       {d1("spec.volumes[0].iscsi.targetPortal: Required value"), d1("spec.volumes[0].iscsi.iqn: Required value"),
        d1("spec.volumes[0].iscsi.lun: Invalid value: 300: must be between 0 and 255, inclusive")}},
      {"rbd without monitors and image",
       pod("  - name: a\n    rbd: {}\n"),
       {d1("spec.volumes[0].rbd.monitors: Required value"), d1("spec.volumes[0].rbd.image: Required value")}},
      {"glusterfs without endpoints",
       pod("  - name: a\n    glusterfs:\n      path: v\n"),
       {d1("spec.volumes[0].glusterfs.endpoints: Required value")}},
      {"volume types berth does not store yet",
       pod("  - name: a\n    downwardAPI: {}\n  - name: b\n    gitRepo:\n      repository: x\n"),
       {d1("spec.volumes[0].downwardAPI: Forbidden: not supported by berth yet"),
        d1("spec.volumes[1].gitRepo: Forbidden: not supported by berth yet")}},
      {"mount of a volume that does not exist",
       pod("  - name: a\n", "    - name: b\n      mountPath: /b\n"),
       {d1("spec.containers[0].volumeMounts[0].name: Not found: \"b\"")}},
      {"mount without name and mountPath",
       pod("  - name: a\n", "    - readOnly: true\n"),
       {d1("spec.containers[0].volumeMounts[0].name: Required value"),
        d1("spec.containers[0].volumeMounts[0].mountPath: Required value")}},
      {"mountPath relative",
       pod("  - name: a\n", "    - name: a\n      mountPath: data\n"),
       {d1("spec.containers[0].volumeMounts[0].mountPath: Invalid value: \"data\": must be an absolute path")}},
      {"mountPath twice in a container",
       pod("  - name: a\n  - name: b\n",
           "    - name: a\n      mountPath: /data\n    - name: b\n      mountPath: /data\n"),
       {d1("spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique")}},
      {"subPath absolute or with ..",
       pod("  - name: a\n", "    - name: a\n      mountPath: /x\n      subPath: /etc\n"
                            "    - name: a\n      mountPath: /y\n      subPath: a/../../etc\n"),
       {d1("spec.containers[0].volumeMounts[0].subPath: Invalid value: \"/etc\": must be a relative path"),
        d1("spec.containers[0].volumeMounts[1].subPath: Invalid value: \"a/../../etc\": must not contain '..'")}},
      {"mount fields berth does not support yet",
       pod("  - name: a\n", "    - name: a\n      mountPath: /x\n      mountPropagation: Bidirectional\n"),
       {d1("spec.containers[0].volumeMounts[0].mountPropagation: Forbidden: not supported by berth yet")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}

TEST_CASE("volumes: kubectl sees Kubernetes-shaped volumes, and they decode back unchanged") {
  auto p = decode_pod(pod("  - name: scratch\n    emptyDir: {}\n"
                          "  - name: disk\n    gcePersistentDisk:\n      pdName: pd1\n      readOnly: true\n"
                          "  - name: ceph\n    rbd:\n      monitors: [m1]\n      image: img\n"
                          "      secretRef:\n        name: k\n"
                          "  - name: creds\n    secret:\n      secretName: db\n",
                          "    - name: scratch\n      mountPath: /scratch\n      subPath: a\n"
                          "    - name: disk\n      mountPath: /disk\n      readOnly: true\n"));
  std::string json = manifest::to_json_compact(model::api_object{p});
  CHECK(json.find("\"volumes\":[{\"name\":\"scratch\",\"emptyDir\":{}},"
                  "{\"name\":\"disk\",\"gcePersistentDisk\":{\"pdName\":\"pd1\",\"readOnly\":true}},"
                  "{\"name\":\"ceph\",\"rbd\":{\"monitors\":[\"m1\"],\"image\":\"img\",\"secretRef\":{\"name\":\"k\"}}},"
                  "{\"name\":\"creds\",\"secret\":{\"secretName\":\"db\",\"defaultMode\":420}}]") !=
        std::string::npos);
  CHECK(json.find("\"volumeMounts\":[{\"name\":\"scratch\",\"mountPath\":\"/scratch\",\"subPath\":\"a\"},"
                  "{\"name\":\"disk\",\"readOnly\":true,\"mountPath\":\"/disk\"}]") != std::string::npos);
  for (const auto& text : {manifest::to_yaml(model::api_object{p}), manifest::to_json(model::api_object{p})}) {
    CAPTURE(text);
    CHECK(decode_pod(text).spec == p.spec);
  }
}
