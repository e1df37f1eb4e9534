// The fold of endpoints written by users (endpointsReplaced, endpointsRemoved):
// those of services without a selector, which may come before their service.

#include <doctest/doctest.h>

#include "actors/model/namespaces.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::model {
namespace {

using testing::fold_fixture;
using testing::make_service;
using testing::meta;
using testing::ref;

constexpr auto applied = apply_outcome::applied;
constexpr auto ignored = apply_outcome::ignored;

endpoints glusterfs(std::string ip, std::string uid = "uid-ep") {
  endpoints ep;
  ep.metadata = meta("default", "glusterfs-cluster", std::move(uid));
  endpoint_subset ss;
  ss.addresses.push_back({std::move(ip), "", {}});
  ss.ports.push_back({"", 1, protocol::tcp});
  ep.subsets.push_back(ss);
  return ep;
}

object_reference ep_ref(std::string uid = "uid-ep") {
  return ref(k_kind_endpoints, "default", "glusterfs-cluster", std::move(uid));
}

}  // namespace

TEST_CASE("endpoints_replaced creates endpoints no service has, with fold-owned metadata") {
  fold_fixture f;
  auto ep = glusterfs("10.240.106.152");
  ep.metadata.generation = 7;
  ep.metadata.resource_version = 99;
  CHECK(f.fold(endpoints_replaced{ep}, ep_ref()) == applied);
  REQUIRE(f.s.endpoints_.size() == 1);
  const auto& got = f.s.endpoints_.at({"default", "glusterfs-cluster"});
  CHECK(got.metadata.uid == "uid-ep");
  CHECK(got.metadata.resource_version == 1);
  CHECK(got.metadata.generation == 1);
  CHECK(got.metadata.creation_timestamp == 1000);
  CHECK(got.subsets == ep.subsets);
  CHECK(f.s.services.empty());
}

TEST_CASE("endpoints_replaced replaces subsets, labels and annotations; the service that comes later keeps them") {
  fold_fixture f;
  f.fold(endpoints_replaced{glusterfs("10.0.0.1")}, ep_ref());
  auto next = glusterfs("10.0.0.2");
  next.metadata.labels["tier"] = "storage";
  next.metadata.annotations["note"] = "by hand";
  CHECK(f.fold(endpoints_replaced{next}, ep_ref()) == applied);
  auto svc = make_service("glusterfs-cluster");
  svc.spec.selector.clear();
  CHECK(f.fold(object_created{svc}) == applied);
  const auto& got = f.s.endpoints_.at({"default", "glusterfs-cluster"});
  CHECK(got.subsets.at(0).addresses.at(0).ip == "10.0.0.2");
  CHECK(got.metadata.labels.at("tier") == "storage");
  CHECK(got.metadata.annotations.at("note") == "by hand");
  CHECK(got.metadata.resource_version == 2);
  CHECK(got.metadata.uid == "uid-ep");
}

TEST_CASE("endpoints_replaced with a stale uid, or naming other endpoints than it carries, is ignored") {
  fold_fixture f;
  f.fold(endpoints_replaced{glusterfs("10.0.0.1")}, ep_ref());
  CHECK(f.fold(endpoints_replaced{glusterfs("10.0.0.9")}, ep_ref("stale-uid")) == ignored);
  CHECK(f.fold(endpoints_replaced{glusterfs("10.0.0.9")}, ref(k_kind_endpoints, "default", "other")) == ignored);
  CHECK(f.s.endpoints_.at({"default", "glusterfs-cluster"}).subsets.at(0).addresses.at(0).ip == "10.0.0.1");
  CHECK(f.s.ignored_events == 2);
}

TEST_CASE("the endpoints controller's write replaces a user's subsets of a service with a selector") {
  fold_fixture f;
  f.fold(object_created{make_service("glusterfs-cluster")});
  f.fold(endpoints_replaced{glusterfs("10.0.0.1")}, ep_ref());
  CHECK(f.fold(endpoints_updated{glusterfs("10.1.1.1", "")}) == applied);
  CHECK(f.s.endpoints_.at({"default", "glusterfs-cluster"}).subsets.at(0).addresses.at(0).ip == "10.1.1.1");
}

TEST_CASE("endpoints_removed deletes them; a second time, or with a stale uid, is ignored") {
  fold_fixture f;
  f.fold(endpoints_replaced{glusterfs("10.0.0.1")}, ep_ref());
  CHECK(f.fold(endpoints_removed{{"Deleted", "deleted by user:admin"}}, ep_ref("stale-uid")) == ignored);
  CHECK(f.fold(endpoints_removed{{"Deleted", "deleted by user:admin"}}, ep_ref()) == applied);
  CHECK(f.s.endpoints_.empty());
  CHECK(f.fold(endpoints_removed{{"Deleted", ""}}, ep_ref()) == ignored);
}

TEST_CASE("user endpoints keep their namespace alive") {
  fold_fixture f;
  auto ep = glusterfs("10.0.0.1");
  ep.metadata.namespace_ = "storage";
  f.fold(endpoints_replaced{ep}, ref(k_kind_endpoints, "storage", "glusterfs-cluster", "uid-ep"));
  CHECK(find_namespace(f.s, "storage").has_value());
  bool listed = false;
  for (const auto& n : all_namespaces(f.s)) listed = listed || n.metadata.name == "storage";
  CHECK(listed);
}

}  // namespace berth::model
