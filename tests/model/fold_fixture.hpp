#pragma once
// A tiny harness for table tests of apply(): events get seq 1, 2, ... and
// time = seq * 1000, so expected timestamps can be written down.

#include <string>

#include "actors/model/state.hpp"

namespace berth::model::testing {

inline object_reference ref(std::string kind, std::string ns, std::string name, std::string uid = "") {
  return {std::move(kind), std::move(ns), std::move(name), std::move(uid)};
}
inline object_reference pod_ref(std::string name, std::string uid = "") {
  return ref(k_kind_pod, "default", std::move(name), std::move(uid));
}
inline object_reference node_ref(std::string name) { return ref(k_kind_node, "", std::move(name)); }

inline pod make_pod(std::string name, std::string node_name = "") {
  pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.uid = "uid-" + name;
  p.spec.containers.resize(1);
  p.spec.containers[0].name = "app";
  p.spec.containers[0].image = "nginx:1.25";
  p.spec.node_name = std::move(node_name);
  return p;
}

/// Metadata naming (namespace, name), everything else default.
inline object_meta meta(std::string ns, std::string name, std::string uid = "") {
  object_meta m;
  m.namespace_ = std::move(ns);
  m.name = std::move(name);
  m.uid = std::move(uid);
  return m;
}

inline node make_node(std::string name) {
  node n;
  n.metadata.name = name;
  n.metadata.uid = "uid-" + name;
  n.spec.pod_cidr = "10.1.0.0/24";
  return n;
}

inline service make_service(std::string name) {
  service s;
  s.metadata.name = name;
  s.metadata.namespace_ = "default";
  s.metadata.uid = "uid-" + name;
  s.spec.selector = {{"app", name}};
  s.spec.ports.resize(1);
  s.spec.ports[0].name = "http";
  s.spec.ports[0].port = 80;
  s.spec.ports[0].target_port = {8080};
  return s;
}

inline replication_controller make_rc(std::string name, std::int32_t replicas) {
  replication_controller rc;
  rc.metadata.name = name;
  rc.metadata.namespace_ = "default";
  rc.metadata.uid = "uid-" + name;
  rc.spec.replicas = replicas;
  rc.spec.selector = {{"app", name}};
  return rc;
}

struct fold_fixture {
  cluster_state s;

  /// Folds the next event; returns what apply() did.
  apply_outcome fold(event_payload payload, object_reference object = {}) {
    event e;
    e.seq = s.seq + 1;
    e.time = static_cast<time_ns>(e.seq) * 1000;
    e.header.object = std::move(object);
    e.header.principal = "test";
    e.payload = std::move(payload);
    return apply(s, e);
  }

  pod& the_pod(const std::string& name) { return s.pods.at({"default", name}); }
  bool has_pod(const std::string& name) const { return s.pods.contains({"default", name}); }
};

}  // namespace berth::model::testing
