#include "actors/model/state_volumes.hpp"

#include "actors/model/fold_common.hpp"

#include <utility>

namespace berth::model::volume_rules {
namespace {

using outcome = apply_outcome;

using fold_detail::init_meta;
using fold_detail::names;

persistent_volume* find_volume(cluster_state& s, const event& e) {
  auto it = s.volumes.find(e.header.object.name);
  if (it == s.volumes.end() || !names(e.header.object, k_kind_persistent_volume, it->second.metadata))
    return nullptr;
  return &it->second;
}

persistent_volume_claim* find_claim(cluster_state& s, const event& e) {
  auto it = s.claims.find({e.header.object.namespace_, e.header.object.name});
  if (it == s.claims.end() || !names(e.header.object, k_kind_persistent_volume_claim, it->second.metadata))
    return nullptr;
  return &it->second;
}

void copy_labels(object_meta& to, const object_meta& from, const event& e) {
  to.labels = from.labels;
  to.annotations = from.annotations;
  to.resource_version = e.seq;
}

/// The volume whose claimRef is this claim (same uid), or nullptr.
persistent_volume* volume_of(cluster_state& s, const persistent_volume_claim& c) {
  auto it = s.volumes.find(c.spec.volume_name);
  if (it == s.volumes.end()) return nullptr;
  const auto& ref = it->second.spec.claim_ref;
  if (ref.namespace_ != c.metadata.namespace_ || ref.name != c.metadata.name || ref.uid != c.metadata.uid)
    return nullptr;
  return &it->second;
}

}  // namespace

outcome create_volume(cluster_state& s, const persistent_volume& given, const event& e) {
  if (s.volumes.contains(given.metadata.name)) return outcome::ignored;
  persistent_volume n = given;
  init_meta(n.metadata, e);
  n.metadata.namespace_.clear();
  // A claimRef given at creation reserves the volume for that claim (the
  // binder binds no other); the volume is Available until it is bound.
  n.spec.claim_ref.uid.clear();
  n.status = {};
  s.volumes.emplace(n.metadata.name, std::move(n));
  return outcome::applied;
}

outcome replace_volume(cluster_state& s, const persistent_volume& given, const event& e) {
  persistent_volume* v = find_volume(s, e);
  if (!v || given.metadata.name != e.header.object.name) return outcome::ignored;
  if (v->spec.capacity != given.spec.capacity || v->spec.access_modes != given.spec.access_modes ||
      v->spec.policy != given.spec.policy || v->spec.source != given.spec.source)
    ++v->metadata.generation;
  v->spec.capacity = given.spec.capacity;
  v->spec.access_modes = given.spec.access_modes;
  v->spec.policy = given.spec.policy;
  v->spec.source = given.spec.source;
  copy_labels(v->metadata, given.metadata, e);
  // A bound claim shows its volume's capacity and modes (Kubernetes' claim status).
  if (v->status.phase == volume_phase::bound) {
    const auto& ref = v->spec.claim_ref;
    if (auto c = s.claims.find({ref.namespace_, ref.name}); c != s.claims.end() && c->second.metadata.uid == ref.uid) {
      c->second.status.capacity = v->spec.capacity;
      c->second.status.access_modes = v->spec.access_modes;
      c->second.metadata.resource_version = e.seq;
    }
  }
  return outcome::applied;
}

outcome remove_volume(cluster_state& s, const event& e) {
  persistent_volume* v = find_volume(s, e);
  if (!v) return outcome::ignored;
  const auto ref = v->spec.claim_ref;
  if (auto c = s.claims.find({ref.namespace_, ref.name});
      c != s.claims.end() && c->second.metadata.uid == ref.uid && c->second.status.phase == claim_phase::bound) {
    c->second.status.phase = claim_phase::lost;
    c->second.metadata.resource_version = e.seq;
  }
  s.volumes.erase(e.header.object.name);
  return outcome::applied;
}

outcome create_claim(cluster_state& s, const persistent_volume_claim& given, const event& e) {
  object_key key{given.metadata.namespace_, given.metadata.name};
  if (s.claims.contains(key)) return outcome::ignored;
  persistent_volume_claim n = given;
  init_meta(n.metadata, e);
  n.status = {};
  s.claims.emplace(std::move(key), std::move(n));
  return outcome::applied;
}

outcome replace_claim(cluster_state& s, const persistent_volume_claim& given, const event& e) {
  persistent_volume_claim* c = find_claim(s, e);
  if (!c || given.metadata.name != e.header.object.name) return outcome::ignored;
  copy_labels(c->metadata, given.metadata, e);
  return outcome::applied;
}

outcome remove_claim(cluster_state& s, const event& e) {
  persistent_volume_claim* c = find_claim(s, e);
  if (!c) return outcome::ignored;
  if (c->status.phase == claim_phase::bound) {
    if (persistent_volume* v = volume_of(s, *c); v && v->status.phase == volume_phase::bound) {
      v->status.phase = volume_phase::released;  // claimRef kept: Kubernetes shows whose it was
      v->metadata.resource_version = e.seq;
    }
  }
  s.claims.erase({e.header.object.namespace_, e.header.object.name});
  return outcome::applied;
}

/// Only a Pending claim and an Available volume reserved for nobody else
/// bind: a binding decided on a stale view is ignored.
outcome bind_claim(cluster_state& s, const volume_claim_bound& b, const event& e) {
  persistent_volume_claim* c = find_claim(s, e);
  auto it = s.volumes.find(b.volume_name);
  if (!c || it == s.volumes.end() || c->status.phase != claim_phase::pending) return outcome::ignored;
  persistent_volume& v = it->second;
  const auto& ref = v.spec.claim_ref;
  if (v.status.phase != volume_phase::available) return outcome::ignored;
  if (!ref.name.empty() && (ref.namespace_ != c->metadata.namespace_ || ref.name != c->metadata.name))
    return outcome::ignored;
  if (!c->spec.volume_name.empty() && c->spec.volume_name != b.volume_name) return outcome::ignored;
  v.spec.claim_ref = {k_kind_persistent_volume_claim, c->metadata.namespace_, c->metadata.name, c->metadata.uid};
  v.status = {volume_phase::bound, "", ""};
  v.metadata.resource_version = e.seq;
  c->spec.volume_name = b.volume_name;
  c->status = {claim_phase::bound, v.spec.access_modes, v.spec.capacity};
  c->metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome recycled(cluster_state& s, const event& e) {
  persistent_volume* v = find_volume(s, e);
  if (!v || v->status.phase != volume_phase::released) return outcome::ignored;
  v->spec.claim_ref = {};
  v->status = {};
  v->metadata.resource_version = e.seq;
  return outcome::applied;
}

outcome reclaim_failed(cluster_state& s, const volume_reclaim_failed& f, const event& e) {
  persistent_volume* v = find_volume(s, e);
  if (!v || v->status.phase != volume_phase::released) return outcome::ignored;
  v->status = {volume_phase::failed, f.why.message, f.why.reason};
  v->metadata.resource_version = e.seq;
  return outcome::applied;
}

}  // namespace berth::model::volume_rules
