#include "actors/store/node_reports.hpp"

#include <algorithm>

namespace berth::store {
namespace {

std::string node_principal(const std::string& name) { return "node:" + name; }

/// Status equality as far as the node is concerned (the control plane owns PodScheduled).
bool same_reported_status(model::pod_status a, model::pod_status b) {
  auto drop_scheduled = [](model::pod_status& s) {
    std::erase_if(s.conditions, [](const model::condition& c) { return c.type == "PodScheduled"; });
  };
  drop_scheduled(a);
  drop_scheduled(b);
  return a == b;
}

}  // namespace

std::optional<model::event> registration_event(const model::cluster_state& s, model::node n, const std::string& new_uid,
                                               model::time_ns now, actors::api_field_error& error) {
  auto name = n.metadata.name;
  if (name.empty()) {
    error = {"metadata.name", "Required value"};
    return std::nullopt;
  }
  auto existing = s.nodes.find(name);
  n.metadata.namespace_.clear();
  n.metadata.uid = existing != s.nodes.end() ? existing->second.metadata.uid : new_uid;
  std::erase_if(n.status.conditions, [](const model::condition& c) { return c.type == "Ready"; });
  model::condition ready{
      "Ready", model::condition_status::is_true, "AgentReady", "berth-agent is posting ready status", now, now, 0};
  if (existing != s.nodes.end())
    if (const auto* c = model::find_condition(existing->second.status.conditions, "Ready");
        c && c->status == model::condition_status::is_true)
      ready.last_transition_time = c->last_transition_time;
  n.status.conditions.push_back(std::move(ready));
  model::event e;
  e.header.object = {model::k_kind_node, "", name, n.metadata.uid};
  e.header.principal = node_principal(name);
  e.payload = model::node_registered{std::move(n)};
  return e;
}

const model::pod* reported_pod(const model::cluster_state& s, const std::string& node, const std::string& ns,
                               const std::string& name, const std::string& uid) {
  auto it = s.pods.find({ns, name});
  if (it == s.pods.end()) return nullptr;
  const auto& p = it->second;
  if (p.metadata.uid != uid || p.spec.node_name != node) return nullptr;
  return &p;
}

std::optional<model::event> pod_event_of(const model::cluster_state& s, const actors::pod_event_report& r) {
  const auto* p = reported_pod(s, r.node_name, r.namespace_, r.name, r.uid);
  if (!p) return std::nullopt;  // only the pod's own node may speak about it
  model::event e;
  e.header.object = {model::k_kind_pod, r.namespace_, r.name, r.uid};
  e.header.principal = node_principal(r.node_name);
  e.header.cause = p->metadata.resource_version;
  e.payload = model::pod_event_observed{r.reason, r.message, r.container};
  return e;
}

std::optional<model::event> status_reports::observe(const model::cluster_state& s, actors::pod_status_report r) {
  const auto* p = reported_pod(s, r.node_name, r.namespace_, r.name, r.uid);
  if (!p) return std::nullopt;  // a report about a pod that is gone or moved: nothing to record
  model::object_key key{r.namespace_, r.name};
  if (auto it = in_flight_.find(key); it != in_flight_.end() && same_reported_status(it->second, r.status))
    return std::nullopt;  // same as a report already on its way to the journal
  if (same_reported_status(p->status, r.status)) return std::nullopt;  // not a transition
  in_flight_[key] = r.status;
  model::event e;
  e.header.object = {model::k_kind_pod, r.namespace_, r.name, r.uid};
  e.header.principal = node_principal(r.node_name);
  e.header.cause = p->metadata.resource_version;
  e.payload = model::pod_status_observed{std::move(r.status)};
  return e;
}

}  // namespace berth::store
