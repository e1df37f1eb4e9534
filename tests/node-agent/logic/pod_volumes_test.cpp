// A pod's volumes on a node: which the node can provide (else its containers
// wait with VolumeUnavailable), the bind mounts of a container, and the
// spec hash that restarts a container whose mounts changed.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_volumes.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;

model::volume vol(std::string name, model::volume_source source) { return {std::move(name), std::move(source)}; }

const node_volume_support k_node{"node-1", false};

TEST_CASE("emptyDir and hostPath are always available; nfs only with mount.nfs") {
  model::pod_spec spec;
  spec.volumes = {vol("a", model::empty_dir_volume{}), vol("b", model::host_path_volume{"/tmp"})};
  CHECK_FALSE(volumes_unavailable(spec, k_node));
  spec.volumes.push_back(vol("share", model::nfs_volume{"srv", "/x", false}));
  CHECK(volumes_unavailable(spec, k_node) ==
        model::container_state_waiting{"VolumeUnavailable",
                                       "volume \"share\": volume type nfs is not available on node node-1"});
  CHECK_FALSE(volumes_unavailable(spec, {"node-1", true}));
}

TEST_CASE("disks no node provides, missing secrets and claims: one message per volume, in spec order") {
  model::pod_spec spec;
  spec.volumes = {vol("disk", model::gce_persistent_disk_volume{"pd", "", 0, false}),
                  vol("creds", model::secret_volume{"db", 0644, {}}),
                  vol("data", model::persistent_volume_claim_volume{"claim-1", false}),
                  vol("ebs", model::aws_elastic_block_store_volume{"vol-1", "", 0, false}),
                  vol("lun", model::iscsi_volume{}), vol("ceph", model::rbd_volume{}),
                  vol("gl", model::glusterfs_volume{})};
  auto w = volumes_unavailable(spec, k_node);
  REQUIRE(w);
  CHECK(w->reason == "VolumeUnavailable");
  CHECK(w->message ==
        "volume \"disk\": volume type gcePersistentDisk is not available on node node-1; "
        "volume \"creds\": secret \"db\" not found; "
        "volume \"data\": persistentVolumeClaim \"claim-1\" is not bound to a volume; "
        "volume \"ebs\": volume type awsElasticBlockStore is not available on node node-1; "
        "volume \"lun\": volume type iscsi is not available on node node-1; "
        "volume \"ceph\": volume type rbd is not available on node node-1; "
        "volume \"gl\": volume type glusterfs is not available on node node-1");
}

TEST_CASE("container_mounts: emptyDir under the pod's directory, hostPath as is, subPath appended") {
  auto pod = make_pod({"a"});
  pod.spec.volumes = {vol("cache", model::empty_dir_volume{"Memory"}), vol("logs", model::host_path_volume{"/var/log"}),
                      vol("share", model::nfs_volume{"srv", "/x", true})};
  pod.spec.containers[0].volume_mounts = {{"cache", false, "/cache", ""},
                                          {"logs", true, "/logs", "app"},
                                          {"share", true, "/share", ""}};
  CHECK(container_mounts(pod, pod.spec.containers[0], "/var/lib/berth-agent") ==
        std::vector<host_mount>{
            {"/var/lib/berth-agent/pods/uid-web/volumes/empty-dir/cache", "/cache", false, ""},
            {"/var/log/app", "/logs", true, "app"},
            {"/var/lib/berth-agent/pods/uid-web/volumes/nfs/share", "/share", true, ""},
        });
}

TEST_CASE("a pod with an unavailable volume gets no sandbox and no starts; its containers wait with the reason") {
  auto pod = make_pod({"a", "b"});
  backoff_table backoff;
  pod_context ctx;
  ctx.now = 5 * k_second;
  ctx.volumes_waiting = model::container_state_waiting{"VolumeUnavailable", "volume \"d\": ..."};
  auto plan = pod_actions(pod, {}, ctx, backoff);
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.starts.empty());
  REQUIRE(plan.waiting.size() == 2);
  CHECK(plan.waiting.at("a") == *ctx.volumes_waiting);
  auto status = pod_status_of(pod, {}, plan, ctx, "10.0.0.1");
  REQUIRE(status.container_statuses.size() == 2);
  CHECK(std::get<model::container_state_waiting>(status.container_statuses[1].state).reason == "VolumeUnavailable");
  CHECK(status.phase == model::pod_phase::pending);
}

TEST_CASE("container_spec_hash: mounts count, and a container without mounts hashes as before volumes") {
  auto c = make_pod({"a"}).spec.containers[0];
  const auto before = container_spec_hash(c);
  c.volume_mounts = {{"data", false, "/data", ""}};
  const auto with_mount = container_spec_hash(c);
  CHECK(with_mount != before);
  c.volume_mounts[0].read_only = true;
  CHECK(container_spec_hash(c) != with_mount);
  c.volume_mounts[0].read_only = false;
  c.volume_mounts[0].sub_path = "x";
  CHECK(container_spec_hash(c) != with_mount);
  c.volume_mounts.clear();
  CHECK(container_spec_hash(c) == before);
}

}  // namespace
}  // namespace berth::agent
