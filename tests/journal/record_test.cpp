// The record codec, LevelDB style: edit bytes, assert the exact reason.
#include <doctest/doctest.h>

#include "journal/record.hpp"
#include "journal/record_format.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
using bj::test::checksum_reason;
using bj::test::flipped;

namespace {

bj::record sample(std::uint64_t seq = 41) { return bj::record{seq, 1'700'000'000'123'456'789, 7, 0, "hello world"}; }

std::string hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

}  // namespace

TEST_CASE("record_round_trips_for_empty_small_and_large_payloads") {
  for (std::size_t size : {0u, 1u, 31u, 32u, 1000u, 70'000u}) {
    std::string payload(size, '\0');
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>(i * 7 + 3);
    const bj::record in{9, -5, 0xfffe, 0, payload};
    const std::string value = bj::encode_record(in);
    CHECK(value.size() == 32 + size);
    auto out = bj::decode_record(9, value);
    REQUIRE(out.ok());
    CHECK(out.value().seq == 9);
    CHECK(out.value().time_ns == -5);
    CHECK(out.value().type == 0xfffe);
    CHECK(out.value().flags == 0);
    CHECK(out.value().payload == payload);
  }
}

TEST_CASE("frame_layout_is_frozen") {
  // Header fields at the offsets record_format.hpp documents, little-endian.
  const std::string v = bj::encode_record(bj::record{0x0102030405060708, 0x1112131415161718, 0x2122, 0, "xyz"});
  CHECK(hex(v.substr(8)) ==
        "03000000"          // length:u32le = 3
        "2221"              // type:u16le = 0x2122
        "0000"              // flags:u16le
        "0807060504030201"  // seq:u64le
        "1817161514131211"  // time_ns:i64le
        "78797a");          // payload
  CHECK(bj::test::le64(v, 0) == XXH3_64bits(v.data() + 8, v.size() - 8));
  CHECK(bj::format::header_size == 32);
  CHECK(bj::format::snapshot_type == 0xffff);
  CHECK(bj::format::format_version == "berth-journal-1");
}

TEST_CASE("frames_append_to_a_shared_buffer") {
  std::string buf = "prefix";
  bj::encode_record(buf, 1, 2, 3, 0, "ab");
  CHECK(buf.substr(0, 6) == "prefix");
  CHECK(bj::decode_record(1, std::string_view(buf).substr(6)).ok());
}

TEST_CASE("keys_are_big_endian_so_byte_order_is_seq_order") {
  CHECK(hex(bj::encode_key(0x0102030405060708)) == "0102030405060708");
  CHECK(bj::decode_key(bj::encode_key(0x0102030405060708)) == 0x0102030405060708u);
  CHECK(bj::encode_key(255) < bj::encode_key(256));
  CHECK(bj::encode_key(1) < bj::encode_key(UINT64_MAX));
  CHECK_FALSE(bj::decode_key("1234567").has_value());
  CHECK_FALSE(bj::decode_key("123456789").has_value());
}

TEST_CASE("every_flipped_byte_is_detected_with_the_reason_of_its_region") {
  const std::string good = bj::encode_record(sample());
  REQUIRE(good.size() == 32 + 11);
  for (std::size_t i = 0; i < good.size(); ++i) {
    CAPTURE(i);
    const std::string bad = flipped(good, i);
    auto r = bj::decode_record(41, bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().seq == 41);
    if (i >= 8 && i < 12) {
      // The length field: a larger length looks like a torn write (nothing
      // can tell them apart), a smaller one leaves trailing bytes.
      const std::uint32_t length = 11u ^ (0xffu << (8 * (i - 8)));
      if (length > bj::format::max_event_payload) {
        CHECK(r.err().kind == bj::damage::corrupt);
        CHECK(r.err().reason == fmt::format("length field says {} payload bytes, more than the "
                                            "67108864-byte maximum",
                                            length));
      } else {
        CHECK(r.err().kind == (length > 11 ? bj::damage::torn : bj::damage::corrupt));
        CHECK(r.err().reason == fmt::format("length field says {} payload bytes but 11 follow", length));
      }
    } else {
      // checksum [0,8), type, flags, seq, time [12,32), payload [32,43)
      CHECK(r.err().kind == bj::damage::corrupt);
      CHECK(r.err().reason == checksum_reason(bad));
    }
  }
}

TEST_CASE("flipping_the_high_length_byte_is_corruption_not_a_torn_tail") {
  auto r = bj::decode_record(41, flipped(bj::encode_record(sample()), 11));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::corrupt);
  CHECK(r.err().message() == "seq 41: length field says 4278190091 payload bytes, more than the 67108864-byte maximum");
}

TEST_CASE("truncated_by_one_byte_is_torn") {
  const std::string good = bj::encode_record(sample());
  auto r = bj::decode_record(41, good.substr(0, good.size() - 1));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::torn);
  CHECK(r.err().message() == "seq 41: length field says 11 payload bytes but 10 follow");
}

TEST_CASE("every_truncation_is_torn_with_its_exact_reason") {
  const std::string good = bj::encode_record(sample());
  for (std::size_t n = 0; n < good.size(); ++n) {
    CAPTURE(n);
    auto r = bj::decode_record(41, good.substr(0, n));
    REQUIRE_FALSE(r.ok());
    CHECK(r.err().kind == bj::damage::torn);
    if (n < 32)
      CHECK(r.err().reason == fmt::format("value is {} bytes, shorter than the 32-byte header", n));
    else
      CHECK(r.err().reason == fmt::format("length field says 11 payload bytes but {} follow", n - 32));
  }
}

TEST_CASE("value_shorter_than_the_header_is_torn") {
  auto r = bj::decode_record(41, std::string(20, 'x'));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::torn);
  CHECK(r.err().message() == "seq 41: value is 20 bytes, shorter than the 32-byte header");
  CHECK(r.err().to_error().code == bj::error_code::corruption);
  CHECK(r.err().to_error().message == "seq 41: value is 20 bytes, shorter than the 32-byte header");
}

TEST_CASE("oversized_length_field_is_torn") {
  std::string v = bj::encode_record(bj::record{41, 0, 3, 0, std::string(120, 'p')});
  v[8] = static_cast<char>(300 & 0xff);
  v[9] = static_cast<char>(300 >> 8);
  auto r = bj::decode_record(41, v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::torn);
  CHECK(r.err().message() == "seq 41: length field says 300 payload bytes but 120 follow");
}

TEST_CASE("undersized_length_field_is_corruption") {
  std::string v = bj::encode_record(bj::record{41, 0, 3, 0, std::string(120, 'p')});
  v[8] = 100;
  auto r = bj::decode_record(41, v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::corrupt);
  CHECK(r.err().message() == "seq 41: length field says 100 payload bytes but 120 follow");
}

TEST_CASE("wrong_seq_is_corruption") {
  auto r = bj::decode_record(41, bj::encode_record(sample(40)));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::corrupt);
  CHECK(r.err().message() == "seq 41: key says 41 but record says 40");
}

TEST_CASE("unknown_flags_are_corruption") {
  bj::record rec = sample();
  rec.flags = 0x0004;
  auto r = bj::decode_record(41, bj::encode_record(rec));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().kind == bj::damage::corrupt);
  CHECK(r.err().message() == "seq 41: unknown flags 0x0004");
}

TEST_CASE("snapshot_type_in_the_events_family_is_corruption") {
  bj::record rec = sample();
  rec.type = 0xffff;
  auto r = bj::decode_record(41, bj::encode_record(rec));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message() == "seq 41: type 0xffff is reserved for snapshots");
}

TEST_CASE("snapshot_round_trips") {
  const bj::snapshot in{77, std::string("\x00\x01hash", 6), std::string(5000, 's')};
  const std::string v = bj::encode_snapshot(in, 123);
  CHECK(v.size() == 32 + 4 + 6 + 5000);
  auto out = bj::decode_snapshot(77, v);
  REQUIRE(out.ok());
  CHECK(out.value().seq == 77);
  CHECK(out.value().hash == in.hash);
  CHECK(out.value().state == in.state);
}

TEST_CASE("snapshot_with_empty_hash_and_state_round_trips") {
  auto out = bj::decode_snapshot(1, bj::encode_snapshot(bj::snapshot{1, "", ""}, 0));
  REQUIRE(out.ok());
  CHECK(out.value().hash.empty());
  CHECK(out.value().state.empty());
}

TEST_CASE("snapshot_flipped_byte_is_a_checksum_mismatch") {
  const std::string bad = flipped(bj::encode_snapshot(bj::snapshot{5, "h", "state"}, 0), 40);
  auto r = bj::decode_snapshot(5, bad);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message() == "seq 5: " + checksum_reason(bad));
}

TEST_CASE("snapshot_hash_length_past_the_payload_is_corruption") {
  std::string body = std::string("\x2c\x01\x00\x00", 4) + "short";  // says 300
  std::string v;
  bj::encode_record(v, 5, 0, 0xffff, 0, body);
  auto r = bj::decode_snapshot(5, v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message() == "seq 5: hash length field says 300 bytes but 5 follow");
}

TEST_CASE("snapshot_payload_shorter_than_the_hash_length_is_corruption") {
  std::string v;
  bj::encode_record(v, 5, 0, 0xffff, 0, "ab");
  auto r = bj::decode_snapshot(5, v);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message() == "seq 5: payload is 2 bytes, shorter than the 4-byte hash length");
}

TEST_CASE("event_frame_read_as_a_snapshot_is_corruption") {
  auto r = bj::decode_snapshot(41, bj::encode_record(sample()));
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().message() == "seq 41: type 0x0007 is not the snapshot type 0xffff");
}

TEST_CASE("damage_names") {
  CHECK(std::string(bj::to_string(bj::damage::torn)) == "torn");
  CHECK(std::string(bj::to_string(bj::damage::corrupt)) == "corrupt");
  CHECK(std::string(bj::to_string(bj::error_code::not_found)) == "not_found");
  CHECK(bj::status(bj::error{bj::error_code::io, "disk"}).to_string() == "io: disk");
  CHECK(bj::status().to_string() == "ok");
}
