#include "actors/reconcile/volume_binder.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

std::int64_t storage_of(const model::resource_list& list) {
  auto it = list.find(model::k_resource_storage);
  return it == list.end() ? 0 : it->second.milli;
}

bool can_recycle(const model::volume_source& s) {
  return std::holds_alternative<model::host_path_volume>(s) || std::holds_alternative<model::nfs_volume>(s);
}

model::object_reference ref_of(const model::persistent_volume& v) {
  return {model::k_kind_persistent_volume, "", v.metadata.name, v.metadata.uid};
}

/// The recycler pod of `v` among `pods`: by label, and for this volume object
/// (uid annotation). One being deleted is done with (its outcome is journaled).
const model::pod* recycler_of(const std::vector<model::pod>& pods, const model::persistent_volume& v) {
  for (const auto& p : pods) {
    if (p.metadata.deletion_timestamp != 0) continue;
    auto l = p.metadata.labels.find(k_recycler_label);
    auto a = p.metadata.annotations.find(k_recycler_label);
    if (l != p.metadata.labels.end() && l->second == v.metadata.name && a != p.metadata.annotations.end() &&
        a->second == v.metadata.uid)
      return &p;
  }
  return nullptr;
}

void reclaim(const model::persistent_volume& v, const std::vector<model::pod>& recyclers, name_generator& names,
             volume_plan& plan) {
  const bool deleting = v.spec.policy == model::reclaim_policy::delete_;
  const char* verb = deleting ? "deleted" : "recycled";
  if (!can_recycle(v.spec.source)) {
    plan.reclaims.push_back({ref_of(v), volume_reclaim::step::failed,
                             {deleting ? "VolumeFailedDelete" : "VolumeFailedRecycle",
                              fmt::format("volume type {} cannot be {} by berth (only hostPath and nfs can)",
                                          model::volume_type_name(v.spec.source), verb)}});
    return;
  }
  const model::pod* pod = recycler_of(recyclers, v);
  if (pod == nullptr) {
    // The last run's pod, still going away, holds the name: wait for it.
    const auto name = "recycler-for-" + v.metadata.name;
    for (const auto& p : recyclers)
      if (p.metadata.name == name) return;
    plan.recyclers_to_create.push_back(recycler_pod(v, names));
    return;
  }
  if (pod->status.phase == model::pod_phase::succeeded) {
    plan.reclaims.push_back({ref_of(v), deleting ? volume_reclaim::step::deleted : volume_reclaim::step::recycled,
                             {deleting ? "VolumeDeleted" : "VolumeRecycled",
                              fmt::format("its contents were removed by pod {}/{}", pod->metadata.namespace_,
                                          pod->metadata.name)}});
  } else if (pod->status.phase == model::pod_phase::failed) {
    plan.reclaims.push_back(
        {ref_of(v), volume_reclaim::step::failed,
         {deleting ? "VolumeFailedDelete" : "VolumeFailedRecycle",
          fmt::format("recycler pod {}/{} failed{}{}", pod->metadata.namespace_, pod->metadata.name,
                      pod->status.message.empty() ? "" : ": ", pod->status.message)}});
  } else {
    return;  // still scrubbing
  }
  plan.recyclers_to_delete.push_back(
      {model::k_kind_pod, pod->metadata.namespace_, pod->metadata.name, pod->metadata.uid});
}

}  // namespace

bool volume_fits(const model::persistent_volume& volume, const model::persistent_volume_claim& claim) {
  if (volume.status.phase != model::volume_phase::available) return false;
  const auto& ref = volume.spec.claim_ref;
  if (!ref.name.empty() && (ref.namespace_ != claim.metadata.namespace_ || ref.name != claim.metadata.name))
    return false;
  if (!claim.spec.volume_name.empty() && claim.spec.volume_name != volume.metadata.name) return false;
  for (const auto& mode : claim.spec.access_modes)
    if (std::find(volume.spec.access_modes.begin(), volume.spec.access_modes.end(), mode) ==
        volume.spec.access_modes.end())
      return false;
  return storage_of(volume.spec.capacity) >= storage_of(claim.spec.resources.requests);
}

model::pod recycler_pod(const model::persistent_volume& volume, name_generator& names) {
  model::pod p;
  p.metadata.namespace_ = k_recycler_namespace;
  p.metadata.name = "recycler-for-" + volume.metadata.name;
  p.metadata.uid = names.next_uid();
  p.metadata.labels[k_recycler_label] = volume.metadata.name;
  p.metadata.annotations[k_recycler_label] = volume.metadata.uid;
  p.spec.restart_policy_ = model::restart_policy::never;
  p.spec.volumes.push_back({"vol", volume.spec.source});
  model::container c;
  c.name = "recycler";
  c.image = k_recycler_image;
  c.image_pull_policy = model::pull_policy::if_not_present;
  // Kubernetes' recycler: remove everything (dot files too), then check.
  c.command = {"/bin/sh", "-c",
               "test -e /scrub && rm -rf /scrub/..?* /scrub/.[!.]* /scrub/* && test -z \"$(ls -A /scrub)\" || exit 1"};
  c.volume_mounts.push_back({"vol", false, "/scrub", ""});
  p.spec.containers.push_back(std::move(c));
  return p;
}

volume_plan plan_volumes(const volume_inputs& in, name_generator& names) {
  volume_plan plan;
  std::set<std::string> taken;
  auto claims = in.claims;
  std::sort(claims.begin(), claims.end(), [](const auto& a, const auto& b) {
    return std::tie(a.metadata.namespace_, a.metadata.name) < std::tie(b.metadata.namespace_, b.metadata.name);
  });
  auto volumes = in.volumes;
  std::sort(volumes.begin(), volumes.end(),
            [](const auto& a, const auto& b) { return a.metadata.name < b.metadata.name; });
  for (const auto& c : claims) {
    if (c.status.phase != model::claim_phase::pending) continue;
    const model::persistent_volume* best = nullptr;
    for (const auto& v : volumes) {
      if (taken.count(v.metadata.name) || !volume_fits(v, c)) continue;
      // A volume reserved for this claim wins; then the smallest that fits.
      const bool reserved = !v.spec.claim_ref.name.empty();
      const bool best_reserved = best && !best->spec.claim_ref.name.empty();
      if (!best || (reserved && !best_reserved) ||
          (reserved == best_reserved && storage_of(v.spec.capacity) < storage_of(best->spec.capacity)))
        best = &v;
    }
    if (!best) continue;
    taken.insert(best->metadata.name);
    plan.bindings.push_back(
        {{model::k_kind_persistent_volume_claim, c.metadata.namespace_, c.metadata.name, c.metadata.uid},
         best->metadata.name});
  }
  for (const auto& v : volumes)
    if (v.status.phase == model::volume_phase::released && v.spec.policy != model::reclaim_policy::retain)
      reclaim(v, in.recyclers, names, plan);
  return plan;
}

std::string volume_plan::to_string() const {
  std::string out;
  for (const auto& b : bindings)
    out += fmt::format("\n  bind {}/{} -> {}", b.claim.namespace_, b.claim.name, b.volume);
  for (const auto& p : recyclers_to_create)
    out += fmt::format("\n  create recycler {}/{}", p.metadata.namespace_, p.metadata.name);
  static const char* steps[] = {"recycled", "deleted", "failed"};
  for (const auto& r : reclaims)
    out += fmt::format("\n  {} {}: {}", steps[static_cast<int>(r.what)], r.volume.name, r.why.message);
  for (const auto& p : recyclers_to_delete) out += fmt::format("\n  delete recycler {}/{}", p.namespace_, p.name);
  return out.empty() ? "\n  (nothing)" : out;
}

}  // namespace berth::reconcile
