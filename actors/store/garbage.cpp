#include "actors/store/garbage.hpp"

#include <set>
#include <string>

#include "actors/reconcile/reconcile_rc.hpp"

namespace berth::store {
namespace {

constexpr const char* k_principal = "controller:garbage-collector";

model::event pod_event(const model::pod& p, std::uint64_t cause, model::event_payload payload) {
  model::event e;
  e.header.object = {model::k_kind_pod, p.metadata.namespace_, p.metadata.name, p.metadata.uid};
  e.header.principal = k_principal;
  e.header.cause = cause;
  e.payload = std::move(payload);
  return e;
}

}  // namespace

gc_pass garbage_collector::plan(const model::cluster_state& s, std::uint64_t cause) {
  std::set<std::string> live_rcs;
  for (const auto& [_, rc] : s.rcs) live_rcs.insert(rc.metadata.uid);
  std::vector<model::pod> pods;
  pods.reserve(s.pods.size());
  for (const auto& [_, p] : s.pods) pods.push_back(p);

  gc_pass pass;
  for (const auto& d : reconcile::delete_orphans(pods, live_rcs)) {
    model::object_key key{d.pod.namespace_, d.pod.name};
    if (pending_.count(key)) continue;
    pass.events.push_back(pod_event(s.pods.at(key), cause, model::pod_deleted{d.why}));
    pass.pods.push_back(key);
  }
  for (const auto& [key, p] : s.pods) {
    if (p.spec.node_name.empty() || s.nodes.count(p.spec.node_name) || pending_.count(key)) continue;
    pass.events.push_back(
        pod_event(p, cause, model::pod_removed{{"NodeDeleted", "node " + p.spec.node_name + " no longer exists"}}));
    pass.pods.push_back(key);
  }
  for (const auto& k : pass.pods) pending_[k] = cause;
  return pass;
}

void garbage_collector::done(const gc_pass& pass) {
  for (const auto& k : pass.pods) pending_.erase(k);
}

}  // namespace berth::store
