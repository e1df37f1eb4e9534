#pragma once
// The messages berthd's actors exchange, registered in one place (STYLE.md).
//
// Everything stays inside one process, so message payloads are immutable
// values behind shared_ptr (no copies of big objects per hop) and are
// whitelisted as local-only with CAF_ALLOW_UNSAFE_MESSAGE_TYPE instead of
// getting serializers. Included only by actor translation units.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/control_plane.hpp"
#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/model/state.hpp"
#include "journal/journal.hpp"
#include "journal/status.hpp"
#include "journal/writer.hpp"

namespace berth::actors {

// ---- atoms (CAF 0.17: at most 10 characters)
using fold_atom = caf::atom_constant<caf::atom("fold")>;          // store <- writer tail
using update_atom = caf::atom_constant<caf::atom("update")>;      // object actor <- store
using tick_atom = caf::atom_constant<caf::atom("tick")>;          // timers
using ack_atom = caf::atom_constant<caf::atom("ack")>;            // <- writer: append durable
using inputs_atom = caf::atom_constant<caf::atom("inputs")>;      // scheduler -> store
using wake_atom = caf::atom_constant<caf::atom("wake")>;          // "something changed, look again"
using link_atom = caf::atom_constant<caf::atom("link")>;          // node actor <- store: agent link
using hbeat_atom = caf::atom_constant<caf::atom("hbeat")>;        // node actor <- store: heartbeat
using term_atom = caf::atom_constant<caf::atom("term")>;          // pod actor <- store: containers gone
using sync_atom = caf::atom_constant<caf::atom("sync")>;          // -> store: answer once folded up to seq
using sweep_atom = caf::atom_constant<caf::atom("sweep")>;        // store: garbage collection pass
using svcpush_atom = caf::atom_constant<caf::atom("svcpush")>;    // store: send services to the agents

using record_ptr = std::shared_ptr<const journal::record>;
using event_ptr = std::shared_ptr<const model::event>;
using pod_ptr = std::shared_ptr<const model::pod>;
using rc_ptr = std::shared_ptr<const model::replication_controller>;
using service_ptr = std::shared_ptr<const model::service>;
using endpoints_ptr = std::shared_ptr<const model::endpoints>;
using node_ptr = std::shared_ptr<const model::node>;
using link_ptr = std::shared_ptr<node_agent_link>;
using pods_ptr = std::shared_ptr<const std::vector<model::pod>>;

/// A pod as routed to the actors that care, with the seq of the event that changed it.
struct pod_update {
  std::uint64_t seq = 0;
  model::object_key key;
  pod_ptr pod;  // nullptr: the pod is gone
};
using pod_update_ptr = std::shared_ptr<const pod_update>;

/// Everything the scheduler needs for one batch, read from the folded state.
struct scheduling_inputs {
  std::uint64_t seq = 0;              // the state they were read at
  std::vector<model::pod> pending;    // unbound, active pods, sorted by key
  std::vector<model::node> nodes;     // all nodes, sorted by name
  std::vector<model::pod> bound;      // pods bound to some node (for capacity)
};
using scheduling_inputs_ptr = std::shared_ptr<const scheduling_inputs>;

/// One request from the control_plane facade (RPC layer) to the store actor.
struct api_request;
using api_request_ptr = std::shared_ptr<api_request>;

}  // namespace berth::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::record_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::pod_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::rc_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::service_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::endpoints_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::node_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::link_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::pods_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::pod_update_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::scheduling_inputs_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::actors::api_request_ptr)
