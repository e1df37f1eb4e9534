#include "node-agent/docker/log_stream.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace berth::agent::docker {

namespace {

constexpr std::size_t header_size = 8;

std::uint32_t read_be32(const std::string& bytes, std::size_t at) {
  return (std::uint32_t{static_cast<unsigned char>(bytes[at])} << 24) |
         (std::uint32_t{static_cast<unsigned char>(bytes[at + 1])} << 16) |
         (std::uint32_t{static_cast<unsigned char>(bytes[at + 2])} << 8) |
         std::uint32_t{static_cast<unsigned char>(bytes[at + 3])};
}

}  // namespace

// Validates the complete header in header_ and starts its payload.
bool log_demuxer::take_header(std::string& error) {
  auto byte = [this](std::size_t i) { return static_cast<unsigned char>(header_[i]); };
  if (byte(0) > 2) {
    error = fmt::format(
        "malformed multiplexed stream header at byte offset {}: stream byte is 0x{:02x}, "
        "expected 0, 1 or 2",
        frame_start_, byte(0));
    return false;
  }
  for (std::size_t i = 1; i < 4; ++i) {
    if (byte(i) != 0) {
      error = fmt::format(
          "malformed multiplexed stream header at byte offset {}: byte {} is 0x{:02x}, "
          "expected 0x00",
          frame_start_, frame_start_ + i, byte(i));
      return false;
    }
  }
  current_.stream = byte(0);
  current_.payload.clear();
  remaining_ = read_be32(header_, 4);
  in_payload_ = true;
  return true;
}

log_feed_result log_demuxer::feed(std::string_view chunk) {
  log_feed_result result;
  if (!error_.empty()) {
    result.error = error_;
    return result;
  }
  while (!chunk.empty() || (in_payload_ && remaining_ == 0)) {
    if (in_payload_) {
      auto take = std::min<std::size_t>(remaining_, chunk.size());
      current_.payload.append(chunk.data(), take);
      chunk.remove_prefix(take);
      offset_ += take;
      remaining_ -= static_cast<std::uint32_t>(take);
      if (remaining_ == 0) {
        result.frames.push_back(std::move(current_));
        current_ = log_frame{};
        in_payload_ = false;
        header_.clear();
      }
      continue;
    }
    if (header_.empty()) frame_start_ = offset_;
    auto take = std::min(header_size - header_.size(), chunk.size());
    header_.append(chunk.data(), take);
    chunk.remove_prefix(take);
    offset_ += take;
    if (header_.size() == header_size && !take_header(error_)) {
      result.error = error_;
      return result;
    }
  }
  return result;
}

std::string log_demuxer::finish() const {
  if (!error_.empty()) return error_;
  if (in_payload_) {
    return fmt::format(
        "multiplexed stream ended inside the frame at byte offset {}: {} of {} payload bytes "
        "missing",
        frame_start_, remaining_, remaining_ + current_.payload.size());
  }
  if (!header_.empty()) {
    return fmt::format("multiplexed stream ended inside the header at byte offset {}: {} of 8 bytes read", frame_start_,
                       header_.size());
  }
  return {};
}

}  // namespace berth::agent::docker
