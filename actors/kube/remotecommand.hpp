#pragma once
// kubelet's remotecommand protocol over SPDY/3.1, as kubectl up to 1.29
// (and 1.30+ with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false) speaks it for
// exec and attach. After the upgrade (X-Stream-Protocol-Version:
// v4.channel.k8s.io) the client opens one SPDY stream per channel, each
// with the header
//
//   streamtype: error | stdin | stdout | stderr | resize
//
// error always; the others as the request asked (stdin=, stdout=, stderr=,
// and resize with tty=true; a terminal has no stderr). stdin's bytes and its
// FIN (EOF) come from the client; stdout and stderr go to it; resize carries
// a sequence of JSON objects {"Width":W,"Height":H}; at the end the server
// writes a metav1.Status on error (the same JSON as the channel protocol's
// error channel, actors/kube/channel.hpp) and finishes every stream. Pure:
// no I/O, no SPDY frames (those are actors/kube/spdy.hpp).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/kube/channel.hpp"
#include "actors/kube/exec_request.hpp"

namespace berth::kube {

/// The one version served: v4 has the JSON Status on the error stream (exit
/// codes) and resize; every client-go since 1.8 offers it.
constexpr const char* k_remotecommand_v4 = "v4.channel.k8s.io";

enum class exec_stream { error, stdin_, stdout_, stderr_, resize };

/// "error", "stdin", ...: the streamtype header's value.
std::string_view exec_stream_name(exec_stream s);

/// The streams one exec or attach request needs, as they open.
class exec_streams {
 public:
  explicit exec_streams(const exec_request& request);

  /// Adds SPDY stream `id` with header value `streamtype`; "" when taken,
  /// else why not (kubelet's words for an unknown type: "unexpected stream
  /// type: \"x\""; a type the request did not ask for; one that is open).
  std::string add(std::uint32_t id, std::string_view streamtype);
  /// Every expected stream is open: the session can start.
  bool complete() const;
  /// The stream id of `s`, 0 when not (yet) open.
  std::uint32_t id(exec_stream s) const { return ids_[static_cast<std::size_t>(s)]; }
  /// Which stream `id` is, if one of ours.
  std::optional<exec_stream> kind(std::uint32_t id) const;

 private:
  std::array<bool, 5> expected_{};
  std::array<std::uint32_t, 5> ids_{};
};

/// The resize stream's bytes, cut into JSON objects as they complete (a
/// DATA frame may carry part of one, or several).
class resize_reader {
 public:
  /// Appends `bytes`; returns the sizes completed by them, in order. On a
  /// malformed object sets `error` (parse_resize's words) and returns those
  /// before it; the reader then stays failed and returns nothing.
  std::vector<terminal_size> feed(std::string_view bytes, std::string& error);

 private:
  std::string pending_;
  bool failed_ = false;
};

}  // namespace berth::kube
