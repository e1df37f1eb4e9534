// SPDY/3.1 frames, header blocks and windows (actors/kube/spdy.hpp).
#include <doctest/doctest.h>
#include <zlib.h>

#include <string>
#include <vector>

#include "actors/kube/spdy.hpp"

namespace berth::kube::spdy {
namespace {

/// Parses every frame of `bytes` with `codec`; fails the test on an error.
std::vector<frame> parse_all(std::string_view bytes, header_codec& codec) {
  std::vector<frame> out;
  std::uint64_t offset = 0;
  while (!bytes.empty()) {
    auto r = parse(bytes, codec, offset);
    REQUIRE_MESSAGE(r.what == parse_result::status::frame, r.error);
    out.push_back(r.value);
    bytes.remove_prefix(r.consumed);
    offset += r.consumed;
  }
  return out;
}

std::string bytes_of(std::initializer_list<int> b) {
  std::string s;
  for (int x : b) s.push_back(char(x));
  return s;
}

}  // namespace

TEST_CASE("the dictionary is SPDY/3's: 1423 bytes whose Adler-32 is the id zlib streams name") {
  auto d = dictionary();
  CHECK(d.size() == 1423);
  CHECK(adler32(1, reinterpret_cast<const Bytef*>(d.data()), static_cast<uInt>(d.size())) == 0xe3c6a7c2u);
  CHECK(d.substr(0, 11) == std::string_view("\0\0\0\7options", 11));
}

TEST_CASE("every frame type survives a round trip, header blocks through one zlib stream per direction") {
  header_codec sender, receiver;
  const std::vector<frame> frames = {
      syn_stream{1, 0, 2, 0, 0, {{"streamtype", "error"}, {"port", "8080"}, {"requestid", "0"}}},
      syn_stream{3, 1, 7, 5, k_flag_fin | k_flag_unidirectional, {{"streamtype", "data"}, {"port", "8080"}}},
      syn_reply{1, 0, {}},
      syn_reply{3, k_flag_fin, {{"status", "200"}, {"multi", std::string("a\0b", 3)}}},
      rst_stream{3, static_cast<std::uint32_t>(rst_status::cancel)},
      settings{0, {{0, k_settings_initial_window_size, 1 << 20}, {1, k_settings_max_concurrent_streams, 100}}},
      settings{1, {}},
      ping{7},
      goaway{5, static_cast<std::uint32_t>(goaway_status::ok)},
      headers{1, k_flag_fin, {{"x", "y"}}},
      window_update{0, 65536},
      window_update{3, 0x7FFFFFFF},
      data{1, 0, "hello"},
      data{3, k_flag_fin, ""},
      data{0x7FFFFFFF, 0, std::string(70000, 'x')},
  };
  std::string wire;
  for (const auto& f : frames) wire += serialize(f, sender);
  auto back = parse_all(wire, receiver);
  REQUIRE(back.size() == frames.size());
  for (std::size_t i = 0; i < frames.size(); ++i) {
    CAPTURE(i);
    CHECK(frame_name(back[i]) == frame_name(frames[i]));
  }
  auto& s = std::get<syn_stream>(back[1]);
  CHECK(s.stream_id == 3);
  CHECK(s.associated_id == 1);
  CHECK(s.priority == 7);
  CHECK(s.slot == 5);
  CHECK(s.flags == (k_flag_fin | k_flag_unidirectional));
  CHECK(*find_header(s.headers, "streamType") == "data");
  CHECK(std::get<syn_reply>(back[3]).headers[1].second == std::string("a\0b", 3));
  CHECK(std::get<settings>(back[5]).entries[0].value == (1u << 20));
  CHECK(std::get<settings>(back[5]).entries[1].flags == 1);
  CHECK(std::get<settings>(back[6]).flags == 1);
  CHECK(std::get<ping>(back[7]).id == 7);
  CHECK(std::get<goaway>(back[8]).last_good_stream_id == 5);
  CHECK(std::get<window_update>(back[11]).delta == 0x7FFFFFFFu);
  CHECK(std::get<data>(back[12]).payload == "hello");
  CHECK(std::get<data>(back[13]).flags == k_flag_fin);
  CHECK(std::get<data>(back[14]).payload.size() == 70000);
  CHECK(std::get<data>(back[14]).stream_id == 0x7FFFFFFFu);
}

TEST_CASE("the fixed frames are laid out byte for byte as the specification draws them") {
  header_codec c;
  struct row {
    frame f;
    std::string wire;
  };
  const row rows[] = {
      {ping{1}, bytes_of({0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1})},
      {rst_stream{3, 5}, bytes_of({0x80, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 3, 0, 0, 0, 5})},
      {window_update{0, 0x10000}, bytes_of({0x80, 0x03, 0x00, 0x09, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0, 0, 1, 0, 0})},
      {goaway{9, 0}, bytes_of({0x80, 0x03, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08, 0, 0, 0, 9, 0, 0, 0, 0})},
      {data{1, k_flag_fin, "ab"}, bytes_of({0, 0, 0, 1, 0x01, 0, 0, 2, 'a', 'b'})},
      {settings{0, {{0, 7, 0x100}}},
       bytes_of({0x80, 0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x0c, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 1, 0})},
  };
  for (const auto& r : rows) {
    CAPTURE(frame_name(r.f));
    CHECK(serialize(r.f, c) == r.wire);
  }
}

TEST_CASE("a captured-looking kubectl port-forward opening, deflated by another zlib user with the dictionary") {
  // Frames as kubectl sends them for one forwarded connection: the error
  // stream (SYN_STREAM 1, then its FIN), the data stream (SYN_STREAM 3) and
  // its first bytes, a PING, and the RST_STREAM CANCEL kubectl sends when the
  // connection ends. The header blocks were deflated at level 9 with
  // Z_SYNC_FLUSH by Python's zlib module, one stream for the whole session.
  const std::string wire(
      "\x80\x03\x00\x01\x00\x00\x00\x3d\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x78\xf9\xe3\xc6\xa7\xc2\x02\x25\x3a\x48\xf9\x5b\x04\x4e"
      "\xea\x16\x06\x16\x06\x40\x9a\xb3\x08\x12\x5f\x99\xa0\x74\xcc\x68\x00\x4e\x89\x25\x45\xa9\x89\xb9\xd0\xc2\x86\x35\x15\x14\x15\x00"
      "\x00\x00\x00\xff\xff\x00\x00\x00\x01\x01\x00\x00\x00\x80\x03\x00\x01\x00\x00\x00\x16\x00\x00\x00\x03\x00\x00\x00\x00\x00\x00\x22"
      "\x53\x33\xa8\xa4\x4a\x04\x00\x00\x00\xff\xff\x00\x00\x00\x03\x00\x00\x00\x12\x47\x45\x54\x20\x2f\x20\x48\x54\x54\x50\x2f\x31\x2e"
      "\x30\x0d\x0a\x0d\x0a\x80\x03\x00\x06\x00\x00\x00\x04\x00\x00\x00\x01\x80\x03\x00\x03\x00\x00\x00\x08\x00\x00\x00\x03\x00\x00\x00"
      "\x05",
      161);
  header_codec c;
  auto frames = parse_all(wire, c);
  REQUIRE(frames.size() == 6);
  auto& error = std::get<syn_stream>(frames[0]);
  CHECK(error.stream_id == 1);
  CHECK(*find_header(error.headers, "streamtype") == "error");
  CHECK(*find_header(error.headers, "port") == "8080");
  CHECK(*find_header(error.headers, "requestID") == "0");
  CHECK(std::get<data>(frames[1]).flags == k_flag_fin);
  auto& data_stream = std::get<syn_stream>(frames[2]);
  CHECK(data_stream.stream_id == 3);
  // The second block leans on the first through the shared zlib window.
  CHECK(*find_header(data_stream.headers, "streamtype") == "data");
  CHECK(std::get<data>(frames[3]).payload == "GET / HTTP/1.0\r\n\r\n");
  CHECK(std::get<ping>(frames[4]).id == 1);
  CHECK(std::get<rst_stream>(frames[5]).status == static_cast<std::uint32_t>(rst_status::cancel));

  // Fed byte by byte, every prefix short of a frame asks for more.
  header_codec again;
  for (std::size_t n = 0; n < 69; ++n) {
    CAPTURE(n);
    CHECK(parse(std::string_view(wire).substr(0, n), again).what == parse_result::status::need_more);
  }
}

TEST_CASE("bad input: the error names the byte offset and what was expected") {
  struct row {
    const char* name;
    std::string wire;
    std::uint64_t offset;
    const char* error;
  };
  const row rows[] = {
      {"version 2", bytes_of({0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1}), 0,
       "byte 0: expected SPDY version 3, found version 2"},
      {"unknown type", bytes_of({0x80, 0x03, 0x00, 0x05, 0, 0, 0, 0}), 100,
       "byte 102: expected a control frame type 1-4 or 6-9, found type 5"},
      {"short PING", bytes_of({0x80, 0x03, 0x00, 0x06, 0, 0, 0, 2, 0, 1}), 0,
       "byte 5: expected a PING payload of 4 bytes, found length 2"},
      {"RST_STREAM status 0", bytes_of({0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0}), 0,
       "byte 12: expected a RST_STREAM status code, found 0"},
      {"RST_STREAM of stream 0", bytes_of({0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1}), 0,
       "byte 8: expected a RST_STREAM stream id, found 0"},
      {"WINDOW_UPDATE of 0", bytes_of({0x80, 0x03, 0x00, 0x09, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 0, 0}), 0,
       "byte 12: expected a WINDOW_UPDATE delta of 1 to 2^31-1, found 0"},
      {"SETTINGS count past the length", bytes_of({0x80, 0x03, 0x00, 0x04, 0, 0, 0, 4, 0, 0, 0, 2}), 0,
       "byte 8: expected 2 SETTINGS entries in 20 bytes, found length 4"},
      {"DATA on stream 0", bytes_of({0, 0, 0, 0, 0, 0, 0, 1, 'x'}), 8, "byte 8: expected a DATA frame's stream id, found 0"},
      {"SYN_STREAM too short", bytes_of({0x80, 0x03, 0x00, 0x01, 0, 0, 0, 4, 0, 0, 0, 1}), 0,
       "byte 5: expected a SYN_STREAM payload of at least 10 bytes, found length 4"},
      {"header block that is not zlib", bytes_of({0x80, 0x03, 0x00, 0x02, 0, 0, 0, 8, 0, 0, 0, 1, 1, 2, 3, 4}), 0,
       "byte 12: header block: zlib: incorrect header check"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    header_codec c;
    auto p = parse(r.wire, c, r.offset);
    CHECK(p.what == parse_result::status::error);
    CHECK(p.error == r.error);
  }
}

TEST_CASE("bad header blocks: counts and lengths that run past the end") {
  struct row {
    std::string raw;
    const char* error;
  };
  const row rows[] = {
      {bytes_of({0, 0}), "header block: byte 0: expected a 4-byte pair count, found 2 bytes"},
      {bytes_of({0, 0, 0, 1}), "header block: byte 4: expected the name length of pair 1 of 1, found the end"},
      {bytes_of({0, 0, 0, 1, 0, 0, 0x0f, 0xa0, 'a'}), "header block: byte 4: name length 4000 runs past the end (9 bytes)"},
      {bytes_of({0, 0, 0, 1, 0, 0, 0, 1, 'a', 0, 0, 0, 2, 'b'}),
       "header block: byte 9: value length 2 runs past the end (14 bytes)"},
      {bytes_of({0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0}), "header block: pair 1 has an empty name"},
      {bytes_of({0, 0, 0, 0, 'x'}), "header block: byte 4: 1 bytes left after 0 pairs"},
  };
  for (const auto& r : rows) {
    header_list out;
    CHECK(header_codec::decode_block(r.raw, out) == r.error);
  }
  header_list out;
  CHECK(header_codec::decode_block(header_codec::encode_block({{"Port", "80"}}), out).empty());
  CHECK(out == header_list{{"port", "80"}});  // names go lower case
}

TEST_CASE("frames that cannot be sent are refused before any byte is written") {
  header_codec c;
  CHECK_THROWS_WITH(serialize(data{1, 0, std::string(k_max_length + 1, 'x')}, c),
                    "frame payload of 16777216 bytes exceeds 16 MiB - 1");
  CHECK_THROWS_WITH(serialize(window_update{1, 0}, c), "a WINDOW_UPDATE delta must be 1 to 2^31-1, not 0");
  CHECK_THROWS_WITH(serialize(rst_stream{0x80000000u, 5}, c), "stream id 2147483648 does not fit in 31 bits");
  CHECK_THROWS_WITH(serialize(data{0, 0, "x"}, c), "a DATA frame needs a stream id");
}

TEST_CASE("flow control: a peer that never sent WINDOW_UPDATE is not held to a window") {
  flow_control f;
  CHECK(!f.peer_enforces());
  CHECK(f.sendable(1, 1 << 20) == (1u << 20));  // Go's spdystream keeps no windows
  f.on_sent(1, 1 << 20);
  CHECK(f.sendable(1, 10) == 10);
}

TEST_CASE("flow control: once the peer keeps windows, sending stops at the smaller of stream and session") {
  flow_control f;
  CHECK(f.on_window_update(1, 100).empty());  // stream 1: 64 KiB + 100
  CHECK(f.peer_enforces());
  CHECK(f.sendable(1, 1 << 20) == k_initial_window);  // the session's 64 KiB is smaller
  f.on_sent(1, k_initial_window);
  CHECK(f.sendable(1, 1) == 0);
  CHECK(f.sendable(3, 1) == 0);  // the session window is shared
  CHECK(f.on_window_update(0, 50).empty());
  CHECK(f.sendable(1, 1000) == 50);
  CHECK(f.sendable(3, 1000) == 50);
  CHECK(f.on_window_update(0, 0x7FFFFFFF) == "WINDOW_UPDATE of 2147483647 on stream 0 takes the window past 2^31-1");

  // SETTINGS_INITIAL_WINDOW_SIZE moves every open stream's window.
  flow_control g;
  g.on_sent(5, 60000);
  g.on_initial_window(1000);
  CHECK(g.sendable(5, 10) == 0);  // 1000 - 60000 < 0
  CHECK(g.sendable(7, 5000) == 1000);
}

TEST_CASE("flow control: receiving spends our window, consuming gives the credit back as WINDOW_UPDATEs") {
  flow_control f;
  CHECK(f.on_received(1, 40000));
  CHECK(!f.on_received(1, 30000));  // past the stream's 64 KiB
  auto updates = f.on_consumed(1, 40000);
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].stream_id == 0);
  CHECK(updates[0].delta == 40000);
  CHECK(updates[1].stream_id == 1);
  CHECK(f.on_received(1, 60000));
  CHECK(f.on_consumed(1, 0).empty());
  f.forget(1);
  CHECK(f.on_consumed(1, 10).size() == 1);  // a forgotten stream: the session's credit only
}

}  // namespace berth::kube::spdy
