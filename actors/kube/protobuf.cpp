#include "actors/kube/protobuf.hpp"

#include <cstdint>

#include <fmt/format.h>

#include "actors/kube/protobuf_wire.hpp"

namespace berth::kube {
namespace {

using wire::wire_reader;
using wire::read_string;

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
