#pragma once
// SPDY/3.1, as kubectl speaks it for `port-forward` and `exec` (the
// "SPDY/3.1" HTTP upgrade, and the same bytes tunnelled in WebSocket binary
// messages). Pure: frames to bytes and back, header blocks compressed with
// zlib and the SPDY/3 dictionary, flow-control windows. No I/O, no KJ.
//
// The wire format (draft-mbelshe-httpbis-spdy-00, SPDY/3 with 3.1's session
// window), all integers big-endian:
//
//   frame         = control-frame / data-frame
//   control-frame = %b1 version:15 type:16  flags:8 length:24  payload(length)
//   data-frame    = %b0 stream-id:31        flags:8 length:24  data(length)
//
//   SYN_STREAM    (1)  X stream-id:31  X associated-id:31  priority:3 unused:5 slot:8  header-block
//   SYN_REPLY     (2)  X stream-id:31  header-block
//   RST_STREAM    (3)  X stream-id:31  status:32
//   SETTINGS      (4)  count:32  (flags:8 id:24 value:32){count}
//   PING          (6)  id:32
//   GOAWAY        (7)  X last-good-stream-id:31  status:32
//   HEADERS       (8)  X stream-id:31  header-block
//   WINDOW_UPDATE (9)  X stream-id:31  X delta:31        (stream 0: the session's window)
//
//   header-block (after zlib inflate) = count:32 (name-len:32 name value-len:32 value){count}
//
// Flags: FIN (0x01) ends the sender's half of a stream (SYN_STREAM, SYN_REPLY,
// HEADERS, DATA); UNIDIRECTIONAL (0x02) on SYN_STREAM. Names are lower case;
// one value may hold several, separated by NUL. Each direction of a session
// has one zlib stream: every header block is deflated with Z_SYNC_FLUSH on the
// compressor of its sender, so both ends must keep their codec for the
// session's whole life and feed it every header block in order.
//
// Flow control (3.1): each stream and the session start with a 64 KiB window
// for DATA payloads in each direction; a receiver gives credit back with
// WINDOW_UPDATE as it consumes. Go's spdystream (kubectl's SPDY, and
// kubelet's) sends no WINDOW_UPDATE at all and ignores ours, so a sender here
// enforces the peer's window only once the peer has shown it keeps one (a
// WINDOW_UPDATE or SETTINGS_INITIAL_WINDOW_SIZE received); see flow_control.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace berth::kube::spdy {

constexpr std::uint16_t k_version = 3;
constexpr std::uint8_t k_flag_fin = 0x01;
constexpr std::uint8_t k_flag_unidirectional = 0x02;
constexpr std::uint32_t k_max_length = 0xFFFFFF;         // a frame's 24-bit length
constexpr std::uint32_t k_max_stream_id = 0x7FFFFFFF;     // 31 bits
constexpr std::uint32_t k_initial_window = 64 * 1024;     // per stream and per session
constexpr std::uint32_t k_max_window = 0x7FFFFFFF;

enum class frame_type : std::uint16_t {
  syn_stream = 1,
  syn_reply = 2,
  rst_stream = 3,
  settings = 4,
  ping = 6,
  goaway = 7,
  headers = 8,
  window_update = 9,
};

/// RST_STREAM status codes.
enum class rst_status : std::uint32_t {
  protocol_error = 1,
  invalid_stream = 2,
  refused_stream = 3,
  unsupported_version = 4,
  cancel = 5,
  internal_error = 6,
  flow_control_error = 7,
  stream_in_use = 8,
  stream_already_closed = 9,
  frame_too_large = 11,
};

/// GOAWAY status codes.
enum class goaway_status : std::uint32_t { ok = 0, protocol_error = 1, internal_error = 2 };

/// SETTINGS ids this side reads (others are kept and ignored).
constexpr std::uint32_t k_settings_max_concurrent_streams = 4;
constexpr std::uint32_t k_settings_initial_window_size = 7;

/// Header names and values in the order sent. Names are lower case on the wire.
using header_list = std::vector<std::pair<std::string, std::string>>;

/// The first value of `name` (case-insensitive), or nullptr.
const std::string* find_header(const header_list& headers, std::string_view name);

struct syn_stream {
  std::uint32_t stream_id = 0;
  std::uint32_t associated_id = 0;
  std::uint8_t priority = 0;  // 0 (highest) .. 7
  std::uint8_t slot = 0;
  std::uint8_t flags = 0;     // FIN, UNIDIRECTIONAL
  header_list headers;
};
struct syn_reply {
  std::uint32_t stream_id = 0;
  std::uint8_t flags = 0;  // FIN
  header_list headers;
};
struct rst_stream {
  std::uint32_t stream_id = 0;
  std::uint32_t status = 0;  // rst_status
};
struct setting {
  std::uint8_t flags = 0;
  std::uint32_t id = 0;  // 24 bits
  std::uint32_t value = 0;
};
struct settings {
  std::uint8_t flags = 0;  // 0x01 CLEAR_SETTINGS
  std::vector<setting> entries;
};
struct ping {
  std::uint32_t id = 0;
};
struct goaway {
  std::uint32_t last_good_stream_id = 0;
  std::uint32_t status = 0;  // goaway_status
};
struct headers {
  std::uint32_t stream_id = 0;
  std::uint8_t flags = 0;  // FIN
  header_list headers;
};
struct window_update {
  std::uint32_t stream_id = 0;  // 0: the session
  std::uint32_t delta = 0;      // 1 .. 2^31-1
};
struct data {
  std::uint32_t stream_id = 0;
  std::uint8_t flags = 0;  // FIN
  std::string payload;
};

using frame = std::variant<syn_stream, syn_reply, rst_stream, settings, ping, goaway, headers, window_update, data>;

/// "SYN_STREAM", "DATA", ... for messages and logs.
std::string frame_name(const frame& f);

/// One end's zlib state for header blocks: a compressor for the blocks it
/// sends and a decompressor for the blocks it receives, both primed with the
/// SPDY/3 dictionary. Not copyable (zlib streams); one per session.
class header_codec {
 public:
  header_codec();
  ~header_codec();
  header_codec(const header_codec&) = delete;
  header_codec& operator=(const header_codec&) = delete;

  /// The header block for `h`, deflated (Z_SYNC_FLUSH) on this end's compressor.
  std::string compress(const header_list& h);
  /// Inflates one received header block and reads its name/value pairs.
  /// Error text (empty on success) says what was wrong: "header block: zlib:
  /// incorrect header check", "header block: byte 9: name length 4000 runs
  /// past the end (20 bytes)".
  std::string decompress(std::string_view block, header_list& out);

  /// The raw (uncompressed) encoding of a header block, and its parse: the
  /// parts of compress/decompress that do not touch zlib.
  static std::string encode_block(const header_list& h);
  static std::string decode_block(std::string_view raw, header_list& out);

 private:
  struct zstreams;
  std::unique_ptr<zstreams> z_;
};

/// The SPDY/3 zlib dictionary (spec section 2.6.10.1).
std::string_view dictionary();

/// What parse() found at the front of a buffer.
struct parse_result {
  enum class status { frame, need_more, error };
  status what = status::need_more;
  frame value;             // when what == frame
  std::size_t consumed = 0;  // bytes of the frame (what == frame)
  std::string error;       // when what == error: names the byte offset and what was expected
};

/// Reads one frame from the front of `bytes`. `offset` is where `bytes`
/// starts in the session's stream (for error messages). Header blocks are
/// inflated with `codec`, so frames must be parsed in order, each once.
/// An unknown control-frame type or version is an error here (the caller
/// may choose to skip it: `consumed` is set for well-delimited frames).
parse_result parse(std::string_view bytes, header_codec& codec, std::uint64_t offset = 0);

/// The bytes of `f`; header blocks are deflated with `codec`. Throws
/// std::invalid_argument for a frame that cannot be sent (a payload over
/// 16 MiB - 1, a stream id over 31 bits, a zero window delta).
std::string serialize(const frame& f, header_codec& codec);

/// One direction's windows of a session (3.1): the session window and each
/// stream's, in bytes of DATA payload.
///
/// Sending: `sendable(stream, n)` says how much of `n` may go now;
/// `on_sent` spends it; `on_window_update` adds the peer's credit.
/// Receiving: `on_received` spends our window (false: the peer overran it,
/// a FLOW_CONTROL_ERROR); `on_consumed` returns the WINDOW_UPDATEs to send
/// now that the bytes were handed on.
class flow_control {
 public:
  /// Sending is limited by the peer's windows only once the peer showed it
  /// keeps them (see the file comment); until then sendable() gives all.
  bool peer_enforces() const { return peer_enforces_; }

  std::size_t sendable(std::uint32_t stream, std::size_t wanted) const;
  void on_sent(std::uint32_t stream, std::size_t n);
  /// A WINDOW_UPDATE from the peer. Error text when the window would pass 2^31-1.
  std::string on_window_update(std::uint32_t stream, std::uint32_t delta);
  /// SETTINGS_INITIAL_WINDOW_SIZE from the peer: every stream's send window
  /// moves by the difference (it may go negative).
  void on_initial_window(std::uint32_t size);

  bool on_received(std::uint32_t stream, std::size_t n);
  std::vector<window_update> on_consumed(std::uint32_t stream, std::size_t n);

  void forget(std::uint32_t stream);

 private:
  struct windows {
    std::int64_t send = k_initial_window;
    std::int64_t receive = k_initial_window;
  };
  windows& of(std::uint32_t stream);
  const windows* find(std::uint32_t stream) const;

  bool peer_enforces_ = false;
  std::int64_t initial_send_ = k_initial_window;
  windows session_;
  std::vector<std::pair<std::uint32_t, windows>> streams_;  // few streams at a time
};

}  // namespace berth::kube::spdy
