#include "node-agent/dns/hosts_file.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <fmt/format.h>

namespace berth::agent::dns {

namespace {

const std::string& namespace_or_default(const std::string& ns) {
  static const std::string k_default = "default";
  return ns.empty() ? k_default : ns;
}

// dnsmasq skips a malformed line with a log message; skipping it here keeps
// the decision visible in the pure code and the file free of surprises.
bool is_ip_literal(const std::string& ip) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, ip.c_str(), &v4) == 1 || inet_pton(AF_INET6, ip.c_str(), &v6) == 1;
}

bool has_cluster_ip(const model::service& svc) {
  const std::string& ip = svc.spec.cluster_ip;
  return !ip.empty() && ip != "None" && is_ip_literal(ip);
}

}  // namespace

bool is_dns_label(const std::string& label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

std::string service_fqdn(const model::service& svc, const std::string& domain) {
  return fmt::format("{}.{}.svc.{}", svc.metadata.name, namespace_or_default(svc.metadata.namespace_), domain);
}

std::string hosts_text(const std::vector<model::service>& services, const std::string& domain,
                       const std::vector<model::endpoints>& endpoints) {
  // Name -> addresses; std::map and std::set make the text independent of
  // the order services and endpoints arrive in.
  std::map<std::string, std::set<std::string>> names;
  auto named = [&](const model::service& svc) {
    return is_dns_label(svc.metadata.name) && is_dns_label(namespace_or_default(svc.metadata.namespace_));
  };
  for (const model::service& svc : services) {
    if (!has_cluster_ip(svc) || !named(svc)) continue;
    auto& ips = names[service_fqdn(svc, domain)];
    if (ips.empty() || svc.spec.cluster_ip < *ips.begin()) ips = {svc.spec.cluster_ip};
  }
  std::map<std::pair<std::string, std::string>, const model::endpoints*> by_service;
  for (const auto& e : endpoints)
    by_service[{namespace_or_default(e.metadata.namespace_), e.metadata.name}] = &e;
  for (const model::service& svc : services) {
    if (svc.spec.cluster_ip != "None" || !named(svc)) continue;
    const std::string fqdn = service_fqdn(svc, domain);
    if (names.count(fqdn)) continue;  // a service with a cluster IP holds the name
    auto it = by_service.find({namespace_or_default(svc.metadata.namespace_), svc.metadata.name});
    if (it == by_service.end()) continue;
    std::set<std::string> ips;
    for (const auto& subset : it->second->subsets)
      for (const auto& address : subset.addresses)
        if (is_ip_literal(address.ip)) ips.insert(address.ip);
    if (!ips.empty()) names[fqdn] = std::move(ips);
  }

  std::string text = "# berth cluster DNS: written by berth-agent, replaced on every change\n";
  for (const auto& [name, ips] : names)
    for (const auto& ip : ips) text += fmt::format("{} {}\n", ip, name);
  return text;
}

std::vector<std::string> search_path(const std::string& namespace_, const std::string& domain) {
  return {fmt::format("{}.svc.{}", namespace_or_default(namespace_), domain), fmt::format("svc.{}", domain), domain};
}

std::vector<std::string> resolver_options() { return {fmt::format("ndots:{}", k_ndots)}; }

std::string generation_marker(std::uint64_t generation, const std::string& domain) {
  return fmt::format("berth-dns-gen-{}.{}", generation, domain);
}

}  // namespace berth::agent::dns
