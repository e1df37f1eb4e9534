#pragma once
// Cluster IPs and node ports for services (kube-apiserver's allocators), as a
// pure function of the services that exist. An address is in use exactly
// while a service holds it, so deleting a service releases its addresses and
// replay reproduces every allocation (the chosen address is in the journaled
// object). The store adds what is allocated but not yet folded to `in_use`.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::reconcile {

/// An IPv4 CIDR block ("10.96.0.0/16"): addresses base+1 .. broadcast-1 are allocatable.
struct ipv4_range {
  std::uint32_t base = 0;  // host order, network address
  int prefix = 32;
  std::string text;  // as given, for messages
};

/// Parses "a.b.c.d/n" with 8 <= n <= 30 and no host bits set; nullopt otherwise.
std::optional<ipv4_range> parse_ipv4_range(const std::string& cidr);

/// "10.96.0.7" -> host-order value; nullopt when not a dotted quad.
std::optional<std::uint32_t> parse_ipv4(const std::string& text);

struct service_address_config {
  ipv4_range cluster_ips = *parse_ipv4_range("10.96.0.0/16");
  /// Addresses never handed out: the cluster DNS address node agents serve
  /// (berthd's --cluster-dns, default 10.96.0.10, as kube-dns' 10.0.0.10 was).
  std::set<std::uint32_t> reserved = {*parse_ipv4("10.96.0.10")};
  std::int32_t node_port_min = 30000;
  std::int32_t node_port_max = 32767;
};

/// What other services hold (and allocations not yet folded).
struct addresses_in_use {
  std::set<std::uint32_t> cluster_ips;
  std::set<std::int32_t> node_ports;
};

/// The addresses every service in `services` holds, except the one named
/// `except_ns`/`except_name` (the service being replaced).
addresses_in_use collect_in_use(const std::vector<const model::service*>& services, const std::string& except_ns,
                                const std::string& except_name);

struct address_error {
  std::string field;    // "spec.clusterIP", "spec.ports[0].nodePort"
  std::string message;  // Kubernetes' words
};

/// Fills `svc.spec.cluster_ip` (unless "None": headless) and, for NodePort and
/// LoadBalancer services, every `nodePort` left 0. A requested address is
/// honoured when it is in range and free, refused otherwise. On replace,
/// `existing` is the stored service: its cluster IP is kept (changing it is
/// refused: the field is immutable) and so are its node ports for the same
/// port and protocol. Returns the errors; `svc` is only meaningful without errors.
std::vector<address_error> assign_service_addresses(model::service& svc, const model::service* existing,
                                                    const addresses_in_use& in_use,
                                                    const service_address_config& config);

}  // namespace berth::reconcile
