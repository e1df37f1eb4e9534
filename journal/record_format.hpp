#pragma once
// The on-disk frame of every value the journal stores (LevelDB's log_format.h
// idea): the reader (record.cpp decode_*) and the writer (record.cpp encode_*)
// both take their numbers from this one header.
//
// Grammar (all integers little-endian, no padding, no alignment):
//
//   events CF:     key   := seq:u64be                    (iteration order = seq order)
//                  value := event_frame
//   snapshots CF:  key   := seq:u64be                    (seq of the last event folded in)
//                  value := snapshot_frame
//   meta CF:       "format_version" -> "berth-journal-1" (plain bytes, no frame)
//
//   event_frame    := header payload
//   snapshot_frame := header(type = snapshot_type) snapshot_body
//   header         := checksum:u64le      XXH3_64bits over every byte after this field
//                                         (the other 24 header bytes, then the payload)
//                     length:u32le        number of payload bytes that follow the header
//                     type:u16le          event type number (actors/model/events.hpp);
//                                         snapshot_type (0xffff) only in the snapshots CF
//                     flags:u16le         every bit reserved: must be 0
//                     seq:u64le           must equal the key
//                     time_ns:i64le       events: stamped by the writer, one clock read per
//                                         batch; snapshots: when the snapshot was written
//   payload        := byte{length}        events: a Cap'n Proto flat-array message
//   snapshot_body  := hash_length:u32le hash:byte{hash_length} state:byte*
//                                         (state runs to the end of the payload)
//
// A value shorter than the header, or whose length field claims more payload
// bytes than follow, is *torn*: the writer died while writing it. At the last
// key of the events CF a torn value is the clean end of the log; anywhere else,
// and every other failed check, is corruption.
//
// Every number in this file is written to disk: it is FROZEN. Never change an
// offset, a size, the checksum function or the meaning of a type or flag bit.
// A new flag bit or type gets a new number; retired numbers stay reserved here
// with a comment saying so. A different layout means a new format_version.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace berth::journal::format {

/// Value of the meta CF's "format_version" key for this layout.
inline constexpr std::string_view format_version = "berth-journal-1";
/// Key of the format version in the meta CF.
inline constexpr std::string_view format_version_key = "format_version";

/// Length of a key in the events and snapshots CFs (u64 big-endian seq).
inline constexpr std::size_t key_size = 8;

/// Header layout: byte offsets and sizes of each field.
inline constexpr std::size_t checksum_offset = 0;  // u64le
inline constexpr std::size_t length_offset = 8;    // u32le
inline constexpr std::size_t type_offset = 12;     // u16le
inline constexpr std::size_t flags_offset = 14;    // u16le
inline constexpr std::size_t seq_offset = 16;      // u64le
inline constexpr std::size_t time_offset = 24;     // i64le
inline constexpr std::size_t header_size = 32;
/// The checksum covers [checksummed_from, end of payload).
inline constexpr std::size_t checksummed_from = 8;

/// Type value reserved for snapshot frames; no event type may use it.
inline constexpr std::uint16_t snapshot_type = 0xffff;

/// Flag bits this version understands: none yet. A reader rejects any other bit.
inline constexpr std::uint16_t known_flags = 0x0000;

/// Snapshot body: the u32le hash length that starts it.
inline constexpr std::size_t snapshot_hash_length_size = 4;

/// Largest event payload the writer accepts. A reader treats a larger length
/// field as corruption rather than a torn tail (a flipped high byte of the
/// length must not silently end the log). Raising it later is safe for new
/// builds; older builds would reject the bigger records.
inline constexpr std::uint32_t max_event_payload = 64u << 20;

}  // namespace berth::journal::format
