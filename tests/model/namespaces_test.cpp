// Namespaces in the fold: namespaceCreated / namespaceReplaced /
// namespaceRemoved and objectDeleted of a Namespace (table tests, one rule at
// a time with its ignored cases), which namespaces exist (stored and
// derived), and the codec of the new events and snapshot field.

#include <doctest/doctest.h>

#include "actors/model/codec.hpp"
#include "actors/model/namespaces.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::model {
namespace {

using testing::fold_fixture;
using testing::make_pod;
using testing::make_rc;
using testing::make_service;
using testing::ref;

constexpr auto applied = apply_outcome::applied;
constexpr auto ignored = apply_outcome::ignored;

namespace_object make_ns(std::string name, std::string uid = "") {
  namespace_object n;
  n.metadata.name = std::move(name);
  n.metadata.uid = uid.empty() ? "uid-" + n.metadata.name : std::move(uid);
  return n;
}

object_reference ns_ref(const std::string& name, std::string uid = "") {
  return ref(k_kind_namespace, "", name, std::move(uid));
}

pod pod_in(std::string ns, std::string name) {
  pod p = make_pod(std::move(name));
  p.metadata.namespace_ = std::move(ns);
  return p;
}

}  // namespace

// ------------------------------------------------------------------ namespaceCreated

TEST_CASE("namespace_created stores an Active namespace with fold-owned metadata, cluster-scoped") {
  fold_fixture f;
  namespace_object n = make_ns("team-a");
  n.metadata.namespace_ = "oops";
  n.metadata.labels = {{"team", "a"}};
  n.metadata.deletion_timestamp = 99;
  n.status.phase = namespace_phase::terminating;
  CHECK(f.fold(namespace_created{n}, ns_ref("team-a", "uid-team-a")) == applied);
  const auto& got = f.s.namespaces.at("team-a");
  CHECK(got.metadata.uid == "uid-team-a");
  CHECK(got.metadata.namespace_.empty());
  CHECK(got.metadata.labels == string_map{{"team", "a"}});
  CHECK(got.metadata.resource_version == 1);
  CHECK(got.metadata.creation_timestamp == 1000);
  CHECK(got.metadata.deletion_timestamp == 0);
  CHECK(got.status.phase == namespace_phase::active);
}

TEST_CASE("namespace_created of a stored name is ignored and changes nothing") {
  fold_fixture f;
  REQUIRE(f.fold(namespace_created{make_ns("team-a", "u1")}, ns_ref("team-a")) == applied);
  auto before = f.s.namespaces;
  CHECK(f.fold(namespace_created{make_ns("team-a", "u2")}, ns_ref("team-a")) == ignored);
  CHECK(f.s.namespaces == before);
  CHECK(f.s.ignored_events == 1);
}

// ------------------------------------------------------------------ objectDeleted (Namespace)

TEST_CASE("deleting a namespace makes it Terminating; a second delete keeps the first timestamp") {
  fold_fixture f;
  REQUIRE(f.fold(namespace_created{make_ns("team-a")}, ns_ref("team-a")) == applied);
  CHECK(f.fold(object_deleted{-1}, ns_ref("team-a", "uid-team-a")) == applied);
  const auto& got = f.s.namespaces.at("team-a");
  CHECK(got.status.phase == namespace_phase::terminating);
  CHECK(got.metadata.deletion_timestamp == 2000);
  CHECK(got.metadata.resource_version == 2);
  CHECK(is_terminating(f.s, "team-a"));
  CHECK(f.fold(object_deleted{-1}, ns_ref("team-a")) == applied);
  CHECK(f.s.namespaces.at("team-a").metadata.deletion_timestamp == 2000);
}

TEST_CASE("deleting default, kube-system, a missing namespace or one of another uid is ignored") {
  fold_fixture f;
  REQUIRE(f.fold(namespace_created{make_ns("team-a", "u1")}, ns_ref("team-a")) == applied);
  CHECK(f.fold(object_deleted{-1}, ns_ref("default")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ns_ref("kube-system")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ns_ref("nowhere")) == ignored);
  CHECK(f.fold(object_deleted{-1}, ns_ref("team-a", "u0")) == ignored);
  CHECK(f.s.namespaces.size() == 1);
  CHECK(f.s.namespaces.at("team-a").status.phase == namespace_phase::active);
  CHECK(f.s.ignored_events == 4);
}

TEST_CASE("deleting a namespace that exists only because objects live in it stores it Terminating") {
  fold_fixture f;  // as a journal written before namespaces were objects
  REQUIRE(f.fold(object_created{pod_in("legacy", "web")}) == applied);
  REQUIRE(f.s.namespaces.empty());
  CHECK(f.fold(object_deleted{-1}, ns_ref("legacy")) == applied);
  const auto& got = f.s.namespaces.at("legacy");
  CHECK(got.status.phase == namespace_phase::terminating);
  CHECK(got.metadata.creation_timestamp == 2000);
  CHECK(got.metadata.deletion_timestamp == 2000);
}

// ------------------------------------------------------------------ namespaceReplaced

TEST_CASE("namespace_replaced changes labels and annotations only") {
  fold_fixture f;
  REQUIRE(f.fold(namespace_created{make_ns("team-a")}, ns_ref("team-a")) == applied);
  namespace_object want = make_ns("team-a", "other-uid");
  want.metadata.labels = {{"env", "prod"}};
  want.metadata.annotations = {{"note", "x"}};
  want.status.phase = namespace_phase::terminating;
  CHECK(f.fold(namespace_replaced{want}, ns_ref("team-a")) == applied);
  const auto& got = f.s.namespaces.at("team-a");
  CHECK(got.metadata.labels == string_map{{"env", "prod"}});
  CHECK(got.metadata.annotations == string_map{{"note", "x"}});
  CHECK(got.metadata.uid == "uid-team-a");
  CHECK(got.status.phase == namespace_phase::active);
  CHECK(got.metadata.resource_version == 2);
}

TEST_CASE("namespace_replaced of default stores it with the labels; of a missing or misnamed one it is ignored") {
  fold_fixture f;
  namespace_object d = make_ns("default", "");
  d.metadata.uid.clear();
  d.metadata.labels = {{"a", "b"}};
  CHECK(f.fold(namespace_replaced{d}, ns_ref("default")) == applied);
  CHECK(f.s.namespaces.at("default").metadata.labels == string_map{{"a", "b"}});
  CHECK(f.fold(namespace_replaced{make_ns("nowhere")}, ns_ref("nowhere")) == ignored);
  CHECK(f.fold(namespace_replaced{make_ns("kube-system")}, ns_ref("default")) == ignored);
  CHECK(!f.s.namespaces.contains("nowhere"));
  CHECK(!f.s.namespaces.contains("kube-system"));
}

// ------------------------------------------------------------------ namespaceRemoved

TEST_CASE("namespace_removed removes a Terminating namespace once nothing is left in it") {
  fold_fixture f;
  REQUIRE(f.fold(namespace_created{make_ns("team-a")}, ns_ref("team-a")) == applied);
  pod p = pod_in("team-a", "web");
  REQUIRE(f.fold(object_created{p}) == applied);
  auto rc = make_rc("front", 1);
  rc.metadata.namespace_ = "team-a";
  REQUIRE(f.fold(object_created{rc}) == applied);
  auto svc = make_service("front");
  svc.metadata.namespace_ = "team-a";
  REQUIRE(f.fold(object_created{svc}) == applied);

  const model::reason why{"NamespaceEmpty", "nothing is left"};
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a")) == ignored);  // Active
  REQUIRE(f.fold(object_deleted{-1}, ns_ref("team-a")) == applied);
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a")) == ignored);  // objects left
  REQUIRE(f.fold(object_deleted{-1}, ref(k_kind_pod, "team-a", "web")) == applied);  // unbound: gone now
  REQUIRE(f.fold(object_deleted{-1}, ref(k_kind_rc, "team-a", "front")) == applied);
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a")) == ignored);  // the service is left
  REQUIRE(f.fold(object_deleted{-1}, ref(k_kind_service, "team-a", "front")) == applied);
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a", "another-uid")) == ignored);
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a", "uid-team-a")) == applied);
  CHECK(f.s.namespaces.empty());
  CHECK(!find_namespace(f.s, "team-a"));
  CHECK(f.fold(namespace_removed{why}, ns_ref("team-a")) == ignored);  // gone already
}

// ------------------------------------------------------------------ which namespaces exist

TEST_CASE("default and kube-system always exist; others when stored or when objects live in them") {
  fold_fixture f;
  CHECK(find_namespace(f.s, "default"));
  CHECK(find_namespace(f.s, "kube-system"));
  CHECK(!find_namespace(f.s, "team-a"));
  CHECK(!has_objects(f.s, "legacy"));
  REQUIRE(f.fold(object_created{pod_in("legacy", "web")}) == applied);
  auto svc = make_service("db");
  svc.metadata.namespace_ = "zeta";
  REQUIRE(f.fold(object_created{svc}) == applied);
  REQUIRE(f.fold(namespace_created{make_ns("team-a")}, ns_ref("team-a")) == applied);
  CHECK(has_objects(f.s, "legacy"));
  CHECK(!has_objects(f.s, "legac"));  // a prefix is another namespace
  auto legacy = find_namespace(f.s, "legacy");
  REQUIRE(legacy);
  CHECK(legacy->status.phase == namespace_phase::active);
  CHECK(legacy->metadata.uid.empty());
  std::vector<std::string> names;
  for (const auto& n : all_namespaces(f.s)) names.push_back(n.metadata.name);
  CHECK(names == std::vector<std::string>{"default", "kube-system", "legacy", "team-a", "zeta"});
  CHECK(all_namespaces(f.s)[3].metadata.uid == "uid-team-a");
}

TEST_CASE("namespace events round-trip through the codec with their type numbers and families") {
  CHECK(type_name(17) == "namespaceCreated");
  CHECK(type_name(18) == "namespaceReplaced");
  CHECK(type_name(19) == "namespaceRemoved");
  CHECK(family_of(17) == event_family::command);
  CHECK(family_of(18) == event_family::command);
  CHECK(family_of(19) == event_family::decision);
  namespace_object n = make_ns("team-a");
  n.metadata.labels = {{"team", "a"}};
  n.status.phase = namespace_phase::terminating;
  for (event_payload payload : {event_payload{namespace_created{n}}, event_payload{namespace_replaced{n}},
                                event_payload{namespace_removed{{"NamespaceEmpty", "nothing left"}}}}) {
    event e;
    e.header.object = ns_ref("team-a", "uid-team-a");
    e.header.principal = "user:admin";
    e.payload = payload;
    auto bytes = encode_event(e);
    std::string error;
    auto back = decode_event(7, 8, type_of(e), bytes, &error);
    REQUIRE_MESSAGE(back, error);
    e.seq = 7;
    e.time = 8;
    CHECK(*back == e);
  }
}

TEST_CASE("a snapshot keeps stored namespaces, and one without them encodes no namespace list at all") {
  fold_fixture f;
  REQUIRE(f.fold(object_created{pod_in("legacy", "web")}) == applied);
  auto without = encode_snapshot(f.s);
  REQUIRE(f.fold(namespace_created{make_ns("team-a")}, ns_ref("team-a")) == applied);
  REQUIRE(f.fold(object_deleted{-1}, ns_ref("team-a")) == applied);
  auto back = decode_snapshot(encode_snapshot(f.s));
  REQUIRE(back);
  CHECK(*back == f.s);
  CHECK(hash_state(*back) == hash_state(f.s));
  // The namespaces list is the snapshot's last pointer: unset, the encoding
  // is as long as it was before the field existed (a set, empty list would
  // add a pointer and change the hash).
  cluster_state emptied = f.s;
  emptied.namespaces.clear();
  CHECK(hash_state(emptied) != hash_state(f.s));
  auto again = decode_snapshot(without);
  REQUIRE(again);
  CHECK(again->namespaces.empty());
}
}  // namespace berth::model
