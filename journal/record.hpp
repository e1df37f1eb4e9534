#pragma once
// Encoding and checked decoding of journal keys, event frames and snapshot
// frames (layout: record_format.hpp). Pure functions over bytes: no RocksDB.
//
// Decoding never trusts a length or an offset it has not checked against the
// bytes actually present, and every failure says which check failed and with
// which values ("seq 41: checksum mismatch: stored 0x..., computed 0x...").

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::journal {

/// How a value failed to decode. `torn` = shorter than its frame says (the
/// writer died mid-write): the clean end of the log when it is the last record.
/// `corrupt` = every other failed check.
enum class damage { torn, corrupt };

/// "torn" or "corrupt".
const char* to_string(damage d);

/// Why a value failed to decode; `seq` is the key it was stored under.
struct decode_error {
  damage kind = damage::corrupt;
  std::uint64_t seq = 0;
  std::string reason;  // without the seq: "checksum mismatch: stored 0x..., computed 0x..."

  /// "seq 41: <reason>".
  std::string message() const;
  /// error_code::corruption with message(); torn and corrupt alike, since a
  /// caller that gets here decided the record had to be whole.
  error to_error() const;
};

/// A decoded value or a decode_error (result<T> cannot carry the damage kind).
template <class T>
class decode_result {
 public:
  decode_result(T value) : v_(std::move(value)) {}     // NOLINT: implicit by design
  decode_result(decode_error e) : v_(std::move(e)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const decode_error& err() const { return std::get<1>(v_); }
  result<T> to_result() && {
    if (ok()) return std::get<0>(std::move(v_));
    return err().to_error();
  }

 private:
  std::variant<T, decode_error> v_;
};

/// The 8-byte big-endian key of `seq`.
std::string encode_key(std::uint64_t seq);

/// The seq of an 8-byte key; nullopt for any other length.
std::optional<std::uint64_t> decode_key(std::string_view key);

/// A frame whose header and checksum passed; `payload` points into the value.
struct frame_view {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::uint16_t type = 0;
  std::uint16_t flags = 0;
  std::string_view payload;
};

/// Appends one event frame to `out` (which is not cleared: batches of frames
/// may share a buffer). Does not validate `flags` or `type`: the writer does,
/// and tests need to write bad frames.
void encode_record(std::string& out, std::uint64_t seq, std::int64_t time_ns, std::uint16_t type, std::uint16_t flags,
                   std::string_view payload);

/// The event frame of `r`.
std::string encode_record(const record& r);

/// Checks an event value stored under key `key_seq` (length, checksum, seq ==
/// key, flags, type not reserved) without copying the payload.
decode_result<frame_view> decode_event_frame(std::uint64_t key_seq, std::string_view value);

/// decode_event_frame, then copies the payload into a record.
decode_result<record> decode_record(std::uint64_t key_seq, std::string_view value);

/// The snapshot frame of `s`, stamped `time_ns`.
std::string encode_snapshot(const snapshot& s, std::int64_t time_ns);

/// Checks a snapshot value stored under key `key_seq` (frame checks, type ==
/// snapshot_type, hash length within the payload) and copies hash and state.
decode_result<snapshot> decode_snapshot(std::uint64_t key_seq, std::string_view value);

}  // namespace berth::journal
