#pragma once
// Spawning a pod actor (see pod_actor.cpp). Included by actor code only.

#include <caf/fwd.hpp>

#include "node-agent/agent/agent_actors.hpp"
#include "node-agent/agent/agent_messages.hpp"

namespace berth::agent {

/// A pod actor for `pod`; it starts observing at once. It takes update_atom
/// (a new desired pod) and wake_atom; it never stops by itself.
caf::actor spawn_pod_actor(caf::local_actor* parent, pod_ops& ops, const pod_actor_settings& settings, pod_ptr pod);

}  // namespace berth::agent
