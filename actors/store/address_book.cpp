#include "actors/store/address_book.hpp"

namespace berth::store {

std::vector<reconcile::address_error> address_book::assign(const model::cluster_state& s, model::service& svc,
                                                           const model::service* stored, reservation& held) {
  std::vector<const model::service*> all;
  all.reserve(s.services.size());
  for (const auto& [_, other] : s.services) all.push_back(&other);
  auto in_use = reconcile::collect_in_use(all, svc.metadata.namespace_, svc.metadata.name);
  in_use.cluster_ips.insert(pending_.cluster_ips.begin(), pending_.cluster_ips.end());
  in_use.node_ports.insert(pending_.node_ports.begin(), pending_.node_ports.end());
  auto errors = reconcile::assign_service_addresses(svc, stored, in_use, config_);
  if (!errors.empty()) return errors;
  held = {};
  held.cluster_ip = reconcile::parse_ipv4(svc.spec.cluster_ip);
  for (const auto& p : svc.spec.ports)
    if (p.node_port) held.node_ports.push_back(p.node_port);
  if (held.cluster_ip) pending_.cluster_ips.insert(*held.cluster_ip);
  pending_.node_ports.insert(held.node_ports.begin(), held.node_ports.end());
  return errors;
}

void address_book::release(const reservation& r) {
  if (r.cluster_ip) pending_.cluster_ips.erase(*r.cluster_ip);
  for (auto p : r.node_ports) pending_.node_ports.erase(p);
}

}  // namespace berth::store
