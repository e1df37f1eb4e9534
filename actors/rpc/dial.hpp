#pragma once
// Dialling berthd's Cap'n Proto RPC port, as the CLI, the node agent and the
// hollow fleet do: TCP, then TLS that accepts only a serving certificate
// signed by the pinned cluster CA (DATA_DIR/ca.crt), unless the caller chose
// plain TCP (--insecure-rpc, for a berthd started with --insecure-rpc).
//
// Failures are kj::Exceptions whose descriptions are written for people (the
// caller says which berthd): "TLS handshake failed: TLS peer's certificate is
// not trusted; ... (the CA pinned is /root/berth-data/ca.crt; ...)".

#include <string>

#include <kj/async-io.h>

#include "actors/rpc/rpc_security.hpp"

namespace berth::rpc {

/// Connects to `address` ("host:port", or "host" with port `default_port`)
/// and returns the stream to run Cap'n Proto over: the TLS stream (owning the
/// TLS context and the raw connection), or the raw TCP stream when
/// `s.insecure`.
kj::Promise<kj::Own<kj::AsyncIoStream>> dial_rpc(kj::Network& network, const std::string& address,
                                                 const rpc_security& s, unsigned default_port = 7420);

}  // namespace berth::rpc
