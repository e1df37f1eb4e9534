#pragma once
// A server's SPDY/3.1 session on the KJ thread (the frames are
// actors/kube/spdy.hpp): kubectl opens streams, berthd answers them, and a
// handler (port-forward, exec) decides what each stream means. The session
// runs over a byte transport: the TLS stream after a "SPDY/3.1" upgrade
// (kubectl 1.20, and 1.32's fallback), or WebSocket binary messages
// carrying the same bytes (kubectl 1.32's "SPDY/3.1+portforward.k8s.io").
// Internal to actors/rpc.
//
// Backpressure: the session reads the client's next frame only once the
// handler has taken the previous DATA frame's bytes on (received()'s
// promise), and send_data() resolves once the bytes are on the transport,
// within the client's window when the client keeps one.

#include <cstdint>
#include <map>
#include <string>

#include <kj/async-io.h>
#include <kj/compat/http.h>

#include "actors/kube/spdy.hpp"

namespace berth::rpc {

/// The bytes under a session.
class spdy_transport {
 public:
  virtual ~spdy_transport() noexcept(false) = default;
  /// Up to `max` bytes; 0 at the end of the client's stream.
  virtual kj::Promise<std::size_t> read(kj::byte* buffer, std::size_t max) = 0;
  virtual kj::Promise<void> write(kj::ArrayPtr<const kj::byte> bytes) = 0;
  /// Ends the transport politely (a WebSocket close; a TLS stream's write side).
  virtual kj::Promise<void> close() = 0;
};

/// The TLS stream after a 101, with the bytes already read past the request head.
kj::Own<spdy_transport> stream_transport(kj::Own<kj::AsyncIoStream> stream, std::string already_read);
/// WebSocket binary messages (a text message is a protocol error).
kj::Own<spdy_transport> websocket_transport(kj::Own<kj::WebSocket> socket);

class spdy_session;

/// What a protocol does with the client's streams. Called on the KJ thread
/// by the session's read loop.
class spdy_handler {
 public:
  virtual ~spdy_handler() noexcept(false) = default;
  /// A new stream: "" to accept it (SYN_REPLY), or why not (RST_STREAM
  /// REFUSED_STREAM; the text is logged). Must not send on the stream.
  virtual std::string accept(std::uint32_t id, const kube::spdy::header_list& headers) = 0;
  /// After the SYN_REPLY of an accepted stream went out.
  virtual void opened(std::uint32_t id) = 0;
  /// The client's bytes; the session reads nothing further until this resolves.
  virtual kj::Promise<void> received(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes) = 0;
  /// The client's FIN on the stream: it sends nothing more there.
  virtual void half_closed(std::uint32_t id) = 0;
  /// The client's RST_STREAM: the stream is gone both ways.
  virtual void reset(std::uint32_t id) = 0;
};

class spdy_session {
 public:
  explicit spdy_session(kj::Own<spdy_transport> transport);
  ~spdy_session();
  spdy_session(const spdy_session&) = delete;
  spdy_session& operator=(const spdy_session&) = delete;

  /// Reads frames until the client ends the transport or sends GOAWAY
  /// (resolves), or sends bytes that are not SPDY/3.1 (a GOAWAY
  /// PROTOCOL_ERROR goes out, then it rejects naming the byte offset).
  kj::Promise<void> run(spdy_handler& handler);

  /// Sends `bytes` on stream `id` (in frames of at most 32 KiB, each within
  /// the client's window), then FIN when `fin`. Resolves once written; at
  /// once, sending nothing, when the stream was reset or already finished.
  kj::Promise<void> send_data(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes, bool fin = false);
  /// FIN on the stream (an empty DATA frame), once.
  void finish(std::uint32_t id);
  /// RST_STREAM, once; the stream is forgotten.
  void reset(std::uint32_t id, kube::spdy::rst_status status);
  /// Sends whatever is queued, then closes the transport.
  kj::Promise<void> close();

 private:
  struct stream_state {
    bool local_fin = false;
    bool remote_fin = false;
    bool reset = false;
  };
  kj::Promise<void> read_more(spdy_handler& handler);
  kj::Promise<void> handle(spdy_handler& handler, kube::spdy::frame f);
  kj::Promise<void> on_data(spdy_handler& handler, kube::spdy::data d);
  kj::Promise<void> enqueue(const kube::spdy::frame& f);
  kj::Promise<void> send_chunks(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes, bool fin);
  void wake_senders();
  void forget_if_done(std::uint32_t id);
  std::string fmt_frame_too_large() const;

  kj::Own<spdy_transport> transport_;
  kube::spdy::header_codec codec_;
  kube::spdy::flow_control flow_;
  std::map<std::uint32_t, stream_state> streams_;
  std::uint32_t last_client_stream_ = 0;
  bool goaway_received_ = false;
  std::string in_;               // received bytes not yet parsed
  std::uint64_t in_offset_ = 0;  // where in_ starts in the client's byte stream
  kj::Array<kj::byte> read_buffer_;
  kj::Promise<void> writes_ = kj::READY_NOW;  // every frame goes out in order on this chain
  kj::Vector<kj::Own<kj::PromiseFulfiller<void>>> window_waiters_;
};

}  // namespace berth::rpc
