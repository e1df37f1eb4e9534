#include "actors/serving_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>

#include <algorithm>

namespace berth::actors {

std::string host_of(const std::string& address) {
  auto colon = address.rfind(':');
  auto host = colon == std::string::npos ? address : address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host;
}

bool is_wildcard_host(const std::string& host) {
  return host.empty() || host == "0.0.0.0" || host == "::" || host == "*";
}

namespace {

bool is_ip_literal(const std::string& host) {
  in6_addr v6{};
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

void add_unique(std::vector<std::string>& to, const std::string& ip) {
  if (std::find(to.begin(), to.end(), ip) == to.end()) to.push_back(ip);
}

}  // namespace

std::vector<std::string> certificate_ips(const std::vector<std::string>& listens,
                                         const std::vector<std::string>& interface_ips) {
  std::vector<std::string> ips{"127.0.0.1", "::1"};
  for (const auto& listen : listens) {
    if (listen.empty() || listen == "none") continue;
    auto host = host_of(listen);
    if (is_wildcard_host(host)) {
      for (const auto& ip : interface_ips) add_unique(ips, ip);
    } else if (is_ip_literal(host)) {
      add_unique(ips, host);
    }
  }
  return ips;
}

std::vector<std::string> local_interface_ips() {
  std::vector<std::string> out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return out;
  for (auto* a = list; a != nullptr; a = a->ifa_next) {
    if (a->ifa_addr == nullptr) continue;
    char text[INET6_ADDRSTRLEN] = {};
    if (a->ifa_addr->sa_family == AF_INET) {
      inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    } else if (a->ifa_addr->sa_family == AF_INET6) {
      const auto& addr = reinterpret_cast<sockaddr_in6*>(a->ifa_addr)->sin6_addr;
      if (IN6_IS_ADDR_LINKLOCAL(&addr)) continue;
      inet_ntop(AF_INET6, &addr, text, sizeof text);
    } else {
      continue;
    }
    add_unique(out, text);
  }
  freeifaddrs(list);
  return out;
}

std::string client_address(const std::string& bound) {
  auto host = host_of(bound);
  auto port = bound.substr(bound.rfind(':') + 1);
  if (host.empty() || host == "0.0.0.0" || host == "*") return "127.0.0.1:" + port;
  if (host == "::") return "[::1]:" + port;
  return bound;
}

}  // namespace berth::actors
