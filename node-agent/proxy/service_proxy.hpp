#pragma once
// The userspace service proxy of berth-agent: one listener per service port on
// its cluster IP (and node ports), forwarding each accepted TCP connection, or
// each UDP client's datagrams (udp_relay.hpp), to a backend chosen by
// routing.hpp's picker. The design of the original
// kube-proxy ("userspace" mode), on a KJ event loop.
//
// Cluster IPs are made local with a route, not with addresses on an interface:
// `ip route replace local <cluster CIDR> dev lo table local` lets a socket bind
// any address in the range (Linux AnyIP), and guarantees that a packet to a
// cluster IP is delivered on this machine (answered with a reset when nothing
// listens) and never leaves it, even before the first listener exists. The
// route is left in place on shutdown: it is harmless, idempotent, and removing
// it while pods still hold cluster IPs would turn refusals into packets sent
// out of the machine.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"
#include "node-agent/proxy/routing.hpp"

namespace kj {
class AsyncIoProvider;
}

namespace berth::agent::proxy {

/// What the proxy binds.
struct proxy_config {
  std::string cluster_cidr = "10.96.0.0/16";  ///< routed locally by prepare()
  /// Addresses node ports listen on; "0.0.0.0" means all (and then only it).
  std::vector<std::string> node_addresses;
  /// Per-attempt limit on connecting to a backend before trying the next one.
  std::uint32_t connect_timeout_ms = 1000;
  /// A UDP client's session ends after this long without a datagram either
  /// way; its next datagram may go to another backend (kube-proxy's
  /// --udp-timeout, 250 ms by default).
  std::uint32_t udp_idle_timeout_ms = 250;
  bool quiet = false;  ///< no log lines on stderr (tests)
};

/// One open listener, for tests and introspection.
struct listener_view {
  std::string address;
  std::int32_t port = 0;
  model::protocol protocol = model::protocol::tcp;
  std::string service;            ///< "namespace/name:port-name"
  std::vector<backend> backends;  ///< sorted
  model::session_affinity affinity = model::session_affinity::none;
  std::size_t open_connections = 0;  ///< accepted and not yet finished (UDP: live client sessions)
  std::uint64_t accepted = 0;        ///< since the listener opened (UDP: client sessions opened)
};

/// The proxy. A resource: not copyable, owned by the agent's main (or a test).
/// Lives on the thread that owns the KJ event loop of `io` and must be
/// created, used and destroyed only there (from CAF actors: hop onto that
/// thread with the loop's kj::Executor, see docs/node-agent.md); destroying it closes every listener and cuts every
/// forwarded connection. It never throws out of its accept loops: accept
/// errors are logged and retried after a short pause.
class service_proxy {
 public:
  /// `io` must outlive the proxy.
  service_proxy(kj::AsyncIoProvider& io, proxy_config config);
  ~service_proxy();
  service_proxy(const service_proxy&) = delete;
  service_proxy& operator=(const service_proxy&) = delete;

  /// Routes the cluster CIDR to this machine (see the top of this file) by
  /// running `ip route replace local <CIDR> dev lo table local`. Idempotent.
  /// Returns "" on success, otherwise what failed (bad CIDR, `ip` missing, its
  /// exit status and stderr). Blocks the loop for the few milliseconds `ip` takes.
  std::string prepare();

  /// Converges the listeners to the full set of services and endpoints: opens
  /// new ones, closes vanished ones (their established connections run on to
  /// their end), and swaps the backends of the others live. Never throws; a
  /// listener that cannot be opened (address in use, address not local) is
  /// reported in problems() and retried on the next update.
  void update(const std::vector<model::service>& services, const std::vector<model::endpoints>& endpoints);

  /// Why service ports have no listener after the last update(): the plan's
  /// skipped ports and the listeners that failed to open.
  const std::vector<std::string>& problems() const;

  /// The open listeners, sorted by (address, port).
  std::vector<listener_view> listeners() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::agent::proxy
