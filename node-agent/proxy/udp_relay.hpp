#pragma once
// The UDP half of the userspace service proxy: one datagram socket on a
// service's (cluster IP, port), relaying each client's datagrams to a backend
// and the backend's replies back, as the original kube-proxy's userspace mode
// did. UDP has no connections, so the relay keeps a session per client
// address (ip:port): the first datagram picks a backend with the listener's
// picker and opens an upstream socket to it; replies arriving on that socket
// go back to the client from the service's address. A session that carries
// nothing either way for `idle` ends (kube-proxy's --udp-timeout, 250 ms by
// default), so a client's next datagram may go to another backend.
// Internal to node-agent/proxy; only service_proxy.cpp and the tests include it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <kj/async-io.h>

#include "node-agent/proxy/routing.hpp"

namespace berth::agent::proxy {

class udp_relay : kj::TaskSet::ErrorHandler {
 public:
  /// Relays datagrams arriving on `port` (bound to the listener's key).
  /// `picker` belongs to the listener and must outlive the relay, as must
  /// `network` and `timer`. Starts receiving at once.
  udp_relay(kj::Network& network, kj::Timer& timer, kj::Own<kj::DatagramPort> port, backend_picker& picker,
            kj::Duration idle, std::function<void(const std::string&)> log);
  ~udp_relay() noexcept(false);
  udp_relay(const udp_relay&) = delete;
  udp_relay& operator=(const udp_relay&) = delete;

  /// Ends the sessions whose backend is not in `backends` (sorted): a removed
  /// pod gets no more datagrams, its clients' next ones pick again.
  void drop_sessions_outside(const std::vector<backend>& backends);

  /// Sessions alive now (clients heard from within the idle timeout).
  std::size_t sessions() const { return sessions_.size(); }
  /// Sessions opened since the relay started.
  std::uint64_t opened() const { return opened_; }

 private:
  struct session;

  void taskFailed(kj::Exception&& e) override;
  kj::Promise<void> receive_loop();
  kj::Promise<void> reply_loop(session& s);
  kj::Promise<void> sweep_loop();
  session* session_for(kj::NetworkAddress& source);

  kj::Network& network_;
  kj::Timer& timer_;
  kj::Own<kj::DatagramPort> port_;
  kj::Own<kj::DatagramReceiver> receiver_;
  backend_picker& picker_;
  kj::Duration idle_;
  std::function<void(const std::string&)> log_;
  std::map<std::string, kj::Own<session>> sessions_;  ///< by the client's "ip:port"
  std::uint64_t opened_ = 0;
  bool sweeping_ = false;
  // Last: destroyed first, so no pending send or loop outlives what it uses.
  kj::TaskSet tasks_{*this};
  kj::Promise<void> loop_ = nullptr;
};

}  // namespace berth::agent::proxy
