#include "node-agent/logic/service_env.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace berth::agent {
namespace {

std::string env_name(const std::string& name) {
  std::string out;
  for (char c : name) out.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  return out;
}

const char* proto_lower(model::protocol p) { return p == model::protocol::udp ? "udp" : "tcp"; }
const char* proto_upper(model::protocol p) { return p == model::protocol::udp ? "UDP" : "TCP"; }

void add_service(std::vector<model::env_var>& out, const model::service& s) {
  const auto& ip = s.spec.cluster_ip;
  auto name = env_name(s.metadata.name);
  const auto& ports = s.spec.ports;
  out.push_back({name + "_SERVICE_HOST", ip});
  out.push_back({name + "_SERVICE_PORT", std::to_string(ports.front().port)});
  for (const auto& p : ports)
    if (!p.name.empty())
      out.push_back({fmt::format("{}_SERVICE_PORT_{}", name, env_name(p.name)), std::to_string(p.port)});
  const auto& first = ports.front();
  out.push_back({name + "_PORT", fmt::format("{}://{}:{}", proto_lower(first.protocol_), ip, first.port)});
  for (const auto& p : ports) {
    auto prefix = fmt::format("{}_PORT_{}_{}", name, p.port, proto_upper(p.protocol_));
    out.push_back({prefix, fmt::format("{}://{}:{}", proto_lower(p.protocol_), ip, p.port)});
    out.push_back({prefix + "_PROTO", proto_lower(p.protocol_)});
    out.push_back({prefix + "_PORT", std::to_string(p.port)});
    out.push_back({prefix + "_ADDR", ip});
  }
}

}  // namespace

std::vector<model::env_var> service_env(const std::vector<model::service>& services, const std::string& namespace_) {
  std::vector<const model::service*> mine;
  for (const auto& s : services) {
    const auto& ip = s.spec.cluster_ip;
    if (s.metadata.namespace_ != namespace_ || ip.empty() || ip == "None" || s.spec.ports.empty()) continue;
    if (s.metadata.deletion_timestamp != 0) continue;
    mine.push_back(&s);
  }
  std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->metadata.name < b->metadata.name; });
  std::vector<model::env_var> out;
  for (const auto* s : mine) add_service(out, *s);
  return out;
}

}  // namespace berth::agent
