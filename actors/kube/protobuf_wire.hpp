#pragma once
// Protobuf wire format, read field by field with every length checked: the
// reader under Kubernetes' protobuf request bodies (protobuf.hpp,
// protobuf_json.hpp). Internal to actors/kube.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace berth::kube::wire {

/// Reads protobuf wire format over one message, field by field. Every read
/// is bounds-checked; the first problem stops it with a message naming the
/// message being read and the byte offset.
class wire_reader {
 public:
  wire_reader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

  /// Calls `on_field(number, wire type)` for each field: a handler that
  /// reads the value (varint()/bytes()) returns true; one that returns false
  /// has the field skipped. A handler reports bad bytes with fail().
  bool each(const std::function<bool(std::uint32_t, int)>& on_field) {
    while (pos_ < bytes_.size()) {
      auto key = varint();
      if (!key) return false;
      auto number = static_cast<std::uint32_t>(*key >> 3);
      int type = static_cast<int>(*key & 7);
      if (number == 0) return fail("field number 0");
      bool handled = on_field(number, type);
      if (!error_.empty()) return false;
      if (!handled && !skip(type)) return false;
    }
    return error_.empty();
  }

  std::optional<std::uint64_t> varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return fail_value<std::uint64_t>("a varint runs past the end");
      auto b = static_cast<unsigned char>(bytes_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail_value<std::uint64_t>("a varint is longer than 10 bytes");
  }

  /// A length-delimited value (wire type 2).
  std::optional<std::string_view> bytes(int type) {
    if (type != 2) return fail_value<std::string_view>(fmt::format("wire type {} where a string or message belongs", type));
    auto n = varint();
    if (!n) return std::nullopt;
    if (*n > bytes_.size() - pos_)
      return fail_value<std::string_view>(fmt::format("a length of {} runs past the end ({} bytes left)", *n,
                                                      bytes_.size() - pos_));
    auto out = bytes_.substr(pos_, static_cast<std::size_t>(*n));
    pos_ += static_cast<std::size_t>(*n);
    return out;
  }

  bool fail(const std::string& why) {
    if (error_.empty()) error_ = fmt::format("{} at byte {}: {}", what_, pos_, why);
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  template <class T>
  std::optional<T> fail_value(const std::string& why) {
    fail(why);
    return std::nullopt;
  }

  bool skip(int type) {
    switch (type) {
      case 0: return varint().has_value();
      case 1: return advance(8);
      case 2: return bytes(2).has_value();
      case 5: return advance(4);
      default: return fail(fmt::format("unsupported wire type {}", type));
    }
  }
  bool advance(std::size_t n) {
    if (n > bytes_.size() - pos_) return fail("a fixed-size value runs past the end");
    pos_ += n;
    return true;
  }

  std::string_view bytes_;
  std::string what_;
  std::size_t pos_ = 0;
  std::string error_;
};

/// Reads a string field into `out`; false (with the reader's error) when malformed.
inline bool read_string(wire_reader& r, int type, std::string& out) {
  auto v = r.bytes(type);
  if (!v) return false;
  out.assign(v->data(), v->size());
  return true;
}

}  // namespace berth::kube::wire
