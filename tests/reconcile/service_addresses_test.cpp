// Cluster IP and node port allocation: table tests of every rule, and a
// randomized check that allocations never collide and are released on delete.
#include <doctest/doctest.h>

#include <random>

#include "actors/reconcile/service_addresses.hpp"

using namespace berth;
using namespace berth::reconcile;

namespace {

model::service svc(const std::string& name, const std::string& ip = "",
                   model::service_type type = model::service_type::cluster_ip,
                   std::vector<std::int32_t> node_ports = {}) {
  model::service s;
  s.metadata.name = name;
  s.metadata.namespace_ = "default";
  s.spec.cluster_ip = ip;
  s.spec.type = type;
  std::int32_t port = 80;
  if (node_ports.empty()) node_ports.push_back(0);
  for (auto np : node_ports) s.spec.ports.push_back({"", model::protocol::tcp, port++, {}, np});
  return s;
}

service_address_config small_range() {
  service_address_config c;
  c.cluster_ips = *parse_ipv4_range("10.96.0.0/29");  // 10.96.0.1 .. 10.96.0.6
  c.node_port_min = 30000;
  c.node_port_max = 30002;
  return c;
}

addresses_in_use used(std::vector<std::string> ips, std::vector<std::int32_t> ports = {}) {
  addresses_in_use u;
  for (const auto& ip : ips) u.cluster_ips.insert(*parse_ipv4(ip));
  u.node_ports.insert(ports.begin(), ports.end());
  return u;
}

}  // namespace

TEST_CASE("parse_ipv4 and parse_ipv4_range accept dotted quads and CIDR blocks, nothing else") {
  CHECK(parse_ipv4("10.96.0.7") == (10u << 24 | 96u << 16 | 7u));
  CHECK_FALSE(parse_ipv4("10.96.0"));
  CHECK_FALSE(parse_ipv4("10.96.0.256"));
  CHECK_FALSE(parse_ipv4("10.96.0.7 "));
  CHECK_FALSE(parse_ipv4("a.b.c.d"));
  CHECK(parse_ipv4_range("10.96.0.0/16")->prefix == 16);
  CHECK_FALSE(parse_ipv4_range("10.96.0.1/16"));  // host bits set
  CHECK_FALSE(parse_ipv4_range("10.96.0.0/31"));
  CHECK_FALSE(parse_ipv4_range("10.96.0.0"));
  CHECK_FALSE(parse_ipv4_range("10.96.0.0/x"));
  CHECK_FALSE(parse_ipv4_range("10.96.0.0/"));
  CHECK_FALSE(parse_ipv4_range("10.96.0/16"));
  CHECK_FALSE(parse_ipv4_range("10.96.0.0/16; reboot"));  // it is passed to `ip route`
}

TEST_CASE("a new service gets the lowest free cluster IP, skipping the network address") {
  auto s = svc("a");
  CHECK(assign_service_addresses(s, nullptr, {}, small_range()).empty());
  CHECK(s.spec.cluster_ip == "10.96.0.1");
  auto t = svc("b");
  CHECK(assign_service_addresses(t, nullptr, used({"10.96.0.1", "10.96.0.2"}), small_range()).empty());
  CHECK(t.spec.cluster_ip == "10.96.0.3");
}

TEST_CASE("a requested cluster IP is honoured when free and in range, refused clearly otherwise") {
  auto s = svc("a", "10.96.0.5");
  CHECK(assign_service_addresses(s, nullptr, {}, small_range()).empty());
  CHECK(s.spec.cluster_ip == "10.96.0.5");

  auto taken = svc("b", "10.96.0.5");
  auto e = assign_service_addresses(taken, nullptr, used({"10.96.0.5"}), small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].field == "spec.clusterIP");
  CHECK(e[0].message == "Invalid value: \"10.96.0.5\": provided IP is already allocated");

  auto outside = svc("c", "10.97.0.1");
  e = assign_service_addresses(outside, nullptr, {}, small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message ==
        "Invalid value: \"10.97.0.1\": provided IP is not in the valid range. The range of valid IPs is 10.96.0.0/29");

  auto broadcast = svc("d", "10.96.0.7");
  CHECK(assign_service_addresses(broadcast, nullptr, {}, small_range()).size() == 1);
  auto garbage = svc("e", "ten");
  e = assign_service_addresses(garbage, nullptr, {}, small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "Invalid value: \"ten\": must be a valid IP address");
}

TEST_CASE("the cluster DNS address is never handed out, nor granted on request") {
  service_address_config c;
  c.cluster_ips = *parse_ipv4_range("10.96.0.0/28");
  c.reserved = {*parse_ipv4("10.96.0.2")};
  auto a = svc("a");
  CHECK(assign_service_addresses(a, nullptr, used({"10.96.0.1"}), c).empty());
  CHECK(a.spec.cluster_ip == "10.96.0.3");
  auto b = svc("b", "10.96.0.2");
  auto e = assign_service_addresses(b, nullptr, {}, c);
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "Invalid value: \"10.96.0.2\": provided IP is reserved for the cluster DNS");
}

TEST_CASE("headless services keep None; a full range is an error") {
  auto headless = svc("h", "None");
  CHECK(assign_service_addresses(headless, nullptr, used({"10.96.0.1"}), small_range()).empty());
  CHECK(headless.spec.cluster_ip == "None");
  auto s = svc("a");
  auto e = assign_service_addresses(
      s, nullptr, used({"10.96.0.1", "10.96.0.2", "10.96.0.3", "10.96.0.4", "10.96.0.5", "10.96.0.6"}), small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "Internal error: range 10.96.0.0/29 is full: no cluster IP is free");
}

TEST_CASE("on replace the cluster IP is kept, and changing it is refused") {
  auto stored = svc("a", "10.96.0.4");
  auto again = svc("a");
  CHECK(assign_service_addresses(again, &stored, used({"10.96.0.1"}), small_range()).empty());
  CHECK(again.spec.cluster_ip == "10.96.0.4");
  auto changed = svc("a", "10.96.0.5");
  auto e = assign_service_addresses(changed, &stored, {}, small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "Invalid value: \"10.96.0.5\": field is immutable");
}

TEST_CASE("NodePort services get free node ports; requested ones are checked; ClusterIP services get none") {
  auto np = svc("a", "", model::service_type::node_port, {0, 30001});
  CHECK(assign_service_addresses(np, nullptr, used({}, {30000}), small_range()).empty());
  CHECK(np.spec.ports[0].node_port == 30002);  // 30000 taken, 30001 requested by the second port
  CHECK(np.spec.ports[1].node_port == 30001);

  auto clash = svc("b", "", model::service_type::node_port, {30000});
  auto e = assign_service_addresses(clash, nullptr, used({}, {30000}), small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].field == "spec.ports[0].nodePort");
  CHECK(e[0].message == "Invalid value: 30000: provided port is already allocated");

  auto out = svc("c", "", model::service_type::node_port, {31000});
  e = assign_service_addresses(out, nullptr, {}, small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message ==
        "Invalid value: 31000: provided port is not in the valid range. The range of valid ports is 30000-30002");

  auto full = svc("d", "", model::service_type::node_port);
  e = assign_service_addresses(full, nullptr, used({}, {30000, 30001, 30002}), small_range());
  REQUIRE(e.size() == 1);
  CHECK(e[0].message == "Internal error: node port range 30000-30002 is full");

  auto plain = svc("e");
  CHECK(assign_service_addresses(plain, nullptr, {}, small_range()).empty());
  CHECK(plain.spec.ports[0].node_port == 0);
}

TEST_CASE("on replace a NodePort service keeps its node ports") {
  auto stored = svc("a", "10.96.0.1", model::service_type::node_port, {30001});
  auto again = svc("a", "", model::service_type::node_port);
  CHECK(assign_service_addresses(again, &stored, {}, small_range()).empty());
  CHECK(again.spec.ports[0].node_port == 30001);
  auto same = svc("a", "", model::service_type::node_port, {30001});
  CHECK(assign_service_addresses(same, &stored, {}, small_range()).empty());
}

TEST_CASE("randomized: allocations never collide, and deleting a service frees its addresses") {
  std::mt19937 rng(7);
  service_address_config config;
  config.cluster_ips = *parse_ipv4_range("10.96.0.0/27");  // 30 addresses
  config.reserved.clear();
  config.node_port_min = 30000;
  config.node_port_max = 30019;
  std::vector<model::service> live;
  for (int step = 0; step < 2000; ++step) {
    if (!live.empty() && rng() % 3 == 0) {
      live.erase(live.begin() + rng() % live.size());
      continue;
    }
    std::vector<const model::service*> all;
    for (const auto& s : live) all.push_back(&s);
    auto in_use = collect_in_use(all, "", "");
    auto s = svc("s" + std::to_string(step), "",
                 rng() % 2 ? model::service_type::node_port : model::service_type::cluster_ip);
    auto errors = assign_service_addresses(s, nullptr, in_use, config);
    bool room = in_use.cluster_ips.size() < 30 &&
                (s.spec.type == model::service_type::cluster_ip || in_use.node_ports.size() < 20);
    CHECK(errors.empty() == room);
    if (!errors.empty()) continue;
    auto ip = *parse_ipv4(s.spec.cluster_ip);
    CHECK(in_use.cluster_ips.count(ip) == 0);
    if (s.spec.type == model::service_type::node_port) CHECK(in_use.node_ports.count(s.spec.ports[0].node_port) == 0);
    live.push_back(s);
  }
}
