#pragma once
// Builders for the reconcile tests: small, explicit objects with only the
// fields a decision reads. Values, never shared: each test edits its copies.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "actors/model/objects.hpp"
#include "actors/model/quantity.hpp"

namespace berth::reconcile::test {

inline constexpr model::time_ns k_second = 1'000'000'000;

/// A quantity from its text; a typo in a test is a bug in the test, hence throw.
inline model::quantity q(std::string_view text) {
  std::string err;
  auto v = model::parse_quantity(text, &err);
  if (!v) throw std::invalid_argument(std::string(text) + ": " + err);
  return *v;
}

inline model::condition condition_of(std::string type, bool is_true, model::time_ns transition = 0) {
  model::condition c;
  c.type = std::move(type);
  c.status = is_true ? model::condition_status::is_true : model::condition_status::is_false;
  c.last_transition_time = transition;
  return c;
}

inline void set_ready(model::pod& p, bool ready) { p.status.conditions = {condition_of("Ready", ready)}; }

inline model::pod make_pod(std::string name, std::string ns = "default") {
  model::pod p;
  p.metadata.name = std::move(name);
  p.metadata.namespace_ = std::move(ns);
  p.metadata.uid = "uid-" + p.metadata.name;
  p.spec.containers.push_back({});
  p.spec.containers[0].name = "c";
  p.spec.containers[0].image = "busybox";
  return p;
}

/// A running, ready pod with an IP (the usual endpoint).
inline model::pod running_pod(std::string name, std::string ip, std::string node = "n1") {
  auto p = make_pod(std::move(name));
  p.spec.node_name = std::move(node);
  p.status.phase = model::pod_phase::running;
  p.status.pod_ip = std::move(ip);
  set_ready(p, true);
  return p;
}

inline model::pod requesting_pod(std::string name, std::string_view cpu, std::string_view memory) {
  auto p = make_pod(std::move(name));
  if (!cpu.empty()) p.spec.containers[0].resources.requests["cpu"] = q(cpu);
  if (!memory.empty()) p.spec.containers[0].resources.requests["memory"] = q(memory);
  return p;
}

inline model::replication_controller make_rc(std::string name, std::int32_t replicas, std::string uid = "rc-uid") {
  model::replication_controller rc;
  rc.metadata.name = name;
  rc.metadata.namespace_ = "default";
  rc.metadata.uid = std::move(uid);
  rc.metadata.generation = 1;
  rc.spec.replicas = replicas;
  rc.spec.selector = {{"app", name}};
  rc.spec.template_.metadata.labels = {{"app", name}};
  rc.spec.template_.spec.containers.push_back({});
  rc.spec.template_.spec.containers[0].name = "web";
  rc.spec.template_.spec.containers[0].image = "nginx";
  return rc;
}

inline void set_owner(model::pod& p, const std::string& rc_name, const std::string& uid,
                      std::string kind = model::k_kind_rc) {
  p.metadata.owner_references = {{"v1", std::move(kind), rc_name, uid, true}};
}

/// A running, ready, scheduled pod owned by `rc`.
inline model::pod rc_pod(const model::replication_controller& rc, std::string name, model::time_ns created = 0) {
  auto p = make_pod(std::move(name), rc.metadata.namespace_);
  p.metadata.labels = rc.spec.template_.metadata.labels;
  p.metadata.creation_timestamp = created;
  set_owner(p, rc.metadata.name, rc.metadata.uid);
  p.spec.node_name = "n1";
  p.status.phase = model::pod_phase::running;
  set_ready(p, true);
  return p;
}

inline model::node make_node(std::string name, std::string_view cpu = "2", std::string_view memory = "4Gi",
                             std::string_view pods = "110", bool ready = true) {
  model::node n;
  n.metadata.name = std::move(name);
  n.status.allocatable["cpu"] = q(cpu);
  n.status.allocatable["memory"] = q(memory);
  n.status.allocatable["pods"] = q(pods);
  n.status.conditions = {condition_of("Ready", ready)};
  return n;
}

}  // namespace berth::reconcile::test
