// Table tests of apply(), one rule at a time with its ignored cases: the
// commands (decisions and observations are in state_decisions_test.cpp).

#include <doctest/doctest.h>

#include "tests/model/fold_fixture.hpp"

namespace berth::model {
namespace {

using testing::fold_fixture;
using testing::make_node;
using testing::make_pod;
using testing::make_rc;
using testing::make_service;
using testing::meta;
using testing::node_ref;
using testing::pod_ref;
using testing::ref;

constexpr auto applied = apply_outcome::applied;
constexpr auto ignored = apply_outcome::ignored;

}  // namespace

// ------------------------------------------------------------------ objectCreated

TEST_CASE("object_created inserts a pod with fold-owned metadata and phase Pending") {
  fold_fixture f;
  pod p = make_pod("web");
  p.metadata.generation = 9;
  p.metadata.resource_version = 77;
  p.metadata.creation_timestamp = 5;
  p.metadata.deletion_timestamp = 6;
  p.metadata.deletion_grace_period_seconds = 7;
  p.status.phase = pod_phase::running;
  p.status.pod_ip = "10.0.0.9";
  CHECK(f.fold(object_created{p}) == applied);
  const pod& got = f.the_pod("web");
  CHECK(got.metadata.uid == "uid-web");
  CHECK(got.metadata.generation == 1);
  CHECK(got.metadata.resource_version == 1);
  CHECK(got.metadata.creation_timestamp == 1000);
  CHECK(got.metadata.deletion_timestamp == 0);
  CHECK(got.metadata.deletion_grace_period_seconds == 0);
  CHECK(got.status.phase == pod_phase::pending);
  CHECK(got.status.pod_ip == "10.0.0.9");
  CHECK(got.status.conditions.empty());
  CHECK(f.s.seq == 1);
}

TEST_CASE("object_created of an existing key is ignored and counted") {
  fold_fixture f;
  CHECK(f.fold(object_created{make_pod("web")}) == applied);
  pod other = make_pod("web");
  other.metadata.uid = "another";
  CHECK(f.fold(object_created{other}) == ignored);
  CHECK(f.the_pod("web").metadata.uid == "uid-web");
  CHECK(f.the_pod("web").metadata.resource_version == 1);
  CHECK(f.s.ignored_events == 1);
  CHECK(f.s.seq == 2);
}

TEST_CASE("a pod created already bound is scheduled at the event's time") {
  fold_fixture f;
  pod p = make_pod("web", "n1");
  p.status.conditions = {{"PodScheduled", condition_status::is_false, "Unschedulable", "x", 5, 0, 0}};
  CHECK(f.fold(pod_created{p}) == applied);
  const auto& cs = f.the_pod("web").status.conditions;
  REQUIRE(cs.size() == 1);
  CHECK(cs[0] == condition{"PodScheduled", condition_status::is_true, "", "", 1000, 0, 0});
}

TEST_CASE("an unbound pod is created without any PodScheduled condition the producer wrote") {
  fold_fixture f;
  pod p = make_pod("web");
  p.status.conditions = {{"PodScheduled", condition_status::is_true, "", "", 5, 0, 0},
                         {"Ready", condition_status::is_false, "", "", 5, 0, 0}};
  CHECK(f.fold(object_created{p}) == applied);
  const auto& cs = f.the_pod("web").status.conditions;
  REQUIRE(cs.size() == 1);
  CHECK(cs[0].type == "Ready");
}

TEST_CASE("object_created inserts replication controllers and services") {
  fold_fixture f;
  CHECK(f.fold(object_created{make_rc("front", 3)}) == applied);
  CHECK(f.fold(object_created{make_service("front")}) == applied);
  const auto& rc = f.s.rcs.at({"default", "front"});
  CHECK(rc.metadata.generation == 1);
  CHECK(rc.metadata.resource_version == 1);
  CHECK(rc.spec.replicas == 3);
  const auto& svc = f.s.services.at({"default", "front"});
  CHECK(svc.metadata.creation_timestamp == 2000);
  CHECK(svc.metadata.resource_version == 2);
}

// ----------------------------------------------------------------- objectReplaced

TEST_CASE("object_replaced takes labels, annotations and spec; keeps identity and status") {
  fold_fixture f;
  f.fold(object_created{make_rc("front", 3)});
  f.s.rcs.at({"default", "front"}).status.replicas = 3;
  replication_controller r = make_rc("front", 5);
  r.metadata.uid = "ignored-uid";
  r.metadata.creation_timestamp = 42;
  r.metadata.labels = {{"tier", "web"}};
  r.metadata.annotations = {{"note", "v2"}};
  r.status.replicas = 99;
  CHECK(f.fold(object_replaced{r}) == applied);
  const auto& got = f.s.rcs.at({"default", "front"});
  CHECK(got.metadata.uid == "uid-front");
  CHECK(got.metadata.creation_timestamp == 1000);
  CHECK(got.metadata.labels == string_map{{"tier", "web"}});
  CHECK(got.metadata.annotations == string_map{{"note", "v2"}});
  CHECK(got.spec.replicas == 5);
  CHECK(got.status.replicas == 3);
  CHECK(got.metadata.generation == 2);
  CHECK(got.metadata.resource_version == 2);
}

TEST_CASE("object_replaced with the same spec keeps the generation") {
  fold_fixture f;
  f.fold(object_created{make_service("front")});
  service s = make_service("front");
  s.metadata.labels = {{"a", "b"}};
  CHECK(f.fold(object_replaced{s}) == applied);
  const auto& got = f.s.services.at({"default", "front"});
  CHECK(got.metadata.generation == 1);
  CHECK(got.metadata.labels == string_map{{"a", "b"}});
  CHECK(got.metadata.resource_version == 2);
}

TEST_CASE("object_replaced cannot move a bound pod nor undo its termination") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("web", "n1")});
  f.fold(object_deleted{10}, pod_ref("web"));
  pod r = make_pod("web", "n2");
  CHECK(f.fold(object_replaced{r}) == applied);
  const pod& got = f.the_pod("web");
  CHECK(got.spec.node_name == "n1");
  CHECK(got.metadata.generation == 1);  // only node_name differed: no spec change
  CHECK(got.metadata.deletion_timestamp == 3000);
  r.spec.containers[0].image = "nginx:1.26";
  CHECK(f.fold(object_replaced{r}) == applied);
  CHECK(f.the_pod("web").metadata.generation == 2);
  CHECK(f.the_pod("web").spec.node_name == "n1");
}

TEST_CASE("object_replaced of a missing object is ignored") {
  fold_fixture f;
  CHECK(f.fold(object_replaced{make_pod("ghost")}) == ignored);
  CHECK(f.s.pods.empty());
  CHECK(f.s.ignored_events == 1);
}

// ------------------------------------------------------------------ objectDeleted

TEST_CASE("deleting a pod bound to a live node makes it terminating with the given grace") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("web", "n1")});
  CHECK(f.fold(object_deleted{5}, pod_ref("web")) == applied);
  CHECK(f.the_pod("web").metadata.deletion_timestamp == 3000);
  CHECK(f.the_pod("web").metadata.deletion_grace_period_seconds == 5);
  CHECK(f.the_pod("web").metadata.resource_version == 3);
  // A second delete may shorten the grace period; the timestamp stays.
  CHECK(f.fold(object_deleted{0}, pod_ref("web")) == applied);
  CHECK(f.the_pod("web").metadata.deletion_timestamp == 3000);
  CHECK(f.the_pod("web").metadata.deletion_grace_period_seconds == 0);
}

TEST_CASE("deleting a pod with grace -1 uses its terminationGracePeriodSeconds") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  pod p = make_pod("web", "n1");
  p.spec.termination_grace_period_seconds = 45;
  f.fold(pod_created{p});
  CHECK(f.fold(object_deleted{-1}, pod_ref("web")) == applied);
  CHECK(f.the_pod("web").metadata.deletion_grace_period_seconds == 45);
}

TEST_CASE("deleting an unbound pod or a pod whose node is gone removes it at once") {
  fold_fixture f;
  f.fold(pod_created{make_pod("unbound")});
  f.fold(pod_created{make_pod("orphan", "gone")});
  CHECK(f.fold(object_deleted{-1}, pod_ref("unbound")) == applied);
  CHECK(f.fold(object_deleted{30}, pod_ref("orphan")) == applied);
  CHECK(f.s.pods.empty());
}

TEST_CASE("deleting a replication controller leaves its pods to later decisions") {
  fold_fixture f;
  f.fold(object_created{make_rc("front", 1)});
  f.fold(pod_created{make_pod("front-abcde")});
  CHECK(f.fold(object_deleted{-1}, ref(k_kind_rc, "default", "front")) == applied);
  CHECK(f.s.rcs.empty());
  CHECK(f.has_pod("front-abcde"));
}

TEST_CASE("deleting a replication controller with orphanDependents releases its pods and keeps them") {
  fold_fixture f;
  f.fold(object_created{make_rc("front", 2)});
  auto owned = [](std::string name, std::string rc_uid) {
    auto p = make_pod(std::move(name));
    p.metadata.owner_references.push_back({"v1", k_kind_rc, "front", std::move(rc_uid), true});
    p.metadata.owner_references.push_back({"v1", "Widget", "w", "uid-w", false});  // not the controller: stays
    return p;
  };
  f.fold(pod_created{owned("front-a", "uid-front")});
  f.fold(pod_created{owned("front-b", "uid-front")});
  f.fold(pod_created{owned("other-c", "uid-other")});
  CHECK(pods_controlled_by(f.s, "uid-front") == std::vector<object_key>{{"default", "front-a"}, {"default", "front-b"}});

  CHECK(f.fold(object_deleted{-1, true}, ref(k_kind_rc, "default", "front")) == applied);
  CHECK(f.s.rcs.empty());
  for (const char* name : {"front-a", "front-b"}) {
    const auto& p = f.the_pod(name);
    REQUIRE(p.metadata.owner_references.size() == 1);
    CHECK(p.metadata.owner_references[0].kind == "Widget");
    CHECK(p.metadata.resource_version == f.s.seq);  // a change watchers see
  }
  CHECK(f.the_pod("other-c").metadata.owner_references.size() == 2);
  CHECK(pods_controlled_by(f.s, "uid-front").empty());
}

TEST_CASE("deleting a service removes its endpoints too") {
  fold_fixture f;
  f.fold(object_created{make_service("front")});
  endpoints ep;
  ep.metadata = meta("default", "front");
  f.fold(endpoints_updated{ep});
  REQUIRE(f.s.endpoints_.size() == 1);
  CHECK(f.fold(object_deleted{-1}, ref(k_kind_service, "default", "front")) == applied);
  CHECK(f.s.services.empty());
  CHECK(f.s.endpoints_.empty());
}

TEST_CASE("deleting a node leaves the pods bound to it") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("web", "n1")});
  CHECK(f.fold(object_deleted{-1}, node_ref("n1")) == applied);
  CHECK(f.s.nodes.empty());
  CHECK(f.the_pod("web").spec.node_name == "n1");
}

TEST_CASE("object_deleted is ignored for missing objects, endpoints, unknown kinds and stale uids") {
  fold_fixture f;
  f.fold(object_created{make_service("front")});
  f.fold(pod_created{make_pod("web")});
  CHECK(f.fold(object_deleted{-1}, pod_ref("ghost")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ref(k_kind_rc, "default", "front")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ref(k_kind_endpoints, "default", "front")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ref("Widget", "default", "front")) == ignored);
  CHECK(f.fold(object_deleted{-1}, pod_ref("web", "uid-of-an-earlier-web")) == ignored);
  CHECK(f.fold(object_deleted{-1}, node_ref("n9")) == ignored);
  CHECK(f.s.ignored_events == 6);
  CHECK(f.has_pod("web"));
  CHECK(f.fold(object_deleted{-1}, pod_ref("web", "uid-web")) == applied);
  CHECK_FALSE(f.has_pod("web"));
}

// ----------------------------------------------------------------------- rcScaled

TEST_CASE("rc_scaled sets replicas and bumps the generation only on change") {
  fold_fixture f;
  f.fold(object_created{make_rc("front", 3)});
  CHECK(f.fold(rc_scaled{5}, ref(k_kind_rc, "default", "front")) == applied);
  auto& rc = f.s.rcs.at({"default", "front"});
  CHECK(rc.spec.replicas == 5);
  CHECK(rc.metadata.generation == 2);
  CHECK(rc.metadata.resource_version == 2);
  CHECK(f.fold(rc_scaled{5}, ref(k_kind_rc, "default", "front")) == applied);
  CHECK(rc.metadata.generation == 2);
  CHECK(rc.metadata.resource_version == 3);
}

TEST_CASE("rc_scaled of a missing controller or through the wrong kind is ignored") {
  fold_fixture f;
  f.fold(object_created{make_rc("front", 3)});
  CHECK(f.fold(rc_scaled{5}, ref(k_kind_rc, "default", "back")) == ignored);
  CHECK(f.fold(rc_scaled{5}, ref(k_kind_service, "default", "front")) == ignored);
  CHECK(f.s.rcs.at({"default", "front"}).spec.replicas == 3);
  CHECK(f.s.ignored_events == 2);
}

}  // namespace berth::model
