#pragma once
// The head of an HTTP/1.1 request (request line and header fields, up to the
// empty line), read before KJ's HttpServer sees the connection so that an
// upgrade KJ 0.9 cannot accept (SPDY/3.1, for `kubectl port-forward` and
// `exec` of kubectl 1.20) can be taken over; see actors/rpc/kube_upgrade.cpp.
// Pure: no I/O.
//
//   head = method SP target SP "HTTP/1." DIGIT CRLF *(field CRLF) CRLF
//   field = name ":" OWS value OWS          (name: token characters)

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::kube {

struct request_head {
  std::string method;   // "POST"
  std::string target;   // "/api/v1/namespaces/default/pods/web/portforward?ports=80"
  std::string version;  // "HTTP/1.1"
  std::vector<std::pair<std::string, std::string>> fields;  // in order, names as sent
  std::size_t length = 0;  // bytes of the head, the final CRLF CRLF included

  /// Every value of `name` (case-insensitive) joined with ", " (RFC 9110's
  /// combination of repeated fields); nullopt when absent.
  std::optional<std::string> field(std::string_view name) const;
  /// True when the comma-separated list in field `name` has `token` (case-insensitive).
  bool has_token(std::string_view name, std::string_view token) const;
};

struct head_parse {
  enum class status { complete, partial, bad };
  status what = status::partial;
  request_head head;   // when complete
  std::string error;   // when bad: "request head: byte 14: expected ..."
};

/// Parses the head at the front of `bytes`. partial: no empty line yet (and
/// fewer than `max_length` bytes); bad: malformed, or longer than `max_length`.
head_parse parse_request_head(std::string_view bytes, std::size_t max_length = 64 * 1024);

/// What an upgrade request asks for.
enum class upgrade_kind { none, spdy, websocket, other };

/// From Connection and Upgrade: "SPDY/3.1" (kubectl's port-forward and
/// exec), "websocket", another protocol, or no upgrade at all.
upgrade_kind upgrade_of(const request_head& head);

}  // namespace berth::kube
