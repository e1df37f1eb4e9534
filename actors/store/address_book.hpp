#pragma once
// Cluster IPs and node ports held for services whose create or replace is on
// its way to the journal but not folded yet, so that two concurrent creates
// never get the same address. What the folded state holds comes from the
// services themselves (reconcile::collect_in_use). CAF-free; owned by the store.

#include <cstdint>
#include <optional>
#include <vector>

#include "actors/model/state.hpp"
#include "actors/reconcile/service_addresses.hpp"

namespace berth::store {

/// The addresses one command holds until it is folded or refused.
struct reservation {
  std::optional<std::uint32_t> cluster_ip;
  std::vector<std::int32_t> node_ports;
};

class address_book {
 public:
  address_book() = default;
  explicit address_book(reconcile::service_address_config config) : config_(std::move(config)) {}

  /// Fills `svc`'s cluster IP and node ports (honouring requested ones) from
  /// what neither the folded state nor a held reservation uses. On success the
  /// addresses are held (returned in `held`) until release(); on failure the
  /// errors are Kubernetes' field errors and nothing is held.
  std::vector<reconcile::address_error> assign(const model::cluster_state& s, model::service& svc,
                                               const model::service* stored, reservation& held);
  void release(const reservation& r);
  /// How many addresses are held (cluster IPs + node ports).
  std::size_t held() const { return pending_.cluster_ips.size() + pending_.node_ports.size(); }
  const reconcile::service_address_config& config() const { return config_; }

 private:
  reconcile::service_address_config config_;
  reconcile::addresses_in_use pending_;
};

}  // namespace berth::store
