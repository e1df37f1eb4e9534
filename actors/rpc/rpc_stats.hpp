#pragma once
// RPC calls counted by method and outcome, for berthd's /metrics
// (berth_rpc_calls_total). One rpc_stats lives in server_context; every
// Gateway, Cluster and NodeSession call is counted once, when it ends, by
// count_calls() wrapped around the capability's dispatchCall() (the one
// choke point every method goes through), not in each method.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <capnp/capability.h>
#include <capnp/schema.h>
#include <kj/function.h>

#include "actors/introspect/prometheus.hpp"

namespace berth::rpc {

/// Thread-safe counters of finished calls, by (method, outcome).
class rpc_stats {
 public:
  /// Counts one call of `method` ("Cluster.create") that ended as `outcome`.
  void count(std::string_view method, std::string_view outcome);
  /// Every counter, sorted by method then outcome.
  std::vector<introspect::rpc_call_count> snapshot() const;

 private:
  mutable std::mutex mutex_;
  // method -> outcome -> calls; less<> finds by string_view without a copy.
  std::map<std::string, std::map<std::string, std::uint64_t, std::less<>>, std::less<>> counts_;
};

/// How a finished call ended: "ok"; the Outcome code in snake_case when the
/// method's results carry an `outcome :Outcome` that is not ok ("invalid",
/// "not_found", "already_exists", "conflict"). `results` must be the
/// method's results struct.
std::string outcome_of(capnp::InterfaceSchema::Method method, capnp::AnyPointer::Builder results);

/// Runs `dispatch` (the generated dispatchCall for `interface_id`, `method_id`)
/// and has `stats` count the call when it ends: outcome_of() when it
/// returns, "error" when it throws (at once or later). A call cancelled by
/// its client is not counted, nor a call to another interface than `iface`.
/// `context` must be the one given to dispatchCall. Call it from a
/// capability's dispatchCall() override:
///   return count_calls(ctx_.rpc_calls, capnp::Schema::from<schema::Cluster>(), interface_id, method_id,
///                      context, [&] { return schema::Cluster::Server::dispatchCall(interface_id, method_id, context); });
capnp::Capability::Server::DispatchCallResult count_calls(
    rpc_stats& stats, capnp::InterfaceSchema iface, std::uint64_t interface_id, std::uint16_t method_id,
    capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context,
    kj::FunctionParam<capnp::Capability::Server::DispatchCallResult()> dispatch);

}  // namespace berth::rpc
