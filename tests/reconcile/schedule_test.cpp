// Scheduling: each filter's reason, the combined message, scores, batches.
#include <doctest/doctest.h>

#include <string>

#include "actors/reconcile/schedule.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

using test::make_node;
using test::requesting_pod;

model::pod bound_to(model::pod p, std::string node) {
  p.spec.node_name = std::move(node);
  p.status.phase = model::pod_phase::running;
  return p;
}

model::pod with_host_port(model::pod p, std::int32_t port, model::protocol proto = model::protocol::tcp,
                          std::string ip = "") {
  model::container_port cp;
  cp.container_port = 8080;
  cp.host_port = port;
  cp.protocol_ = proto;
  cp.host_ip = std::move(ip);
  p.spec.containers[0].ports.push_back(cp);
  return p;
}

model::pod owned(model::pod p, const std::string& uid) {
  test::set_owner(p, "web", uid);
  return p;
}

std::string why_one_node(const model::pod& p, const model::node& n, const std::vector<model::pod>& bound = {}) {
  const auto where = schedule_one(p, build_node_infos({n}, bound));
  REQUIRE_MESSAGE(!where.ok(), "placed on ", where.node_name);
  return where.why;
}

}  // namespace

TEST_CASE("each_filter_names_its_reason") {
  const auto small = requesting_pod("p", "500m", "1Gi");
  CHECK(why_one_node(small, make_node("n1", "2", "4Gi", "110", false)) ==
        "0/1 nodes are available: 1 node(s) were not ready.");
  auto cordoned = make_node("n1");
  cordoned.spec.unschedulable = true;
  CHECK(why_one_node(small, cordoned) == "0/1 nodes are available: 1 node(s) were unschedulable.");
  auto picky = small;
  picky.spec.node_selector = {{"disk", "ssd"}};
  CHECK(why_one_node(picky, make_node("n1")) == "0/1 nodes are available: 1 node(s) didn't match node selector.");
  CHECK(why_one_node(requesting_pod("p", "3", ""), make_node("n1")) == "0/1 nodes are available: 1 Insufficient cpu.");
  CHECK(why_one_node(requesting_pod("p", "", "5Gi"), make_node("n1")) ==
        "0/1 nodes are available: 1 Insufficient memory.");
  CHECK(why_one_node(requesting_pod("p", "3", "5Gi"), make_node("n1")) ==
        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory.");
  CHECK(why_one_node(small, make_node("n1", "2", "4Gi", "1"), {bound_to(test::make_pod("x"), "n1")}) ==
        "0/1 nodes are available: 1 Too many pods.");
  CHECK(why_one_node(with_host_port(small, 80), make_node("n1"),
                     {bound_to(with_host_port(test::make_pod("x"), 80), "n1")}) ==
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports.");
}

TEST_CASE("a_node_without_a_ready_condition_is_not_ready") {
  auto n = make_node("n1");
  n.status.conditions.clear();
  CHECK(why_one_node(test::make_pod("p"), n) == "0/1 nodes are available: 1 node(s) were not ready.");
}

TEST_CASE("combined_message_counts_reasons_by_count_then_text") {
  auto labelled = make_node("n3", "8");
  const auto pod = [] {
    auto p = requesting_pod("p", "2", "");
    p.spec.node_selector = {{"zone", "a"}};
    return p;
  }();
  auto a = make_node("n1", "1");
  a.metadata.labels = {{"zone", "a"}};
  auto b = make_node("n2", "1");
  b.metadata.labels = {{"zone", "a"}};
  const auto where = schedule_one(pod, build_node_infos({a, b, labelled}, {}));
  CHECK(where == placement{"",
                           "0/3 nodes are available: 2 Insufficient cpu, 1 node(s) didn't "
                           "match node selector."});
}

TEST_CASE("equal_counts_sort_by_reason_text") {
  auto cordoned = make_node("a");
  cordoned.spec.unschedulable = true;
  const auto where =
      schedule_one(test::make_pod("p"), build_node_infos({make_node("b", "1", "1Gi", "110", false), cordoned}, {}));
  CHECK(where.why == "0/2 nodes are available: 1 node(s) were not ready, 1 node(s) were unschedulable.");
}

TEST_CASE("no_nodes_at_all_says_so") {
  CHECK(schedule_one(test::make_pod("p"), {}).why == "0/0 nodes are available: no nodes registered.");
}

TEST_CASE("spread_beats_least_requested") {
  // n1 is emptier but already runs a pod of the same RC: n2 wins.
  const std::vector<model::pod> pods = {bound_to(owned(requesting_pod("web-a", "100m", ""), "rc1"), "n1"),
                                        bound_to(requesting_pod("other", "1500m", ""), "n2")};
  const auto infos = build_node_infos({make_node("n1"), make_node("n2")}, pods);
  CHECK(schedule_one(owned(requesting_pod("web-b", "100m", ""), "rc1"), infos).node_name == "n2");
  // A pod of another RC just goes where more is free.
  CHECK(schedule_one(owned(requesting_pod("api-a", "100m", ""), "rc2"), infos).node_name == "n1");
}

TEST_CASE("least_requested_prefers_the_emptier_node_and_ties_go_by_name") {
  const auto infos = build_node_infos({make_node("n2"), make_node("n1"), make_node("n3")},
                                      {bound_to(requesting_pod("busy", "1", "1Gi"), "n1")});
  CHECK(schedule_one(requesting_pod("p", "100m", "100Mi"), infos).node_name == "n2");
  const auto empty = build_node_infos({make_node("n2"), make_node("n1")}, {});
  CHECK(schedule_one(requesting_pod("p", "100m", "100Mi"), empty).node_name == "n1");
}

TEST_CASE("bigger_nodes_score_higher_for_the_same_request") {
  const auto infos = build_node_infos({make_node("n1", "1", "1Gi"), make_node("n2", "4", "8Gi")}, {});
  CHECK(schedule_one(requesting_pod("p", "500m", "512Mi"), infos).node_name == "n2");
}

TEST_CASE("host_port_conflicts_respect_protocol_and_address") {
  const auto infos = build_node_infos(
      {make_node("n1")}, {bound_to(with_host_port(test::make_pod("a"), 80, model::protocol::tcp, "10.0.0.1"), "n1"),
                          bound_to(with_host_port(test::make_pod("b"), 53, model::protocol::udp), "n1")});
  const auto p = test::make_pod("p");
  auto fits = [&](const model::pod& candidate) { return schedule_one(candidate, infos).ok(); };
  CHECK_FALSE(fits(with_host_port(p, 80)));  // wildcard vs 10.0.0.1
  CHECK_FALSE(fits(with_host_port(p, 80, model::protocol::tcp, "0.0.0.0")));
  CHECK_FALSE(fits(with_host_port(p, 80, model::protocol::tcp, "10.0.0.1")));
  CHECK(fits(with_host_port(p, 80, model::protocol::tcp, "10.0.0.2")));
  CHECK(fits(with_host_port(p, 80, model::protocol::udp)));
  CHECK_FALSE(fits(with_host_port(p, 53, model::protocol::udp, "10.0.0.9")));  // used on all addresses
  CHECK(fits(with_host_port(p, 53, model::protocol::tcp)));
  CHECK(fits(with_host_port(p, 8080)));
}

TEST_CASE("a_port_conflict_sends_the_pod_to_another_node") {
  const auto infos = build_node_infos({make_node("n1"), make_node("n2", "1", "1Gi")},
                                      {bound_to(with_host_port(test::make_pod("a"), 80), "n1")});
  CHECK(schedule_one(test::make_pod("p"), infos).node_name == "n1");  // the bigger node
  CHECK(schedule_one(with_host_port(test::make_pod("p"), 80), infos).node_name == "n2");
}

TEST_CASE("host_network_pods_hold_their_container_ports_on_the_host") {
  auto hn = test::make_pod("hn");
  hn.spec.host_network = true;
  hn.spec.containers[0].ports.push_back({"http", 8080, 0, model::protocol::tcp, ""});
  auto infos = build_node_infos({make_node("n1")}, {bound_to(hn, "n1")});
  CHECK(infos[0].used_ports == std::set<host_port>{{model::protocol::tcp, "", 8080}});
  CHECK_FALSE(schedule_one(with_host_port(test::make_pod("p"), 8080), infos).ok());
}

TEST_CASE("node_infos_count_requests_of_bound_unfinished_pods") {
  auto cap_only = make_node("n2");
  cap_only.status.allocatable.clear();
  cap_only.status.capacity = {{"cpu", test::q("3")}, {"memory", test::q("1Gi")}};
  auto done = bound_to(requesting_pod("done", "1", "1Gi"), "n1");
  done.status.phase = model::pod_phase::succeeded;
  auto leaving = bound_to(owned(requesting_pod("leaving", "250m", "128Mi"), "rc1"), "n1");
  leaving.metadata.deletion_timestamp = 3;
  const auto infos =
      build_node_infos({make_node("n1"), cap_only},
                       {bound_to(requesting_pod("a", "500m", "1Gi"), "n1"), done, leaving,
                        bound_to(requesting_pod("lost", "1", ""), "gone"), requesting_pod("unbound", "1", "")});
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].node.metadata.name == "n1");
  CHECK(infos[0].requested == resource_amounts{750, (1024 + 128) * 1024 * 1024});
  CHECK(infos[0].pod_count == 2);
  CHECK(infos[0].pods_per_owner == std::map<std::string, std::int64_t>{{"rc1", 1}});
  CHECK(infos[0].allocatable == resource_amounts{2000, 4LL * 1024 * 1024 * 1024});
  CHECK(infos[0].allowed_pods == 110);
  CHECK(infos[1].allocatable == resource_amounts{3000, 1024 * 1024 * 1024});
  CHECK(infos[1].allowed_pods == 0);
  CHECK(infos[1].pod_count == 0);
}

TEST_CASE("pods_without_requests_spread_by_default_requests") {
  auto plan = schedule_batch({test::make_pod("a"), test::make_pod("b")},
                             build_node_infos({make_node("n1"), make_node("n2")}, {}));
  REQUIRE(plan.bindings.size() == 2);
  CHECK(plan.bindings[0] == binding{{"default", "a", "uid-a"}, "n1"});
  CHECK(plan.bindings[1] == binding{{"default", "b", "uid-b"}, "n2"});
}

TEST_CASE("batch_never_overfills_a_node") {
  auto p1 = requesting_pod("p1", "600m", "");
  auto p2 = requesting_pod("p2", "600m", "");
  auto p3 = requesting_pod("p3", "600m", "");
  p3.metadata.creation_timestamp = 1;  // the youngest: scheduled last, finds no room
  const auto plan = schedule_batch({p3, p2, p1}, build_node_infos({make_node("n1", "1"), make_node("n2", "1")}, {}));
  CHECK(plan.to_string() ==
        "2 bound, 1 unschedulable\n"
        "  bind default/p1 -> n1\n"
        "  bind default/p2 -> n2\n"
        "  pending default/p3: Unschedulable: 0/2 nodes are available: 2 Insufficient cpu.");
  REQUIRE(plan.nodes.size() == 2);
  CHECK(plan.nodes[0].requested.milli_cpu == 600);
  CHECK(plan.nodes[1].requested.milli_cpu == 600);
}

TEST_CASE("batch_spreads_the_pods_of_one_rc") {
  std::vector<model::pod> pods;
  for (const char* name : {"w1", "w2", "w3", "w4"}) pods.push_back(owned(test::make_pod(name), "rc1"));
  const auto plan = schedule_batch(pods, build_node_infos({make_node("n1"), make_node("n2")}, {}));
  REQUIRE(plan.bindings.size() == 4);
  CHECK(plan.nodes[0].pods_per_owner.at("rc1") == 2);
  CHECK(plan.nodes[1].pods_per_owner.at("rc1") == 2);
}

TEST_CASE("batch_skips_bound_and_terminating_pods") {
  auto leaving = test::make_pod("leaving");
  leaving.metadata.deletion_timestamp = 1;
  const auto plan =
      schedule_batch({bound_to(test::make_pod("bound"), "n1"), leaving}, build_node_infos({make_node("n1")}, {}));
  CHECK(plan.bindings.empty());
  CHECK(plan.failures.empty());
}

}  // namespace berth::reconcile
