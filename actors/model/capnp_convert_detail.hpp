#pragma once
// Internal to capnp_convert*.cpp: small helpers shared by the object and the
// event conversions. Not part of berth::model's interface.

#include <cstdint>
#include <string>
#include <vector>

#include <capnp/list.h>
#include <kj/exception.h>

#include "actors/model/objects.hpp"
#include "schema/objects.capnp.h"

namespace berth::model::detail {

/// Throws the kj::Exception that from_capnp promises for malformed input; the
/// description is `message` verbatim (codec.cpp reports it as is).
[[noreturn]] void throw_decode_error(std::string message);

/// A Text reader over `s` without copying; std::string is NUL-terminated.
inline capnp::Text::Reader text(const std::string& s) { return capnp::Text::Reader(s.data(), s.size()); }

inline std::string str(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

/// An enum value read from the wire, checked against the last enumerant the
/// model knows (`last`): newer or corrupt data must not become an invalid enum.
template <class Model, class Schema>
Model enum_from(Schema v, Model last, const char* schema_name) {
  auto raw = static_cast<std::uint16_t>(v);
  if (raw > static_cast<std::uint16_t>(last)) {
    throw_decode_error("unknown " + std::string(schema_name) + " enumerant " + std::to_string(raw));
  }
  return static_cast<Model>(raw);
}

template <class Schema, class Model>
Schema enum_to(Model m) {
  return static_cast<Schema>(static_cast<std::uint16_t>(m));
}

/// Fills a capnp list of structs from a vector with to_capnp.
template <class T, class ListBuilder>
void list_to(const std::vector<T>& v, ListBuilder list) {
  for (unsigned i = 0; i < v.size(); ++i) to_capnp(v[i], list[i]);
}

/// Reads a capnp list of structs with `convert` (one from_capnp overload).
template <class T, class ListReader, class Convert>
std::vector<T> list_from(ListReader list, Convert convert) {
  std::vector<T> out;
  out.reserve(list.size());
  for (auto item : list) out.push_back(convert(item));
  return out;
}

void set_strings(const std::vector<std::string>& v, capnp::List<capnp::Text>::Builder b);
std::vector<std::string> get_strings(capnp::List<capnp::Text>::Reader r);

// Shared by more than one capnp_convert*.cpp; same error behaviour as from_capnp.
void resources_to(const resource_list& m, schema::ResourceList::Builder b);
resource_list resources_from(schema::ResourceList::Reader r);
void int_or_string_to(const int_or_string& v, schema::IntOrString::Builder b);
int_or_string int_or_string_from(schema::IntOrString::Reader r);
void pod_spec_to(const pod_spec& s, schema::PodSpec::Builder b);
pod_spec pod_spec_from(schema::PodSpec::Reader r);

// capnp_convert_volumes.cpp. Callers skip empty lists (no initVolumes(0)), so
// that pods without volumes keep their pre-volume canonical bytes and hashes.
void volumes_to(const std::vector<volume>& v, capnp::List<schema::Volume>::Builder b);
/// One volume's source alone (a PersistentVolume's spec.source; `name` left empty).
void volume_source_to(const volume_source& v, schema::Volume::Builder b);
volume_source volume_source_from(schema::Volume::Reader r);
std::vector<volume> volumes_from(capnp::List<schema::Volume>::Reader r);
void volume_mounts_to(const std::vector<volume_mount>& v, capnp::List<schema::VolumeMount>::Builder b);
std::vector<volume_mount> volume_mounts_from(capnp::List<schema::VolumeMount>::Reader r);

}  // namespace berth::model::detail

namespace berth::model {

// Conversions of the smaller structs that both .cpp files use; in berth::model
// (not detail) so that list_to finds them by argument-dependent lookup.
void to_capnp(const string_map& m, schema::StringMap::Builder b);
string_map from_capnp(schema::StringMap::Reader r);

void to_capnp(const condition& c, schema::Condition::Builder b);
condition from_capnp(schema::Condition::Reader r);

}  // namespace berth::model
