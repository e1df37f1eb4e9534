#pragma once
// The store actor: berthd's one owner of the folded cluster state
// (docs/control-plane.md; read-your-writes depends on there being one).
//
// The journal writer's tail sends it every durable record in order; it folds
// the record (store::fold_and_diff), routes the change to the actors that own
// the objects involved (store::plan_route; spawning one actor per pod, RC,
// service and node on first sight, stopping it after deletion) and to
// the watch cache's feed (control_plane.hpp fold_feed), once per fold. It answers the front ends' verbs
// (actors/control_plane.hpp): commands are planned against the state
// (store::plan_create ...), appended, and answered once folded; reads come
// from the state. Its interface is store_actor in protocol.hpp.
//
// Spawn with spawn_store(); main subscribes it to the writer's tail.

#include <cstdint>
#include <functional>
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
  reconcile::liveness_config liveness;          // heartbeat 10 s, grace 40 s, eviction 60 s
  std::uint64_t snapshot_every = 10'000;        // write a snapshot after this many folded events (0: never)
  reconcile::service_address_config addresses;  // cluster IP range, node port range
  /// The liveness clock (node actors, registrations): empty = the system
  /// clock. Tests inject the journal writer's clock, so that event times and
  /// liveness decisions agree on a simulated time.
  std::function<std::int64_t()> clock;
};

/// Spawns the store with the replayed `initial` state. `j` and `w` must outlive
/// the actor system. The store links the object actors and the scheduler it
/// spawns, so that stopping it stops them all. The handle is a store_actor
/// (protocol.hpp) as an untyped caf::actor, so that this header needs no CAF.
caf::actor spawn_store(caf::actor_system& sys, model::cluster_state initial, journal::journal& j, journal::writer& w,
                       store_config config);

/// Subscribes `store` to `w`'s tail (every durable record, in order) and returns
/// the subscription id.
std::uint64_t connect_tail(journal::writer& w, const caf::actor& store);

/// The facade the network fronts use; each call is one message to `store`.
std::unique_ptr<control_plane> make_control_plane(caf::actor store, const journal::journal& j);

}  // namespace berth::actors
