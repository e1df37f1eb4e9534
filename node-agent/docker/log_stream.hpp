#pragma once
// Docker's multiplexed stream format (logs of non-TTY containers, the output
// of `exec start`), as a pure demultiplexer fed arbitrary chunks:
//
//   stream  := frame*
//   frame   := header payload
//   header  := kind:u8 0x00 0x00 0x00 length:u32be     (8 bytes)
//   kind    := 0 (stdin) | 1 (stdout) | 2 (stderr)
//   payload := length bytes
//
// A read from the socket may end anywhere: inside a header, inside a payload,
// or between frames. The demuxer keeps the partial frame and continues with
// the next chunk. Zero-length frames are legal and reported as such.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace berth::agent::docker {

/// One frame of a multiplexed stream.
struct log_frame {
  std::uint8_t stream = 1;  // 0 stdin, 1 stdout, 2 stderr
  std::string payload;

  bool operator==(const log_frame&) const = default;
};

/// What one `feed` produced: the frames it completed, or why the stream is
/// malformed (then `frames` holds those completed before the bad header).
struct log_feed_result {
  std::vector<log_frame> frames;
  std::string error;  // "" = fine
};

/// Splits Docker's multiplexed stream into frames. A value type with no I/O;
/// after an error every later `feed` repeats that error.
class log_demuxer {
 public:
  /// Consumes `chunk` (any length, including 0).
  log_feed_result feed(std::string_view chunk);

  /// Call at the end of the stream: "" when it ended between frames, else
  /// says where the stream was cut (a truncated header or payload).
  std::string finish() const;

  /// Bytes consumed so far (the offset of the next byte fed).
  std::uint64_t offset() const { return offset_; }

 private:
  bool take_header(std::string& error);

  std::uint64_t offset_ = 0;       // bytes consumed so far
  std::uint64_t frame_start_ = 0;  // offset of the current frame's header
  std::string header_;             // the current header's bytes (< 8 while incomplete)
  std::uint32_t remaining_ = 0;    // payload bytes still expected
  log_frame current_;
  bool in_payload_ = false;
  std::string error_;
};

}  // namespace berth::agent::docker
