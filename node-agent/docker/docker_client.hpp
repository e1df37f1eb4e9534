#pragma once
// A small Docker Engine API client over dockerd's unix socket, on a KJ event
// loop (kj-http). It speaks plain HTTP/1.1 with JSON bodies; it never shells
// out to the `docker` CLI. Owned by the docker_runtime that uses it; every
// method must be called on the thread that owns the KJ event loop.
//
// Errors: an HTTP status from dockerd is a value (`docker_reply::status`);
// a socket that cannot be reached, a broken connection or a timeout is a
// kj::Exception ("runtime unavailable" for the agent).

#include <cstdint>
#include <string>

#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/timer.h>

namespace berth::agent::docker {

/// A complete reply.
struct docker_reply {
  unsigned status = 0;
  std::string body;

  bool ok() const { return status >= 200 && status < 300; }
};

/// A reply whose body is read as it arrives (logs, events, exec output).
/// `body` reads the decoded entity (chunking removed); it ends at EOF.
struct docker_stream {
  unsigned status = 0;
  kj::Own<kj::AsyncInputStream> body;
};

/// dockerd's error message of a failed reply, with the status:
/// "dockerd HTTP 404: No such container: abc".
std::string docker_error(const docker_reply& reply);

/// A kj::Exception (FAILED) whose description is exactly `message`.
/// (KJ_EXCEPTION with a non-literal argument prefixes the argument's source text.)
kj::Exception docker_failure(std::string message);

/// Percent-encodes a query value or a path segment (keeps unreserved characters,
/// and '/' and ':' when `keep_slash` — image references are routed with their slashes).
std::string url_encode(std::string_view text, bool keep_slash = false);

class docker_client {
 public:
  /// `network` and `timer` must outlive the client (usually the
  /// AsyncIoProvider of the thread's kj::setupAsyncIo()).
  docker_client(kj::Network& network, kj::Timer& timer, std::string socket_path = "/var/run/docker.sock");
  ~docker_client();
  docker_client(const docker_client&) = delete;
  docker_client& operator=(const docker_client&) = delete;

  /// Sends `method path` with an optional JSON body and reads the whole reply.
  /// Fails with an exception after `timeout`.
  kj::Promise<docker_reply> call(kj::HttpMethod method, std::string path, std::string json_body = {},
                                 kj::Duration timeout = 60 * kj::SECONDS);

  /// Sends the request on a connection of its own and resolves once the
  /// reply's headers arrived; the body is left to the caller, and owns the
  /// connection (no timeout: streams may last forever; the caller cancels by
  /// dropping the stream or the promise).
  kj::Promise<docker_stream> open(kj::HttpMethod method, std::string path, std::string json_body = {});

  /// A new connection of its own to dockerd's socket, for requests that
  /// kj::HttpClient cannot make (hijack.hpp).
  kj::Promise<kj::Own<kj::AsyncIoStream>> connect();

  kj::Timer& timer() { return timer_; }
  const std::string& socket_path() const { return socket_path_; }

 private:
  /// Resolves the socket address once (and makes the pooled client).
  kj::Promise<void> resolve();
  /// Sends one request on `http` (Host and Content-Type set, body written).
  kj::Promise<kj::HttpClient::Response> issue(kj::HttpClient& http, kj::HttpMethod method, const std::string& path,
                                              std::string json_body);
  /// `issue` on the pooled client.
  kj::Promise<kj::HttpClient::Response> send(kj::HttpMethod method, std::string path, std::string json_body);

  kj::Network& network_;
  kj::Timer& timer_;
  std::string socket_path_;
  kj::HttpHeaderTable header_table_;
  // The address is resolved once, lazily; the HTTP client keeps a reference
  // to it, so both live as long as the client.
  kj::Own<kj::NetworkAddress> address_;
  kj::Own<kj::HttpClient> http_;
};

}  // namespace berth::agent::docker
