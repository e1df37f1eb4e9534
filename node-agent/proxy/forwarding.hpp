#pragma once
// The KJ half of one proxied connection: connect to a backend (next one after
// a failure) and copy bytes both ways. Internal to node-agent/proxy; only
// service_proxy.cpp and the tests include it.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <kj/async-io.h>

#include "node-agent/proxy/routing.hpp"

namespace berth::agent::proxy {

/// A KJ address for a numeric IPv4 or IPv6 `ip` and `port` (no DNS lookup, so
/// no thread and no promise); port 0 lets the kernel choose when listening.
/// Throws kj::Exception when `ip` is not numeric or the port is out of range.
kj::Own<kj::NetworkAddress> numeric_address(kj::Network& network, const std::string& ip, std::int32_t port);

/// The peer's IP of a connected stream as text; "" when the kernel no longer
/// knows it (the client already went away).
std::string peer_ip(kj::AsyncIoStream& stream);

/// What a connection needs from its listener while it connects.
struct connect_context {
  kj::Network& network;
  kj::Timer& timer;
  kj::Duration attempt_timeout;
  backend_picker& picker;  ///< the listener's, owned by a refcounted state the caller keeps alive
  std::function<void(const std::string&)> log;
};

/// Connects to the backend the picker chooses for `client_ip`; when a connect
/// fails or takes longer than `attempt_timeout`, asks the picker for the next
/// one, trying each backend at most once. Fails with DISCONNECTED ("no backend
/// of <n> accepted the connection") when all were tried.
kj::Promise<kj::Own<kj::AsyncIoStream>> connect_backend(const connect_context& ctx, std::string client_ip,
                                                        std::vector<backend> tried = {});

/// Copies bytes both ways until both directions ended. When one side ends its
/// writes, the other side's write half is shut down (half-close), so
/// request/response protocols that close one way keep working. An error in
/// either direction (a reset) tears down both. Takes ownership of both streams.
kj::Promise<void> forward_both_ways(kj::Own<kj::AsyncIoStream> client, kj::Own<kj::AsyncIoStream> server);

}  // namespace berth::agent::proxy
