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

host_port split_address(const std::string& address, const std::string& default_port) {
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find(']');
    if (close == std::string::npos) return {address, default_port};
    const bool has_port = close + 1 < address.size() && address[close + 1] == ':';
    return {address.substr(1, close - 1), has_port ? address.substr(close + 2) : default_port};
  }
  const auto colon = address.rfind(':');
  if (colon == std::string::npos || address.find(':') != colon) return {address, default_port};  // bare IPv6
  return {address.substr(0, colon), address.substr(colon + 1)};
}

std::string verification_name(const std::string& address) {
  auto host = split_address(address).host;
  if (host.empty() || is_ip_literal(host)) return "berth";
  return host;
}

}  // namespace berth::rpc
