#pragma once
// `berth rolling-update`'s decisions, as pure functions (no client, no I/O):
// kubectl 1.0's rolling update (pkg/kubectl/rolling_updater.go and
// cmd/rollingupdate.go of that release, the update-demo example). The
// command (cli/cmd_rolling_update.cpp) reads the cluster, asks these what to
// do next, and does it with ordinary create/apply/scale/delete calls, so
// every step is a journal event (`berth history rc/NAME`).
//
// The update, from the counts alone (so that running the same command again
// after an interruption continues where it stopped):
//
//   old=N new=0 ──update──▶ old=N-1 new=1 ──update──▶ ... ──▶ old=0 new=N ──▶ done
//        (scale NEW up by one, wait until its pods are ready, wait
//         --update-period, scale OLD down by one)
//   old>0, new>=desired ──stop_old──▶ old=0
//   old=0, new!=desired ──resize_new──▶ new=desired
//
// Old and new together never exceed desired+1 pods: a resumed update whose
// counts already add up to more (it stopped between a scale-up and its
// scale-down) scales the old one down first.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::cli::rollout {

// The annotations kubectl 1.0 wrote, under its names, so that an update
// begun by one tool reads the same to the other.
inline constexpr const char* k_desired_replicas = "kubectl.kubernetes.io/desired-replicas";    // on NEW
inline constexpr const char* k_source_id = "kubectl.kubernetes.io/update-source-id";           // on NEW: "OLD:UID"
inline constexpr const char* k_next_controller = "kubectl.kubernetes.io/next-controller-id";   // on OLD: NEW's name
inline constexpr const char* k_original_replicas = "kubectl.kubernetes.io/original-replicas";  // on OLD, for --rollback
/// The label --image adds to both selectors so that they do not overlap.
inline constexpr const char* k_deployment_key = "deployment";

/// Replica counts (spec.replicas) of the two controllers, and the goal.
struct counts {
  std::int32_t old_replicas = 0;
  std::int32_t new_replicas = 0;
  std::int32_t desired = 0;  // NEW's replicas at the end
  bool operator==(const counts&) const = default;
};

enum class step_kind : std::uint8_t {
  update,      // NEW up by one (or not at all when resuming a surge), wait ready, OLD down
  stop_old,    // OLD to 0 (NEW already has enough)
  resize_new,  // NEW to desired (OLD is at 0)
  done,
};

/// One step: the replicas each controller is scaled to (equal to the
/// current count: that one is left alone).
struct step {
  step_kind kind = step_kind::done;
  std::int32_t new_replicas = 0;
  std::int32_t old_replicas = 0;
  bool operator==(const step&) const = default;
};

/// The next step from the counts as they are now.
step next_step(const counts& now);

/// The progress line of a step, as kubectl 1.0 printed it:
/// "Updating web replicas: 1, web-v2 replicas: 1", "Stopping web replicas: 1 -> 0",
/// "Resizing web-v2 replicas: 1 -> 2"; "" for done.
std::string step_line(const step& s, const counts& now, const std::string& old_name, const std::string& new_name);

/// Why `next` (read from FILE) cannot follow `old`, or nullopt: it must be a
/// different controller in the same namespace whose selector gives one of
/// OLD's keys another value (kubectl 1.0's rule; without it both
/// controllers would claim the same pods).
std::optional<std::string> check_successor(const model::replication_controller& old,
                                           const model::replication_controller& next, const std::string& file);

/// The successor --image makes, or why not (`error`).
struct image_successor {
  model::replication_controller next;  // OLD with the new image, name and labels (as_successor finishes it)
  std::string old_hash;                // OLD's deployment label value (new, or the one it has)
  std::string error;
};

/// OLD with `image` in `container` (""; the template's only container): named
/// `new_name`, or "" for BASE-HASH where BASE is OLD's name without a
/// "-<its deployment hash>" suffix (so updates do not pile hashes up), its
/// selector and template labelled deployment=HASH. Fails when the container
/// is ambiguous or unknown, or already runs that image.
image_successor plan_image_successor(const model::replication_controller& old, const std::string& image,
                                     const std::string& container, const std::string& new_name);

/// The successor as created: `next` at 0 replicas, annotated with `desired`
/// and OLD's identity, server-set metadata cleared.
model::replication_controller as_successor(model::replication_controller next, const model::replication_controller& old,
                                           std::int32_t desired);

/// 8 hex digits (FNV-1a, 32 bits) of `text`: short enough for names and labels.
std::string short_hash(std::string_view text);

/// Pods of `rc` as the update counts them: controlled by it (owner uid),
/// active (not terminating or finished), and of those the ready ones
/// (model::is_pod_ready, what `berth get pods` shows as READY 1/1).
struct pod_counts {
  std::int32_t active = 0;
  std::int32_t ready = 0;
  bool operator==(const pod_counts&) const = default;
};
pod_counts count_pods(const model::replication_controller& rc, const std::vector<model::pod>& pods);

/// The replica count an annotation holds, or nullopt when absent or not a whole number >= 0.
std::optional<std::int32_t> replicas_annotation(const model::object_meta& m, const char* key);

}  // namespace berth::cli::rollout
