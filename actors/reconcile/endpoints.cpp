#include "actors/reconcile/endpoints.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <variant>

#include "actors/reconcile/pod_facts.hpp"
#include "actors/reconcile/selector.hpp"

namespace berth::reconcile {
namespace {

using port_set = std::vector<model::endpoint_port>;

bool port_less(const model::endpoint_port& a, const model::endpoint_port& b) {
  return std::tie(a.name, a.port, a.protocol_) < std::tie(b.name, b.port, b.protocol_);
}

bool port_set_less(const port_set& a, const port_set& b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), port_less);
}

bool address_less(const model::endpoint_address& a, const model::endpoint_address& b) {
  return std::tie(a.ip, a.target_ref.name) < std::tie(b.ip, b.target_ref.name);
}

bool serves(const model::service& svc, const label_selector& sel, const model::pod& p) {
  return p.metadata.namespace_ == svc.metadata.namespace_ && !p.status.pod_ip.empty() && is_active(p) &&
         matches(sel, p.metadata.labels);
}

model::endpoint_address address_of(const model::pod& p) {
  return {
      p.status.pod_ip, p.spec.node_name, {model::k_kind_pod, p.metadata.namespace_, p.metadata.name, p.metadata.uid}};
}

/// The ports `p` serves for `svc`, sorted.
port_set resolved_ports(const model::service& svc, const model::pod& p) {
  port_set out;
  for (const auto& sp : svc.spec.ports) {
    if (auto port = resolve_target_port(sp, p)) out.push_back({sp.name, *port, sp.protocol_});
  }
  std::sort(out.begin(), out.end(), port_less);
  return out;
}

struct subset_less {
  bool operator()(const port_set& a, const port_set& b) const { return port_set_less(a, b); }
};

}  // namespace

std::optional<std::int32_t> resolve_target_port(const model::service_port& sp, const model::pod& p) {
  const auto& target = sp.target_port.value;
  if (std::holds_alternative<std::monostate>(target)) return sp.port;
  if (const auto* number = std::get_if<std::int32_t>(&target)) return *number;
  const auto& name = std::get<std::string>(target);
  for (const auto& c : p.spec.containers) {
    for (const auto& cp : c.ports) {
      if (cp.name == name && cp.protocol_ == sp.protocol_) return cp.container_port;
    }
  }
  return std::nullopt;
}

std::optional<model::endpoints> compute_endpoints(const model::service& svc, const std::vector<model::pod>& pods) {
  if (svc.spec.selector.empty()) return std::nullopt;
  const label_selector sel = from_map(svc.spec.selector);

  // Repacking: pods with the same resolved port set share a subset. A service
  // with no ports (headless) still lists its pods, in one subset without ports.
  std::map<port_set, model::endpoint_subset, subset_less> by_ports;
  for (const auto& p : pods) {
    if (!serves(svc, sel, p)) continue;
    port_set ports = resolved_ports(svc, p);
    if (ports.empty() && !svc.spec.ports.empty()) continue;  // it serves none of the ports
    auto& subset = by_ports[ports];
    subset.ports = std::move(ports);
    (model::is_pod_ready(p) ? subset.addresses : subset.not_ready_addresses).push_back(address_of(p));
  }

  model::endpoints out;
  out.metadata.name = svc.metadata.name;
  out.metadata.namespace_ = svc.metadata.namespace_;
  for (auto& [ports, subset] : by_ports) {
    std::sort(subset.addresses.begin(), subset.addresses.end(), address_less);
    std::sort(subset.not_ready_addresses.begin(), subset.not_ready_addresses.end(), address_less);
    out.subsets.push_back(std::move(subset));
  }
  return out;
}

}  // namespace berth::reconcile
