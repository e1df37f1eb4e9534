#include "actors/store/routing.hpp"

#include <doctest/doctest.h>

#include "tests/model/fold_fixture.hpp"

namespace berth::store {
namespace {

using actors::kind;
using object_action = route_plan::object_action;
using namespace model::testing;

model::pod owned_by(model::pod p, const model::replication_controller& rc) {
  p.metadata.owner_references = {{"v1", model::k_kind_rc, rc.metadata.name, rc.metadata.uid, true}};
  p.metadata.labels = rc.spec.selector;
  return p;
}

TEST_CASE("a new pending pod: its actor, its RC, the services that select it, and the scheduler") {
  model::cluster_state s;
  auto rc = make_rc("web", 1);
  auto svc = make_service("web");  // selects app=web
  s.services.emplace(model::object_key{"default", "web"}, svc);
  auto p = owned_by(make_pod("web-1"), rc);
  touched_object t{kind::pod, {"default", "web-1"}, std::nullopt, actors::any_object(p)};
  auto plan = plan_route(s, t);
  CHECK(plan.own == object_action::update);
  CHECK(plan.controller == model::object_key{"default", "web"});
  CHECK(plan.services == std::vector<model::object_key>{{"default", "web"}});
  CHECK(plan.nodes.empty());
  CHECK(plan.wake_scheduler);
  CHECK_FALSE(plan.collect_garbage);
}

TEST_CASE("a pod moving between nodes tells both nodes once each") {
  model::cluster_state s;
  auto before = make_pod("p", "n1");
  auto after = make_pod("p", "n2");
  auto plan = plan_route(s, {kind::pod, {"default", "p"}, actors::any_object(before), actors::any_object(after)});
  CHECK(plan.nodes == std::vector<std::string>{"n1", "n2"});
  CHECK_FALSE(plan.wake_scheduler);  // still bound and active
}

TEST_CASE("a deleted bound pod frees capacity: the scheduler is woken and its actor stopped") {
  model::cluster_state s;
  auto before = make_pod("p", "n1");
  auto plan = plan_route(s, {kind::pod, {"default", "p"}, actors::any_object(before), std::nullopt});
  CHECK(plan.own == object_action::stop);
  CHECK(plan.nodes == std::vector<std::string>{"n1"});
  CHECK(plan.wake_scheduler);
}

TEST_CASE("a pod that stops matching a service still reaches it (to leave its endpoints)") {
  model::cluster_state s;
  s.services.emplace(model::object_key{"default", "web"}, make_service("web"));
  auto before = make_pod("p", "n1");
  before.metadata.labels = {{"app", "web"}};
  auto after = before;
  after.metadata.labels = {{"app", "other"}};
  auto plan = plan_route(s, {kind::pod, {"default", "p"}, actors::any_object(before), actors::any_object(after)});
  CHECK(plan.services == std::vector<model::object_key>{{"default", "web"}});
}

TEST_CASE("services never select pods of another namespace") {
  auto svc = make_service("web");
  auto p = make_pod("p");
  p.metadata.labels = {{"app", "web"}};
  CHECK(selects(svc, p));
  p.metadata.namespace_ = "prod";
  CHECK_FALSE(selects(svc, p));
  svc.spec.selector.clear();
  p.metadata.namespace_ = "default";
  CHECK_FALSE(selects(svc, p));  // no selector: endpoints are managed by hand
}

TEST_CASE("kinds other than pods: table") {
  model::cluster_state s;
  auto rc = actors::any_object(make_rc("web", 1));
  auto svc = actors::any_object(make_service("web"));
  auto node = actors::any_object(make_node("n1"));
  struct row {
    touched_object t;
    object_action own;
    bool wake, push, gc;
  };
  std::vector<row> rows{
      {{kind::replication_controller, {"default", "web"}, std::nullopt, rc},
       object_action::update,
       false,
       false,
       false},
      {{kind::replication_controller, {"default", "web"}, rc, std::nullopt}, object_action::stop, false, false, true},
      {{kind::service, {"default", "web"}, std::nullopt, svc}, object_action::update, false, true, false},
      {{kind::service, {"default", "web"}, svc, std::nullopt}, object_action::stop, false, true, false},
      {{kind::node, {"", "n1"}, std::nullopt, node}, object_action::update, true, false, false},
      {{kind::node, {"", "n1"}, node, std::nullopt}, object_action::stop, true, false, true},
      {{kind::pod, {"default", "x"}, std::nullopt, std::nullopt}, object_action::none, false, false, false},
  };
  for (const auto& r : rows) {
    auto plan = plan_route(s, r.t);
    CHECK(plan.own == r.own);
    CHECK(plan.wake_scheduler == r.wake);
    CHECK(plan.push_services == r.push);
    CHECK(plan.collect_garbage == r.gc);
  }
}

TEST_CASE("state queries: owned, matching, bound, scheduling inputs") {
  model::cluster_state s;
  auto rc = make_rc("web", 2);
  s.rcs.emplace(model::object_key{"default", "web"}, rc);
  auto a = owned_by(make_pod("web-a", "n1"), rc);
  auto b = owned_by(make_pod("web-b"), rc);
  auto stray = make_pod("stray", "n1");
  for (const auto& p : {a, b, stray}) s.pods.emplace(model::object_key{"default", p.metadata.name}, p);
  s.nodes.emplace("n1", make_node("n1"));
  CHECK(owned_pods(s, rc).size() == 2);
  CHECK(matching_pods(s, make_service("web")).size() == 2);
  CHECK(bound_pods(s, "n1").size() == 2);
  auto in = make_scheduling_inputs(s);
  CHECK(in.pending.size() == 1);
  CHECK(in.pending[0].metadata.name == "web-b");
  CHECK(in.bound.size() == 2);
  CHECK(in.nodes.size() == 1);
}

}  // namespace
}  // namespace berth::store
