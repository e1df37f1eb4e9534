#pragma once
// The pure half of the userspace service proxy (kube-proxy's original design):
// which sockets to listen on and where each one forwards, and the choice of a
// backend for each new connection. No I/O here, so everything is table-tested;
// service_proxy.hpp applies the plan on a KJ event loop.

#include <chrono>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent::proxy {

/// One endpoint a listener forwards to: a ready pod address and a port.
struct backend {
  std::string ip;
  std::int32_t port = 0;
  auto operator<=>(const backend&) const = default;
};

/// "ip:port", for logs and error messages.
std::string to_string(const backend& b);

/// Where a listener is bound: the cluster IP (or a node address), a port and
/// the protocol (53/TCP and 53/UDP are two listeners).
struct listener_key {
  std::string address;
  std::int32_t port = 0;
  model::protocol protocol = model::protocol::tcp;
  auto operator<=>(const listener_key&) const = default;
};

/// "address:port", with "/UDP" after it for UDP.
std::string to_string(const listener_key& k);

/// One desired listener: a value, compared by value.
struct listener_spec {
  listener_key key;
  std::string service;            ///< "namespace/name:port-name", for logs
  std::vector<backend> backends;  ///< sorted, unique, never empty
  model::session_affinity affinity = model::session_affinity::none;
  bool operator==(const listener_spec&) const = default;
};

/// The desired listeners, sorted by key, and why some service ports have none.
struct routing_plan {
  std::vector<listener_spec> listeners;
  std::vector<std::string> skipped;  ///< one sentence per service port left out
};

/// From the full set of services and endpoints, the listeners this node wants.
/// A service port gets one listener on (cluster IP, port) and, when the service
/// has a node port (type NodePort or LoadBalancer), one on (address, node port)
/// for each of `node_addresses` ("0.0.0.0" alone when it is among them: a
/// wildcard bind would collide with the specific ones). TCP ports forward
/// streams, UDP ports relay datagrams (udp_relay.hpp). Left out, with a reason
/// in `skipped`: services without a cluster IP ("" or "None": headless; cluster
/// DNS answers with their pods' addresses instead), ports without backends (no listener
/// means the kernel refuses a connect at once instead of leaving it hanging),
/// and a second claim on a key already taken (the service that sorts first by
/// namespace/name keeps it).
routing_plan plan_listeners(const std::vector<model::service>& services, const std::vector<model::endpoints>& endpoints,
                            const std::vector<std::string>& node_addresses);

/// The backends of one service port: every ready address of every subset,
/// with that subset's port of the same name as the service port (or the
/// subset's only port when the service port is unnamed). Sorted, unique.
std::vector<backend> backends_for(const model::service_port& port, const model::endpoints& endpoints);

/// Kubernetes' default sessionAffinity timeout (ClientIP): three hours.
inline constexpr std::chrono::seconds k_affinity_timeout{3 * 60 * 60};

/// Chooses a backend for each new connection of one listener: round robin, or
/// sticky per client IP under `sessionAffinity: ClientIP`. A plain value owned
/// by its listener; not thread-safe (the proxy uses it on its event loop only).
class backend_picker {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// No backends: next() returns nullopt until set_backends().
  backend_picker() = default;
  /// Starts with `backends` (need not be sorted) and `affinity`.
  backend_picker(std::vector<backend> backends, model::session_affinity affinity);

  /// Replaces the backend set live. The round-robin position stays on the same
  /// backend when it remains; affinity entries pointing at removed backends are
  /// dropped, so a removed backend is never picked again.
  void set_backends(std::vector<backend> backends, model::session_affinity affinity);

  /// The backend for a connection from `client_ip` at `now`, skipping those in
  /// `tried` (the ones whose connect already failed for this connection, so
  /// each backend is tried at most once). nullopt when every backend has been
  /// tried or there is none. A client with a live affinity entry gets its
  /// backend back unless that one is in `tried`; then, as in kube-proxy, the
  /// affinity moves to whatever round robin picks next.
  std::optional<backend> next(const std::string& client_ip, time_point now, const std::vector<backend>& tried);

  /// The current backend set, sorted.
  const std::vector<backend>& backends() const { return backends_; }
  /// The current affinity setting.
  model::session_affinity affinity() const { return affinity_; }
  /// Number of clients with an affinity entry (expired ones may linger until
  /// the next sweep).
  std::size_t affinity_entries() const { return sticky_.size(); }

 private:
  struct sticky_entry {
    backend chosen;
    time_point last_used;
  };
  std::optional<backend> round_robin(const std::vector<backend>& tried);
  void sweep_expired(time_point now);

  std::vector<backend> backends_;
  model::session_affinity affinity_ = model::session_affinity::none;
  std::size_t cursor_ = 0;  ///< index of the backend round robin tries next
  std::map<std::string, sticky_entry> sticky_;
  std::size_t picks_since_sweep_ = 0;
};

}  // namespace berth::agent::proxy
