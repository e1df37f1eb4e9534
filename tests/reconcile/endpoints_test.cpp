// compute_endpoints: selection, readiness split, port resolution, repacking.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "actors/reconcile/endpoints.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

using test::running_pod;

model::service make_service(std::vector<model::service_port> ports) {
  model::service svc;
  svc.metadata.name = "web";
  svc.metadata.namespace_ = "default";
  svc.spec.selector = {{"app", "web"}};
  svc.spec.ports = std::move(ports);
  return svc;
}

model::service_port numeric_port(std::string name, std::int32_t port, std::int32_t target) {
  model::service_port sp;
  sp.name = std::move(name);
  sp.port = port;
  sp.target_port.value = target;
  return sp;
}

model::service_port named_port(std::string name, std::int32_t port, std::string target,
                               model::protocol proto = model::protocol::tcp) {
  model::service_port sp;
  sp.name = std::move(name);
  sp.port = port;
  sp.protocol_ = proto;
  sp.target_port.value = std::move(target);
  return sp;
}

model::pod web_pod(std::string name, std::string ip, std::string node = "n1") {
  auto p = running_pod(std::move(name), std::move(ip), std::move(node));
  p.metadata.labels = {{"app", "web"}};
  return p;
}

model::pod exposing(model::pod p, std::string port_name, std::int32_t number,
                    model::protocol proto = model::protocol::tcp) {
  p.spec.containers[0].ports.push_back({std::move(port_name), number, 0, proto, ""});
  return p;
}

model::endpoint_address address(const std::string& name, const std::string& ip, const std::string& node = "n1") {
  return {ip, node, {"Pod", "default", name, "uid-" + name}};
}

model::endpoints compute(const model::service& svc, const std::vector<model::pod>& pods) {
  auto e = compute_endpoints(svc, pods);
  REQUIRE(e.has_value());
  return *e;
}

}  // namespace

TEST_CASE("a_service_without_a_selector_leaves_its_endpoints_alone") {
  auto svc = make_service({numeric_port("http", 80, 8080)});
  svc.spec.selector.clear();
  CHECK_FALSE(compute_endpoints(svc, {web_pod("a", "10.0.0.1")}).has_value());
}

TEST_CASE("ready_pods_are_addresses_and_the_others_not_ready_addresses") {
  auto slow = web_pod("b", "10.0.0.1", "n2");
  test::set_ready(slow, false);
  const auto e = compute(make_service({numeric_port("http", 80, 8080)}),
                         {web_pod("c", "10.0.0.3"), slow, web_pod("a", "10.0.0.2")});
  CHECK(e.metadata.name == "web");
  CHECK(e.metadata.namespace_ == "default");
  REQUIRE(e.subsets.size() == 1);
  CHECK(e.subsets[0].addresses ==
        std::vector<model::endpoint_address>{address("a", "10.0.0.2"), address("c", "10.0.0.3")});
  CHECK(e.subsets[0].not_ready_addresses == std::vector<model::endpoint_address>{address("b", "10.0.0.1", "n2")});
  CHECK(e.subsets[0].ports == std::vector<model::endpoint_port>{{"http", 8080, model::protocol::tcp}});
}

TEST_CASE("pods_without_ip_terminating_finished_unmatched_or_elsewhere_are_left_out") {
  auto no_ip = web_pod("no-ip", "");
  auto terminating = web_pod("terminating", "10.0.0.2");
  terminating.metadata.deletion_timestamp = 1;
  auto succeeded = web_pod("succeeded", "10.0.0.3");
  succeeded.status.phase = model::pod_phase::succeeded;
  auto failed = web_pod("failed", "10.0.0.4");
  failed.status.phase = model::pod_phase::failed;
  auto other_app = web_pod("other-app", "10.0.0.5");
  other_app.metadata.labels = {{"app", "api"}};
  auto other_ns = web_pod("other-ns", "10.0.0.6");
  other_ns.metadata.namespace_ = "staging";
  const auto e = compute(make_service({numeric_port("http", 80, 8080)}),
                         {no_ip, terminating, succeeded, failed, other_app, other_ns, web_pod("kept", "10.0.0.7")});
  REQUIRE(e.subsets.size() == 1);
  CHECK(e.subsets[0].addresses == std::vector<model::endpoint_address>{address("kept", "10.0.0.7")});
  CHECK(e.subsets[0].not_ready_addresses.empty());
}

TEST_CASE("no_matching_pods_gives_endpoints_without_subsets") {
  const auto e = compute(make_service({numeric_port("http", 80, 8080)}), {});
  CHECK(e.subsets.empty());
  CHECK(e.metadata.name == "web");
}

TEST_CASE("an_unset_target_port_means_the_service_port") {
  model::service_port sp;
  sp.name = "http";
  sp.port = 80;
  const auto e = compute(make_service({sp}), {web_pod("a", "10.0.0.1")});
  REQUIRE(e.subsets.size() == 1);
  CHECK(e.subsets[0].ports == std::vector<model::endpoint_port>{{"http", 80, model::protocol::tcp}});
}

TEST_CASE("named_target_ports_resolve_per_pod_and_pods_lacking_them_are_left_out") {
  const auto svc = make_service({named_port("web", 80, "http-alt")});
  const auto e = compute(
      svc, {exposing(web_pod("a", "10.0.0.1"), "http-alt", 8081), exposing(web_pod("b", "10.0.0.2"), "http-alt", 9090),
            exposing(web_pod("c", "10.0.0.3"), "metrics", 9100)});
  REQUIRE(e.subsets.size() == 2);
  CHECK(e.subsets[0].addresses == std::vector<model::endpoint_address>{address("a", "10.0.0.1")});
  CHECK(e.subsets[0].ports == std::vector<model::endpoint_port>{{"web", 8081, model::protocol::tcp}});
  CHECK(e.subsets[1].addresses == std::vector<model::endpoint_address>{address("b", "10.0.0.2")});
  CHECK(e.subsets[1].ports == std::vector<model::endpoint_port>{{"web", 9090, model::protocol::tcp}});
}

TEST_CASE("named_ports_must_match_the_protocol_too") {
  const auto udp = named_port("dns", 53, "dns", model::protocol::udp);
  CHECK_FALSE(resolve_target_port(udp, exposing(web_pod("a", "10.0.0.1"), "dns", 5353)).has_value());
  CHECK(resolve_target_port(udp, exposing(web_pod("a", "10.0.0.1"), "dns", 5353, model::protocol::udp)) == 5353);
}

TEST_CASE("pods_with_the_same_resolved_ports_are_repacked_into_one_subset") {
  const auto svc = make_service({named_port("http", 80, "http"), numeric_port("https", 443, 8443)});
  auto slow = exposing(web_pod("d", "10.0.0.4"), "http", 8080);
  test::set_ready(slow, false);
  const auto e = compute(
      svc, {exposing(web_pod("c", "10.0.0.3"), "http", 8080), web_pod("b", "10.0.0.2"),  // no "http" port: https only
            slow, exposing(web_pod("a", "10.0.0.1"), "http", 8080)});
  REQUIRE(e.subsets.size() == 2);
  CHECK(e.subsets[0].addresses ==
        std::vector<model::endpoint_address>{address("a", "10.0.0.1"), address("c", "10.0.0.3")});
  CHECK(e.subsets[0].not_ready_addresses == std::vector<model::endpoint_address>{address("d", "10.0.0.4")});
  CHECK(e.subsets[0].ports ==
        std::vector<model::endpoint_port>{{"http", 8080, model::protocol::tcp}, {"https", 8443, model::protocol::tcp}});
  CHECK(e.subsets[1].addresses == std::vector<model::endpoint_address>{address("b", "10.0.0.2")});
  CHECK(e.subsets[1].not_ready_addresses.empty());
  CHECK(e.subsets[1].ports == std::vector<model::endpoint_port>{{"https", 8443, model::protocol::tcp}});
}

TEST_CASE("addresses_with_the_same_ip_sort_by_pod_name") {
  const auto e =
      compute(make_service({numeric_port("", 80, 80)}), {web_pod("b", "10.0.0.1"), web_pod("a", "10.0.0.1")});
  REQUIRE(e.subsets.size() == 1);
  CHECK(e.subsets[0].addresses ==
        std::vector<model::endpoint_address>{address("a", "10.0.0.1"), address("b", "10.0.0.1")});
}

TEST_CASE("a_service_without_ports_lists_its_pods_in_one_portless_subset") {
  const auto e = compute(make_service({}), {web_pod("b", "10.0.0.2"), web_pod("a", "10.0.0.1")});
  REQUIRE(e.subsets.size() == 1);
  CHECK(e.subsets[0].ports.empty());
  CHECK(e.subsets[0].addresses ==
        std::vector<model::endpoint_address>{address("a", "10.0.0.1"), address("b", "10.0.0.2")});
}

TEST_CASE("input_order_does_not_change_the_endpoints") {
  const auto svc = make_service({named_port("http", 80, "http"), numeric_port("https", 443, 8443)});
  std::vector<model::pod> pods = {exposing(web_pod("a", "10.0.0.1"), "http", 8080), web_pod("b", "10.0.0.2"),
                                  exposing(web_pod("c", "10.0.0.3"), "http", 8081)};
  const auto forward = compute(svc, pods);
  std::reverse(pods.begin(), pods.end());
  CHECK(compute(svc, pods) == forward);
  CHECK(forward.subsets.size() == 3);
}

}  // namespace berth::reconcile
