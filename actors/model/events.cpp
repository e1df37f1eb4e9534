#include "actors/model/events.hpp"

#include <array>

namespace berth::model {
namespace {

// Indexed by event type number (= the schema's Event::Which discriminant;
// capnp_convert_events.cpp checks the correspondence). Frozen, like the numbers.
constexpr std::array<std::string_view, k_event_type_count> k_type_names = {
    "objectCreated",          // 0
    "objectReplaced",         // 1
    "objectDeleted",          // 2
    "rcScaled",               // 3
    "podCreated",             // 4
    "podBound",               // 5
    "podUnschedulable",       // 6
    "podEvicted",             // 7
    "podRemoved",             // 8
    "endpointsUpdated",       // 9
    "nodeReadinessDecided",   // 10
    "nodeRegistered",         // 11
    "nodeReadinessObserved",  // 12
    "podStatusObserved",      // 13
    "podDeleted",             // 14
    "nodeHeartbeat",          // 15
    "nodeUnschedulable",      // 16
    "namespaceCreated",       // 17
    "namespaceReplaced",      // 18
    "namespaceRemoved",       // 19
    "secretCreated",          // 20
    "secretReplaced",         // 21
    "secretRemoved",          // 22
    "endpointsReplaced",      // 23
    "endpointsRemoved",       // 24
    "reserved26",             // 25
    "limitRangeCreated",      // 26
    "limitRangeReplaced",     // 27
    "limitRangeRemoved",      // 28
    "resourceQuotaCreated",   // 29
    "resourceQuotaReplaced",  // 30
    "resourceQuotaRemoved",   // 31
    "podCreateRefused",       // 32
    "podEventObserved",       // 33
    "persistentVolumeCreated",        // 34
    "persistentVolumeReplaced",       // 35
    "persistentVolumeRemoved",        // 36
    "persistentVolumeClaimCreated",   // 37
    "persistentVolumeClaimReplaced",  // 38
    "persistentVolumeClaimRemoved",   // 39
    "volumeClaimBound",               // 40
    "volumeRecycled",                 // 41
    "volumeReclaimFailed",            // 42
    "podTemplateCreated",             // 43
    "podTemplateReplaced",            // 44
    "podTemplateRemoved",             // 45
};

}  // namespace

event_family family_of(std::uint16_t type) {
  // podDeleted (14) was appended after the observations but is a decision,
  // nodeHeartbeat (15) an observation, nodeUnschedulable (16),
  // namespaceCreated (17) and namespaceReplaced (18) commands, namespaceRemoved
  // (19) a decision: the type numbers are frozen, so the families cannot be
  // plain ranges.
  // The secret events (20-22) are commands, secretRemoved too: a user's
  // delete, or the namespace controller's on a user's behalf.
  // The user-written endpoints events (23, 24) are commands too, and the
  // limit range and quota ones (26-31), like the secret ones.
  // The persistent volume and claim events (34-39) are commands (a volume's
  // removal by its Delete policy too, made on the operator's behalf); the
  // binding and reclaiming ones (40-42) decisions; the pod template events
  // (43-45) commands.
  if (type <= 3 || (type >= 16 && type <= 18) || (type >= 20 && type <= 24) || (type >= 26 && type <= 31) ||
      (type >= 34 && type <= 39) || (type >= 43 && type <= 45))
    return event_family::command;
  // podEventObserved (33) is an observation: what a node saw.
  if ((type >= 11 && type <= 13) || type == 15 || type == 33) return event_family::observation;
  return event_family::decision;
}

std::string_view pod_event_type(std::string_view reason) {
  // kubelet's warnings among the reasons an agent reports (and the ones it may
  // report later): the rest are Normal, as kubelet has them.
  for (std::string_view w : {"Unhealthy", "BackOff", "Failed", "FailedMount", "FailedSync", "FailedKillPod"})
    if (reason == w) return "Warning";
  return "Normal";
}

std::string_view type_name(std::uint16_t type) {
  return type < k_type_names.size() ? k_type_names[type] : std::string_view("unknown");
}

std::string_view family_name(event_family f) {
  switch (f) {
    case event_family::command: return "command";
    case event_family::decision: return "decision";
    case event_family::observation: return "observation";
  }
  return "unknown";
}

}  // namespace berth::model
