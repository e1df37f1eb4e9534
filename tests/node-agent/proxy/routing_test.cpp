// plan_listeners and backends_for: which listeners a set of services and
// endpoints asks for, and why a service port gets none.
#include "node-agent/proxy/routing.hpp"

#include <doctest/doctest.h>

#include "tests/node-agent/proxy/proxy_fixtures.hpp"

namespace berth::agent::proxy {
namespace {

using namespace test;
using model::service_type;
using model::session_affinity;

TEST_CASE("a cluster IP port forwards to every ready address with the port of the same name") {
  auto svc = make_service("web", "10.96.0.10", {tcp_port("http", 80), tcp_port("admin", 81)});
  auto eps = make_endpoints("web", {make_subset({"172.17.0.3", "172.17.0.2"}, {{"admin", 9000}, {"http", 8080}})});
  routing_plan plan = plan_listeners({svc}, {eps}, {});
  REQUIRE(plan.listeners.size() == 2);
  CHECK(plan.listeners[0] == listener_spec{{"10.96.0.10", 80},
                                           "default/web:http",
                                           {{"172.17.0.2", 8080}, {"172.17.0.3", 8080}},
                                           session_affinity::none});
  CHECK(plan.listeners[1] == listener_spec{{"10.96.0.10", 81},
                                           "default/web:admin",
                                           {{"172.17.0.2", 9000}, {"172.17.0.3", 9000}},
                                           session_affinity::none});
  CHECK(plan.skipped.empty());
}

TEST_CASE("an unnamed service port takes the subset's only port whatever its name") {
  auto port = tcp_port("", 6379);
  auto eps = make_endpoints("redis", {make_subset({"172.17.0.5"}, {{"whatever", 6380}})});
  CHECK(backends_for(port, eps) == std::vector<backend>{{"172.17.0.5", 6380}});
}

TEST_CASE("an unnamed service port matches nothing in a subset with several ports") {
  auto port = tcp_port("", 80);
  auto eps = make_endpoints("x", {make_subset({"172.17.0.5"}, {{"a", 1}, {"b", 2}})});
  CHECK(backends_for(port, eps).empty());
}

TEST_CASE("subsets with different target ports contribute each their own port") {
  auto port = tcp_port("http", 80);
  auto eps = make_endpoints(
      "web", {make_subset({"172.17.0.2"}, {{"http", 8080}}), make_subset({"172.17.0.9"}, {{"http", 9090}}),
              make_subset({"172.17.0.7"}, {{"metrics", 9100}})});
  CHECK(backends_for(port, eps) == std::vector<backend>{{"172.17.0.2", 8080}, {"172.17.0.9", 9090}});
}

TEST_CASE("a UDP endpoints port does not match a TCP service port of the same name") {
  auto port = tcp_port("dns", 53);
  auto eps = make_endpoints("dns", {make_subset({"172.17.0.2"}, {{"dns", 53}})});
  eps.subsets[0].ports[0].protocol_ = model::protocol::udp;
  CHECK(backends_for(port, eps).empty());
}

TEST_CASE("not-ready addresses and duplicate addresses do not become backends") {
  auto port = tcp_port("", 80);
  auto sub = make_subset({"172.17.0.2", "172.17.0.2"}, {{"", 80}});
  model::endpoint_address unready;
  unready.ip = "172.17.0.8";
  sub.not_ready_addresses.push_back(unready);
  CHECK(backends_for(port, make_endpoints("w", {sub})) == std::vector<backend>{{"172.17.0.2", 80}});
}

TEST_CASE("headless services and services without a cluster IP get no listener") {
  auto eps = make_endpoints("a", {make_subset({"172.17.0.2"}, {{"", 80}})});
  auto eps_b = eps;
  eps_b.metadata.name = "b";
  routing_plan plan = plan_listeners(
      {make_service("a", "None", {tcp_port("", 80)}), make_service("b", "", {tcp_port("", 80)})}, {eps, eps_b}, {});
  CHECK(plan.listeners.empty());
  CHECK(plan.skipped ==
        std::vector<std::string>{"default/a: no cluster IP (headless)", "default/b: no cluster IP (headless)"});
}

TEST_CASE("a UDP service port gets a UDP listener beside the TCP one of the same number") {
  auto udp = tcp_port("dns", 53);
  udp.protocol_ = model::protocol::udp;
  auto tcp = tcp_port("dns-tcp", 53);
  model::endpoint_subset subset = make_subset({"172.17.0.2"}, {{"dns", 5353}, {"dns-tcp", 5354}});
  subset.ports[0].protocol_ = model::protocol::udp;
  auto eps = make_endpoints("dns", {subset});
  routing_plan plan = plan_listeners({make_service("dns", "10.96.0.53", {udp, tcp})}, {eps}, {});
  CHECK(plan.skipped.empty());
  REQUIRE(plan.listeners.size() == 2);
  CHECK(plan.listeners[0].key == listener_key{"10.96.0.53", 53, model::protocol::tcp});
  CHECK(plan.listeners[0].backends == std::vector<backend>{{"172.17.0.2", 5354}});
  CHECK(plan.listeners[1].key == listener_key{"10.96.0.53", 53, model::protocol::udp});
  CHECK(plan.listeners[1].backends == std::vector<backend>{{"172.17.0.2", 5353}});
  CHECK(to_string(plan.listeners[1].key) == "10.96.0.53:53/UDP");
}

TEST_CASE("a UDP node port listens on the node addresses in UDP") {
  auto udp = tcp_port("", 53, 30053);
  udp.protocol_ = model::protocol::udp;
  model::endpoint_subset subset = make_subset({"172.17.0.2"}, {{"", 53}});
  subset.ports[0].protocol_ = model::protocol::udp;
  routing_plan plan = plan_listeners({make_service("dns", "10.96.0.53", {udp}, model::service_type::node_port)},
                                     {make_endpoints("dns", {subset})}, {"0.0.0.0"});
  REQUIRE(plan.listeners.size() == 2);
  CHECK(plan.listeners[0].key == listener_key{"0.0.0.0", 30053, model::protocol::udp});
  CHECK(plan.listeners[1].key == listener_key{"10.96.0.53", 53, model::protocol::udp});
}

TEST_CASE("a service port without ready endpoints gets no listener") {
  auto with_empty = make_endpoints("web", {});
  routing_plan plan = plan_listeners(
      {make_service("web", "10.96.0.10", {tcp_port("", 80)}), make_service("api", "10.96.0.11", {tcp_port("", 81)})},
      {with_empty}, {});
  CHECK(plan.listeners.empty());
  CHECK(plan.skipped == std::vector<std::string>{"default/api:81: no ready endpoints, so no listener",
                                                 "default/web:80: no ready endpoints, so no listener"});
}

TEST_CASE("a node port listens on every node address as well as the cluster IP") {
  auto svc = make_service("web", "10.96.0.10", {tcp_port("", 80, 30080)}, service_type::node_port,
                          session_affinity::client_ip);
  auto eps = make_endpoints("web", {make_subset({"172.17.0.2"}, {{"", 8080}})});
  routing_plan plan = plan_listeners({svc}, {eps}, {"192.0.2.2", "127.0.0.1", "127.0.0.1"});
  REQUIRE(plan.listeners.size() == 3);
  CHECK(plan.listeners[0].key == listener_key{"10.96.0.10", 80});
  CHECK(plan.listeners[1].key == listener_key{"127.0.0.1", 30080});
  CHECK(plan.listeners[2].key == listener_key{"192.0.2.2", 30080});
  for (const auto& l : plan.listeners) {
    CHECK(l.backends == std::vector<backend>{{"172.17.0.2", 8080}});
    CHECK(l.affinity == session_affinity::client_ip);
    CHECK(l.service == "default/web:80");
  }
}

TEST_CASE("the wildcard node address replaces the specific ones") {
  auto svc = make_service("web", "10.96.0.10", {tcp_port("", 80, 30080)}, service_type::node_port);
  auto eps = make_endpoints("web", {make_subset({"172.17.0.2"}, {{"", 8080}})});
  routing_plan plan = plan_listeners({svc}, {eps}, {"127.0.0.1", "0.0.0.0"});
  REQUIRE(plan.listeners.size() == 2);
  CHECK(plan.listeners[0].key == listener_key{"0.0.0.0", 30080});
  CHECK(plan.listeners[1].key == listener_key{"10.96.0.10", 80});
}

TEST_CASE("a ClusterIP service's stray node port opens nothing; a LoadBalancer's does") {
  auto eps = make_endpoints("web", {make_subset({"172.17.0.2"}, {{"", 8080}})});
  auto plain = make_service("web", "10.96.0.10", {tcp_port("", 80, 30080)});
  CHECK(plan_listeners({plain}, {eps}, {"127.0.0.1"}).listeners.size() == 1);
  auto lb = make_service("web", "10.96.0.10", {tcp_port("", 80, 30080)}, service_type::load_balancer);
  CHECK(plan_listeners({lb}, {eps}, {"127.0.0.1"}).listeners.size() == 2);
}

TEST_CASE("two services claiming the same address and port: the first by name keeps it") {
  auto eps_a = make_endpoints("a", {make_subset({"172.17.0.2"}, {{"", 80}})});
  auto eps_b = make_endpoints("b", {make_subset({"172.17.0.3"}, {{"", 80}})});
  // Given in reverse order: the winner does not depend on the input order.
  routing_plan plan = plan_listeners(
      {make_service("b", "10.96.0.10", {tcp_port("", 80)}), make_service("a", "10.96.0.10", {tcp_port("", 80)})},
      {eps_b, eps_a}, {});
  REQUIRE(plan.listeners.size() == 1);
  CHECK(plan.listeners[0].service == "default/a:80");
  CHECK(plan.skipped == std::vector<std::string>{"default/b:80: 10.96.0.10:80 is already taken by default/a:80"});
}

TEST_CASE("endpoints of another namespace are not used") {
  auto svc = make_service("web", "10.96.0.10", {tcp_port("", 80)});
  auto eps = make_endpoints("web", {make_subset({"172.17.0.2"}, {{"", 8080}})});
  eps.metadata.namespace_ = "other";
  CHECK(plan_listeners({svc}, {eps}, {}).listeners.empty());
}

TEST_CASE("listener keys print as address:port, IPv6 bracketed") {
  CHECK(to_string(listener_key{"10.96.0.1", 443}) == "10.96.0.1:443");
  CHECK(to_string(backend{"fd00::1", 80}) == "[fd00::1]:80");
}

}  // namespace
}  // namespace berth::agent::proxy
