// Persistent volumes, claims, bound claims and pod templates <-> capnp (declared in
// capnp_convert.hpp). Statuses are encoded as the fold keeps them: they are
// part of the state (and so of its hash), set by the fold's rules.

#include <utility>

#include "actors/model/capnp_convert.hpp"
#include "actors/model/capnp_convert_detail.hpp"

namespace berth::model {

#define BERTH_SAME_ENUM(model_value, schema_value) \
  static_assert(static_cast<std::uint16_t>(model_value) == static_cast<std::uint16_t>(schema_value))
BERTH_SAME_ENUM(reclaim_policy::delete_, schema::PersistentVolumeReclaimPolicy::DELETE);
BERTH_SAME_ENUM(volume_phase::pending, schema::PersistentVolumePhase::PENDING);
BERTH_SAME_ENUM(volume_phase::failed, schema::PersistentVolumePhase::FAILED);
BERTH_SAME_ENUM(claim_phase::lost, schema::PersistentVolumeClaimPhase::LOST);
#undef BERTH_SAME_ENUM

using detail::enum_from;
using detail::enum_to;
using detail::get_strings;
using detail::resources_from;
using detail::resources_to;
using detail::set_strings;
using detail::str;
using detail::text;

void to_capnp(const persistent_volume& x, schema::PersistentVolume::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  auto spec = b.initSpec();
  resources_to(x.spec.capacity, spec.initCapacity());
  set_strings(x.spec.access_modes, spec.initAccessModes(static_cast<unsigned>(x.spec.access_modes.size())));
  spec.setReclaimPolicy(enum_to<schema::PersistentVolumeReclaimPolicy>(x.spec.policy));
  if (!x.spec.claim_ref.name.empty()) to_capnp(x.spec.claim_ref, spec.initClaimRef());
  detail::volume_source_to(x.spec.source, spec.initSource());
  auto st = b.initStatus();
  st.setPhase(enum_to<schema::PersistentVolumePhase>(x.status.phase));
  st.setMessage(text(x.status.message));
  st.setReason(text(x.status.reason));
}

persistent_volume from_capnp(schema::PersistentVolume::Reader r) {
  persistent_volume x;
  x.metadata = from_capnp(r.getMetadata());
  auto spec = r.getSpec();
  x.spec.capacity = resources_from(spec.getCapacity());
  x.spec.access_modes = get_strings(spec.getAccessModes());
  x.spec.policy = enum_from(spec.getReclaimPolicy(), reclaim_policy::delete_, "PersistentVolumeReclaimPolicy");
  if (spec.hasClaimRef()) x.spec.claim_ref = from_capnp(spec.getClaimRef());
  x.spec.source = detail::volume_source_from(spec.getSource());
  auto st = r.getStatus();
  x.status.phase = enum_from(st.getPhase(), volume_phase::pending, "PersistentVolumePhase");
  x.status.message = str(st.getMessage());
  x.status.reason = str(st.getReason());
  return x;
}

void to_capnp(const persistent_volume_claim& x, schema::PersistentVolumeClaim::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  auto spec = b.initSpec();
  set_strings(x.spec.access_modes, spec.initAccessModes(static_cast<unsigned>(x.spec.access_modes.size())));
  auto res = spec.initResources();
  resources_to(x.spec.resources.requests, res.initRequests());
  resources_to(x.spec.resources.limits, res.initLimits());
  spec.setVolumeName(text(x.spec.volume_name));
  auto st = b.initStatus();
  st.setPhase(enum_to<schema::PersistentVolumeClaimPhase>(x.status.phase));
  set_strings(x.status.access_modes, st.initAccessModes(static_cast<unsigned>(x.status.access_modes.size())));
  resources_to(x.status.capacity, st.initCapacity());
}

persistent_volume_claim from_capnp(schema::PersistentVolumeClaim::Reader r) {
  persistent_volume_claim x;
  x.metadata = from_capnp(r.getMetadata());
  auto spec = r.getSpec();
  x.spec.access_modes = get_strings(spec.getAccessModes());
  x.spec.resources.requests = resources_from(spec.getResources().getRequests());
  x.spec.resources.limits = resources_from(spec.getResources().getLimits());
  x.spec.volume_name = str(spec.getVolumeName());
  auto st = r.getStatus();
  x.status.phase = enum_from(st.getPhase(), claim_phase::lost, "PersistentVolumeClaimPhase");
  x.status.access_modes = get_strings(st.getAccessModes());
  x.status.capacity = resources_from(st.getCapacity());
  return x;
}

void to_capnp(const pod_template& x, schema::PodTemplate::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  auto t = b.initTemplate();
  to_capnp(x.template_.metadata, t.initMetadata());
  detail::pod_spec_to(x.template_.spec, t.initSpec());
}

pod_template from_capnp(schema::PodTemplate::Reader r) {
  pod_template x;
  x.metadata = from_capnp(r.getMetadata());
  x.template_.metadata = from_capnp(r.getTemplate().getMetadata());
  x.template_.spec = detail::pod_spec_from(r.getTemplate().getSpec());
  return x;
}

void to_capnp(const bound_claim& x, schema::BoundClaim::Builder b) {
  b.setNamespace(text(x.namespace_));
  b.setClaimName(text(x.claim_name));
  b.setVolumeName(text(x.volume_name));
  detail::volume_source_to(x.source, b.initSource());
  b.setReadOnly(x.read_only);
}

bound_claim from_capnp(schema::BoundClaim::Reader r) {
  return {str(r.getNamespace()), str(r.getClaimName()), str(r.getVolumeName()),
          detail::volume_source_from(r.getSource()), r.getReadOnly()};
}

}  // namespace berth::model
