#pragma once
// Dialling berthd's Cap'n Proto RPC port, as the CLI, the node agent and the
// hollow fleet do: TCP, then TLS that accepts only a serving certificate
// signed by the pinned cluster CA (DATA_DIR/ca.crt), unless the caller chose
// plain TCP (--insecure-rpc, for a berthd started with --insecure-rpc).
//
// Failures are kj::Exceptions whose descriptions are written for people (the
// caller says which berthd): "TLS handshake failed: TLS peer's certificate is
// not trusted; ... (the CA pinned is /root/berth-data/ca.crt; ...)".

#include <memory>
#include <string>

#include <kj/async-io.h>

#include "actors/rpc/rpc_security.hpp"

namespace berth::rpc {

/// The calling thread's KJ event loop, shared by every synchronous client on
/// it (a thread may have only one loop; the CLI's client, the console and
/// tests may hold several connections at once, as EzRpcClient allowed). Made
/// on first use; gone when the last holder lets go. Keep the pointer alive
/// longer than anything using the loop.
std::shared_ptr<kj::AsyncIoContext> thread_async_io();

/// Connects to `address` ("host:port", or "host" with port `default_port`)
/// and returns the stream to run Cap'n Proto over: the TLS stream (owning the
/// TLS context and the raw connection), or the raw TCP stream when
/// `s.insecure`.
kj::Promise<kj::Own<kj::AsyncIoStream>> dial_rpc(kj::Network& network, const std::string& address,
                                                 const rpc_security& s, unsigned default_port = 7420);

}  // namespace berth::rpc
