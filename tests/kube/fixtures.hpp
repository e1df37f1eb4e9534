#pragma once
// Model objects for the JSON layer's tests: a running pod, its RC, a service,
// endpoints and a node, at fixed times.

#include <string>

#include "actors/model/objects.hpp"

namespace berth::kube::test {

inline constexpr model::time_ns k_second = 1'000'000'000;
inline constexpr model::time_ns k_created = 1'700'000'000 * k_second;  // 2023-11-14T22:13:20Z

inline model::object_meta meta(const char* name, const char* ns = "default") {
  model::object_meta m;
  m.name = name;
  m.namespace_ = ns;
  m.uid = std::string("uid-") + name;
  m.resource_version = 42;
  m.creation_timestamp = k_created;
  return m;
}

// Named fields one by one: -Wmissing-field-initializers rejects partial designated initializers.
inline model::container container(const char* name, const char* image) {
  model::container c;
  c.name = name;
  c.image = image;
  return c;
}

inline model::condition condition_true(const char* type) {
  model::condition c;
  c.type = type;
  c.status = model::condition_status::is_true;
  return c;
}

inline model::pod running_pod() {
  model::pod p;
  p.metadata = meta("web-x7k2q");
  p.metadata.labels = {{"app", "web"}, {"tier", "front"}};
  p.spec.containers.push_back(container("nginx", "nginx:1.25"));
  p.spec.node_name = "node1";
  p.status.phase = model::pod_phase::running;
  p.status.pod_ip = "10.1.0.5";
  p.status.conditions.push_back(condition_true("Ready"));
  model::container_status cs;
  cs.name = "nginx";
  cs.ready = true;
  cs.state = model::container_state_running{k_created};
  p.status.container_statuses.push_back(cs);
  return p;
}

inline model::replication_controller web_rc() {
  model::replication_controller rc;
  rc.metadata = meta("web");
  rc.spec.replicas = 3;
  rc.spec.selector = {{"app", "web"}, {"tier", "front"}};
  rc.spec.template_.spec.containers.push_back(container("nginx", "nginx:1.25"));
  rc.spec.template_.spec.containers.push_back(container("log", "busybox"));
  rc.status.replicas = 2;
  rc.status.ready_replicas = 1;
  return rc;
}

inline model::service web_service() {
  model::service s;
  s.metadata = meta("web");
  s.spec.cluster_ip = "10.0.0.10";
  s.spec.selector = {{"app", "web"}};
  model::service_port port;
  port.port = 80;
  s.spec.ports.push_back(port);
  return s;
}

inline model::endpoints web_endpoints() {
  model::endpoints e;
  e.metadata = meta("web");
  model::endpoint_subset subset;
  model::endpoint_address address;
  address.ip = "10.1.0.5";
  subset.addresses.push_back(address);
  model::endpoint_port port;
  port.port = 8080;
  subset.ports.push_back(port);
  e.subsets.push_back(subset);
  return e;
}

inline model::node ready_node() {
  model::node n;
  n.metadata = meta("node1", "");
  n.metadata.labels = {{"node-role.kubernetes.io/worker", ""}};
  n.status.conditions.push_back(condition_true("Ready"));
  n.status.addresses.push_back({"InternalIP", "192.168.1.10"});
  n.status.node_info.kubelet_version = "v0.1.0-berth";
  n.status.node_info.os_image = "Debian GNU/Linux 12 (bookworm)";
  return n;
}

}  // namespace berth::kube::test
