#pragma once
// The console's connection: an Introspection capability (schema/introspect.capnp)
// from berthd (Gateway.login(admin token) → Cluster.introspection()) or from a
// node agent's listener (AgentGateway.login(node token)). Synchronous, like
// cli/client.hpp: it owns a KJ event loop on the calling thread.
//
// Results come back as the plain values of console_model.hpp and, when asked
// for, as JSON made by Cap'n Proto's codec (field names as in the schema).
// A connection failure, a refused token or a server error throws client_error.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/client.hpp"
#include "cli/console_model.hpp"

namespace berth::cli {

class console_session {
 public:
  /// Logs in to berthd at `server` with the admin token and asks for its Introspection.
  static std::unique_ptr<console_session> connect_berthd(const std::string& server, const std::string& token,
                                                         const rpc::rpc_security& security);
  /// Logs in to the agent's introspection listener at `address` with the node token.
  static std::unique_ptr<console_session> connect_agent(const std::string& address, const std::string& token);
  ~console_session();
  console_session(const console_session&) = delete;
  console_session& operator=(const console_session&) = delete;

  /// "berthd at 127.0.0.1:7420" / "the agent at 127.0.0.1:4000" (for messages).
  const std::string& peer() const;

  /// The process; with `json`, also ProcessInfo as JSON.
  process_row process(std::string* json = nullptr);

  /// Every actor (sorted by id); with `json`, each ActorInfo as JSON, same order.
  std::vector<actor_row> actors(std::vector<std::string>* json = nullptr);

  struct inspect_reply {
    actor_row info;
    std::string info_json;  // ActorInfo as JSON
    std::string state_json;
    std::string error;  // non-empty: no such actor, or it did not answer
  };
  inspect_reply inspect(const std::string& actor);

  struct trace_reply {
    std::string stopped;  // "limit", "time", "actor exited", "client gone"; "interrupted": stopped here
    std::uint32_t events = 0;
    std::string error;  // non-empty: no such actor
  };
  /// Traces `actor`, calling `on_event` (with the event as JSON) as events
  /// arrive, until the server ends the trace or `interrupted()` (polled every
  /// 100 ms) turns true — then the call is cancelled, which ends the trace on
  /// the server ("client gone").
  trace_reply trace(const std::string& actor, std::uint32_t for_ms, std::uint32_t max,
                    const std::function<void(const trace_row&, const std::string& json)>& on_event,
                    const std::function<bool()>& interrupted);

  /// Per agent node, its actors or why not; with `json`, the whole result
  /// ({"nodes":[...]}) as JSON.
  std::vector<node_row> nodes(std::string* json = nullptr);

 private:
  struct impl;
  explicit console_session(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::cli
