#include "actors/store/fold_diff.hpp"

#include <doctest/doctest.h>

#include "tests/model/fold_fixture.hpp"
#include "tests/model/generators.hpp"

namespace berth::store {
namespace {

using actors::kind;
using namespace model::testing;

model::event event_of(const model::cluster_state& s, model::event_payload payload, model::object_reference object) {
  model::event e;
  e.seq = s.seq + 1;
  e.time = static_cast<model::time_ns>(e.seq) * 1000;
  e.header.object = std::move(object);
  e.header.principal = "test";
  e.payload = std::move(payload);
  return e;
}

TEST_CASE("a created pod is touched once: absent before, present after") {
  model::cluster_state s;
  auto p = make_pod("web");
  auto touched =
      fold_and_diff(s, event_of(s, model::object_created{model::api_object{p}}, pod_ref("web", p.metadata.uid)));
  REQUIRE(touched.size() == 1);
  CHECK(touched[0].k == kind::pod);
  CHECK(touched[0].key == model::object_key{"default", "web"});
  CHECK_FALSE(touched[0].before);
  REQUIRE(touched[0].after);
  CHECK(std::get<model::pod>(*touched[0].after).metadata.uid == p.metadata.uid);
}

TEST_CASE("a deleted service touches the service and its endpoints") {
  model::cluster_state s;
  auto svc = make_service("db");
  fold_and_diff(s, event_of(s, model::object_created{model::api_object{svc}},
                            ref(model::k_kind_service, "default", "db", svc.metadata.uid)));
  auto touched = fold_and_diff(
      s, event_of(s, model::object_deleted{-1}, ref(model::k_kind_service, "default", "db", svc.metadata.uid)));
  REQUIRE(touched.size() == 2);
  CHECK(touched[0].k == kind::service);
  CHECK(touched[0].before);
  CHECK_FALSE(touched[0].after);
  CHECK(touched[1].k == kind::endpoints);
}

TEST_CASE("an RC deleted with orphanDependents touches the pods it releases, and only those") {
  model::cluster_state s;
  auto rc = make_rc("front", 1);
  fold_and_diff(s, event_of(s, model::object_created{model::api_object{rc}}, ref(model::k_kind_rc, "default", "front")));
  auto p = make_pod("front-a");
  p.metadata.owner_references.push_back({"v1", model::k_kind_rc, "front", rc.metadata.uid, true});
  fold_and_diff(s, event_of(s, model::pod_created{p}, pod_ref("front-a")));
  fold_and_diff(s, event_of(s, model::pod_created{make_pod("loose")}, pod_ref("loose")));

  auto touched = fold_and_diff(s, event_of(s, model::object_deleted{-1, true}, ref(model::k_kind_rc, "default", "front")));
  REQUIRE(touched.size() == 2);
  CHECK(touched[0].k == kind::replication_controller);
  CHECK_FALSE(touched[0].after);
  CHECK(touched[1].k == kind::pod);
  CHECK(touched[1].key == model::object_key{"default", "front-a"});
  REQUIRE(touched[1].before);
  REQUIRE(touched[1].after);
  CHECK(actors::meta_of(*touched[1].before).owner_references.size() == 1);
  CHECK(actors::meta_of(*touched[1].after).owner_references.empty());

  // Without orphanDependents the pods are not touched by the delete itself.
  rc = make_rc("back", 1);
  fold_and_diff(s, event_of(s, model::object_created{model::api_object{rc}}, ref(model::k_kind_rc, "default", "back")));
  auto q = make_pod("back-a");
  q.metadata.owner_references.push_back({"v1", model::k_kind_rc, "back", rc.metadata.uid, true});
  fold_and_diff(s, event_of(s, model::pod_created{q}, pod_ref("back-a")));
  touched = fold_and_diff(s, event_of(s, model::object_deleted{-1}, ref(model::k_kind_rc, "default", "back")));
  CHECK(touched.size() == 1);
}

TEST_CASE("a registered node is keyed by name alone") {
  model::cluster_state s;
  auto touched = fold_and_diff(s, event_of(s, model::node_registered{make_node("n1")}, node_ref("n1")));
  REQUIRE(touched.size() == 1);
  CHECK(touched[0].k == kind::node);
  CHECK(touched[0].key == model::object_key{"", "n1"});
  CHECK(touched[0].after);
}

TEST_CASE("an ignored event (deleting a missing pod) changes nothing") {
  model::cluster_state s;
  auto touched = fold_and_diff(s, event_of(s, model::object_deleted{-1}, pod_ref("ghost")));
  REQUIRE(touched.size() == 1);
  CHECK_FALSE(touched[0].before);
  CHECK_FALSE(touched[0].after);
  CHECK(s.ignored_events == 1);
}

TEST_CASE("event keys and state keys") {
  CHECK(event_key(kind::pod, {"default", "web"}) == "pods/default/web");
  CHECK(event_key(kind::node, {"", "n1"}) == "nodes//n1");
  CHECK(state_key({kind::node, "default", "n1"}) == model::object_key{"", "n1"});
  CHECK(state_key({kind::pod, "prod", "web"}) == model::object_key{"prod", "web"});
}

// Invariant over random streams: the diff's `before` is what find_object gave
// before the fold, its `after` what it gives after, and every object the fold
// changed is in the diff.
TEST_CASE("fold_and_diff agrees with the state before and after, over random streams") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    model::cluster_state s;
    for (const auto& e : random_stream(seed, 300)) {
      auto before = s;
      auto touched = fold_and_diff(s, e);
      for (const auto& t : touched) {
        CHECK(t.before == find_object(before, t.k, t.key));
        CHECK(t.after == find_object(s, t.k, t.key));
      }
      // Nothing outside the diff changed.
      auto untouched = [&](kind k, const model::object_key& key) {
        for (const auto& t : touched)
          if (t.k == k && t.key == key) return false;
        return true;
      };
      for (const auto& [key, p] : s.pods)
        if (untouched(kind::pod, key))
          CHECK(find_object(before, kind::pod, key) == std::optional<actors::any_object>(p));
      for (const auto& [key, p] : before.pods)
        if (untouched(kind::pod, key)) CHECK(s.pods.count(key) == 1);
      for (const auto& [name, n] : s.nodes)
        if (untouched(kind::node, {"", name})) CHECK(before.nodes.count(name) == 1);
    }
  }
}

}  // namespace
}  // namespace berth::store
