#pragma once
// The messages the node agent's actors exchange, registered in one place.
// Everything stays inside one process: payloads are immutable values behind
// shared_ptr, whitelisted as local-only. Included only by actor translation units.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>

#include "actors/model/objects.hpp"
#include "node-agent/agent/pod_ops.hpp"

namespace berth::agent {

// ---- atoms (CAF 0.17: at most 10 characters)
using update_atom = caf::atom_constant<caf::atom("update")>;      // pod actor <- node actor: new desired pod
using wake_atom = caf::atom_constant<caf::atom("wake")>;          // "look at the runtime again"
using observed_atom = caf::atom_constant<caf::atom("observed")>;  // <- pod_ops::observe
using applied_atom = caf::atom_constant<caf::atom("applied")>;    // <- pod_ops::apply
using probe_atom = caf::atom_constant<caf::atom("probe")>;        // timer: run a probe
using probed_atom = caf::atom_constant<caf::atom("probed")>;      // <- pod_ops::probe
using resync_atom = caf::atom_constant<caf::atom("resync")>;      // periodic look, in case an event was missed
using setpods_atom = caf::atom_constant<caf::atom("setpods")>;    // node actor <- berthd: the full desired set
using remove_atom = caf::atom_constant<caf::atom("remove")>;      // node actor <- berthd: a pod left this node
using event_atom = caf::atom_constant<caf::atom("event")>;        // node actor <- runtime: a container of a pod changed
using orphans_atom = caf::atom_constant<caf::atom("orphans")>;    // node actor <- runtime: pods no longer desired

using pod_ptr = std::shared_ptr<const model::pod>;
using pods_ptr = std::shared_ptr<const std::vector<model::pod>>;
using observation_ptr = std::shared_ptr<const observation>;
using errors_ptr = std::shared_ptr<const std::vector<apply_error>>;
using probe_result_ptr = std::shared_ptr<const probe_result>;

}  // namespace berth::agent

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::pod_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::pods_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::observation_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::errors_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::probe_result_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(berth::agent::probe_kind)
