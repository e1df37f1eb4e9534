#pragma once
// The volume controller's decision (Kubernetes 1.0's persistent volume
// binder and recycler): bind each Pending claim to the smallest Available
// volume that offers every access mode it asks for and at least the storage
// it requests, and reclaim the volumes whose claim was deleted by their
// policy. A pure function from explicit inputs to a printable plan; the
// volume controller actor (actors/core/volume_actor.cpp) appends it, and
// replay never re-runs it.
//
//   Pending claim, a volume fits        -> volumeClaimBound (smallest fit; by name on a tie)
//   claim that names spec.volumeName    -> only that volume
//   volume whose claimRef names a claim -> only that claim (pre-bound by its operator)
//   Released volume, Retain             -> nothing (the operator's to clean)
//   Released volume, Recycle or Delete  -> a recycler pod (busybox, the volume
//                                          mounted at /scrub, its contents removed),
//                                          then on Succeeded volumeRecycled (Recycle:
//                                          Available again) or persistentVolumeRemoved
//                                          (Delete), on Failed volumeReclaimFailed;
//                                          the pod is deleted either way
//   a source no pod can mount here      -> volumeReclaimFailed at once
//
// Re-running on the state after the plan converges: a bound claim is no
// longer Pending, a volume is bound once, a recycler pod is created once (its
// name is the volume's) and its outcome is journaled once.

#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/reconcile/name_generator.hpp"

namespace berth::reconcile {

/// Where recycler pods run, and how they are known again.
inline constexpr const char* k_recycler_namespace = "kube-system";
inline constexpr const char* k_recycler_label = "berth.io/recycler-for";
inline constexpr const char* k_recycler_image = "gcr.io/google_containers/busybox";

struct volume_inputs {
  std::vector<model::persistent_volume> volumes;       // all, by name
  std::vector<model::persistent_volume_claim> claims;  // the Pending ones, by (namespace, name)
  std::vector<model::pod> recyclers;                    // pods labeled k_recycler_label
};

struct claim_binding {
  model::object_reference claim;  // kind, namespace, name, uid
  std::string volume;
  bool operator==(const claim_binding&) const = default;
};

/// A reclaim step's outcome for one Released volume.
struct volume_reclaim {
  enum class step : std::uint8_t { recycled, deleted, failed };
  model::object_reference volume;  // kind "PersistentVolume", name, uid
  step what = step::recycled;
  model::reason why;
  bool operator==(const volume_reclaim&) const = default;
};

struct volume_plan {
  std::vector<claim_binding> bindings;          // in claim order
  std::vector<model::pod> recyclers_to_create;  // one per Released volume to reclaim
  std::vector<volume_reclaim> reclaims;         // in volume order
  std::vector<model::object_reference> recyclers_to_delete;  // finished recycler pods
  bool empty() const {
    return bindings.empty() && recyclers_to_create.empty() && reclaims.empty() && recyclers_to_delete.empty();
  }
  /// One line per action, for logs and test failure messages.
  std::string to_string() const;
  bool operator==(const volume_plan&) const = default;
};

/// Whether `volume` can hold `claim`: every mode the claim asks for is
/// offered, the capacity is at least the request, and neither is reserved
/// for another (claimRef, volumeName).
bool volume_fits(const model::persistent_volume& volume, const model::persistent_volume_claim& claim);

/// The recycler pod of `volume` (name "recycler-for-<volume>", uid from `names`).
model::pod recycler_pod(const model::persistent_volume& volume, name_generator& names);

volume_plan plan_volumes(const volume_inputs& in, name_generator& names);

}  // namespace berth::reconcile
