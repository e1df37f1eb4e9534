#pragma once
// The container runtime interface over a unix socket, so that the agent can
// use a runtime served by another process: `berth-agent runtime serve
// unix:PATH` serves one, `berth-agent --runtime unix:PATH` connects to it.
// Plain two-party Cap'n Proto RPC whose bootstrap capability is the Runtime.
// Both sides run on the calling thread's KJ event loop.

#include <string>

#include <kj/async-io.h>

#include "schema/runtime.capnp.h"

namespace capnp {
class TwoPartyClient;
}

namespace berth::agent {

/// Serves `runtime` on the unix socket `path` until the returned promise is
/// dropped; each connection gets the runtime as its bootstrap capability.
/// A stale socket file (nobody accepting on it) is removed first. Throws
/// (kj::Exception) when another process already serves on `path`, when
/// `path` exists and is not a socket, or when listening fails.
kj::Promise<void> serve_runtime(kj::AsyncIoProvider& io, std::string path, schema::Runtime::Client runtime);

/// A connection to a runtime served on a unix socket. Owns the stream and the
/// RPC system; the Runtime::Client it hands out fails with DISCONNECTED once
/// the connection is gone (or this object is destroyed).
class runtime_connection {
 public:
  /// Connects to `path`; the promise fails when nobody listens there.
  static kj::Promise<kj::Own<runtime_connection>> connect(kj::AsyncIoProvider& io, std::string path);

  explicit runtime_connection(kj::Own<kj::AsyncIoStream> stream);
  ~runtime_connection() noexcept(false);
  runtime_connection(const runtime_connection&) = delete;
  runtime_connection& operator=(const runtime_connection&) = delete;

  /// The remote runtime.
  schema::Runtime::Client runtime() { return runtime_; }

  /// Resolves when the other side closes the connection.
  kj::Promise<void> on_disconnect();

 private:
  kj::Own<kj::AsyncIoStream> stream_;
  kj::Own<capnp::TwoPartyClient> rpc_;
  schema::Runtime::Client runtime_;
};

/// The socket path of a `--runtime` value ("unix:/run/x.sock" -> "/run/x.sock");
/// "" when it does not start with "unix:".
std::string runtime_socket_path(std::string_view spec);

}  // namespace berth::agent
