#pragma once
// A journal as berthd wrote it before namespaces were objects: objects in
// "default" and in a namespace nobody created ("legacy"), an RC with its pods,
// a service with endpoints, a node, bindings, status reports, deletions.
// Only event types 0..16 (the ones that existed then), fixed seqs and times
// (seq i at i seconds), so that the state folded from it hashes to one known
// value -- the value berth computed for it before this change
// (namespaces_compat_test.cpp). Uses only model types that existed then, so
// the same code builds against the older tree to compute that value.

#include <string>
#include <vector>

#include "actors/model/events.hpp"

namespace berth::model::testing {

inline std::vector<event> old_style_journal() {
  std::vector<event> out;
  auto add = [&](object_reference ref, std::string principal, event_payload payload) {
    event e;
    e.seq = out.size() + 1;
    e.time = static_cast<time_ns>(e.seq) * 1'000'000'000;
    e.header.object = std::move(ref);
    e.header.principal = std::move(principal);
    e.payload = std::move(payload);
    out.push_back(std::move(e));
  };
  auto pod_of = [](std::string ns, std::string name, std::string uid) {
    pod p;
    p.metadata.namespace_ = std::move(ns);
    p.metadata.name = std::move(name);
    p.metadata.uid = std::move(uid);
    p.metadata.labels = {{"app", "web"}};
    container c;
    c.name = "web";
    c.image = "busybox";
    c.command = {"httpd", "-f"};
    c.ports.push_back({"http", 80, 0, protocol::tcp, ""});
    p.spec.containers.push_back(c);
    return p;
  };

  node n;
  n.metadata.name = "n1";
  n.metadata.uid = "n1";
  n.spec.pod_cidr = "10.244.1.0/24";
  n.status.addresses = {{"InternalIP", "127.0.0.1"}};
  n.status.capacity = {{"pods", *parse_quantity("110")}};
  add({k_kind_node, "", "n1", "n1"}, "node:n1", node_registered{n});
  add({k_kind_node, "", "n1", "n1"}, "node:n1", node_readiness_observed{{true, "KubeletReady", "ready", 2}});

  pod web = pod_of("default", "web", "u-web");
  add({k_kind_pod, "default", "web", "u-web"}, "user:admin", object_created{web});
  pod legacy = pod_of("legacy", "old", "u-old");
  add({k_kind_pod, "legacy", "old", "u-old"}, "user:admin", object_created{legacy});
  add({k_kind_pod, "legacy", "old", "u-old"}, "controller:scheduler", pod_bound{"n1"});
  pod_status running;
  running.phase = pod_phase::running;
  running.pod_ip = "10.244.1.5";
  add({k_kind_pod, "legacy", "old", "u-old"}, "node:n1", pod_status_observed{running});

  replication_controller rc;
  rc.metadata.namespace_ = "legacy";
  rc.metadata.name = "front";
  rc.metadata.uid = "u-front";
  rc.spec.replicas = 1;
  rc.spec.selector = {{"app", "front"}};
  rc.spec.template_.metadata.labels = {{"app", "front"}};
  rc.spec.template_.spec = web.spec;
  add({k_kind_rc, "legacy", "front", "u-front"}, "user:admin", object_created{rc});
  pod owned = pod_of("legacy", "front-abcde", "u-front-abcde");
  owned.metadata.labels = {{"app", "front"}};
  owned.metadata.owner_references = {{"v1", k_kind_rc, "front", "u-front", true}};
  add({k_kind_pod, "legacy", "front-abcde", "u-front-abcde"}, "controller:rc", pod_created{owned});

  service svc;
  svc.metadata.namespace_ = "legacy";
  svc.metadata.name = "front";
  svc.metadata.uid = "u-svc";
  svc.spec.selector = {{"app", "front"}};
  svc.spec.cluster_ip = "10.0.0.12";
  svc.spec.ports.push_back({"http", protocol::tcp, 80, {80}, 0});
  add({k_kind_service, "legacy", "front", "u-svc"}, "user:admin", object_created{svc});
  endpoints ep;
  ep.metadata.namespace_ = "legacy";
  ep.metadata.name = "front";
  ep.subsets.push_back({{{"10.244.1.5", "n1", {k_kind_pod, "legacy", "old", "u-old"}}}, {}, {{"http", 80, protocol::tcp}}});
  add({k_kind_endpoints, "legacy", "front", ""}, "controller:endpoints", endpoints_updated{ep});

  add({k_kind_rc, "legacy", "front", "u-front"}, "user:admin", rc_scaled{2});
  add({k_kind_pod, "default", "web", "u-web"}, "user:admin", object_deleted{-1});
  add({k_kind_pod, "nowhere", "ghost", ""}, "user:admin", object_deleted{-1});  // ignored: counted
  add({k_kind_node, "", "n1", "n1"}, "node:n1", node_heartbeat{3'000'000'000});
  add({k_kind_node, "", "n1", "n1"}, "user:admin", node_unschedulable{true});
  return out;
}

}  // namespace berth::model::testing
