#pragma once
// Accepting TLS connections on a plain listener, one connection at a time, so
// that one bad client never stops the listener (KJ's wrapPort() would hand a
// failed handshake to the accept loop). Internal to actors/rpc (KJ headers).
//
// The first byte of a connection tells what the client speaks: 0x16 starts a
// TLS handshake record; anything else is a client speaking plain HTTP (or
// plain Cap'n Proto) to a TLS port. Such a client gets Go's answer, as an
// apiserver gives it,
//
//   HTTP/1.1 400 Bad Request
//
//   Client sent an HTTP request to an HTTPS server.
//
// and is disconnected; nothing of its request is read or acted on.

#include <kj/async-io.h>
#include <kj/compat/tls.h>
#include <kj/function.h>

namespace berth::rpc {

/// What to do with each connection once its TLS handshake succeeded.
using tls_connection_handler = kj::Function<kj::Promise<void>(kj::Own<kj::AsyncIoStream>)>;

/// Accepts on `listener` forever. Each connection is served in `tasks`
/// (errors of one connection end that connection only). Never resolves;
/// cancel it by dropping it.
kj::Promise<void> accept_tls(kj::ConnectionReceiver& listener, kj::TlsContext& tls, kj::TaskSet& tasks,
                             tls_connection_handler& serve);

/// `inner` with `prefix` (bytes already read from it) read again first.
kj::Own<kj::AsyncIoStream> replay_prefix(kj::Array<kj::byte> prefix, kj::Own<kj::AsyncIoStream> inner);

/// The exact bytes sent to a client that does not start with a TLS handshake.
extern const char k_plain_to_tls_answer[];

}  // namespace berth::rpc
