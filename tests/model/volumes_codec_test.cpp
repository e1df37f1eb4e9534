// Pod volumes and volume mounts through capnp: every source with every field
// set comes back equal, and a pod without volumes writes no volume pointers
// (so its canonical bytes, and old journals' state hashes, are unchanged).

#include <doctest/doctest.h>

#include <capnp/message.h>

#include "actors/model/capnp_convert.hpp"

namespace berth::model {
namespace {

pod round_trip(const pod& value) {
  capnp::MallocMessageBuilder message;
  to_capnp(value, message.initRoot<schema::Pod>());
  return from_capnp(message.getRoot<schema::Pod>().asReader());
}

pod pod_with_every_volume() {
  pod p;
  p.metadata.name = "web";
  p.metadata.uid = "u1";
  container c;
  c.name = "app";
  c.image = "busybox";
  c.volume_mounts = {{"a", true, "/a", "sub/dir"}, {"b", false, "/b", ""}};
  p.spec.containers = {c};
  p.spec.volumes = {
      {"a", empty_dir_volume{"Memory"}},
      {"b", host_path_volume{"/var/log"}},
      {"c", secret_volume{"db", 0400, {{"k", "p", 0600}, {"k2", "p2", std::nullopt}}}},
      {"d", persistent_volume_claim_volume{"claim", true}},
      {"e", nfs_volume{"srv", "/exports", true}},
      {"f", gce_persistent_disk_volume{"pd", "ext4", 2, true}},
      {"g", aws_elastic_block_store_volume{"vol-1", "xfs", 3, true}},
      {"h", iscsi_volume{"10.0.0.1:3260", "iqn.x", 4, "ext4", true, "default"}},
      {"i", rbd_volume{{"m1", "m2"}, "img", "ext4", "pool", "user", "/keyring", "key", true}},
      {"j", glusterfs_volume{"ep", "vol", true}},
  };
  return p;
}

}  // namespace

TEST_CASE("volumes: every source and every field round-trips through capnp") {
  const pod p = pod_with_every_volume();
  REQUIRE(p.spec.volumes.size() == std::variant_size_v<volume_source>);
  for (std::size_t i = 0; i < p.spec.volumes.size(); ++i) CHECK(p.spec.volumes[i].source.index() == i);
  CHECK(round_trip(p) == p);
}

TEST_CASE("volumes: a pod without volumes or mounts writes no volume pointers") {
  pod p = pod_with_every_volume();
  p.spec.volumes.clear();
  p.spec.containers[0].volume_mounts.clear();
  capnp::MallocMessageBuilder message;
  to_capnp(p, message.initRoot<schema::Pod>());
  auto spec = message.getRoot<schema::Pod>().asReader().getSpec();
  CHECK_FALSE(spec.hasVolumes());
  CHECK_FALSE(spec.getContainers()[0].hasVolumeMounts());
  CHECK(round_trip(p) == p);
}

TEST_CASE("activeDeadlineSeconds and imagePullSecrets round-trip; unset, they write no pointer") {
  pod p = pod_with_every_volume();
  p.spec.active_deadline_seconds = 3;
  p.spec.image_pull_secrets = {{"registry-key"}, {"other"}};
  CHECK(round_trip(p) == p);

  p.spec.active_deadline_seconds = 0;
  p.spec.image_pull_secrets.clear();
  capnp::MallocMessageBuilder message;
  to_capnp(p, message.initRoot<schema::Pod>());
  auto spec = message.getRoot<schema::Pod>().asReader().getSpec();
  CHECK_FALSE(spec.hasImagePullSecrets());
  CHECK(spec.getActiveDeadlineSeconds() == 0);
  CHECK(round_trip(p) == p);  // old journals' hashes: tests/model compat tests
}

}  // namespace berth::model
