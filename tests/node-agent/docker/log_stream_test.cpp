#include "node-agent/docker/log_stream.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using berth::agent::docker::log_demuxer;
using berth::agent::docker::log_frame;

namespace {

std::string header(unsigned char stream, std::uint32_t length) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(stream);
  h[4] = static_cast<char>(length >> 24);
  h[5] = static_cast<char>(length >> 16);
  h[6] = static_cast<char>(length >> 8);
  h[7] = static_cast<char>(length);
  return h;
}

std::string frame(unsigned char stream, const std::string& payload) {
  return header(stream, static_cast<std::uint32_t>(payload.size())) + payload;
}

// Feeds `bytes` cut at `cuts` (offsets) and returns every frame and the first error.
std::pair<std::vector<log_frame>, std::string> feed_cut(const std::string& bytes, std::vector<std::size_t> cuts) {
  log_demuxer demux;
  std::vector<log_frame> frames;
  std::size_t at = 0;
  cuts.push_back(bytes.size());
  for (auto cut : cuts) {
    auto fed = demux.feed(std::string_view(bytes).substr(at, cut - at));
    frames.insert(frames.end(), fed.frames.begin(), fed.frames.end());
    if (!fed.error.empty()) return {frames, fed.error};
    at = cut;
  }
  return {frames, demux.finish()};
}

}  // namespace

TEST_CASE("log_stream: whole frames in one chunk") {
  auto [frames, error] = feed_cut(frame(1, "hello\n") + frame(2, "oops\n"), {});
  CHECK(error == "");
  CHECK(frames == std::vector<log_frame>{{1, "hello\n"}, {2, "oops\n"}});
}

TEST_CASE("log_stream: every split position of header and payload gives the same frames") {
  const std::string bytes = frame(1, "abc") + frame(2, "defg") + frame(1, "h");
  const std::vector<log_frame> expected{{1, "abc"}, {2, "defg"}, {1, "h"}};
  for (std::size_t a = 0; a <= bytes.size(); ++a) {
    for (std::size_t b = a; b <= bytes.size(); ++b) {
      auto [frames, error] = feed_cut(bytes, {a, b});
      INFO("cuts at " << a << " and " << b);
      CHECK(error == "");
      CHECK(frames == expected);
    }
  }
}

TEST_CASE("log_stream: one byte at a time") {
  const std::string bytes = frame(2, "stderr line\n") + frame(1, "stdout line\n");
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
  auto [frames, error] = feed_cut(bytes, cuts);
  CHECK(error == "");
  CHECK(frames == std::vector<log_frame>{{2, "stderr line\n"}, {1, "stdout line\n"}});
}

TEST_CASE("log_stream: zero-length frames are reported empty, also at the end of a chunk") {
  const std::string bytes = frame(1, "") + frame(2, "x") + frame(1, "");
  auto [frames, error] = feed_cut(bytes, {8});
  CHECK(error == "");
  CHECK(frames == std::vector<log_frame>{{1, ""}, {2, "x"}, {1, ""}});
}

TEST_CASE("log_stream: stream 0 (stdin) is accepted") {
  auto [frames, error] = feed_cut(frame(0, "in"), {});
  CHECK(error == "");
  CHECK(frames == std::vector<log_frame>{{0, "in"}});
}

TEST_CASE("log_stream: a payload longer than 64 KiB split over many chunks") {
  std::string payload(200'000, 'z');
  auto [frames, error] = feed_cut(frame(1, payload), {3, 65536, 131072, 199999});
  CHECK(error == "");
  REQUIRE(frames.size() == 1);
  CHECK(frames[0].payload == payload);
}

TEST_CASE("log_stream: a bad stream byte names the byte offset of the header") {
  std::string bytes = frame(1, "ok") + "{\"message\":\"x\"}";
  auto [frames, error] = feed_cut(bytes, {12});
  CHECK(frames == std::vector<log_frame>{{1, "ok"}});
  CHECK(error ==
        "malformed multiplexed stream header at byte offset 10: stream byte is 0x7b, expected 0, "
        "1 or 2");
}

TEST_CASE("log_stream: a non-zero padding byte names its own offset") {
  std::string bytes = frame(1, "abc") + header(2, 1);
  bytes[11 + 2] = '\x05';  // second frame starts at 11; its byte 2 is padding
  auto [frames, error] = feed_cut(bytes, {});
  CHECK(frames == std::vector<log_frame>{{1, "abc"}});
  CHECK(error == "malformed multiplexed stream header at byte offset 11: byte 13 is 0x05, expected 0x00");
}

TEST_CASE("log_stream: after an error every feed repeats it") {
  log_demuxer demux;
  auto first = demux.feed(std::string("\x09\0\0\0\0\0\0\0", 8));
  CHECK(first.error ==
        "malformed multiplexed stream header at byte offset 0: stream byte is 0x09, expected 0, 1 "
        "or 2");
  auto second = demux.feed(frame(1, "fine"));
  CHECK(second.frames.empty());
  CHECK(second.error == first.error);
  CHECK(demux.finish() == first.error);
}

TEST_CASE("log_stream: a stream cut inside a payload or a header is reported by finish") {
  {
    log_demuxer demux;
    auto fed = demux.feed(frame(1, "one") + header(1, 10) + "12345");
    CHECK(fed.frames == std::vector<log_frame>{{1, "one"}});
    CHECK(demux.finish() ==
          "multiplexed stream ended inside the frame at byte offset 11: 5 of 10 payload bytes "
          "missing");
  }
  {
    log_demuxer demux;
    auto fed = demux.feed(frame(1, "one") + header(1, 10).substr(0, 3));
    CHECK(demux.finish() == "multiplexed stream ended inside the header at byte offset 11: 3 of 8 bytes read");
    CHECK(demux.offset() == 14);
  }
}

TEST_CASE("log_stream: an empty stream and an empty chunk are fine") {
  log_demuxer demux;
  CHECK(demux.feed("").frames.empty());
  CHECK(demux.finish() == "");
}
