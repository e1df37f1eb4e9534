// Which addresses berthd's serving certificate names (actors/serving_addresses).
#include <doctest/doctest.h>

#include <algorithm>

#include "actors/serving_addresses.hpp"

using namespace berth::actors;

TEST_CASE("host_of and is_wildcard_host read host:port, bracketed IPv6 included") {
  CHECK(host_of("10.0.0.5:7420") == "10.0.0.5");
  CHECK(host_of("[::1]:7420") == "::1");
  CHECK(host_of(":7420").empty());
  CHECK(host_of("master.example:7420") == "master.example");
  CHECK(is_wildcard_host(""));
  CHECK(is_wildcard_host("0.0.0.0"));
  CHECK(is_wildcard_host("::"));
  CHECK_FALSE(is_wildcard_host("127.0.0.1"));
}

TEST_CASE("certificate_ips: loopback always, specific listen IPs, interface IPs for a wildcard listen") {
  const std::vector<std::string> ifaces{"127.0.0.1", "192.168.100.30", "172.17.0.1"};
  CHECK(certificate_ips({"127.0.0.1:7420", "127.0.0.1:6443"}, ifaces) == std::vector<std::string>{"127.0.0.1", "::1"});
  CHECK(certificate_ips({"10.0.0.5:7420", "none"}, ifaces) ==
        std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.5"});
  CHECK(certificate_ips({"0.0.0.0:7420", "10.0.0.5:6443"}, ifaces) ==
        std::vector<std::string>{"127.0.0.1", "::1", "192.168.100.30", "172.17.0.1", "10.0.0.5"});
  // A DNS name is not an IP SAN (berthd's certificate carries fixed DNS names).
  CHECK(certificate_ips({"master.example:7420"}, ifaces) == std::vector<std::string>{"127.0.0.1", "::1"});
}

TEST_CASE("local_interface_ips includes loopback and no link-local IPv6") {
  auto ips = local_interface_ips();
  CHECK(std::find(ips.begin(), ips.end(), "127.0.0.1") != ips.end());
  for (const auto& ip : ips) CHECK(ip.rfind("fe80:", 0) != 0);
}

TEST_CASE("client_address dials loopback for a wildcard listen") {
  CHECK(client_address("0.0.0.0:6443") == "127.0.0.1:6443");
  CHECK(client_address("[::]:6443") == "[::1]:6443");
  CHECK(client_address("10.0.0.5:6443") == "10.0.0.5:6443");
}
