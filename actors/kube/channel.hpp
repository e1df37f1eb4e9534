#pragma once
// The Kubernetes remotecommand channel protocol over WebSocket, as kubectl
// (client-go tools/remotecommand) speaks it for exec and attach. Pure: no
// I/O, no KJ; the WebSocket adapter (actors/rpc/exec_websocket.cpp) feeds it
// whole binary messages.
//
//   message  := channel:u8 payload          (one binary WebSocket message)
//   channel  := 0 stdin | 1 stdout | 2 stderr | 3 error | 4 resize
//             | 255 close                   (v5 only)
//   resize   := {"Width":<cols>,"Height":<rows>}      (client → server)
//   close    := 255 stream:u8               (v5: the client closed that stream;
//                                            for stdin, the process sees EOF)
//   error    := a metav1.Status as JSON     (server → client, once, last):
//               {"status":"Success"}
//               {"status":"Failure","reason":"NonZeroExitCode",
//                "details":{"causes":[{"reason":"ExitCode","message":"3"}]}}
//               or any other Failure, whose message kubectl prints
//
// The subprotocol is chosen from the client's Sec-WebSocket-Protocol list:
// v5.channel.k8s.io (kubectl 1.30 and later offer only this one), else
// v4.channel.k8s.io (same framing, no close message: stdin ends with the
// connection).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::kube {

/// The channel numbers (the first byte of each message); frozen by the protocol.
enum class channel : std::uint8_t { stdin_ = 0, stdout_ = 1, stderr_ = 2, error = 3, resize = 4, close = 255 };

enum class stream_protocol { v4, v5 };

/// "v5.channel.k8s.io" / "v4.channel.k8s.io".
std::string_view protocol_name(stream_protocol p);

/// The protocol to answer with, from the Sec-WebSocket-Protocol header's
/// comma-separated list (spaces allowed); nullopt when neither is offered.
std::optional<stream_protocol> negotiate_protocol(std::string_view offered);

/// One message to send: `data` prefixed with the channel byte.
std::string frame(channel c, std::string_view data);

/// What one message from the client asks for.
struct client_message {
  enum class what { stdin_data, stdin_close, resize, ignore, error };
  what kind = what::ignore;
  std::string data;          // stdin_data: the bytes
  std::uint16_t width = 0;   // resize
  std::uint16_t height = 0;  // resize
  std::string error;         // error: why the message is malformed

  bool operator==(const client_message&) const = default;
};

/// Parses one binary message from the client. Output channels written by a
/// client and the close of a stream other than stdin are ignored (client-go
/// half-closes every stream it owns); an empty message, an unknown channel,
/// a close under v4 or a malformed resize is an error.
client_message parse_client_message(std::string_view message, stream_protocol p);

/// A resize message's payload: {"Width":W,"Height":H} with both in 0..65535.
/// Sets `error` ("resize: Width: expected a whole number from 0 to 65535, not -1")
/// and returns nullopt when malformed.
struct terminal_size {
  std::uint16_t width = 0;
  std::uint16_t height = 0;
  bool operator==(const terminal_size&) const = default;
};
std::optional<terminal_size> parse_resize(std::string_view json, std::string& error);

/// The error channel's last message for a process that exited with `code`:
/// Success for 0; Failure/NonZeroExitCode with an ExitCode cause for 1..255
/// (kubectl then exits with that code); for a code outside 0..255 (unknown,
/// or a runtime's negative value) a Failure saying so.
std::string exit_status_json(int code);

/// A Failure on the error channel with `message` (reason InternalError):
/// kubectl prints "error: <message>" and exits 1.
std::string failure_status_json(std::string_view message);

}  // namespace berth::kube
