#pragma once
// One actor per pod, replication controller, service and node, plus the
// scheduler, the namespace controller and the volume controller (docs/control-plane.md). The store spawns them (linked to itself) and
// routes every folded change to them; each holds its object's state, calls
// its pure decision function when its inputs change, and appends the decisions
// through an emitter, one plan in flight at a time (store::plan_loop). Their
// protocols are the typed interfaces in protocol.hpp.

#include <caf/fwd.hpp>

#include "actors/core/protocol.hpp"
#include "actors/core/store.hpp"

namespace berth::actors {

/// What every object actor needs to decide and append.
struct actor_context {
  journal::writer* writer = nullptr;
  store_actor store;
  store_config config;
};

pod_actor spawn_pod_actor(caf::local_actor* parent, const actor_context& ctx, pod_ptr pod);
rc_actor spawn_rc_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq, rc_ptr rc,
                        pods_ptr owned);
service_actor spawn_service_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq,
                                  service_ptr svc, pods_ptr matching, endpoints_ptr current);
node_actor spawn_node_actor(caf::local_actor* parent, const actor_context& ctx, std::uint64_t seq, node_ptr node,
                            pods_ptr bound, link_ptr link);
scheduler_actor spawn_scheduler(caf::local_actor* parent, const actor_context& ctx);
namespace_controller_actor spawn_namespace_controller(caf::local_actor* parent, const actor_context& ctx);
volume_controller_actor spawn_volume_controller(caf::local_actor* parent, const actor_context& ctx);

}  // namespace berth::actors
