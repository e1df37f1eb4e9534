// The fold's rules for persistent volumes and claims (actors/model/state_volumes.hpp):
// binding, release, reclaim, loss, stale decisions, and the snapshot codec.

#include <doctest/doctest.h>

#include "actors/model/codec.hpp"
#include "actors/model/quota.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::model {
namespace {

using testing::fold_fixture;
using testing::ref;

constexpr auto applied = apply_outcome::applied;
constexpr auto ignored = apply_outcome::ignored;

persistent_volume make_volume(const std::string& name, std::int64_t milli_storage = 10'000,
                         reclaim_policy policy = reclaim_policy::retain) {
  persistent_volume v;
  v.metadata.name = name;
  v.metadata.uid = "uid-" + name;
  v.spec.capacity[k_resource_storage] = quantity{milli_storage};
  v.spec.access_modes = {k_access_read_write_once};
  v.spec.policy = policy;
  v.spec.source = host_path_volume{"/tmp/" + name};
  return v;
}

persistent_volume_claim claim(const std::string& name, std::int64_t milli_storage = 3'000) {
  persistent_volume_claim c;
  c.metadata.namespace_ = "default";
  c.metadata.name = name;
  c.metadata.uid = "uid-" + name;
  c.spec.access_modes = {k_access_read_write_once};
  c.spec.resources.requests[k_resource_storage] = quantity{milli_storage};
  return c;
}

object_reference pv_ref(const std::string& name, std::string uid = "") {
  return ref(k_kind_persistent_volume, "", name, std::move(uid));
}
object_reference pvc_ref(const std::string& name, std::string uid = "") {
  return ref(k_kind_persistent_volume_claim, "default", name, std::move(uid));
}

/// pv0001 and myclaim-1, bound.
fold_fixture bound_pair(reclaim_policy policy = reclaim_policy::retain) {
  fold_fixture f;
  REQUIRE(f.fold(persistent_volume_created{make_volume("pv0001", 10'000, policy)}, pv_ref("pv0001", "uid-pv0001")) ==
          applied);
  REQUIRE(f.fold(persistent_volume_claim_created{claim("myclaim-1")}, pvc_ref("myclaim-1", "uid-myclaim-1")) ==
          applied);
  REQUIRE(f.fold(volume_claim_bound{"pv0001"}, pvc_ref("myclaim-1", "uid-myclaim-1")) == applied);
  return f;
}

}  // namespace

TEST_CASE("created volumes are Available and claims Pending, whatever status the event carried") {
  fold_fixture f;
  auto v = make_volume("pv0001");
  v.status.phase = volume_phase::bound;
  v.metadata.namespace_ = "stray";
  v.spec.claim_ref = {k_kind_persistent_volume_claim, "default", "mine", "uid-from-client"};
  CHECK(f.fold(persistent_volume_created{v}, pv_ref("pv0001")) == applied);
  const auto& got = f.s.volumes.at("pv0001");
  CHECK(got.status.phase == volume_phase::available);
  CHECK(got.metadata.namespace_.empty());
  CHECK(got.metadata.resource_version == 1);
  CHECK(got.spec.claim_ref.name == "mine");  // a reservation: kept, its uid the binder's to set
  CHECK(got.spec.claim_ref.uid.empty());
  auto c = claim("myclaim-1");
  c.status.phase = claim_phase::bound;
  CHECK(f.fold(persistent_volume_claim_created{c}, pvc_ref("myclaim-1")) == applied);
  CHECK(f.s.claims.at({"default", "myclaim-1"}).status.phase == claim_phase::pending);
  CHECK(f.fold(persistent_volume_created{make_volume("pv0001")}, pv_ref("pv0001")) == ignored);  // exists
}

TEST_CASE("volumeClaimBound binds both sides: claimRef, volumeName, the claim's capacity and modes") {
  auto f = bound_pair();
  const auto& v = f.s.volumes.at("pv0001");
  const auto& c = f.s.claims.at({"default", "myclaim-1"});
  CHECK(v.status.phase == volume_phase::bound);
  CHECK(v.spec.claim_ref == object_reference{k_kind_persistent_volume_claim, "default", "myclaim-1", "uid-myclaim-1"});
  CHECK(c.status.phase == claim_phase::bound);
  CHECK(c.spec.volume_name == "pv0001");
  CHECK(c.status.capacity == v.spec.capacity);
  CHECK(c.status.access_modes == v.spec.access_modes);
  CHECK(v.metadata.resource_version == 3);
  CHECK(c.metadata.resource_version == 3);
}

TEST_CASE("stale or conflicting bindings are ignored") {
  auto f = bound_pair();
  // The claim is bound already; another volume cannot take it.
  REQUIRE(f.fold(persistent_volume_created{make_volume("pv0002")}, pv_ref("pv0002")) == applied);
  CHECK(f.fold(volume_claim_bound{"pv0002"}, pvc_ref("myclaim-1")) == ignored);
  // A bound volume cannot take a second claim.
  REQUIRE(f.fold(persistent_volume_claim_created{claim("myclaim-2")}, pvc_ref("myclaim-2")) == applied);
  CHECK(f.fold(volume_claim_bound{"pv0001"}, pvc_ref("myclaim-2")) == ignored);
  // A claim's old uid (deleted and made again) names nothing.
  CHECK(f.fold(volume_claim_bound{"pv0002"}, pvc_ref("myclaim-2", "uid-earlier")) == ignored);
  // A volume that does not exist.
  CHECK(f.fold(volume_claim_bound{"nope"}, pvc_ref("myclaim-2")) == ignored);
  // A volume reserved for another claim.
  auto reserved = make_volume("pv0003");
  reserved.spec.claim_ref = {k_kind_persistent_volume_claim, "default", "someone-else", ""};
  REQUIRE(f.fold(persistent_volume_created{reserved}, pv_ref("pv0003")) == applied);
  CHECK(f.fold(volume_claim_bound{"pv0003"}, pvc_ref("myclaim-2")) == ignored);
  CHECK(f.fold(volume_claim_bound{"pv0002"}, pvc_ref("myclaim-2")) == applied);
}

TEST_CASE("a claim's removal makes its volume Released; recycled makes it Available, failed Failed") {
  auto f = bound_pair(reclaim_policy::recycle);
  CHECK(f.fold(persistent_volume_claim_removed{{"Deleted", "by user:admin"}}, pvc_ref("myclaim-1")) == applied);
  CHECK(f.s.claims.empty());
  auto& v = f.s.volumes.at("pv0001");
  CHECK(v.status.phase == volume_phase::released);
  CHECK(v.spec.claim_ref.name == "myclaim-1");  // whose it was, as Kubernetes shows
  CHECK(v.metadata.resource_version == 4);
  // Only a Released volume is recycled.
  CHECK(f.fold(volume_recycled{{"VolumeRecycled", "scrubbed"}}, pv_ref("pv0001", "uid-pv0001")) == applied);
  CHECK(v.status.phase == volume_phase::available);
  CHECK(v.spec.claim_ref == object_reference{});
  CHECK(f.fold(volume_recycled{{"VolumeRecycled", "again"}}, pv_ref("pv0001")) == ignored);
  CHECK(f.fold(volume_reclaim_failed{{"VolumeFailedRecycle", "no"}}, pv_ref("pv0001")) == ignored);
  // Bind, release, fail.
  REQUIRE(f.fold(persistent_volume_claim_created{claim("c2")}, pvc_ref("c2", "uid-c2")) == applied);
  REQUIRE(f.fold(volume_claim_bound{"pv0001"}, pvc_ref("c2")) == applied);
  REQUIRE(f.fold(persistent_volume_claim_removed{{"Deleted", ""}}, pvc_ref("c2")) == applied);
  CHECK(f.fold(volume_reclaim_failed{{"VolumeFailedRecycle", "recycler pod failed"}}, pv_ref("pv0001")) == applied);
  CHECK(v.status.phase == volume_phase::failed);
  CHECK(v.status.message == "recycler pod failed");
  CHECK(v.status.reason == "VolumeFailedRecycle");
}

TEST_CASE("a volume's removal leaves its claim Lost; its replacement updates the claim's capacity") {
  auto f = bound_pair();
  auto bigger = make_volume("pv0001", 20'000);
  bigger.metadata.labels["type"] = "local";
  bigger.spec.claim_ref = {};  // the client's claimRef is not the fold's to take
  CHECK(f.fold(persistent_volume_replaced{bigger}, pv_ref("pv0001")) == applied);
  const auto& v = f.s.volumes.at("pv0001");
  CHECK(v.spec.claim_ref.name == "myclaim-1");
  CHECK(v.status.phase == volume_phase::bound);
  CHECK(v.metadata.labels.at("type") == "local");
  CHECK(v.metadata.generation == 2);
  CHECK(f.s.claims.at({"default", "myclaim-1"}).status.capacity.at(k_resource_storage).milli == 20'000);
  CHECK(f.fold(persistent_volume_removed{{"Deleted", ""}}, pv_ref("pv0001")) == applied);
  CHECK(f.s.volumes.empty());
  const auto& c = f.s.claims.at({"default", "myclaim-1"});
  CHECK(c.status.phase == claim_phase::lost);
  CHECK(c.spec.volume_name == "pv0001");
  CHECK(f.fold(persistent_volume_removed{{"Deleted", ""}}, pv_ref("pv0001")) == ignored);
}

TEST_CASE("claims count in their namespace's quota usage and keep the namespace from going") {
  auto f = bound_pair();
  CHECK(namespace_usage(f.s, "default").at("persistentvolumeclaims").milli == 1000);
  CHECK(namespace_usage(f.s, "other").at("persistentvolumeclaims").milli == 0);
}

TEST_CASE("volumes and claims survive the snapshot codec; a state without them hashes as before") {
  auto f = bound_pair();
  auto bytes = encode_snapshot(f.s);
  std::string error;
  auto back = decode_snapshot(bytes, &error);
  REQUIRE_MESSAGE(back.has_value(), error);
  CHECK(*back == f.s);
  CHECK(hash_state(*back) == hash_state(f.s));
  // Without volumes and claims the snapshot carries no lists for them (unset, as namespaces).
  cluster_state empty;
  cluster_state with_removed = f.s;
  with_removed.volumes.clear();
  with_removed.claims.clear();
  with_removed.seq = 0;
  with_removed.ignored_events = 0;
  CHECK(hash_state(with_removed) == hash_state(empty));
}

}  // namespace berth::model
