#pragma once
// Builders for the model objects the proxy tests feed in.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent::proxy::test {

inline model::service_port tcp_port(std::string name, std::int32_t port, std::int32_t node_port = 0) {
  model::service_port p;
  p.name = std::move(name);
  p.port = port;
  p.node_port = node_port;
  return p;
}

inline model::service make_service(std::string name, std::string cluster_ip, std::vector<model::service_port> ports,
                                   model::service_type type = model::service_type::cluster_ip,
                                   model::session_affinity affinity = model::session_affinity::none) {
  model::service s;
  s.metadata.namespace_ = "default";
  s.metadata.name = std::move(name);
  s.spec.cluster_ip = std::move(cluster_ip);
  s.spec.ports = std::move(ports);
  s.spec.type = type;
  s.spec.session_affinity_ = affinity;
  return s;
}

inline model::endpoint_subset make_subset(std::vector<std::string> ips,
                                          std::vector<std::pair<std::string, std::int32_t>> ports) {
  model::endpoint_subset sub;
  for (auto& ip : ips) {
    model::endpoint_address a;
    a.ip = std::move(ip);
    sub.addresses.push_back(std::move(a));
  }
  for (auto& [name, port] : ports) {
    model::endpoint_port p;
    p.name = name;
    p.port = port;
    sub.ports.push_back(std::move(p));
  }
  return sub;
}

inline model::endpoints make_endpoints(std::string name, std::vector<model::endpoint_subset> subsets) {
  model::endpoints e;
  e.metadata.namespace_ = "default";
  e.metadata.name = std::move(name);
  e.subsets = std::move(subsets);
  return e;
}

}  // namespace berth::agent::proxy::test
