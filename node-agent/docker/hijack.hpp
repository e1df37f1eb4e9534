#pragma once
// dockerd's hijacked connections: `POST /exec/{id}/start` and
// `POST /containers/{id}/attach` turn the HTTP connection into the process's
// raw streams once the request asks for an upgrade,
//
//   POST PATH HTTP/1.1            HTTP/1.1 101 UPGRADED
//   Host: docker                  Content-Type: application/vnd.docker.raw-stream
//   Connection: Upgrade           Connection: Upgrade
//   Upgrade: tcp                  Upgrade: tcp
//   Content-Length: N
//                                 <output bytes ...>
//   <json body><stdin bytes ...>
//
// after which the client writes stdin and half-closes the connection to end
// it (the process reads EOF), and dockerd closes its side when the process's
// output ends. Output is multiplexed (log_stream.hpp) unless the process has
// a terminal. kj::HttpClient cannot hand over a connection like this (it
// knows only WebSocket upgrades), so the request and the reply's head are
// written and read here by hand on a socket of their own.
//
// KJ thread only; errors reaching dockerd are exceptions, dockerd's refusals
// values.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kj/async-io.h>

#include "node-agent/docker/docker_client.hpp"

namespace berth::agent::docker {

/// A reply's status line and headers, as far as the hijack needs them.
struct response_head {
  unsigned status = 0;
  std::optional<std::uint64_t> content_length;
  std::size_t size = 0;  // bytes of the head, up to and including the blank line
};

/// Parses the head at the start of `data`: nullopt while it is incomplete
/// (no blank line yet); a head with status 0 when the status line is malformed.
std::optional<response_head> parse_response_head(std::string_view data);

/// The request that asks dockerd to hijack the connection (pure; exposed for tests).
std::string hijack_request(std::string_view path, std::string_view json_body);

/// What a hijack request got.
struct hijacked {
  unsigned status = 0;           // 101 (200 from daemons that skip the upgrade) = attached
  std::string error;             // when not attached: dockerd's message with the status
  kj::Own<kj::AsyncIoStream> io; // when attached: the process's streams
  std::string early;             // output bytes that arrived with the reply's head
};

/// Sends `POST path` with `json_body` on a new connection to dockerd and
/// reads the reply's head.
kj::Promise<hijacked> hijack(docker_client& client, std::string path, std::string json_body);

}  // namespace berth::agent::docker
