#include "actors/rpc/api_convert.hpp"

#include <kj/debug.h>

#include "actors/model/capnp_convert.hpp"

namespace berth::rpc {

schema::Kind to_capnp(actors::kind k) {
  switch (k) {
    case actors::kind::pod: return schema::Kind::POD;
    case actors::kind::replication_controller: return schema::Kind::REPLICATION_CONTROLLER;
    case actors::kind::service: return schema::Kind::SERVICE;
    case actors::kind::endpoints: return schema::Kind::ENDPOINTS;
    case actors::kind::node: return schema::Kind::NODE;
    case actors::kind::namespace_: return schema::Kind::NAMESPACE;
    case actors::kind::secret: return schema::Kind::SECRET;
    case actors::kind::limit_range: return schema::Kind::LIMIT_RANGE;
    case actors::kind::resource_quota: return schema::Kind::RESOURCE_QUOTA;
    case actors::kind::persistent_volume: return schema::Kind::PERSISTENT_VOLUME;
    case actors::kind::persistent_volume_claim: return schema::Kind::PERSISTENT_VOLUME_CLAIM;
    case actors::kind::pod_template: return schema::Kind::POD_TEMPLATE;
  }
  return schema::Kind::POD;
}

actors::kind from_capnp(schema::Kind k) {
  switch (k) {
    case schema::Kind::POD: return actors::kind::pod;
    case schema::Kind::REPLICATION_CONTROLLER: return actors::kind::replication_controller;
    case schema::Kind::SERVICE: return actors::kind::service;
    case schema::Kind::ENDPOINTS: return actors::kind::endpoints;
    case schema::Kind::NODE: return actors::kind::node;
    case schema::Kind::NAMESPACE: return actors::kind::namespace_;
    case schema::Kind::SECRET: return actors::kind::secret;
    case schema::Kind::LIMIT_RANGE: return actors::kind::limit_range;
    case schema::Kind::RESOURCE_QUOTA: return actors::kind::resource_quota;
    case schema::Kind::PERSISTENT_VOLUME: return actors::kind::persistent_volume;
    case schema::Kind::PERSISTENT_VOLUME_CLAIM: return actors::kind::persistent_volume_claim;
    case schema::Kind::POD_TEMPLATE: return actors::kind::pod_template;
  }
  KJ_FAIL_REQUIRE("unknown Kind enumerant", static_cast<uint16_t>(k));
}

void to_capnp(const actors::any_object& o, schema::AnyObject::Builder b) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, model::pod>)
          model::to_capnp(x, b.initPod());
        else if constexpr (std::is_same_v<T, model::replication_controller>)
          model::to_capnp(x, b.initReplicationController());
        else if constexpr (std::is_same_v<T, model::service>)
          model::to_capnp(x, b.initService());
        else if constexpr (std::is_same_v<T, model::endpoints>)
          model::to_capnp(x, b.initEndpoints());
        else if constexpr (std::is_same_v<T, model::node>)
          model::to_capnp(x, b.initNode());
        else if constexpr (std::is_same_v<T, model::namespace_object>)
          model::to_capnp(x, b.initNamespace());
        else if constexpr (std::is_same_v<T, model::secret>)
          model::to_capnp(x, b.initSecret());
        else if constexpr (std::is_same_v<T, model::limit_range>)
          model::to_capnp(x, b.initLimitRange());
        else if constexpr (std::is_same_v<T, model::persistent_volume>)
          model::to_capnp(x, b.initPersistentVolume());
        else if constexpr (std::is_same_v<T, model::persistent_volume_claim>)
          model::to_capnp(x, b.initPersistentVolumeClaim());
        else if constexpr (std::is_same_v<T, model::pod_template>)
          model::to_capnp(x, b.initPodTemplate());
        else
          model::to_capnp(x, b.initResourceQuota());
      },
      o);
}

actors::any_object from_capnp(schema::AnyObject::Reader r) {
  switch (r.which()) {
    case schema::AnyObject::POD: return model::from_capnp(r.getPod());
    case schema::AnyObject::REPLICATION_CONTROLLER: return model::from_capnp(r.getReplicationController());
    case schema::AnyObject::SERVICE: return model::from_capnp(r.getService());
    case schema::AnyObject::ENDPOINTS: return model::from_capnp(r.getEndpoints());
    case schema::AnyObject::NODE: return model::from_capnp(r.getNode());
    case schema::AnyObject::NAMESPACE: return model::from_capnp(r.getNamespace());
    case schema::AnyObject::SECRET: return model::from_capnp(r.getSecret());
    case schema::AnyObject::LIMIT_RANGE: return model::from_capnp(r.getLimitRange());
    case schema::AnyObject::RESOURCE_QUOTA: return model::from_capnp(r.getResourceQuota());
    case schema::AnyObject::PERSISTENT_VOLUME: return model::from_capnp(r.getPersistentVolume());
    case schema::AnyObject::PERSISTENT_VOLUME_CLAIM: return model::from_capnp(r.getPersistentVolumeClaim());
    case schema::AnyObject::POD_TEMPLATE: return model::from_capnp(r.getPodTemplate());
  }
  KJ_FAIL_REQUIRE("unknown AnyObject member", static_cast<uint16_t>(r.which()));
}

void to_capnp(const actors::object_key& k, schema::ObjectKey::Builder b) {
  b.setKind(to_capnp(k.kind));
  b.setNamespace(k.namespace_);
  b.setName(k.name);
}

actors::object_key from_capnp(schema::ObjectKey::Reader r) {
  return {from_capnp(r.getKind()), r.getNamespace(), r.getName()};
}

void to_capnp(const actors::outcome& o, schema::Outcome::Builder b) {
  using code = actors::outcome::code;
  switch (o.result) {
    case code::ok:
      if (o.object)
        to_capnp(*o.object, b.initOk());
      else
        b.initOk();
      break;
    case code::invalid: {
      auto list = b.initInvalid(static_cast<unsigned>(o.errors.size() + (o.errors.empty() ? 1 : 0)));
      if (o.errors.empty()) {
        list[0].setMessage(o.message);
      }
      for (unsigned i = 0; i < o.errors.size(); ++i) {
        list[i].setField(o.errors[i].field);
        list[i].setMessage(o.errors[i].message);
      }
      break;
    }
    case code::not_found: b.setNotFound(o.message); break;
    case code::already_exists: b.setAlreadyExists(o.message); break;
    case code::conflict: b.setConflict(o.message); break;
    case code::forbidden: b.setForbidden(o.message); break;
    case code::unavailable: KJ_FAIL_REQUIRE("unavailable outcomes are sent as errors");
  }
  b.setAction(o.action);
  b.setSeq(o.seq);
}

actors::outcome from_capnp(schema::Outcome::Reader r) {
  using code = actors::outcome::code;
  actors::outcome o;
  switch (r.which()) {
    case schema::Outcome::OK:
      o.result = code::ok;
      if (r.getOk().hasPod() || r.getOk().which() != schema::AnyObject::POD) o.object = from_capnp(r.getOk());
      break;
    case schema::Outcome::INVALID:
      o.result = code::invalid;
      for (auto e : r.getInvalid()) o.errors.push_back({e.getField(), e.getMessage()});
      break;
    case schema::Outcome::NOT_FOUND:
      o.result = code::not_found;
      o.message = r.getNotFound();
      break;
    case schema::Outcome::ALREADY_EXISTS:
      o.result = code::already_exists;
      o.message = r.getAlreadyExists();
      break;
    case schema::Outcome::CONFLICT:
      o.result = code::conflict;
      o.message = r.getConflict();
      break;
    case schema::Outcome::FORBIDDEN:
      o.result = code::forbidden;
      o.message = r.getForbidden();
      break;
  }
  o.action = r.getAction();
  o.seq = r.getSeq();
  return o;
}

void to_capnp(const actors::list_result& l, schema::ListResult::Builder b) {
  if (!l.error.empty()) {
    b.setBadSelector(l.error);
  } else {
    auto items = b.initItems(static_cast<unsigned>(l.items.size()));
    for (unsigned i = 0; i < l.items.size(); ++i) to_capnp(l.items[i], items[i]);
  }
  b.setResourceVersion(l.resource_version);
}

actors::list_result from_capnp(schema::ListResult::Reader r) {
  actors::list_result l;
  if (r.isBadSelector()) {
    l.error = r.getBadSelector();
  } else {
    for (auto item : r.getItems()) l.items.push_back(from_capnp(item));
  }
  l.resource_version = r.getResourceVersion();
  return l;
}

void to_capnp(const actors::event_summary& e, schema::EventSummary::Builder b) {
  b.setSeq(e.seq);
  b.setTimeNs(e.time_ns);
  b.setFamily(e.family);
  b.setType(e.type);
  b.setPrincipal(e.principal);
  b.setCause(e.cause);
  b.setMessage(e.message);
}

actors::event_summary from_capnp(schema::EventSummary::Reader r) {
  return {r.getSeq(), r.getTimeNs(), r.getFamily(), r.getType(), r.getPrincipal(), r.getCause(), r.getMessage()};
}

schema::WatchEventType to_capnp(actors::watch_event_type t) {
  switch (t) {
    case actors::watch_event_type::added: return schema::WatchEventType::ADDED;
    case actors::watch_event_type::modified: return schema::WatchEventType::MODIFIED;
    case actors::watch_event_type::deleted: return schema::WatchEventType::DELETED;
  }
  return schema::WatchEventType::ADDED;
}

actors::watch_event_type from_capnp(schema::WatchEventType t) {
  switch (t) {
    case schema::WatchEventType::ADDED: return actors::watch_event_type::added;
    case schema::WatchEventType::MODIFIED: return actors::watch_event_type::modified;
    case schema::WatchEventType::DELETED: return actors::watch_event_type::deleted;
  }
  KJ_FAIL_REQUIRE("unknown WatchEventType", static_cast<uint16_t>(t));
}

}  // namespace berth::rpc
