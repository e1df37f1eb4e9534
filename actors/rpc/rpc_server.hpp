#pragma once
// berthd's network front: the Cap'n Proto RPC listener (schema/api.capnp:
// Gateway -> Cluster for clients, NodeSession for agents) and the HTTP
// listener (/healthz, /version), both on one KJ event-loop thread that hands
// every call to the control_plane facade (actors/control_plane.hpp).
//
// Owned by berthd's main; no KJ or CAF types in this header.

#include <memory>
#include <string>

#include "actors/control_plane.hpp"
#include "actors/introspect/registry.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"

namespace berth::rpc {

struct server_config {
  std::string rpc_listen = "127.0.0.1:7420";  // host:port (port 0: any free port)
  // The RPC listener speaks TLS with tls_cert_pem/tls_key_pem (clients pin the
  // cluster CA); true = plain TCP, berthd's --insecure-rpc, for tests only.
  bool insecure_rpc = false;
  std::string http_listen = "127.0.0.1:7421";
  // The Kubernetes REST API over HTTPS (actors/rpc/kube_*.cpp); "" = not served.
  std::string api_listen;
  std::string tls_cert_pem;  // the serving certificate (chain) and its key, for api_listen and RPC
  std::string tls_key_pem;
  std::string admin_token;  // login() with it gives a Cluster as principal "user:admin"
  std::string node_token;   // join() with it registers a node
  std::string version;      // reported by version() and /version
  // Served read-only by the journal* calls (`berth journal|history|why`);
  // borrowed, must outlive the server. nullptr: those calls fail.
  const journal::journal* journal = nullptr;
  // berthd's actors, served by Cluster.introspection() (`berth console`);
  // borrowed. nullptr: introspection() fails.
  introspect::registry* registry = nullptr;
  std::int64_t started_ns = 0;  // when berthd started (Unix ns), for the console
  // The journal writer whose stats /metrics and the web console show;
  // borrowed, must outlive the server. nullptr: no journal families.
  const journal::writer* writer = nullptr;
};

class rpc_server {
 public:
  /// `cp` must outlive the server.
  rpc_server(actors::control_plane& cp, server_config config);
  /// Stops the KJ thread (drops every connection).
  ~rpc_server();
  rpc_server(const rpc_server&) = delete;
  rpc_server& operator=(const rpc_server&) = delete;

  /// Starts the KJ thread and listens. Returns an empty string once both
  /// listeners are bound, or why it could not ("cannot listen on 127.0.0.1:7420: ...").
  std::string start();

  /// The addresses actually bound (useful with port 0), valid after start().
  const std::string& rpc_address() const;
  const std::string& http_address() const;
  /// "" when the API is not served.
  const std::string& api_address() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::rpc
