#pragma once
// The Introspection capability (schema/introspect.capnp) over a registry:
// served by berthd (from Cluster.introspection()) and by berth-agent (from
// its AgentGateway). Lives on the KJ thread; reaches actors only through the
// registry (thread-safe) and its state requests.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <kj/async.h>
#include <kj/timer.h>

#include "actors/introspect/registry.hpp"
#include "schema/introspect.capnp.h"

namespace berth::introspect {

/// What differs between berthd and the agent.
struct service_hooks {
  std::string role;  // "berthd", "berth-agent"
  std::string version;
  std::int64_t started_ns = 0;
  /// The nodes this process runs (agent), or none (berthd).
  std::function<std::vector<std::string>()> node_names;
  /// The Prometheus text of the process (/metrics); empty function: "".
  std::function<std::string()> metrics_text;
  /// Fills nodes(): berthd asks its agents; the agent lists its own.
  std::function<kj::Promise<void>(
      capnp::CallContext<schema::Introspection::NodesParams, schema::Introspection::NodesResults>)>
      nodes;
};

/// A new Introspection capability. `reg` and `timer` must outlive it.
schema::Introspection::Client make_introspection(registry& reg, kj::Timer& timer, service_hooks hooks);

/// Writes `info` into `out`.
void to_capnp(const actor_info& info, schema::ActorInfo::Builder out);

/// Writes `actors` (sorted by id) into `out`.
void to_capnp(const std::vector<actor_info>& actors, capnp::List<schema::ActorInfo>::Builder out);

/// Writes `e` into `out`.
void to_capnp(const trace_event& e, schema::TraceEvent::Builder out);

}  // namespace berth::introspect
