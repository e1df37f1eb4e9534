#pragma once
// Builders for the node-agent logic tests: a pod and the containers a runtime
// would show for it, with only the fields the decisions read. Values: each
// test edits its own copies.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/logic/pod_actions.hpp"

namespace berth::agent::test {

inline constexpr model::time_ns k_second = 1'000'000'000LL;
inline constexpr model::time_ns k_minute = 60 * k_second;

/// Pod "web" in "default" (uid "uid-web") with containers named `names`, image "busybox".
inline model::pod make_pod(std::vector<std::string> names = {"a"},
                           model::restart_policy policy = model::restart_policy::always) {
  model::pod p;
  p.metadata.name = "web";
  p.metadata.namespace_ = "default";
  p.metadata.uid = "uid-web";
  p.spec.restart_policy_ = policy;
  for (auto& n : names) {
    model::container c;
    c.name = std::move(n);
    c.image = "busybox";
    c.command = {"sh", "-c", "httpd -f"};
    p.spec.containers.push_back(std::move(c));
  }
  return p;
}

inline const model::container& spec_of(const model::pod& p, const std::string& name) {
  for (const auto& c : p.spec.containers) {
    if (c.name == name) return c;
  }
  return p.spec.containers.front();
}

inline observed_container sandbox(std::string id, observed_container::state s = observed_container::state::running,
                                  model::time_ns created_at = 1 * k_second, std::string ip = "172.17.0.2") {
  observed_container c;
  c.id = std::move(id);
  c.name = "POD";
  c.state_ = s;
  c.created_at = created_at;
  c.started_at = s == observed_container::state::created ? 0 : created_at;
  c.ip = std::move(ip);
  c.image = "berth/pause";
  return c;
}

/// An app container made from the pod's current spec of `name` (so its hash matches).
inline observed_container container(const model::pod& p, std::string name, std::uint32_t attempt,
                                    observed_container::state s, model::time_ns started_at = 2 * k_second) {
  observed_container c;
  c.id = name + "-" + std::to_string(attempt);
  c.spec_hash = container_spec_hash(spec_of(p, name));
  c.name = std::move(name);
  c.attempt = attempt;
  c.state_ = s;
  c.created_at = started_at;
  c.started_at = s == observed_container::state::created ? 0 : started_at;
  c.image = "busybox";
  c.image_id = "sha256:b0";
  return c;
}

inline observed_container running(const model::pod& p, std::string name, std::uint32_t attempt = 0,
                                  model::time_ns started_at = 2 * k_second) {
  return container(p, std::move(name), attempt, observed_container::state::running, started_at);
}

inline observed_container exited(const model::pod& p, std::string name, std::uint32_t attempt, std::int32_t exit_code,
                                 model::time_ns started_at, model::time_ns finished_at) {
  auto c = container(p, std::move(name), attempt, observed_container::state::exited, started_at);
  c.exit_code = exit_code;
  c.finished_at = finished_at;
  return c;
}

inline std::vector<std::string> start_names(const pod_plan& plan) {
  std::vector<std::string> v;
  for (const auto& s : plan.starts) v.push_back(s.name + "#" + std::to_string(s.attempt));
  return v;
}

inline std::vector<std::string> kill_list(const pod_plan& plan) {
  std::vector<std::string> v;
  for (const auto& k : plan.kills) v.push_back(k.id + ": " + k.reason);
  return v;
}

inline bool is_empty(const pod_plan& plan) {
  return !plan.create_sandbox && plan.kill_sandboxes.empty() && plan.kills.empty() && plan.starts.empty() &&
         plan.removals.empty() && plan.waiting.empty() && plan.wake_at == 0 && !plan.pod_finished;
}

}  // namespace berth::agent::test
