// The store's garbage collector: pods whose controlling RC is gone are deleted
// (gracefully), and pods bound to a node that no longer exists are removed.
// It runs at start (the crash may have come between an RC's deletion and its
// pods') and whenever an RC or a node disappears. Its decisions are events
// like any other, attributed to controller:garbage-collector.
#include <set>

#include <caf/all.hpp>

#include "actors/core/store_state.hpp"
#include "actors/reconcile/reconcile_rc.hpp"

namespace berth::actors {
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

void collect_garbage(store_actor self, std::uint64_t cause) {
  auto& st = self->state;
  std::set<std::string> live_rcs;
  for (const auto& [_, rc] : st.state.rcs) live_rcs.insert(rc.metadata.uid);
  std::vector<model::pod> pods;
  pods.reserve(st.state.pods.size());
  for (const auto& [_, p] : st.state.pods) pods.push_back(p);

  std::vector<model::event> events;
  std::vector<model::object_key> keys;
  for (const auto& d : reconcile::delete_orphans(pods, live_rcs)) {
    model::object_key key{d.pod.namespace_, d.pod.name};
    if (st.gc_pending.count(key)) continue;
    events.push_back(pod_event(st.state.pods.at(key), cause, model::pod_deleted{d.why}));
    keys.push_back(key);
  }
  for (const auto& [key, p] : st.state.pods) {
    if (p.spec.node_name.empty() || st.state.nodes.count(p.spec.node_name) || st.gc_pending.count(key)) continue;
    events.push_back(pod_event(p, cause, model::pod_removed{{"NodeDeleted", "node " + p.spec.node_name + " no longer exists"}}));
    keys.push_back(key);
  }
  if (events.empty()) return;
  for (const auto& k : keys) st.gc_pending[k] = cause;
  st.em->emit(self, std::move(events), [self, keys](bool, std::uint64_t) {
    for (const auto& k : keys) self->state.gc_pending.erase(k);
  });
}

}  // namespace berth::actors
