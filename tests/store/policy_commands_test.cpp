// Limit ranges and quotas as store commands, and admission on the commands
// and decisions that create objects: a pod gets its namespace's defaults or
// is refused (403, the reason alone: the front ends prefix `pods "x" is
// forbidden: `); a quota refuses what would exceed it, pods, services, RCs,
// secrets and quotas alike; an RC's batch of pods is admitted pod by pod
// (admit_controller_pods), each admitted pod counting against the next, a
// refusal becoming one podCreateRefused on the RC that does not wake it.

#include <doctest/doctest.h>

#include "actors/model/quota.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/pod_admission.hpp"
#include "actors/store/routing.hpp"
#include "tests/model/fold_fixture.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create;
using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;
using namespace model::testing;

model::resource_list rl(std::initializer_list<std::pair<const char*, const char*>> entries) {
  model::resource_list out;
  for (const auto& [k, v] : entries) out[k] = *model::parse_quantity(v);
  return out;
}

model::limit_range limits(model::resource_list max, model::resource_list def) {
  model::limit_range x;
  x.metadata.name = "limits";
  x.limits.push_back({model::k_limit_type_container, std::move(max), {}, std::move(def), {}, {}});
  return x;
}

model::resource_quota quota(model::resource_list hard) {
  model::resource_quota x;
  x.metadata.name = "quota";
  x.hard = std::move(hard);
  return x;
}

model::pod bare_pod(std::string name) {
  auto p = make_pod(std::move(name));
  p.metadata.uid.clear();
  return p;
}

}  // namespace

TEST_CASE("limit range: created, listed, replaced by apply, deleted; bad specs name the field") {
  model::cluster_state s;
  address_book book;
  auto plan = plan_create(s, create_of(limits(rl({{"cpu", "2"}}), rl({{"cpu", "250m"}}))), book, "u1");
  REQUIRE_FALSE(plan.answer);
  CHECK(std::holds_alternative<model::limit_range_created>(plan.event.payload));
  CHECK(plan.event.header.object == model::object_reference{"LimitRange", "default", "limits", "u1"});
  fold(s, plan.event);
  auto listed = list_objects(s, {kind::limit_range, "default", "", ""});
  REQUIRE(listed.items.size() == 1);

  auto again = plan_create(s, create_of(limits(rl({{"cpu", "2"}}), {})), book, "u2");
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);
  CHECK(again.answer->message == "limitranges \"limits\" already exists");

  auto applied = plan_create(s, create_of(limits(rl({{"cpu", "4"}}), {}), true), book, "u2");
  REQUIRE_FALSE(applied.answer);
  CHECK(std::holds_alternative<model::limit_range_replaced>(applied.event.payload));
  fold(s, applied.event);
  CHECK(s.limit_ranges.at({"default", "limits"}).limits[0].max == rl({{"cpu", "4"}}));
  CHECK(s.limit_ranges.at({"default", "limits"}).metadata.uid == "u1");

  auto bad = limits(rl({{"cpu", "1"}, {"pods", "3"}}), rl({{"cpu", "2"}}));
  bad.metadata.name = "bad";
  bad.limits[0].type = "Node";
  auto refused = plan_create(s, create_of(bad), book, "u3");
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::invalid);
  std::vector<std::string> fields;
  for (const auto& e : refused.answer->errors) fields.push_back(e.field + ": " + e.message);
  CHECK(fields == std::vector<std::string>{
                      "spec.limits[0].type: Unsupported value: \"Node\": supported values: \"Container\", \"Pod\"",
                      "spec.limits[0].max[pods]: Unsupported value: \"pods\": supported values: \"cpu\", \"memory\"",
                      "spec.limits[0].default[cpu]: Invalid value: \"2\": default value 2 is greater than max value 1",
                  });

  auto del = plan_delete(s, {"user:test", {kind::limit_range, "default", "limits"}, -1, false});
  REQUIRE_FALSE(del.answer);
  CHECK(std::holds_alternative<model::limit_range_removed>(del.event.payload));
  fold(s, del.event);
  CHECK(s.limit_ranges.empty());
}

TEST_CASE("pod create: limit-range defaults applied, a maximum refused as Forbidden") {
  model::cluster_state s;
  create(s, limits(rl({{"cpu", "2"}, {"memory", "1Gi"}}), rl({{"cpu", "250m"}, {"memory", "100Mi"}})), "u-lr");
  address_book book;
  auto plan = plan_create(s, create_of(bare_pod("nginx")), book, "u-p");
  REQUIRE_FALSE(plan.answer);
  const auto& created = std::get<model::object_created>(plan.event.payload);
  const auto& p = std::get<model::pod>(created.object);
  CHECK(p.spec.containers[0].resources.limits == rl({{"cpu", "250m"}, {"memory", "100Mi"}}));

  auto big = bare_pod("invalid-pod");
  big.spec.containers[0].resources.limits = rl({{"cpu", "3"}, {"memory", "100Mi"}});
  auto refused = plan_create(s, create_of(big), book, "u-q");
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::forbidden);
  CHECK(refused.answer->message == "maximum cpu usage per Container is 2, but limit is 3");

  // Other namespaces are not bound by it.
  big.metadata.namespace_ = "kube-system";
  CHECK_FALSE(plan_create(s, create_of(big), book, "u-r").answer);
}

TEST_CASE("quota: status counted when read; creates beyond hard refused, kind by kind") {
  model::cluster_state s;
  create(s, quota(rl({{"pods", "1"}, {"services", "1"}, {"replicationcontrollers", "0"}, {"secrets", "1"},
                      {"resourcequotas", "1"}})),
         "u-q");
  auto got = get_object(s, {{kind::resource_quota, "default", "quota"}});
  REQUIRE(got.result == code::ok);
  const auto& shown = std::get<model::resource_quota>(*got.object);
  CHECK(shown.status.hard == shown.hard);
  CHECK(model::to_string(shown.status.used.at("resourcequotas")) == "1");
  CHECK(model::to_string(shown.status.used.at("pods")) == "0");

  create(s, bare_pod("one"), "u-1");
  address_book book;
  auto second = plan_create(s, create_of(bare_pod("two")), book, "u-2");
  REQUIRE(second.answer);
  CHECK(second.answer->result == code::forbidden);
  CHECK(second.answer->message == "exceeded quota: quota, requested: pods=1, used: pods=1, limited: pods=1");

  auto rc = make_rc("web", 1);
  rc.metadata.uid.clear();
  rc.spec.template_.metadata.labels = rc.spec.selector;
  rc.spec.template_.spec.containers = make_pod("x").spec.containers;
  auto rc_plan = plan_create(s, create_of(rc), book, "u-rc");
  REQUIRE(rc_plan.answer);
  CHECK(rc_plan.answer->message ==
        "exceeded quota: quota, requested: replicationcontrollers=1, used: replicationcontrollers=0, limited: "
        "replicationcontrollers=0");

  auto again = quota(rl({{"pods", "5"}}));
  again.metadata.name = "second";
  auto q2 = plan_create(s, create_of(again), book, "u-q2");
  REQUIRE(q2.answer);
  CHECK(q2.answer->message ==
        "exceeded quota: quota, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1");

  // Raising the quota by apply lets the pod in.
  auto raised = plan_create(s, create_of(quota(rl({{"pods", "2"}, {"resourcequotas", "1"}})), true), book, "u-q3");
  REQUIRE_FALSE(raised.answer);
  CHECK(std::holds_alternative<model::resource_quota_replaced>(raised.event.payload));
  fold(s, raised.event);
  create(s, bare_pod("two"), "u-2");
  CHECK(s.pods.size() == 2);
}

TEST_CASE("quota with cpu and memory: a pod without limits is refused; a limit range's defaults let it in") {
  model::cluster_state s;
  create(s, quota(rl({{"cpu", "20"}, {"memory", "1Gi"}, {"pods", "10"}})), "u-q");
  address_book book;
  auto refused = plan_create(s, create_of(bare_pod("nginx")), book, "u-p");
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::forbidden);
  CHECK(refused.answer->message == "failed quota: quota: must specify cpu,memory");
  create(s, limits({}, rl({{"cpu", "100m"}, {"memory", "512Mi"}})), "u-lr");
  create(s, bare_pod("nginx"), "u-p");
  auto got = get_object(s, {{kind::resource_quota, "default", "quota"}});
  const auto& used = std::get<model::resource_quota>(*got.object).status.used;
  CHECK(model::to_string(used.at("cpu")) == "100m");
  CHECK(model::to_string(used.at("memory")) == "512Mi");
  CHECK(model::to_string(used.at("pods")) == "1");
}

namespace {

model::event pod_created_by(const model::replication_controller& rc, std::string name) {
  auto p = make_pod(std::move(name));
  p.metadata.owner_references.push_back({"v1", "ReplicationController", rc.metadata.name, rc.metadata.uid, true});
  model::event e;
  e.header.object = {"Pod", "default", p.metadata.name, p.metadata.uid};
  e.header.principal = "controller:replicationcontroller/" + rc.metadata.name;
  e.header.cause = 7;
  e.payload = model::pod_created{p};
  return e;
}

}  // namespace

TEST_CASE("controller pods: admitted one by one against the quota; refusals become one podCreateRefused") {
  model::cluster_state s;
  auto rc = make_rc("nginx", 3);
  s.rcs[{"default", "nginx"}] = rc;
  create(s, quota(rl({{"pods", "2"}})), "u-q");
  create(s, limits({}, rl({{"cpu", "100m"}})), "u-lr");
  auto out = admit_controller_pods(s, {pod_created_by(rc, "nginx-a"), pod_created_by(rc, "nginx-b"),
                                       pod_created_by(rc, "nginx-c"), pod_created_by(rc, "nginx-d")});
  REQUIRE(out.size() == 3);
  const auto& a = std::get<model::pod_created>(out[0].payload).object;
  CHECK(a.spec.containers[0].resources.limits == rl({{"cpu", "100m"}}));  // the defaults
  CHECK(std::holds_alternative<model::pod_created>(out[1].payload));
  const auto* refused = std::get_if<model::pod_create_refused>(&out[2].payload);
  REQUIRE(refused);
  CHECK(out[2].header.object == model::object_reference{"ReplicationController", "default", "nginx", "uid-nginx"});
  CHECK(out[2].header.principal == "controller:replicationcontroller/nginx");
  CHECK(out[2].header.cause == 7);
  CHECK(refused->why.reason == "FailedCreate");
  CHECK(refused->why.message ==
        "Error creating: pods \"nginx-c\" is forbidden: exceeded quota: quota, requested: pods=1, used: pods=2, "
        "limited: pods=2");

  // Folded, the refusal is in the RC's history but does not wake its actor.
  auto touched = fold(s, out[2]);
  REQUIRE(touched.size() == 1);
  CHECK(touched[0].k == kind::replication_controller);
  CHECK(plan_route(s, touched[0]) == route_plan{});
}

TEST_CASE("routing: a limit range or quota change wakes the namespace's controllers") {
  model::cluster_state s;
  address_book book;
  auto plan = plan_create(s, create_of(quota(rl({{"pods", "2"}}))), book, "u-q");
  REQUIRE_FALSE(plan.answer);
  auto touched = fold(s, plan.event);
  REQUIRE(touched.size() == 1);
  CHECK(plan_route(s, touched[0]).wake_controllers);
  // A pod leaving a namespace with a quota frees room: controllers look again.
  create(s, bare_pod("p"), "u-p");
  auto del = fold(s, model::event{0, 0, {{"Pod", "default", "p", "u-p"}, "test", 0}, model::pod_removed{}});
  REQUIRE_FALSE(del.empty());
  CHECK(plan_route(s, del[0]).wake_controllers);
}

}  // namespace berth::store
