#include "node-agent/dns/hosts_file.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
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

std::string hosts_text(const std::vector<model::service>& services, const std::string& domain) {
  // (name, ip): sorting by name first makes the text independent of the
  // order services arrive in, and puts duplicates next to each other.
  std::vector<std::pair<std::string, std::string>> lines;
  for (const model::service& svc : services) {
    if (!has_cluster_ip(svc)) continue;
    if (!is_dns_label(svc.metadata.name)) continue;
    if (!is_dns_label(namespace_or_default(svc.metadata.namespace_))) continue;
    lines.emplace_back(service_fqdn(svc, domain), svc.spec.cluster_ip);
  }
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first == b.first; }),
              lines.end());

  std::string text = "# berth cluster DNS: written by berth-agent, replaced on every change\n";
  for (const auto& [name, ip] : lines) text += fmt::format("{} {}\n", ip, name);
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
