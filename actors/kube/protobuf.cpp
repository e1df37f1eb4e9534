#include "actors/kube/protobuf.hpp"

#include <cstdint>
#include <functional>

#include <fmt/format.h>

namespace berth::kube {
namespace {

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
bool read_string(wire_reader& r, int type, std::string& out) {
  auto v = r.bytes(type);
  if (!v) return false;
  out.assign(v->data(), v->size());
  return true;
}

/// One map<string,string> entry of ObjectMeta.labels / annotations; a bad
/// entry fails `outer` with the entry's own error.
bool read_map_entry(wire_reader& outer, int type, model::string_map& out, const char* what) {
  auto entry = outer.bytes(type);
  if (!entry) return true;  // `outer` has the error
  wire_reader r(*entry, what);
  std::string key, value;
  bool ok = r.each([&](std::uint32_t n, int t) {
    if (n == 1) return read_string(r, t, key);
    if (n == 2) return read_string(r, t, value);
    return false;
  });
  if (!ok) return outer.fail(r.error());
  out[key] = value;
  return true;
}

bool read_meta(std::string_view bytes, model::object_meta& m, std::string& error) {
  wire_reader r(bytes, "Namespace metadata");
  bool ok = r.each([&](std::uint32_t n, int t) {
    switch (n) {
      case 1: return read_string(r, t, m.name);
      case 2: return read_string(r, t, m.generate_name);
      case 3: return read_string(r, t, m.namespace_);
      case 11: return read_map_entry(r, t, m.labels, "metadata.labels entry");
      case 12: return read_map_entry(r, t, m.annotations, "metadata.annotations entry");
      default: return false;  // server-set or unsupported: skipped
    }
  });
  if (!ok) error = r.error();
  return ok;
}

}  // namespace

std::optional<protobuf_unknown> decode_protobuf_envelope(std::string_view body, std::string& error) {
  constexpr std::string_view magic("k8s\0", 4);
  if (body.substr(0, 4) != magic) {
    error = "protobuf body: does not start with the magic bytes \"k8s\\0\"";
    return std::nullopt;
  }
  protobuf_unknown u;
  wire_reader r(body.substr(4), "protobuf body");
  bool ok = r.each([&](std::uint32_t n, int t) {
    switch (n) {
      case 1: {
        auto type_meta = r.bytes(t);
        if (!type_meta) return false;
        wire_reader tm(*type_meta, "protobuf body typeMeta");
        bool tm_ok = tm.each([&](std::uint32_t f, int ft) {
          if (f == 1) return read_string(tm, ft, u.api_version);
          if (f == 2) return read_string(tm, ft, u.kind);
          return false;
        });
        if (!tm_ok) r.fail(tm.error());
        return true;
      }
      case 2: return read_string(r, t, u.raw);
      case 3: return read_string(r, t, u.content_encoding);
      case 4: return read_string(r, t, u.content_type);
      default: return false;
    }
  });
  if (!ok) {
    error = r.error();
    return std::nullopt;
  }
  if (u.kind.empty()) {
    error = "protobuf body: typeMeta.kind is missing";
    return std::nullopt;
  }
  return u;
}

std::optional<model::namespace_object> decode_protobuf_namespace(std::string_view raw, std::string& error) {
  model::namespace_object n;
  wire_reader r(raw, "Namespace");
  bool ok = r.each([&](std::uint32_t f, int t) {
    if (f != 1) return false;  // spec (finalizers) and status are the server's
    auto meta = r.bytes(t);
    if (meta && !read_meta(*meta, n.metadata, error)) r.fail(error);
    return true;
  });
  if (!ok) {
    error = r.error();
    return std::nullopt;
  }
  return n;
}

std::optional<model::secret> decode_protobuf_secret(std::string_view raw, std::string& error) {
  model::secret x;
  x.type.clear();
  model::string_map data, string_data;
  wire_reader r(raw, "Secret");
  bool ok = r.each([&](std::uint32_t f, int t) {
    switch (f) {
      case 1: {
        auto meta = r.bytes(t);
        if (meta && !read_meta(*meta, x.metadata, error)) r.fail(error);
        return true;
      }
      case 2: return read_map_entry(r, t, data, "data entry");
      case 3: return read_string(r, t, x.type);
      case 4: return read_map_entry(r, t, string_data, "stringData entry");
      default: return false;  // immutable (5) and anything newer: not in Kubernetes 1.0
    }
  });
  if (!ok) {
    error = r.error();
    return std::nullopt;
  }
  for (auto& [k, v] : data) x.data[k] = std::move(v);
  for (auto& [k, v] : string_data) x.data[k] = std::move(v);  // stringData wins
  if (x.type.empty()) x.type = model::k_secret_type_opaque;
  return x;
}

}  // namespace berth::kube
