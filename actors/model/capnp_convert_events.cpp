// Events and snapshots <-> capnp (declared in capnp_convert.hpp; the object
// conversions are in capnp_convert.cpp).

#include <string>
#include <type_traits>
#include <utility>

#include "actors/model/capnp_convert.hpp"
#include "actors/model/capnp_convert_detail.hpp"

namespace berth::model {

// The alternative index of event_payload is the event type number on disk and
// must equal the schema's union tag (events.hpp). A mismatch here means one of
// the two was edited without the other.
template <schema::Event::Which W, class T>
constexpr bool same_event_tag = std::is_same_v<std::variant_alternative_t<W, event_payload>, T>;
static_assert(same_event_tag<schema::Event::OBJECT_CREATED, object_created>);
static_assert(same_event_tag<schema::Event::OBJECT_REPLACED, object_replaced>);
static_assert(same_event_tag<schema::Event::OBJECT_DELETED, object_deleted>);
static_assert(same_event_tag<schema::Event::RC_SCALED, rc_scaled>);
static_assert(same_event_tag<schema::Event::POD_CREATED, pod_created>);
static_assert(same_event_tag<schema::Event::POD_BOUND, pod_bound>);
static_assert(same_event_tag<schema::Event::POD_UNSCHEDULABLE, pod_unschedulable>);
static_assert(same_event_tag<schema::Event::POD_EVICTED, pod_evicted>);
static_assert(same_event_tag<schema::Event::POD_REMOVED, pod_removed>);
static_assert(same_event_tag<schema::Event::ENDPOINTS_UPDATED, endpoints_updated>);
static_assert(same_event_tag<schema::Event::NODE_READINESS_DECIDED, node_readiness_decided>);
static_assert(same_event_tag<schema::Event::NODE_REGISTERED, node_registered>);
static_assert(same_event_tag<schema::Event::NODE_READINESS_OBSERVED, node_readiness_observed>);
static_assert(same_event_tag<schema::Event::POD_STATUS_OBSERVED, pod_status_observed>);
static_assert(same_event_tag<schema::Event::POD_DELETED, pod_deleted>);
static_assert(same_event_tag<schema::Event::NODE_HEARTBEAT, node_heartbeat>);
static_assert(same_event_tag<schema::Event::NODE_UNSCHEDULABLE, node_unschedulable>);
static_assert(same_event_tag<schema::Event::NAMESPACE_CREATED, namespace_created>);
static_assert(same_event_tag<schema::Event::NAMESPACE_REPLACED, namespace_replaced>);
static_assert(same_event_tag<schema::Event::NAMESPACE_REMOVED, namespace_removed>);
static_assert(same_event_tag<schema::Event::SECRET_CREATED, secret_created>);
static_assert(same_event_tag<schema::Event::SECRET_REPLACED, secret_replaced>);
static_assert(same_event_tag<schema::Event::SECRET_REMOVED, secret_removed>);
static_assert(same_event_tag<schema::Event::ENDPOINTS_REPLACED, endpoints_replaced>);
static_assert(same_event_tag<schema::Event::ENDPOINTS_REMOVED, endpoints_removed>);
static_assert(same_event_tag<schema::Event::RESERVED26, reserved_event<25>>);
static_assert(same_event_tag<schema::Event::LIMIT_RANGE_CREATED, limit_range_created>);
static_assert(same_event_tag<schema::Event::LIMIT_RANGE_REPLACED, limit_range_replaced>);
static_assert(same_event_tag<schema::Event::LIMIT_RANGE_REMOVED, limit_range_removed>);
static_assert(same_event_tag<schema::Event::RESOURCE_QUOTA_CREATED, resource_quota_created>);
static_assert(same_event_tag<schema::Event::RESOURCE_QUOTA_REPLACED, resource_quota_replaced>);
static_assert(same_event_tag<schema::Event::RESOURCE_QUOTA_REMOVED, resource_quota_removed>);
static_assert(same_event_tag<schema::Event::POD_CREATE_REFUSED, pod_create_refused>);
static_assert(same_event_tag<schema::Event::POD_EVENT_OBSERVED, pod_event_observed>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_CREATED, persistent_volume_created>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_REPLACED, persistent_volume_replaced>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_REMOVED, persistent_volume_removed>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_CLAIM_CREATED, persistent_volume_claim_created>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_CLAIM_REPLACED, persistent_volume_claim_replaced>);
static_assert(same_event_tag<schema::Event::PERSISTENT_VOLUME_CLAIM_REMOVED, persistent_volume_claim_removed>);
static_assert(same_event_tag<schema::Event::VOLUME_CLAIM_BOUND, volume_claim_bound>);
static_assert(same_event_tag<schema::Event::VOLUME_RECYCLED, volume_recycled>);
static_assert(same_event_tag<schema::Event::VOLUME_RECLAIM_FAILED, volume_reclaim_failed>);
static_assert(same_event_tag<schema::Event::POD_TEMPLATE_CREATED, pod_template_created>);
static_assert(same_event_tag<schema::Event::POD_TEMPLATE_REPLACED, pod_template_replaced>);
static_assert(same_event_tag<schema::Event::POD_TEMPLATE_REMOVED, pod_template_removed>);
static_assert(k_event_type_count == schema::Event::POD_TEMPLATE_REMOVED + 1,
              "a new Event union member needs its event_payload alternative (and the reverse)");

using detail::str;
using detail::text;

void to_capnp(const api_object& o, schema::ApiObject::Builder b) {
  if (auto* p = std::get_if<pod>(&o)) {
    to_capnp(*p, b.initPod());
  } else if (auto* rc = std::get_if<replication_controller>(&o)) {
    to_capnp(*rc, b.initReplicationController());
  } else {
    to_capnp(std::get<service>(o), b.initService());
  }
}

api_object from_capnp(schema::ApiObject::Reader r) {
  switch (r.which()) {
    case schema::ApiObject::POD: return from_capnp(r.getPod());
    case schema::ApiObject::REPLICATION_CONTROLLER: return from_capnp(r.getReplicationController());
    case schema::ApiObject::SERVICE: return from_capnp(r.getService());
  }
  detail::throw_decode_error("unknown ApiObject member " + std::to_string(r.which()));
}

void to_capnp(const event_header& h, schema::EventHeader::Builder b) {
  to_capnp(h.object, b.initObject());
  b.setPrincipal(text(h.principal));
  b.setCause(h.cause);
}

event_header from_capnp(schema::EventHeader::Reader r) {
  return {from_capnp(r.getObject()), str(r.getPrincipal()), r.getCause()};
}

namespace {

void reason_to(const reason& why, schema::Reason::Builder b) {
  b.setReason(text(why.reason));
  b.setMessage(text(why.message));
}

reason reason_from(schema::Reason::Reader r) { return {str(r.getReason()), str(r.getMessage())}; }

void readiness_to(const node_readiness& n, schema::NodeReadiness::Builder b) {
  b.setReady(n.ready);
  b.setReason(text(n.reason));
  b.setMessage(text(n.message));
  b.setLastHeartbeatTime(n.last_heartbeat_time);
}

node_readiness readiness_from(schema::NodeReadiness::Reader r) {
  return {r.getReady(), str(r.getReason()), str(r.getMessage()), r.getLastHeartbeatTime()};
}

/// One overload per payload alternative; std::visit fails to compile when one is missing.
struct payload_writer {
  schema::Event::Builder b;
  void operator()(const object_created& x) { to_capnp(x.object, b.initObjectCreated()); }
  void operator()(const object_replaced& x) { to_capnp(x.object, b.initObjectReplaced()); }
  void operator()(const object_deleted& x) {
    auto d = b.initObjectDeleted();
    d.setGracePeriodSeconds(x.grace_period_seconds);
    d.setOrphanDependents(x.orphan_dependents);
  }
  void operator()(const rc_scaled& x) { b.setRcScaled(x.replicas); }
  void operator()(const pod_created& x) { to_capnp(x.object, b.initPodCreated()); }
  void operator()(const pod_bound& x) { b.initPodBound().setNodeName(text(x.node_name)); }
  void operator()(const pod_unschedulable& x) { reason_to(x.why, b.initPodUnschedulable()); }
  void operator()(const pod_evicted& x) { reason_to(x.why, b.initPodEvicted()); }
  void operator()(const pod_removed& x) { reason_to(x.why, b.initPodRemoved()); }
  void operator()(const pod_deleted& x) { reason_to(x.why, b.initPodDeleted()); }
  void operator()(const endpoints_updated& x) { to_capnp(x.object, b.initEndpointsUpdated()); }
  void operator()(const node_readiness_decided& x) { readiness_to(x.readiness, b.initNodeReadinessDecided()); }
  void operator()(const node_registered& x) { to_capnp(x.object, b.initNodeRegistered()); }
  void operator()(const node_readiness_observed& x) { readiness_to(x.readiness, b.initNodeReadinessObserved()); }
  void operator()(const pod_status_observed& x) { to_capnp(x.status, b.initPodStatusObserved()); }
  void operator()(const node_heartbeat& x) { b.setNodeHeartbeat(x.time); }
  void operator()(const node_unschedulable& x) { b.setNodeUnschedulable(x.unschedulable); }
  void operator()(const namespace_created& x) { to_capnp(x.object, b.initNamespaceCreated()); }
  void operator()(const namespace_replaced& x) { to_capnp(x.object, b.initNamespaceReplaced()); }
  void operator()(const namespace_removed& x) { reason_to(x.why, b.initNamespaceRemoved()); }
  void operator()(const secret_created& x) { to_capnp(x.object, b.initSecretCreated()); }
  void operator()(const secret_replaced& x) { to_capnp(x.object, b.initSecretReplaced()); }
  void operator()(const secret_removed& x) { reason_to(x.why, b.initSecretRemoved()); }
  void operator()(const endpoints_replaced& x) { to_capnp(x.object, b.initEndpointsReplaced()); }
  void operator()(const endpoints_removed& x) { reason_to(x.why, b.initEndpointsRemoved()); }
  void operator()(const reserved_event<25>&) { b.setReserved26(); }
  void operator()(const limit_range_created& x) { to_capnp(x.object, b.initLimitRangeCreated()); }
  void operator()(const limit_range_replaced& x) { to_capnp(x.object, b.initLimitRangeReplaced()); }
  void operator()(const limit_range_removed& x) { reason_to(x.why, b.initLimitRangeRemoved()); }
  void operator()(const resource_quota_created& x) { to_capnp(x.object, b.initResourceQuotaCreated()); }
  void operator()(const resource_quota_replaced& x) { to_capnp(x.object, b.initResourceQuotaReplaced()); }
  void operator()(const resource_quota_removed& x) { reason_to(x.why, b.initResourceQuotaRemoved()); }
  void operator()(const pod_create_refused& x) { reason_to(x.why, b.initPodCreateRefused()); }
  void operator()(const pod_event_observed& x) {
    auto r = b.initPodEventObserved();
    r.setReason(x.reason);
    r.setMessage(x.message);
    r.setContainer(x.container);
  }
  void operator()(const persistent_volume_created& x) { to_capnp(x.object, b.initPersistentVolumeCreated()); }
  void operator()(const persistent_volume_replaced& x) { to_capnp(x.object, b.initPersistentVolumeReplaced()); }
  void operator()(const persistent_volume_removed& x) { reason_to(x.why, b.initPersistentVolumeRemoved()); }
  void operator()(const persistent_volume_claim_created& x) {
    to_capnp(x.object, b.initPersistentVolumeClaimCreated());
  }
  void operator()(const persistent_volume_claim_replaced& x) {
    to_capnp(x.object, b.initPersistentVolumeClaimReplaced());
  }
  void operator()(const persistent_volume_claim_removed& x) {
    reason_to(x.why, b.initPersistentVolumeClaimRemoved());
  }
  void operator()(const volume_claim_bound& x) { b.initVolumeClaimBound().setVolumeName(x.volume_name); }
  void operator()(const volume_recycled& x) { reason_to(x.why, b.initVolumeRecycled()); }
  void operator()(const volume_reclaim_failed& x) { reason_to(x.why, b.initVolumeReclaimFailed()); }
  void operator()(const pod_template_created& x) { to_capnp(x.object, b.initPodTemplateCreated()); }
  void operator()(const pod_template_replaced& x) { to_capnp(x.object, b.initPodTemplateReplaced()); }
  void operator()(const pod_template_removed& x) { reason_to(x.why, b.initPodTemplateRemoved()); }
};

event_payload payload_from(schema::Event::Reader r) {
  using W = schema::Event;
  switch (r.which()) {
    case W::OBJECT_CREATED: return object_created{from_capnp(r.getObjectCreated())};
    case W::OBJECT_REPLACED: return object_replaced{from_capnp(r.getObjectReplaced())};
    case W::OBJECT_DELETED:
      return object_deleted{r.getObjectDeleted().getGracePeriodSeconds(), r.getObjectDeleted().getOrphanDependents()};
    case W::RC_SCALED: return rc_scaled{r.getRcScaled()};
    case W::POD_CREATED: return pod_created{from_capnp(r.getPodCreated())};
    case W::POD_BOUND: return pod_bound{str(r.getPodBound().getNodeName())};
    case W::POD_UNSCHEDULABLE: return pod_unschedulable{reason_from(r.getPodUnschedulable())};
    case W::POD_EVICTED: return pod_evicted{reason_from(r.getPodEvicted())};
    case W::POD_REMOVED: return pod_removed{reason_from(r.getPodRemoved())};
    case W::ENDPOINTS_UPDATED: return endpoints_updated{from_capnp(r.getEndpointsUpdated())};
    case W::NODE_READINESS_DECIDED: return node_readiness_decided{readiness_from(r.getNodeReadinessDecided())};
    case W::NODE_REGISTERED: return node_registered{from_capnp(r.getNodeRegistered())};
    case W::NODE_READINESS_OBSERVED: return node_readiness_observed{readiness_from(r.getNodeReadinessObserved())};
    case W::POD_STATUS_OBSERVED: return pod_status_observed{from_capnp(r.getPodStatusObserved())};
    case W::POD_DELETED: return pod_deleted{reason_from(r.getPodDeleted())};
    case W::NODE_HEARTBEAT: return node_heartbeat{r.getNodeHeartbeat()};
    case W::NODE_UNSCHEDULABLE: return node_unschedulable{r.getNodeUnschedulable()};
    case W::NAMESPACE_CREATED: return namespace_created{from_capnp(r.getNamespaceCreated())};
    case W::NAMESPACE_REPLACED: return namespace_replaced{from_capnp(r.getNamespaceReplaced())};
    case W::NAMESPACE_REMOVED: return namespace_removed{reason_from(r.getNamespaceRemoved())};
    case W::SECRET_CREATED: return secret_created{from_capnp(r.getSecretCreated())};
    case W::SECRET_REPLACED: return secret_replaced{from_capnp(r.getSecretReplaced())};
    case W::SECRET_REMOVED: return secret_removed{reason_from(r.getSecretRemoved())};
    case W::ENDPOINTS_REPLACED: return endpoints_replaced{from_capnp(r.getEndpointsReplaced())};
    case W::ENDPOINTS_REMOVED: return endpoints_removed{reason_from(r.getEndpointsRemoved())};
    case W::RESERVED26: return reserved_event<25>{};
    case W::LIMIT_RANGE_CREATED: return limit_range_created{from_capnp(r.getLimitRangeCreated())};
    case W::LIMIT_RANGE_REPLACED: return limit_range_replaced{from_capnp(r.getLimitRangeReplaced())};
    case W::LIMIT_RANGE_REMOVED: return limit_range_removed{reason_from(r.getLimitRangeRemoved())};
    case W::RESOURCE_QUOTA_CREATED: return resource_quota_created{from_capnp(r.getResourceQuotaCreated())};
    case W::RESOURCE_QUOTA_REPLACED: return resource_quota_replaced{from_capnp(r.getResourceQuotaReplaced())};
    case W::RESOURCE_QUOTA_REMOVED: return resource_quota_removed{reason_from(r.getResourceQuotaRemoved())};
    case W::POD_CREATE_REFUSED: return pod_create_refused{reason_from(r.getPodCreateRefused())};
    case W::POD_EVENT_OBSERVED: {
      auto x = r.getPodEventObserved();
      return pod_event_observed{str(x.getReason()), str(x.getMessage()), str(x.getContainer())};
    }
    case W::PERSISTENT_VOLUME_CREATED:
      return persistent_volume_created{from_capnp(r.getPersistentVolumeCreated())};
    case W::PERSISTENT_VOLUME_REPLACED:
      return persistent_volume_replaced{from_capnp(r.getPersistentVolumeReplaced())};
    case W::PERSISTENT_VOLUME_REMOVED:
      return persistent_volume_removed{reason_from(r.getPersistentVolumeRemoved())};
    case W::PERSISTENT_VOLUME_CLAIM_CREATED:
      return persistent_volume_claim_created{from_capnp(r.getPersistentVolumeClaimCreated())};
    case W::PERSISTENT_VOLUME_CLAIM_REPLACED:
      return persistent_volume_claim_replaced{from_capnp(r.getPersistentVolumeClaimReplaced())};
    case W::PERSISTENT_VOLUME_CLAIM_REMOVED:
      return persistent_volume_claim_removed{reason_from(r.getPersistentVolumeClaimRemoved())};
    case W::VOLUME_CLAIM_BOUND: return volume_claim_bound{str(r.getVolumeClaimBound().getVolumeName())};
    case W::VOLUME_RECYCLED: return volume_recycled{reason_from(r.getVolumeRecycled())};
    case W::VOLUME_RECLAIM_FAILED: return volume_reclaim_failed{reason_from(r.getVolumeReclaimFailed())};
    case W::POD_TEMPLATE_CREATED: return pod_template_created{from_capnp(r.getPodTemplateCreated())};
    case W::POD_TEMPLATE_REPLACED: return pod_template_replaced{from_capnp(r.getPodTemplateReplaced())};
    case W::POD_TEMPLATE_REMOVED: return pod_template_removed{reason_from(r.getPodTemplateRemoved())};
  }
  detail::throw_decode_error("unknown Event member " + std::to_string(r.which()));
}

}  // namespace

void to_capnp(const event& e, schema::Event::Builder b) {
  to_capnp(e.header, b.initHeader());
  std::visit(payload_writer{b}, e.payload);
}

event from_capnp(schema::Event::Reader r) {
  event e;
  e.header = from_capnp(r.getHeader());
  e.payload = payload_from(r);
  return e;
}

// ----------------------------------------------------------------- snapshots

namespace {

template <class Map, class ListBuilder>
void map_to(const Map& m, ListBuilder list) {
  unsigned i = 0;
  for (const auto& entry : m) to_capnp(entry.second, list[i++]);
}

/// Inserts every object of `list` at its metadata key; a key seen twice means
/// the snapshot was not written by encode_snapshot: refuse it.
template <class Map, class ListReader>
void map_from(ListReader list, Map& out, const char* what) {
  for (auto item : list) {
    auto obj = from_capnp(item);
    const object_meta& m = obj.metadata;
    std::string label = m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name;
    typename Map::key_type key;
    if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
      key = m.name;
    } else {
      key = {m.namespace_, m.name};
    }
    if (!out.emplace(std::move(key), std::move(obj)).second) {
      detail::throw_decode_error(std::string("snapshot holds two ") + what + " named " + label);
    }
  }
}

}  // namespace

void to_capnp(const cluster_state& s, schema::ClusterSnapshot::Builder b) {
  b.setSeq(s.seq);
  map_to(s.pods, b.initPods(static_cast<unsigned>(s.pods.size())));
  map_to(s.rcs, b.initReplicationControllers(static_cast<unsigned>(s.rcs.size())));
  map_to(s.services, b.initServices(static_cast<unsigned>(s.services.size())));
  map_to(s.endpoints_, b.initEndpoints(static_cast<unsigned>(s.endpoints_.size())));
  map_to(s.nodes, b.initNodes(static_cast<unsigned>(s.nodes.size())));
  b.setIgnoredEvents(s.ignored_events);
  // Unset when empty, not an empty list: the canonical encoding (and so the
  // state hash) of a state without namespace objects stays what it was before
  // namespaces were objects (schema/events.capnp, ClusterSnapshot).
  if (!s.namespaces.empty()) map_to(s.namespaces, b.initNamespaces(static_cast<unsigned>(s.namespaces.size())));
  if (!s.secrets.empty()) map_to(s.secrets, b.initSecrets(static_cast<unsigned>(s.secrets.size())));
  if (!s.limit_ranges.empty())
    map_to(s.limit_ranges, b.initLimitRanges(static_cast<unsigned>(s.limit_ranges.size())));
  if (!s.resource_quotas.empty())
    map_to(s.resource_quotas, b.initResourceQuotas(static_cast<unsigned>(s.resource_quotas.size())));
  if (!s.volumes.empty()) map_to(s.volumes, b.initPersistentVolumes(static_cast<unsigned>(s.volumes.size())));
  if (!s.claims.empty()) map_to(s.claims, b.initPersistentVolumeClaims(static_cast<unsigned>(s.claims.size())));
  if (!s.pod_templates.empty())
    map_to(s.pod_templates, b.initPodTemplates(static_cast<unsigned>(s.pod_templates.size())));
}

cluster_state from_capnp(schema::ClusterSnapshot::Reader r) {
  cluster_state s;
  s.seq = r.getSeq();
  map_from(r.getPods(), s.pods, "pods");
  map_from(r.getReplicationControllers(), s.rcs, "replication controllers");
  map_from(r.getServices(), s.services, "services");
  map_from(r.getEndpoints(), s.endpoints_, "endpoints");
  map_from(r.getNodes(), s.nodes, "nodes");
  s.ignored_events = r.getIgnoredEvents();
  map_from(r.getNamespaces(), s.namespaces, "namespaces");
  map_from(r.getSecrets(), s.secrets, "secrets");
  map_from(r.getLimitRanges(), s.limit_ranges, "limitRanges");
  map_from(r.getResourceQuotas(), s.resource_quotas, "resourceQuotas");
  map_from(r.getPersistentVolumes(), s.volumes, "persistentVolumes");
  map_from(r.getPersistentVolumeClaims(), s.claims, "persistentVolumeClaims");
  map_from(r.getPodTemplates(), s.pod_templates, "podTemplates");
  return s;
}

}  // namespace berth::model
