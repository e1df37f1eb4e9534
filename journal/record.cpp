#include "journal/record.hpp"

#include <fmt/format.h>
#include <xxhash.h>

#include <cstring>

#include "journal/record_format.hpp"

namespace berth::journal {
namespace {

namespace f = format;

// Little-endian loads and stores via bytes: correct on any host, and g++
// turns them into single moves on x86.
template <class U>
void store_le(char* out, U v) {
  for (std::size_t i = 0; i < sizeof(U); ++i) out[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

template <class U>
U load_le(const char* in) {
  U v = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

std::uint64_t frame_checksum(const char* frame, std::size_t frame_size) {
  return XXH3_64bits(frame + f::checksummed_from, frame_size - f::checksummed_from);
}

decode_error fail(damage kind, std::uint64_t seq, std::string reason) {
  return decode_error{kind, seq, std::move(reason)};
}

// The checks every frame passes, in an order that gives the most specific
// reason: size, then length (torn vs corrupt), then checksum, then the fields
// the checksum vouches for (seq, flags). A flipped byte anywhere after the
// length field therefore reads "checksum mismatch".
decode_result<frame_view> decode_frame(std::uint64_t key_seq, std::string_view value, std::uint64_t max_payload) {
  if (value.size() < f::header_size)
    return fail(damage::torn, key_seq,
                fmt::format("value is {} bytes, shorter than the {}-byte header", value.size(), f::header_size));
  const char* p = value.data();
  const std::uint32_t length = load_le<std::uint32_t>(p + f::length_offset);
  const std::size_t follow = value.size() - f::header_size;
  if (length > max_payload)
    return fail(damage::corrupt, key_seq,
                fmt::format("length field says {} payload bytes, more than the {}-byte maximum", length, max_payload));
  if (length != follow)
    return fail(length > follow ? damage::torn : damage::corrupt, key_seq,
                fmt::format("length field says {} payload bytes but {} follow", length, follow));
  const std::uint64_t stored = load_le<std::uint64_t>(p + f::checksum_offset);
  const std::uint64_t computed = frame_checksum(p, value.size());
  if (stored != computed)
    return fail(damage::corrupt, key_seq,
                fmt::format("checksum mismatch: stored {:#018x}, computed {:#018x}", stored, computed));
  frame_view v;
  v.seq = load_le<std::uint64_t>(p + f::seq_offset);
  v.time_ns = static_cast<std::int64_t>(load_le<std::uint64_t>(p + f::time_offset));
  v.type = load_le<std::uint16_t>(p + f::type_offset);
  v.flags = load_le<std::uint16_t>(p + f::flags_offset);
  v.payload = value.substr(f::header_size);
  if (v.seq != key_seq)
    return fail(damage::corrupt, key_seq, fmt::format("key says {} but record says {}", key_seq, v.seq));
  if ((v.flags & ~f::known_flags) != 0)
    return fail(damage::corrupt, key_seq, fmt::format("unknown flags {:#06x}", v.flags & ~f::known_flags));
  return v;
}

}  // namespace

const char* to_string(damage d) {
  switch (d) {
    case damage::torn: return "torn";
    case damage::corrupt: return "corrupt";
  }
  return "unknown damage";
}

std::string decode_error::message() const { return fmt::format("seq {}: {}", seq, reason); }

error decode_error::to_error() const { return error{error_code::corruption, message()}; }

std::string encode_key(std::uint64_t seq) {
  std::string k(f::key_size, '\0');
  for (std::size_t i = 0; i < f::key_size; ++i) k[i] = static_cast<char>((seq >> (8 * (f::key_size - 1 - i))) & 0xff);
  return k;
}

std::optional<std::uint64_t> decode_key(std::string_view key) {
  if (key.size() != f::key_size) return std::nullopt;
  std::uint64_t seq = 0;
  for (char c : key) seq = (seq << 8) | static_cast<unsigned char>(c);
  return seq;
}

void encode_record(std::string& out, std::uint64_t seq, std::int64_t time_ns, std::uint16_t type, std::uint16_t flags,
                   std::string_view payload) {
  const std::size_t start = out.size();
  out.resize(start + f::header_size + payload.size());
  char* p = out.data() + start;
  store_le<std::uint32_t>(p + f::length_offset, static_cast<std::uint32_t>(payload.size()));
  store_le<std::uint16_t>(p + f::type_offset, type);
  store_le<std::uint16_t>(p + f::flags_offset, flags);
  store_le<std::uint64_t>(p + f::seq_offset, seq);
  store_le<std::uint64_t>(p + f::time_offset, static_cast<std::uint64_t>(time_ns));
  if (!payload.empty()) std::memcpy(p + f::header_size, payload.data(), payload.size());
  store_le<std::uint64_t>(p + f::checksum_offset, frame_checksum(p, f::header_size + payload.size()));
}

std::string encode_record(const record& r) {
  std::string out;
  encode_record(out, r.seq, r.time_ns, r.type, r.flags, r.payload);
  return out;
}

decode_result<frame_view> decode_event_frame(std::uint64_t key_seq, std::string_view value) {
  auto frame = decode_frame(key_seq, value, f::max_event_payload);
  if (!frame) return frame;
  if (frame.value().type == f::snapshot_type)
    return fail(damage::corrupt, key_seq, fmt::format("type {:#06x} is reserved for snapshots", f::snapshot_type));
  return frame;
}

decode_result<record> decode_record(std::uint64_t key_seq, std::string_view value) {
  auto frame = decode_event_frame(key_seq, value);
  if (!frame) return frame.err();
  const frame_view& v = frame.value();
  return record{v.seq, v.time_ns, v.type, v.flags, std::string(v.payload)};
}

std::string encode_snapshot(const snapshot& s, std::int64_t time_ns) {
  std::string body;
  body.resize(f::snapshot_hash_length_size);
  store_le<std::uint32_t>(body.data(), static_cast<std::uint32_t>(s.hash.size()));
  body += s.hash;
  body += s.state;
  std::string out;
  encode_record(out, s.seq, time_ns, f::snapshot_type, 0, body);
  return out;
}

decode_result<snapshot> decode_snapshot(std::uint64_t key_seq, std::string_view value) {
  auto frame = decode_frame(key_seq, value, UINT32_MAX);
  if (!frame) return frame.err();
  const frame_view& v = frame.value();
  if (v.type != f::snapshot_type)
    return fail(damage::corrupt, key_seq,
                fmt::format("type {:#06x} is not the snapshot type {:#06x}", v.type, f::snapshot_type));
  if (v.payload.size() < f::snapshot_hash_length_size)
    return fail(damage::corrupt, key_seq,
                fmt::format("payload is {} bytes, shorter than the {}-byte hash length", v.payload.size(),
                            f::snapshot_hash_length_size));
  const std::uint32_t hash_length = load_le<std::uint32_t>(v.payload.data());
  const std::size_t follow = v.payload.size() - f::snapshot_hash_length_size;
  if (hash_length > follow)
    return fail(damage::corrupt, key_seq,
                fmt::format("hash length field says {} bytes but {} follow", hash_length, follow));
  const std::string_view rest = v.payload.substr(f::snapshot_hash_length_size);
  return snapshot{v.seq, std::string(rest.substr(0, hash_length)), std::string(rest.substr(hash_length))};
}

}  // namespace berth::journal
