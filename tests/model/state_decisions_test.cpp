// Table tests of apply() for decisions and observations (commands are in
// state_commands_test.cpp).

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

const condition& cond(const std::vector<condition>& cs, std::string_view type) {
  const condition* c = find_condition(cs, type);
  REQUIRE(c != nullptr);
  return *c;
}

}  // namespace

// ----------------------------------------------------------------------- podBound

TEST_CASE("pod_bound binds a pending pod and turns PodScheduled=False into True") {
  fold_fixture f;
  f.fold(pod_created{make_pod("web")});
  f.fold(pod_unschedulable{{"Unschedulable", "0/0 nodes available"}}, pod_ref("web"));
  CHECK(f.fold(pod_bound{"n1"}, pod_ref("web")) == applied);
  const pod& p = f.the_pod("web");
  CHECK(p.spec.node_name == "n1");
  CHECK(p.metadata.resource_version == 3);
  REQUIRE(p.status.conditions.size() == 1);
  CHECK(p.status.conditions[0] == condition{"PodScheduled", condition_status::is_true, "", "", 3000, 0, 0});
}

TEST_CASE("pod_bound is ignored for a missing, an already bound or a terminating pod") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("bound", "n1")});
  f.fold(pod_created{make_pod("dying", "n1")});
  f.fold(object_deleted{30}, pod_ref("dying"));
  f.the_pod("dying").spec.node_name.clear();  // as if unbound: termination alone must refuse
  CHECK(f.fold(pod_bound{"n2"}, pod_ref("ghost")) == ignored);
  CHECK(f.fold(pod_bound{"n2"}, pod_ref("bound")) == ignored);
  CHECK(f.fold(pod_bound{"n2"}, pod_ref("dying")) == ignored);
  CHECK(f.the_pod("bound").spec.node_name == "n1");
  CHECK(f.s.ignored_events == 3);
}

// --------------------------------------------------------------- podUnschedulable

TEST_CASE("pod_unschedulable records why; the transition time moves only on a status change") {
  fold_fixture f;
  f.fold(pod_created{make_pod("web")});
  CHECK(f.fold(pod_unschedulable{{"Whatever", "0/3 nodes available: 3 insufficient cpu"}}, pod_ref("web")) == applied);
  CHECK(cond(f.the_pod("web").status.conditions, "PodScheduled") ==
        condition{"PodScheduled", condition_status::is_false, "Unschedulable",
                  "0/3 nodes available: 3 insufficient cpu", 2000, 0, 0});
  CHECK(f.fold(pod_unschedulable{{"Unschedulable", "0/4 nodes available: 4 insufficient cpu"}}, pod_ref("web")) ==
        applied);
  const condition& c = cond(f.the_pod("web").status.conditions, "PodScheduled");
  CHECK(c.message == "0/4 nodes available: 4 insufficient cpu");
  CHECK(c.last_transition_time == 2000);
  CHECK(f.the_pod("web").metadata.resource_version == 3);
}

TEST_CASE("pod_unschedulable is ignored for a bound or missing pod") {
  fold_fixture f;
  f.fold(pod_created{make_pod("web", "n1")});
  CHECK(f.fold(pod_unschedulable{{"Unschedulable", "x"}}, pod_ref("web")) == ignored);
  CHECK(f.fold(pod_unschedulable{{"Unschedulable", "x"}}, pod_ref("ghost")) == ignored);
  CHECK(cond(f.the_pod("web").status.conditions, "PodScheduled").status == condition_status::is_true);
}

// ------------------------------------------------ podEvicted, podDeleted, podRemoved

TEST_CASE("pod_evicted deletes gracefully and records the reason") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  pod p = make_pod("web", "n1");
  p.spec.termination_grace_period_seconds = 12;
  f.fold(pod_created{p});
  CHECK(f.fold(pod_evicted{{"NodeLost", "node n1 not ready for 60s"}}, pod_ref("web")) == applied);
  const pod& got = f.the_pod("web");
  CHECK(got.metadata.deletion_timestamp == 3000);
  CHECK(got.metadata.deletion_grace_period_seconds == 12);
  CHECK(got.status.reason == "NodeLost");
  CHECK(got.status.message == "node n1 not ready for 60s");
  CHECK(got.metadata.resource_version == 3);
}

TEST_CASE("pod_evicted and pod_deleted remove unbound pods at once") {
  fold_fixture f;
  f.fold(pod_created{make_pod("a")});
  f.fold(pod_created{make_pod("b")});
  CHECK(f.fold(pod_evicted{{"NodeLost", ""}}, pod_ref("a")) == applied);
  CHECK(f.fold(pod_deleted{{"ScaleDown", ""}}, pod_ref("b")) == applied);
  CHECK(f.s.pods.empty());
}

TEST_CASE("pod_deleted deletes gracefully without touching the status") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("web", "n1")});
  CHECK(f.fold(pod_deleted{{"ScaleDown", "replicas 3 -> 2"}}, pod_ref("web")) == applied);
  CHECK(f.the_pod("web").metadata.deletion_timestamp == 3000);
  CHECK(f.the_pod("web").metadata.deletion_grace_period_seconds == 30);
  CHECK(f.the_pod("web").status.reason.empty());
  CHECK(f.fold(pod_deleted{{"ScaleDown", ""}}, pod_ref("ghost")) == ignored);
  CHECK(f.fold(pod_evicted{{"NodeLost", ""}}, pod_ref("ghost")) == ignored);
}

TEST_CASE("pod_removed erases the pod; a missing pod is ignored") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  f.fold(pod_created{make_pod("web", "n1")});
  f.fold(object_deleted{30}, pod_ref("web"));
  CHECK(f.fold(pod_removed{{"Terminated", ""}}, pod_ref("web")) == applied);
  CHECK(f.s.pods.empty());
  CHECK(f.fold(pod_removed{{"Terminated", ""}}, pod_ref("web")) == ignored);
}

// --------------------------------------------------------------- endpointsUpdated

TEST_CASE("endpoints_updated creates then replaces the subsets beside their service") {
  fold_fixture f;
  f.fold(object_created{make_service("front")});
  endpoints ep;
  ep.metadata = meta("default", "front", "ep-uid");
  ep.subsets = {{{{"10.0.0.1", "n1", {}}}, {}, {{"http", 8080, protocol::tcp}}}};
  CHECK(f.fold(endpoints_updated{ep}) == applied);
  const endpoints& got = f.s.endpoints_.at({"default", "front"});
  CHECK(got.metadata.creation_timestamp == 2000);
  CHECK(got.metadata.generation == 1);
  CHECK(got.metadata.resource_version == 2);
  CHECK(got.subsets == ep.subsets);
  endpoints next = ep;
  next.metadata.uid = "other";
  next.subsets = {};
  CHECK(f.fold(endpoints_updated{next}) == applied);
  const endpoints& after = f.s.endpoints_.at({"default", "front"});
  CHECK(after.subsets.empty());
  CHECK(after.metadata.uid == "ep-uid");
  CHECK(after.metadata.creation_timestamp == 2000);
  CHECK(after.metadata.resource_version == 3);
}

TEST_CASE("endpoints_updated without a service of that key is ignored") {
  fold_fixture f;
  endpoints ep;
  ep.metadata = meta("default", "front");
  CHECK(f.fold(endpoints_updated{ep}) == ignored);
  CHECK(f.s.endpoints_.empty());
}

// ------------------------------------------------------------------ nodeRegistered

TEST_CASE("node_registered inserts a node, then updates it keeping uid and creation time") {
  fold_fixture f;
  node n = make_node("n1");
  n.metadata.namespace_ = "stray";
  CHECK(f.fold(node_registered{n}) == applied);
  const node& got = f.s.nodes.at("n1");
  CHECK(got.metadata.uid == "uid-n1");
  CHECK(got.metadata.namespace_.empty());
  CHECK(got.metadata.creation_timestamp == 1000);
  CHECK(got.metadata.generation == 1);
  node again = make_node("n1");
  again.metadata.uid = "new-uid";
  again.metadata.labels = {{"zone", "a"}};
  again.spec.unschedulable = true;  // not the agent's: only a user's cordon sets it
  again.spec.pod_cidr = "10.1.2.0/24";
  again.status.capacity = {{"cpu", *parse_quantity("4")}};
  CHECK(f.fold(node_registered{again}) == applied);
  const node& after = f.s.nodes.at("n1");
  CHECK(after.metadata.uid == "uid-n1");
  CHECK(after.metadata.creation_timestamp == 1000);
  CHECK(after.metadata.labels == string_map{{"zone", "a"}});
  CHECK_FALSE(after.spec.unschedulable);
  CHECK(after.spec.pod_cidr == "10.1.2.0/24");
  CHECK(after.status.capacity.at("cpu").milli == 4000);
  CHECK(after.metadata.generation == 2);
  CHECK(after.metadata.resource_version == 2);
}

// ----------------------------------------------------------------- node readiness

TEST_CASE("node readiness sets Ready; the transition time moves only when the value changes") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  CHECK(f.fold(node_readiness_observed{{true, "KubeletReady", "ok", 1500}}, node_ref("n1")) == applied);
  CHECK(cond(f.s.nodes.at("n1").status.conditions, "Ready") ==
        condition{"Ready", condition_status::is_true, "KubeletReady", "ok", 2000, 1500, 0});
  CHECK(is_node_ready(f.s.nodes.at("n1")));
  CHECK(f.fold(node_readiness_observed{{true, "KubeletReady", "still ok", 2500}}, node_ref("n1")) == applied);
  CHECK(cond(f.s.nodes.at("n1").status.conditions, "Ready") ==
        condition{"Ready", condition_status::is_true, "KubeletReady", "still ok", 2000, 2500, 0});
  CHECK(f.fold(node_readiness_decided{{false, "NodeStatusUnknown", "no heartbeat for 40s", 2500}}, node_ref("n1")) ==
        applied);
  CHECK(cond(f.s.nodes.at("n1").status.conditions, "Ready") ==
        condition{"Ready", condition_status::is_false, "NodeStatusUnknown", "no heartbeat for 40s", 4000, 2500, 0});
  CHECK_FALSE(is_node_ready(f.s.nodes.at("n1")));
  CHECK(f.s.nodes.at("n1").metadata.resource_version == 4);
}

TEST_CASE("a journaled heartbeat renews lastHeartbeatTime only: never backwards, readiness untouched") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  CHECK(f.fold(node_heartbeat{}, node_ref("n1")) == ignored);  // no Ready condition yet: nothing to renew
  f.fold(node_readiness_observed{{true, "AgentReady", "ok", 1500}}, node_ref("n1"));
  CHECK(f.fold(node_heartbeat{7000}, node_ref("n1")) == applied);
  auto c = cond(f.s.nodes.at("n1").status.conditions, "Ready");
  CHECK(c.last_heartbeat_time == 7000);
  CHECK(c.status == condition_status::is_true);
  CHECK(c.reason == "AgentReady");
  const auto transition = c.last_transition_time;
  CHECK(f.fold(node_heartbeat{6000}, node_ref("n1")) == applied);  // late: kept at 7000
  CHECK(cond(f.s.nodes.at("n1").status.conditions, "Ready").last_heartbeat_time == 7000);
  CHECK(cond(f.s.nodes.at("n1").status.conditions, "Ready").last_transition_time == transition);
  CHECK(f.s.nodes.at("n1").metadata.resource_version == 5);
  CHECK(f.fold(node_heartbeat{9000}, node_ref("n2")) == ignored);  // no such node
}

TEST_CASE("a cordon sets spec.unschedulable; the agent re-registering does not undo it") {
  fold_fixture f;
  f.fold(node_registered{make_node("n1")});
  CHECK(f.fold(node_unschedulable{true}, node_ref("n1")) == applied);
  CHECK(f.s.nodes.at("n1").spec.unschedulable);
  const auto generation = f.s.nodes.at("n1").metadata.generation;
  f.fold(node_registered{make_node("n1")});  // the agent's node says unschedulable: false
  CHECK(f.s.nodes.at("n1").spec.unschedulable);
  CHECK(f.s.nodes.at("n1").metadata.generation == generation);
  CHECK(f.fold(node_unschedulable{false}, node_ref("n1")) == applied);
  CHECK_FALSE(f.s.nodes.at("n1").spec.unschedulable);
  CHECK(f.fold(node_unschedulable{true}, node_ref("n2")) == ignored);  // no such node
}

TEST_CASE("node readiness for a missing node is ignored") {
  fold_fixture f;
  CHECK(f.fold(node_readiness_decided{{false, "", "", 0}}, node_ref("n1")) == ignored);
  CHECK(f.fold(node_readiness_observed{{true, "", "", 0}}, node_ref("n1")) == ignored);
  CHECK(f.s.ignored_events == 2);
}

// -------------------------------------------------------------- podStatusObserved

TEST_CASE("pod_status_observed replaces the status but keeps the control plane's PodScheduled") {
  fold_fixture f;
  f.fold(pod_created{make_pod("web", "n1")});
  pod_status observed;
  observed.phase = pod_phase::running;
  observed.pod_ip = "10.1.0.7";
  observed.conditions = {{"PodScheduled", condition_status::is_false, "Node says", "", 9, 0, 0},
                         {"Ready", condition_status::is_true, "", "", 1500, 0, 0}};
  CHECK(f.fold(pod_status_observed{observed}, pod_ref("web")) == applied);
  const pod& p = f.the_pod("web");
  CHECK(p.status.phase == pod_phase::running);
  CHECK(p.status.pod_ip == "10.1.0.7");
  REQUIRE(p.status.conditions.size() == 2);
  CHECK(p.status.conditions[0] == condition{"PodScheduled", condition_status::is_true, "", "", 1000, 0, 0});
  CHECK(p.status.conditions[1] == condition{"Ready", condition_status::is_true, "", "", 1500, 0, 0});
  CHECK(is_pod_ready(p));
  CHECK(p.metadata.resource_version == 2);
  CHECK(f.fold(pod_status_observed{observed}, pod_ref("ghost")) == ignored);
}

// --------------------------------------------------------------------------- all

TEST_CASE("state.seq follows every event, applied or ignored") {
  fold_fixture f;
  CHECK(f.fold(pod_removed{}, pod_ref("ghost")) == ignored);
  CHECK(f.s.seq == 1);
  CHECK(f.fold(pod_created{make_pod("web")}) == applied);
  CHECK(f.s.seq == 2);
  CHECK(f.s.ignored_events == 1);
}

TEST_CASE("an event whose header uid names an earlier incarnation is ignored") {
  fold_fixture f;
  f.fold(pod_created{make_pod("web")});
  CHECK(f.fold(pod_bound{"n1"}, pod_ref("web", "uid-before")) == ignored);
  CHECK(f.fold(pod_bound{"n1"}, pod_ref("web", "uid-web")) == applied);
}

TEST_CASE("find_condition, is_pod_ready and is_node_ready") {
  pod p;
  CHECK(find_condition(p.status.conditions, "Ready") == nullptr);
  CHECK_FALSE(is_pod_ready(p));
  p.status.conditions = {{"PodScheduled", condition_status::is_true, "", "", 0, 0, 0},
                         {"Ready", condition_status::unknown, "", "", 0, 0, 0}};
  CHECK(find_condition(p.status.conditions, "Ready") == &p.status.conditions[1]);
  CHECK_FALSE(is_pod_ready(p));
  p.status.conditions[1].status = condition_status::is_true;
  CHECK(is_pod_ready(p));
  node n;
  n.status.conditions = {{"Ready", condition_status::is_false, "", "", 0, 0, 0}};
  CHECK_FALSE(is_node_ready(n));
}

TEST_CASE("event type names and families") {
  CHECK(type_name(0) == "objectCreated");
  CHECK(type_name(3) == "rcScaled");
  CHECK(type_name(9) == "endpointsUpdated");
  CHECK(type_name(13) == "podStatusObserved");
  CHECK(type_name(14) == "podDeleted");
  CHECK(type_name(15) == "nodeHeartbeat");
  CHECK(type_name(16) == "nodeUnschedulable");
  CHECK(type_name(17) == "namespaceCreated");
  CHECK(type_name(19) == "namespaceRemoved");
  CHECK(type_name(20) == "secretCreated");
  CHECK(type_name(21) == "secretReplaced");
  CHECK(type_name(22) == "secretRemoved");
  CHECK(type_name(23) == "endpointsReplaced");
  CHECK(type_name(24) == "endpointsRemoved");
  CHECK(type_name(25) == "reserved26");
  CHECK(type_name(26) == "limitRangeCreated");
  CHECK(type_name(29) == "resourceQuotaCreated");
  CHECK(type_name(32) == "podCreateRefused");
  CHECK(type_name(33) == "podEventObserved");
  CHECK(family_of(33) == event_family::observation);
  CHECK(type_name(34) == "persistentVolumeCreated");
  CHECK(type_name(40) == "volumeClaimBound");
  CHECK(type_name(43) == "podTemplateCreated");
  CHECK(type_name(45) == "podTemplateRemoved");
  CHECK(type_name(46) == "unknown");
  for (std::uint16_t t = 34; t <= 39; ++t) CHECK(family_of(t) == event_family::command);
  for (std::uint16_t t = 40; t <= 42; ++t) CHECK(family_of(t) == event_family::decision);
  for (std::uint16_t t = 43; t <= 45; ++t) CHECK(family_of(t) == event_family::command);
  for (std::uint16_t t = 0; t <= 3; ++t) CHECK(family_of(t) == event_family::command);
  for (std::uint16_t t = 4; t <= 10; ++t) CHECK(family_of(t) == event_family::decision);
  for (std::uint16_t t = 11; t <= 13; ++t) CHECK(family_of(t) == event_family::observation);
  CHECK(family_of(14) == event_family::decision);
  CHECK(family_of(15) == event_family::observation);
  CHECK(family_of(16) == event_family::command);
  CHECK(family_of(17) == event_family::command);
  CHECK(family_of(18) == event_family::command);
  CHECK(family_of(19) == event_family::decision);
  for (std::uint16_t t = 20; t <= 22; ++t) CHECK(family_of(t) == event_family::command);  // secrets
  for (std::uint16_t t = 23; t <= 24; ++t) CHECK(family_of(t) == event_family::command);  // user endpoints
  for (std::uint16_t t = 26; t <= 31; ++t) CHECK(family_of(t) == event_family::command);  // limit ranges, quotas
  CHECK(family_of(32) == event_family::decision);                                         // podCreateRefused
  CHECK(family_name(event_family::command) == "command");
  CHECK(family_name(event_family::decision) == "decision");
  CHECK(family_name(event_family::observation) == "observation");
}

}  // namespace berth::model
