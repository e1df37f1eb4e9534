#include "actors/reconcile/service_addresses.hpp"

#include <charconv>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

std::string ip_text(std::uint32_t ip) {
  return fmt::format("{}.{}.{}.{}", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

std::uint32_t mask_of(int prefix) { return prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix); }

bool in_range(const ipv4_range& r, std::uint32_t ip) {
  auto mask = mask_of(r.prefix);
  auto broadcast = r.base | ~mask;
  return (ip & mask) == r.base && ip != r.base && ip != broadcast;
}

std::vector<address_error> assign_cluster_ip(model::service& svc, const model::service* existing,
                                             const addresses_in_use& in_use, const service_address_config& config) {
  auto& ip = svc.spec.cluster_ip;
  if (existing) {
    if (ip.empty()) ip = existing->spec.cluster_ip;
    if (ip != existing->spec.cluster_ip)
      return {{"spec.clusterIP", fmt::format("Invalid value: \"{}\": field is immutable", ip)}};
    return {};
  }
  if (ip == "None") return {};
  const auto& range = config.cluster_ips;
  if (!ip.empty()) {
    auto parsed = parse_ipv4(ip);
    if (!parsed) return {{"spec.clusterIP", fmt::format("Invalid value: \"{}\": must be a valid IP address", ip)}};
    if (!in_range(range, *parsed))
      return {{"spec.clusterIP",
               fmt::format("Invalid value: \"{}\": provided IP is not in the valid range. The range of valid IPs is {}",
                           ip, range.text)}};
    if (in_use.cluster_ips.count(*parsed))
      return {{"spec.clusterIP", fmt::format("Invalid value: \"{}\": provided IP is already allocated", ip)}};
    if (config.reserved.count(*parsed))
      return {
          {"spec.clusterIP", fmt::format("Invalid value: \"{}\": provided IP is reserved for the cluster DNS", ip)}};
    return {};
  }
  auto broadcast = range.base | ~mask_of(range.prefix);
  for (std::uint32_t candidate = range.base + 1; candidate < broadcast; ++candidate) {
    if (in_use.cluster_ips.count(candidate) || config.reserved.count(candidate)) continue;
    ip = ip_text(candidate);
    return {};
  }
  return {{"spec.clusterIP", fmt::format("Internal error: range {} is full: no cluster IP is free", range.text)}};
}

std::vector<address_error> assign_node_ports(model::service& svc, const model::service* existing,
                                             const addresses_in_use& in_use, const service_address_config& config) {
  std::vector<address_error> errors;
  if (svc.spec.type == model::service_type::cluster_ip) return errors;
  std::set<std::int32_t> taken = in_use.node_ports;
  std::set<std::int32_t> own;  // the stored service's own ports may be kept
  if (existing)
    for (const auto& p : existing->spec.ports)
      if (p.node_port) own.insert(p.node_port);
  // Requested ports first, so that an automatic choice never takes one of them.
  for (std::size_t i = 0; i < svc.spec.ports.size(); ++i) {
    auto np = svc.spec.ports[i].node_port;
    if (np == 0) continue;
    auto field = fmt::format("spec.ports[{}].nodePort", i);
    if (np < config.node_port_min || np > config.node_port_max)
      errors.push_back({field, fmt::format("Invalid value: {}: provided port is not in the valid range. The range of "
                                           "valid ports is {}-{}",
                                           np, config.node_port_min, config.node_port_max)});
    else if (taken.count(np) && !own.count(np))
      errors.push_back({field, fmt::format("Invalid value: {}: provided port is already allocated", np)});
    taken.insert(np);
  }
  for (auto& p : svc.spec.ports) {
    if (p.node_port != 0) continue;
    if (existing)
      for (const auto& old : existing->spec.ports)
        if (old.port == p.port && old.protocol_ == p.protocol_ && old.node_port && !taken.count(old.node_port))
          p.node_port = old.node_port;
    for (auto candidate = config.node_port_min; p.node_port == 0 && candidate <= config.node_port_max; ++candidate)
      if (!taken.count(candidate)) p.node_port = candidate;
    if (p.node_port == 0) {
      errors.push_back({"spec.ports", fmt::format("Internal error: node port range {}-{} is full", config.node_port_min,
                                                  config.node_port_max)});
      break;
    }
    taken.insert(p.node_port);
  }
  return errors;
}

}  // namespace

std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
  std::uint32_t out = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int i = 0; i < 4; ++i) {
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc{} || octet > 255 || next == p || next - p > 3) return std::nullopt;
    out = out << 8 | octet;
    p = next;
    if (i < 3) {
      if (p == end || *p != '.') return std::nullopt;
      ++p;
    }
  }
  if (p != end) return std::nullopt;
  return out;
}

std::optional<ipv4_range> parse_ipv4_range(const std::string& cidr) {
  auto slash = cidr.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto base = parse_ipv4(cidr.substr(0, slash));
  int prefix = -1;
  auto bits = cidr.substr(slash + 1);
  auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
  if (!base || ec != std::errc{} || end != bits.data() + bits.size() || prefix < 8 || prefix > 30) return std::nullopt;
  if ((*base & ~mask_of(prefix)) != 0) return std::nullopt;
  return ipv4_range{*base, prefix, cidr};
}

addresses_in_use collect_in_use(const std::vector<const model::service*>& services, const std::string& except_ns,
                                const std::string& except_name) {
  addresses_in_use out;
  for (const auto* s : services) {
    if (s->metadata.namespace_ == except_ns && s->metadata.name == except_name) continue;
    if (auto ip = parse_ipv4(s->spec.cluster_ip)) out.cluster_ips.insert(*ip);
    for (const auto& p : s->spec.ports)
      if (p.node_port) out.node_ports.insert(p.node_port);
  }
  return out;
}

std::vector<address_error> assign_service_addresses(model::service& svc, const model::service* existing,
                                                    const addresses_in_use& in_use,
                                                    const service_address_config& config) {
  auto errors = assign_cluster_ip(svc, existing, in_use, config);
  auto ports = assign_node_ports(svc, existing, in_use, config);
  errors.insert(errors.end(), ports.begin(), ports.end());
  return errors;
}

}  // namespace berth::reconcile
