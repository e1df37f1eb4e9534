#pragma once
// The agent's introspection listener (`--introspect-listen HOST:PORT`): a
// Cap'n Proto endpoint whose bootstrap capability is an AgentGateway; logging
// in with the node token gives the Introspection of this agent's actors, so
// that `berth console --agent HOST:PORT` works without berthd.

#include <functional>
#include <string>
#include <vector>

#include <kj/async-io.h>

#include "actors/introspect/introspection_service.hpp"

namespace berth::agent {

/// Introspection.nodes() of an agent: per node it runs, its node actor and
/// the pod actors it owns.
kj::Promise<void> agent_nodes(
    const introspect::registry& registry, const std::vector<std::string>& nodes,
    capnp::CallContext<schema::Introspection::NodesParams, schema::Introspection::NodesResults> c);

class introspect_listener {
 public:
  /// Binds `address` (port 0: any free port) and serves connections on the
  /// KJ loop of `io` until destroyed. Throws kj::Exception when it cannot bind.
  /// `registry` must outlive the listener.
  introspect_listener(kj::AsyncIoContext& io, const std::string& address, std::string token,
                      introspect::registry& registry, introspect::service_hooks hooks);
  ~introspect_listener();

  /// HOST:PORT actually bound.
  const std::string& address() const { return bound_; }

 private:
  struct impl;
  kj::Own<impl> impl_;
  std::string bound_;
};

/// The agent's `--metrics-listen HOST:PORT`: GET /metrics (Prometheus text,
/// `Authorization: Bearer NODE_TOKEN`) and GET /healthz.
class metrics_listener {
 public:
  /// Binds `address` and serves on the KJ loop of `io` until destroyed.
  /// Throws kj::Exception when it cannot bind. `render` gives the text.
  metrics_listener(kj::AsyncIoContext& io, const std::string& address, std::string token,
                   std::function<std::string()> render);
  ~metrics_listener();

  const std::string& address() const { return bound_; }

 private:
  struct impl;
  kj::Own<impl> impl_;
  std::string bound_;
};

}  // namespace berth::agent
