#pragma once
// The store actor: berthd's dispatcher (DESIGN.md "Actors").
//
// It owns the folded cluster state. The journal writer's tail subscription
// sends it every durable record in order; it folds the record with
// model::apply, then routes the change to the actors that own the objects
// involved (spawning one actor per pod, RC, service and node on first sight,
// stopping it after deletion) and to watchers. It also serves the
// control_plane facade: commands are validated against the state, appended
// through the writer and answered once folded; reads are answered from the
// state.
//
// Spawn with spawn_store(); main subscribes it to the writer's tail.

#include <cstdint>
#include <memory>

#include <caf/fwd.hpp>

#include "actors/control_plane.hpp"
#include "actors/model/state.hpp"
#include "actors/reconcile/node_liveness.hpp"
#include "actors/reconcile/service_addresses.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"

namespace berth::actors {

struct store_config {
  reconcile::liveness_config liveness;  // heartbeat 10 s, grace 40 s, eviction 60 s
  std::uint64_t snapshot_every = 10'000;  // write a snapshot after this many folded events (0: never)
  reconcile::service_address_config addresses;  // cluster IP range, node port range
};

/// Spawns the store with the replayed `initial` state. `j` and `w` must outlive
/// the actor system. The store links the object actors and the scheduler it
/// spawns, so that stopping it stops them all.
caf::actor spawn_store(caf::actor_system& sys, model::cluster_state initial, journal::journal& j,
                       journal::writer& w, store_config config);

/// Subscribes `store` to `w`'s tail (every durable record, in order) and returns
/// the subscription id.
std::uint64_t connect_tail(journal::writer& w, const caf::actor& store);

/// The facade the RPC layer uses; it sends each call to `store` as a message.
std::unique_ptr<control_plane> make_control_plane(caf::actor store, const journal::journal& j);

}  // namespace berth::actors
