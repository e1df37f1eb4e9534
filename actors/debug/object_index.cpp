#include "actors/debug/object_index.hpp"

#include <algorithm>
#include <cstring>
#include <optional>
#include <vector>

#include <capnp/serialize.h>
#include <fmt/format.h>
#include <kj/array.h>

#include "schema/events.capnp.h"
#include "actors/text/kj_describe.hpp"

namespace berth::debug {
namespace {
const char* kind_name(const model::pod&) { return model::k_kind_pod; }
const char* kind_name(const model::replication_controller&) { return model::k_kind_rc; }
const char* kind_name(const model::service&) { return model::k_kind_service; }
}  // namespace

namespace {

template <class Meta>
object_id id_from(const char* kind, Meta m) {
  return {kind, m.getNamespace(), m.getName()};
}

object_id id_from(schema::ApiObject::Reader o) {
  switch (o.which()) {
    case schema::ApiObject::POD: return id_from(model::k_kind_pod, o.getPod().getMetadata());
    case schema::ApiObject::REPLICATION_CONTROLLER:
      return id_from(model::k_kind_rc, o.getReplicationController().getMetadata());
    default: return id_from(model::k_kind_service, o.getService().getMetadata());
  }
}

/// The fold's rule (state.cpp): events that carry their object in full are
/// about that object; the others about the object their header names.
object_id object_of(schema::Event::Reader e) {
  switch (e.which()) {
    case schema::Event::OBJECT_CREATED: return id_from(e.getObjectCreated());
    case schema::Event::OBJECT_REPLACED: return id_from(e.getObjectReplaced());
    case schema::Event::POD_CREATED: return id_from(model::k_kind_pod, e.getPodCreated().getMetadata());
    case schema::Event::ENDPOINTS_UPDATED:
      return id_from(model::k_kind_endpoints, e.getEndpointsUpdated().getMetadata());
    case schema::Event::NODE_REGISTERED: return {model::k_kind_node, "", e.getNodeRegistered().getMetadata().getName()};
    default: {
      auto ref = e.getHeader().getObject();
      return {ref.getKind(), ref.getNamespace(), ref.getName()};
    }
  }
}

}  // namespace

object_id object_of(const model::event& e) {
  auto meta = [](const char* kind, const model::object_meta& m) { return object_id{kind, m.namespace_, m.name}; };
  if (const auto* c = std::get_if<model::object_created>(&e.payload))
    return std::visit([&](const auto& o) { return meta(kind_name(o), o.metadata); }, c->object);
  if (const auto* r = std::get_if<model::object_replaced>(&e.payload))
    return std::visit([&](const auto& o) { return meta(kind_name(o), o.metadata); }, r->object);
  if (const auto* p = std::get_if<model::pod_created>(&e.payload)) return meta(model::k_kind_pod, p->object.metadata);
  if (const auto* p = std::get_if<model::endpoints_updated>(&e.payload))
    return meta(model::k_kind_endpoints, p->object.metadata);
  if (const auto* p = std::get_if<model::node_registered>(&e.payload))
    return {model::k_kind_node, "", p->object.metadata.name};
  const auto& ref = e.header.object;
  return {ref.kind, ref.namespace_, ref.name};
}

std::optional<object_id> header_object(std::string_view payload, std::string* error) {
  if (payload.size() % sizeof(capnp::word) != 0) {
    if (error) *error = fmt::format("payload of {} bytes is not whole words", payload.size());
    return std::nullopt;
  }
  // Cap'n Proto 0.9 reads only word-aligned memory: copy first (see model/codec.cpp).
  // One aligned buffer per thread, reused: the index reads every record once.
  thread_local std::vector<capnp::word> buffer;
  buffer.resize(payload.size() / sizeof(capnp::word));
  std::memcpy(buffer.data(), payload.data(), payload.size());
  kj::ArrayPtr<const capnp::word> words(buffer.data(), buffer.size());
  try {
    capnp::ReaderOptions limits;
    limits.traversalLimitInWords = words.size() + 16;
    capnp::FlatArrayMessageReader reader(words, limits);
    return object_of(reader.getRoot<schema::Event>());
  } catch (const kj::Exception& e) {
    if (error) *error = fmt::format("payload: {}", text::describe(e));
    return std::nullopt;
  }
}

journal::status object_index::catch_up(const journal::journal& j) {
  const std::uint64_t last = j.last_seq();
  if (last <= indexed_to_) return {};
  auto cursor = j.read_from(indexed_to_ == 0 ? 0 : indexed_to_ + 1);
  while (indexed_to_ < last) {
    auto rec = cursor->next();
    if (!rec) {
      if (cursor->err()) return *cursor->err();
      break;
    }
    std::string why;
    auto id = header_object(rec->payload, &why);
    if (!id) return journal::error{journal::error_code::corruption, fmt::format("seq {}: {}", rec->seq, why)};
    seqs_[std::move(*id)].push_back(rec->seq);
    indexed_to_ = rec->seq;
  }
  return {};
}

std::vector<std::uint64_t> object_index::seqs_of(const object_id& id) const {
  auto it = seqs_.find(id);
  return it == seqs_.end() ? std::vector<std::uint64_t>{} : it->second;
}

std::vector<std::uint64_t> object_index::seqs_of_kind(const std::string& kind) const {
  std::vector<std::uint64_t> out;
  // Ids sort by kind first: the objects of one kind are one range of the map.
  for (auto it = seqs_.lower_bound(object_id{kind, "", ""}); it != seqs_.end() && it->first.kind == kind; ++it)
    out.insert(out.end(), it->second.begin(), it->second.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace berth::debug
