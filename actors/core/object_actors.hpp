#pragma once
// One actor per pod, replication controller, service and node, plus the
// scheduler (DESIGN.md "Actors"). The store spawns them (linked to itself) and
// routes every folded change to them; each holds its object's state, calls
// its pure decision function when its inputs change, and appends the decisions
// through an emitter.
//
// Messages each one handles (all sent by the store unless noted):
//   pod      (update_atom, pod_update_ptr)      its pod changed / is gone (then it stops)
//            (term_atom)                        its node reports every container gone
//   rc       (update_atom, seq, rc_ptr)         its RC changed (nullptr: deleted, it stops)
//            (update_atom, pod_update_ptr)      one of its pods changed
//   service  (update_atom, seq, service_ptr, pods_ptr)  the service (and the pods its selector matches)
//            (update_atom, pod_update_ptr)      a pod its selector matches (or matched) changed
//            (update_atom, seq, endpoints_ptr)  its stored endpoints changed
//   node     (update_atom, seq, node_ptr)       the node changed (nullptr: deleted, it stops)
//            (update_atom, pod_update_ptr)      a pod bound to it changed
//            (link_atom, link_ptr)              its agent (re)connected; nullptr: disconnected
//            (hbeat_atom)                       its agent sent a heartbeat
//            (tick_atom)                        from itself: liveness check
//   scheduler (wake_atom)                       unbound pods or capacity changed
// and every one handles (ack_atom, batch, seq, ok) from its emitter.

#include <vector>

#include <caf/fwd.hpp>

#include "actors/core/messages.hpp"
#include "actors/core/store.hpp"

namespace berth::actors {

/// What every object actor needs to decide and append.
struct actor_context {
  journal::writer* writer = nullptr;
  caf::actor store;
  store_config config;
};

caf::actor spawn_pod_actor(caf::local_actor* parent, const actor_context& ctx, pod_ptr pod);
caf::actor spawn_rc_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq, rc_ptr rc,
                          pods_ptr owned);
caf::actor spawn_service_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq,
                               service_ptr svc, pods_ptr matching, endpoints_ptr current);
caf::actor spawn_node_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq,
                            node_ptr node, pods_ptr bound, link_ptr link);
caf::actor spawn_scheduler(caf::local_actor* parent, const actor_context& ctx);

}  // namespace berth::actors
