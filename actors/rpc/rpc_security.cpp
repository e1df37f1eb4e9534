#include "actors/rpc/rpc_security.hpp"

#include <arpa/inet.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace berth::rpc {
namespace {

bool is_ip_literal(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

std::string host_part(const std::string& address) {
  std::string host = address;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return close == std::string::npos ? host : host.substr(1, close - 1);
  }
  auto colon = host.rfind(':');
  if (colon != std::string::npos && host.find(':') == colon) host = host.substr(0, colon);  // not bare IPv6
  return host;
}

}  // namespace

std::string load_ca_file(const std::string& path, rpc_security& s) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fmt::format("cannot read {}: {}", path, std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  auto pem = text.str();
  if (pem.find("-----BEGIN CERTIFICATE-----") == std::string::npos)
    return fmt::format("{}: not a PEM certificate (expected \"-----BEGIN CERTIFICATE-----\")", path);
  s.ca_pem = std::move(pem);
  s.ca_origin = path;
  return {};
}

std::string verification_name(const std::string& address) {
  auto host = host_part(address);
  if (host.empty() || is_ip_literal(host)) return "berth";
  return host;
}

}  // namespace berth::rpc
