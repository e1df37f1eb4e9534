#include "node-agent/proxy/routing.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace berth::agent::proxy {

std::string to_string(const backend& b) {
  // IPv6 literals are bracketed so that the port stays unambiguous.
  if (b.ip.find(':') != std::string::npos) return fmt::format("[{}]:{}", b.ip, b.port);
  return fmt::format("{}:{}", b.ip, b.port);
}

std::string to_string(const listener_key& k) {
  const char* suffix = k.protocol == model::protocol::udp ? "/UDP" : "";
  if (k.address.find(':') != std::string::npos) return fmt::format("[{}]:{}{}", k.address, k.port, suffix);
  return fmt::format("{}:{}{}", k.address, k.port, suffix);
}

namespace {

void sort_unique(std::vector<backend>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string port_label(const model::service& svc, const model::service_port& port) {
  std::string name = port.name.empty() ? std::to_string(port.port) : port.name;
  return fmt::format("{}/{}:{}", svc.metadata.namespace_, svc.metadata.name, name);
}

bool has_cluster_ip(const model::service& svc) { return !svc.spec.cluster_ip.empty() && svc.spec.cluster_ip != "None"; }

bool wants_node_port(const model::service& svc, const model::service_port& port) {
  // LoadBalancer services get node ports too, as in Kubernetes.
  return port.node_port != 0 && svc.spec.type != model::service_type::cluster_ip;
}

/// The addresses node ports bind on: the wildcard alone when it is asked for.
std::vector<std::string> node_port_addresses(const std::vector<std::string>& given) {
  if (std::find(given.begin(), given.end(), "0.0.0.0") != given.end()) return {"0.0.0.0"};
  std::set<std::string> unique(given.begin(), given.end());
  return {unique.begin(), unique.end()};
}

const model::endpoints* find_endpoints(const std::vector<model::endpoints>& all, const model::service& svc) {
  for (const auto& e : all) {
    if (e.metadata.namespace_ == svc.metadata.namespace_ && e.metadata.name == svc.metadata.name) return &e;
  }
  return nullptr;
}

/// Adds `spec` unless its key is taken; says so in `skipped` when it is.
void claim(std::map<listener_key, listener_spec>& taken, listener_spec spec, std::vector<std::string>& skipped) {
  auto [it, inserted] = taken.try_emplace(spec.key, spec);
  if (!inserted) {
    skipped.push_back(
        fmt::format("{}: {} is already taken by {}", spec.service, to_string(spec.key), it->second.service));
  }
}

void plan_port(const model::service& svc, const model::service_port& port, const model::endpoints* eps,
               const std::vector<std::string>& node_addrs, std::map<listener_key, listener_spec>& taken,
               std::vector<std::string>& skipped) {
  std::string label = port_label(svc, port);
  std::vector<backend> backends = eps ? backends_for(port, *eps) : std::vector<backend>{};
  if (backends.empty()) {
    skipped.push_back(fmt::format("{}: no ready endpoints, so no listener", label));
    return;
  }
  listener_spec spec{{svc.spec.cluster_ip, port.port, port.protocol_}, label, backends, svc.spec.session_affinity_};
  claim(taken, spec, skipped);
  if (!wants_node_port(svc, port)) return;
  for (const auto& addr : node_addrs) {
    spec.key = listener_key{addr, port.node_port, port.protocol_};
    claim(taken, spec, skipped);
  }
}

}  // namespace

std::vector<backend> backends_for(const model::service_port& port, const model::endpoints& endpoints) {
  std::vector<backend> out;
  for (const auto& subset : endpoints.subsets) {
    const model::endpoint_port* match = nullptr;
    for (const auto& p : subset.ports) {
      if (p.name == port.name && p.protocol_ == port.protocol_) match = &p;
    }
    // An unnamed service port is the service's only port: take the subset's
    // only port whatever it is called.
    if (!match && port.name.empty() && subset.ports.size() == 1) match = &subset.ports.front();
    if (!match || match->port <= 0) continue;
    for (const auto& addr : subset.addresses) {
      if (!addr.ip.empty()) out.push_back(backend{addr.ip, match->port});
    }
  }
  sort_unique(out);
  return out;
}

routing_plan plan_listeners(const std::vector<model::service>& services, const std::vector<model::endpoints>& endpoints,
                            const std::vector<std::string>& node_addresses) {
  // Sorted by namespace/name so that a conflict is always won by the same service.
  std::vector<const model::service*> order;
  for (const auto& s : services) order.push_back(&s);
  std::sort(order.begin(), order.end(), [](const auto* a, const auto* b) {
    return std::tie(a->metadata.namespace_, a->metadata.name) < std::tie(b->metadata.namespace_, b->metadata.name);
  });
  const std::vector<std::string> node_addrs = node_port_addresses(node_addresses);

  routing_plan plan;
  std::map<listener_key, listener_spec> taken;
  for (const auto* svc : order) {
    if (!has_cluster_ip(*svc)) {
      plan.skipped.push_back(
          fmt::format("{}/{}: no cluster IP (headless)", svc->metadata.namespace_, svc->metadata.name));
      continue;
    }
    const model::endpoints* eps = find_endpoints(endpoints, *svc);
    for (const auto& port : svc->spec.ports) plan_port(*svc, port, eps, node_addrs, taken, plan.skipped);
  }
  for (auto& [key, spec] : taken) plan.listeners.push_back(std::move(spec));
  return plan;
}

// -------------------------------------------------------------------- picker

backend_picker::backend_picker(std::vector<backend> backends, model::session_affinity affinity) {
  set_backends(std::move(backends), affinity);
}

void backend_picker::set_backends(std::vector<backend> backends, model::session_affinity affinity) {
  sort_unique(backends);
  // Keep the round-robin position on the same backend, so that an update that
  // changes nothing (or only adds) does not restart the rotation.
  std::size_t next_cursor = backends.empty() ? 0 : cursor_ % backends.size();
  if (cursor_ < backends_.size()) {
    auto it = std::lower_bound(backends.begin(), backends.end(), backends_[cursor_]);
    if (it != backends.end() && *it == backends_[cursor_])
      next_cursor = static_cast<std::size_t>(it - backends.begin());
  }
  backends_ = std::move(backends);
  cursor_ = next_cursor;
  affinity_ = affinity;
  if (affinity_ != model::session_affinity::client_ip) {
    sticky_.clear();
    return;
  }
  std::erase_if(sticky_, [this](const auto& kv) {
    return !std::binary_search(backends_.begin(), backends_.end(), kv.second.chosen);
  });
}

std::optional<backend> backend_picker::round_robin(const std::vector<backend>& tried) {
  for (std::size_t i = 0; i < backends_.size(); ++i) {
    std::size_t at = (cursor_ + i) % backends_.size();
    if (std::find(tried.begin(), tried.end(), backends_[at]) != tried.end()) continue;
    cursor_ = (at + 1) % backends_.size();
    return backends_[at];
  }
  return std::nullopt;
}

void backend_picker::sweep_expired(time_point now) {
  // Amortised: a sweep every 1024 picks bounds the map by the clients of the
  // last three hours plus 1024.
  if (++picks_since_sweep_ < 1024) return;
  picks_since_sweep_ = 0;
  std::erase_if(sticky_, [now](const auto& kv) { return now - kv.second.last_used >= k_affinity_timeout; });
}

std::optional<backend> backend_picker::next(const std::string& client_ip, time_point now,
                                            const std::vector<backend>& tried) {
  if (affinity_ != model::session_affinity::client_ip) return round_robin(tried);
  sweep_expired(now);
  auto it = sticky_.find(client_ip);
  if (it != sticky_.end() && now - it->second.last_used < k_affinity_timeout &&
      std::find(tried.begin(), tried.end(), it->second.chosen) == tried.end()) {
    it->second.last_used = now;
    return it->second.chosen;
  }
  std::optional<backend> chosen = round_robin(tried);
  if (chosen) {
    sticky_[client_ip] = sticky_entry{*chosen, now};
  } else if (it != sticky_.end()) {
    sticky_.erase(it);
  }
  return chosen;
}

}  // namespace berth::agent::proxy
