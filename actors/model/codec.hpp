#pragma once
// Bytes <-> model values, through the Cap'n Proto schemas (schema/*.capnp).
// This header stays free of Cap'n Proto includes; capnp_convert.hpp has the
// struct-level conversions for code that already works with capnp builders.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::model {

/// The capnp `Event` message (header + payload, no seq/time) as flat-array bytes.
std::string encode_event(const event& e);

/// Decodes a journal record's payload. `type` is the record frame's type and
/// must match the payload's union tag; seq and time are copied into the event.
/// On failure returns nullopt and sets `error` ("type 5 (podBound) in frame but
/// payload holds 3 (rcScaled)", "payload: <capnp message>").
/// Never trusts the bytes: copies into aligned memory, explicit ReaderOptions limits.
std::optional<event> decode_event(std::uint64_t seq, std::int64_t time_ns, std::uint16_t type, std::string_view payload,
                                  std::string* error = nullptr);

/// 128-bit state hash.
struct state_hash {
  std::uint64_t high = 0;
  std::uint64_t low = 0;
  bool operator==(const state_hash&) const = default;
  std::string hex() const;    // 32 lowercase hex digits
  std::string bytes() const;  // 16 bytes, big-endian (what the journal stores)
  static std::optional<state_hash> from_bytes(std::string_view b);
};

/// XXH3-128 over the canonical Cap'n Proto encoding of the ClusterSnapshot of
/// `s` (with `seq` included). Independent of insertion order by construction.
state_hash hash_state(const cluster_state& s);

/// The ClusterSnapshot message of `s`, flat-array bytes.
std::string encode_snapshot(const cluster_state& s);

/// Decodes a snapshot; nullopt and `error` on malformed bytes.
std::optional<cluster_state> decode_snapshot(std::string_view bytes, std::string* error = nullptr);

}  // namespace berth::model
