#pragma once
// The protocol of berthd's actors, as types (the interface is a
// type): the store, the object actors (pod, rc, service, node) and the
// scheduler. The compiler checks every send and every behaviour against
// these. Atoms and message types are declared here and nowhere else.
// Included only by actor translation units (it pulls in CAF).
//
// Payloads stay inside one process: big objects travel as shared pointers to
// immutable values and are whitelisted as local-only message types; the
// front-end verbs are the plain structs of actors/control_plane.hpp.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/control_plane.hpp"
#include "actors/introspect/instrumented.hpp"
#include "actors/model/objects.hpp"
#include "actors/model/state.hpp"
#include "actors/store/routing.hpp"
#include "journal/journal.hpp"

namespace berth::actors {

// ---- atoms (CAF 0.17: at most 10 characters)
using fold_atom = caf::atom_constant<caf::atom("fold")>;        // store <- journal tail: a durable record
using update_atom = caf::atom_constant<caf::atom("update")>;    // object actor <- store: its inputs changed
using tick_atom = caf::atom_constant<caf::atom("tick")>;        // timers
using ack_atom = caf::atom_constant<caf::atom("ack")>;          // <- journal writer: a batch is durable
using inputs_atom = caf::atom_constant<caf::atom("inputs")>;    // scheduler -> store: scheduling inputs
using wake_atom = caf::atom_constant<caf::atom("wake")>;        // "something changed, look again"
using link_atom = caf::atom_constant<caf::atom("link")>;        // node actor <- store: agent (dis)connected
using hbeat_atom = caf::atom_constant<caf::atom("hbeat")>;      // node actor <- store: heartbeat
using term_atom = caf::atom_constant<caf::atom("term")>;        // pod actor <- store: containers gone
using sync_atom = caf::atom_constant<caf::atom("sync")>;        // -> store: answer once folded up to seq
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;      // store: garbage collection pass
using svcpush_atom = caf::atom_constant<caf::atom("svcpush")>;  // store: send services to the agents
using secpush_atom = caf::atom_constant<caf::atom("secpush")>;  // store: send each node its secrets
using nsinputs_atom = caf::atom_constant<caf::atom("nsinputs")>;  // namespace controller -> store: its inputs
using volinputs_atom = caf::atom_constant<caf::atom("volinputs")>;  // volume controller -> store: its inputs
using admit_atom = caf::atom_constant<caf::atom("admit")>;  // rc -> store: admit and append its pods

using record_ptr = std::shared_ptr<const journal::record>;
using pod_ptr = std::shared_ptr<const model::pod>;
using rc_ptr = std::shared_ptr<const model::replication_controller>;
using service_ptr = std::shared_ptr<const model::service>;
using endpoints_ptr = std::shared_ptr<const model::endpoints>;
using node_ptr = std::shared_ptr<const model::node>;
using link_ptr = std::shared_ptr<node_agent_link>;
using pods_ptr = std::shared_ptr<const std::vector<model::pod>>;
using scheduling_inputs_ptr = std::shared_ptr<const store::scheduling_inputs>;
using namespace_inputs_ptr = std::shared_ptr<const store::namespace_inputs>;
using volume_inputs_ptr = std::shared_ptr<const store::volume_inputs>;
using events_ptr = std::shared_ptr<const std::vector<model::event>>;

/// A pod as routed to the actors that care, with the seq of the event that changed it.
struct pod_update {
  std::uint64_t seq = 0;
  model::object_key key;
  pod_ptr pod;  // nullptr: the pod is gone
};
using pod_update_ptr = std::shared_ptr<const pod_update>;

/// Every decision-making actor's acknowledgement from its emitter: batch id,
/// last seq, and an empty string or the reason the journal refused the batch.
using ack_signature = caf::reacts_to<ack_atom, std::uint64_t, std::uint64_t, std::string>;

/// The store: owns the folded state (actors/core/store.cpp).
#define BERTH_STORE_REQUEST_SIG(V) caf::replies_to<V>::with<V::reply>,
#define BERTH_STORE_TELL_SIG(V) caf::reacts_to<V>,
using store_actor = caf::typed_actor<
    BERTH_STORE_REQUESTS(BERTH_STORE_REQUEST_SIG)                    // the front ends' requests
    BERTH_STORE_TELLS(BERTH_STORE_TELL_SIG)                          // and one-way messages
    caf::reacts_to<fold_atom, record_ptr>,                           // journal tail
    caf::replies_to<sync_atom, std::uint64_t>::with<std::uint64_t>,  // folded seq, once >= the one asked
    caf::replies_to<inputs_atom, std::uint64_t>::with<scheduling_inputs_ptr>,
    caf::replies_to<nsinputs_atom, std::uint64_t>::with<namespace_inputs_ptr>,
    caf::replies_to<volinputs_atom, std::uint64_t>::with<volume_inputs_ptr>,
    caf::replies_to<admit_atom, events_ptr>::with<std::string>,  // "" once appended and folded, or why not
    caf::reacts_to<sweep_atom>,
    caf::reacts_to<svcpush_atom>, caf::reacts_to<secpush_atom>, ack_signature>;
#undef BERTH_STORE_REQUEST_SIG
#undef BERTH_STORE_TELL_SIG

/// One pod: decides its removal once its node reports every container gone.
using pod_actor = caf::typed_actor<caf::reacts_to<update_atom, pod_update_ptr>,  // nullptr pod: gone, stops
                                   caf::reacts_to<term_atom>, ack_signature>;

/// One replication controller: reconcile_rc over its RC and owned pods.
using rc_actor = caf::typed_actor<caf::reacts_to<update_atom, std::uint64_t, rc_ptr>,  // nullptr: deleted, stops
                                  caf::reacts_to<update_atom, pod_update_ptr>,         // one of its pods
                                  caf::reacts_to<wake_atom>, ack_signature>;

/// One service: compute_endpoints over its service and the pods it selects.
using service_actor =
    caf::typed_actor<caf::reacts_to<update_atom, std::uint64_t, service_ptr, pods_ptr>,  // nullptr: deleted
                     caf::reacts_to<update_atom, pod_update_ptr>,                        // a pod it selects or selected
                     caf::reacts_to<update_atom, std::uint64_t, endpoints_ptr>,          // its folded endpoints
                     caf::reacts_to<wake_atom>, ack_signature>;

/// One node: its agent's link, heartbeats, liveness decisions.
using node_actor = caf::typed_actor<caf::reacts_to<update_atom, std::uint64_t, node_ptr>,  // nullptr: deleted
                                    caf::reacts_to<update_atom, pod_update_ptr>,           // a pod bound to it
                                    caf::reacts_to<link_atom, link_ptr>,                   // nullptr: disconnected
                                    caf::reacts_to<hbeat_atom>, caf::reacts_to<tick_atom>, ack_signature>;

/// The scheduler: binds pending pods in batches.
using scheduler_actor = caf::typed_actor<caf::reacts_to<wake_atom>, ack_signature>;

/// The namespace controller: empties Terminating namespaces and removes them.
using namespace_controller_actor = caf::typed_actor<caf::reacts_to<wake_atom>, ack_signature>;

/// The volume controller: binds claims to volumes and reclaims released volumes.
using volume_controller_actor = caf::typed_actor<caf::reacts_to<wake_atom>, ack_signature>;

/// The self type of an actor implementing `Handle`, with state `State`,
/// seen by the introspection registry (actors/introspect/instrumented.hpp).
template <class Handle, class State>
using typed_self = caf::stateful_actor<State, introspect::instrumented<typename Handle::base>>*;

}  // namespace berth::actors

#define BERTH_ALLOW_LOCAL(V) CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::V)
BERTH_STORE_REQUESTS(BERTH_ALLOW_LOCAL)
BERTH_STORE_TELLS(BERTH_ALLOW_LOCAL)
BERTH_ALLOW_LOCAL(outcome)
BERTH_ALLOW_LOCAL(list_result)
BERTH_ALLOW_LOCAL(record_ptr)
BERTH_ALLOW_LOCAL(pod_ptr)
BERTH_ALLOW_LOCAL(rc_ptr)
BERTH_ALLOW_LOCAL(service_ptr)
BERTH_ALLOW_LOCAL(endpoints_ptr)
BERTH_ALLOW_LOCAL(node_ptr)
BERTH_ALLOW_LOCAL(link_ptr)
BERTH_ALLOW_LOCAL(pods_ptr)
BERTH_ALLOW_LOCAL(pod_update_ptr)
BERTH_ALLOW_LOCAL(scheduling_inputs_ptr)
BERTH_ALLOW_LOCAL(namespace_inputs_ptr)
BERTH_ALLOW_LOCAL(volume_inputs_ptr)
BERTH_ALLOW_LOCAL(events_ptr)
#undef BERTH_ALLOW_LOCAL
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<berth::actors::event_summary>)
