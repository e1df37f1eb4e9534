#pragma once
// Journal events as plain C++ values (mirror of schema/events.capnp).
//
// The alternative index of `event_payload` IS the event type number written in
// every journal record frame (and equals the capnp `Event::Which` value): it is
// frozen. Append new alternatives at the end only; codec.cpp static_asserts the
// correspondence with the schema.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "actors/model/objects.hpp"

namespace berth::model {

/// Every event has exactly one family (docs/journal-debugging.md).
enum class event_family : std::uint8_t { command, decision, observation };

using api_object = std::variant<pod, replication_controller, service>;

struct event_header {
  object_reference object;  // the object the event concerns
  std::string principal;    // "user:admin", "controller:rc", "scheduler", "node:n1", ...
  std::uint64_t cause = 0;  // seq of the event that led to this one; 0 = root cause
  bool operator==(const event_header&) const = default;
};

struct reason {
  std::string reason;   // CamelCase, machine-readable ("NodeLost", "Unschedulable")
  std::string message;  // for people
  // `struct`: inside this class the bare name is the member above.
  bool operator==(const struct reason&) const = default;
};

struct node_readiness {
  bool ready = false;
  std::string reason;
  std::string message;
  time_ns last_heartbeat_time = 0;
  bool operator==(const node_readiness&) const = default;
};

// ---- commands
struct object_created {
  api_object object;
  bool operator==(const object_created&) const = default;
};
struct object_replaced {
  api_object object;
  bool operator==(const object_replaced&) const = default;
};
struct object_deleted {
  std::int64_t grace_period_seconds = -1;  // -1: the object's own default
  bool orphan_dependents = false;          // an RC's pods stay, with its owner reference removed
  bool operator==(const object_deleted&) const = default;
};
struct rc_scaled {
  std::int32_t replicas = 0;
  bool operator==(const rc_scaled&) const = default;
};
// ---- decisions
struct pod_created {
  pod object;
  bool operator==(const pod_created&) const = default;
};
struct pod_bound {
  std::string node_name;
  bool operator==(const pod_bound&) const = default;
};
struct pod_unschedulable {
  reason why;
  bool operator==(const pod_unschedulable&) const = default;
};
struct pod_evicted {
  reason why;
  bool operator==(const pod_evicted&) const = default;
};
struct pod_removed {
  reason why;
  bool operator==(const pod_removed&) const = default;
};
struct pod_deleted {
  reason why;
  bool operator==(const pod_deleted&) const = default;
};
struct endpoints_updated {
  endpoints object;
  bool operator==(const endpoints_updated&) const = default;
};
struct node_readiness_decided {
  node_readiness readiness;
  bool operator==(const node_readiness_decided&) const = default;
};
// ---- observations
struct node_registered {
  node object;
  bool operator==(const node_registered&) const = default;
};
struct node_readiness_observed {
  node_readiness readiness;
  bool operator==(const node_readiness_observed&) const = default;
};
struct pod_status_observed {
  pod_status status;
  bool operator==(const pod_status_observed&) const = default;
};
/// The node's agent heartbeated at `time` (journaled at most every grace
/// period / 4, like a Kubernetes node lease renewal).
struct node_heartbeat {
  time_ns time = 0;
  bool operator==(const node_heartbeat&) const = default;
};

/// A user cordoned (true) or uncordoned (false) the node: its
/// spec.unschedulable, which only users set (agents re-registering keep it).
struct node_unschedulable {
  bool unschedulable = false;
  bool operator==(const node_unschedulable&) const = default;
};

/// A user created a namespace (the fold sets its phase Active). Deleting one
/// is object_deleted with kind "Namespace": it goes Terminating.
struct namespace_created {
  namespace_object object;
  bool operator==(const namespace_created&) const = default;
};
/// A user changed a namespace's labels or annotations (nothing else is theirs).
struct namespace_replaced {
  namespace_object object;
  bool operator==(const namespace_replaced&) const = default;
};
/// The namespace controller removes Terminating namespace header.object: nothing is left in it.
struct namespace_removed {
  reason why;
  bool operator==(const namespace_removed&) const = default;
};

/// A user created a secret; `object.sealed` holds its data encrypted
/// (`object.data` is empty: plaintext never reaches the journal).
struct secret_created {
  secret object;
  bool operator==(const secret_created&) const = default;
};
/// A user replaced a secret's type, data, labels or annotations (sealed, as above).
struct secret_replaced {
  secret object;
  bool operator==(const secret_replaced&) const = default;
};
/// Secret header.object is gone: a user deleted it, or the namespace
/// controller emptied its Terminating namespace.
struct secret_removed {
  reason why;
  bool operator==(const secret_removed&) const = default;
};

/// A user wrote endpoints by hand (Kubernetes' way for a service without a
/// selector, e.g. the glusterfs example): created (uid assigned) or their
/// subsets, labels and annotations replaced. No service is needed: they may
/// come before it. The endpoints controller never writes a selector-less
/// service's endpoints, and overwrites a user's write to those of a service
/// with a selector (as Kubernetes' controller does).
struct endpoints_replaced {
  endpoints object;
  bool operator==(const endpoints_replaced&) const = default;
};
/// Endpoints header.object are gone: a user deleted them, or the namespace
/// controller emptied its Terminating namespace.
struct endpoints_removed {
  reason why;
  bool operator==(const endpoints_removed&) const = default;
};

/// Event type number 25 (schema ordinal @26) was held for a branch that did
/// not need it; kept so the numbers after it match the schema. Never folded.
template <int N>
struct reserved_event {
  bool operator==(const reserved_event&) const = default;
};

/// A user created a limit range.
struct limit_range_created {
  limit_range object;
  bool operator==(const limit_range_created&) const = default;
};
/// A user replaced a limit range's spec, labels or annotations.
struct limit_range_replaced {
  limit_range object;
  bool operator==(const limit_range_replaced&) const = default;
};
/// Limit range header.object is gone (a user's delete, or the namespace controller's).
struct limit_range_removed {
  reason why;
  bool operator==(const limit_range_removed&) const = default;
};
/// A user created a resource quota (spec only: the status is counted when asked).
struct resource_quota_created {
  resource_quota object;
  bool operator==(const resource_quota_created&) const = default;
};
/// A user replaced a quota's hard limits, labels or annotations.
struct resource_quota_replaced {
  resource_quota object;
  bool operator==(const resource_quota_replaced&) const = default;
};
/// Quota header.object is gone.
struct resource_quota_removed {
  reason why;
  bool operator==(const resource_quota_removed&) const = default;
};
/// Replication controller header.object could not create a pod: admission
/// refused it ({"FailedCreate", "Error creating: pods \"web-\" is forbidden: ..."}).
/// Changes nothing in the state; it is the RC's visible record of the refusal.
struct pod_create_refused {
  reason why;
  bool operator==(const pod_create_refused&) const = default;
};

/// Something pod header.object's node saw happen to it that kubelet records
/// as an Event: {"Unhealthy", "Liveness probe failed: ...", "liveness"}. An
/// observation that changes nothing in the state (a pod that is gone or on
/// another node makes it an ignored event); it is the pod's visible record.
struct pod_event_observed {
  std::string reason;     // Kubernetes' Event reason: "Unhealthy", "Killing"
  std::string message;
  std::string container;  // "" = the pod itself
  bool operator==(const pod_event_observed&) const = default;
};

/// An operator made persistent volume header.object available (status not
/// stored: the fold sets it).
struct persistent_volume_created {
  persistent_volume object;
  bool operator==(const persistent_volume_created&) const = default;
};
/// A volume's spec, labels or annotations replaced (its claimRef and status stay the fold's).
struct persistent_volume_replaced {
  persistent_volume object;
  bool operator==(const persistent_volume_replaced&) const = default;
};
/// Volume header.object is gone (a user's delete, or its Delete reclaim policy).
struct persistent_volume_removed {
  reason why;
  bool operator==(const persistent_volume_removed&) const = default;
};
/// A user claimed storage (status not stored).
struct persistent_volume_claim_created {
  persistent_volume_claim object;
  bool operator==(const persistent_volume_claim_created&) const = default;
};
/// A claim's labels or annotations replaced (its spec is immutable once created).
struct persistent_volume_claim_replaced {
  persistent_volume_claim object;
  bool operator==(const persistent_volume_claim_replaced&) const = default;
};
/// Claim header.object is gone; the fold makes its volume Released.
struct persistent_volume_claim_removed {
  reason why;
  bool operator==(const persistent_volume_claim_removed&) const = default;
};
/// The volume controller bound claim header.object to volume `volume_name`.
struct volume_claim_bound {
  std::string volume_name;
  bool operator==(const volume_claim_bound&) const = default;
};
/// Volume header.object was scrubbed by its recycler pod: Available again.
struct volume_recycled {
  reason why;
  bool operator==(const volume_recycled&) const = default;
};
/// Reclaiming volume header.object failed: phase Failed, with why.
struct volume_reclaim_failed {
  reason why;
  bool operator==(const volume_reclaim_failed&) const = default;
};

/// A user created a pod template.
struct pod_template_created {
  pod_template object;
  bool operator==(const pod_template_created&) const = default;
};
/// A user replaced a pod template's template, labels or annotations.
struct pod_template_replaced {
  pod_template object;
  bool operator==(const pod_template_replaced&) const = default;
};
/// Pod template header.object is gone (a user's delete, or the namespace controller's).
struct pod_template_removed {
  reason why;
  bool operator==(const pod_template_removed&) const = default;
};

/// Kubernetes' Event type of a pod event's reason: "Warning" for the reasons
/// kubelet reports as warnings (Unhealthy, BackOff, Failed...), else "Normal".
std::string_view pod_event_type(std::string_view reason);

/// Index = event type number on disk. APPEND-ONLY.
using event_payload = std::variant<object_created,           // 0
                                   object_replaced,          // 1
                                   object_deleted,           // 2
                                   rc_scaled,                // 3
                                   pod_created,              // 4
                                   pod_bound,                // 5
                                   pod_unschedulable,        // 6
                                   pod_evicted,              // 7
                                   pod_removed,              // 8
                                   endpoints_updated,        // 9
                                   node_readiness_decided,   // 10
                                   node_registered,          // 11
                                   node_readiness_observed,  // 12
                                   pod_status_observed,      // 13
                                   pod_deleted,              // 14 (a decision)
                                   node_heartbeat,           // 15 (an observation)
                                   node_unschedulable,       // 16 (a command)
                                   namespace_created,        // 17 (a command)
                                   namespace_replaced,       // 18 (a command)
                                   namespace_removed,        // 19 (a decision)
                                   secret_created,           // 20 (a command)
                                   secret_replaced,          // 21 (a command)
                                   secret_removed,           // 22 (a command)
                                   endpoints_replaced,       // 23 (a command)
                                   endpoints_removed,        // 24 (a command)
                                   reserved_event<25>,       // 25 (schema reserved26: unused)
                                   limit_range_created,      // 26 (a command)
                                   limit_range_replaced,     // 27 (a command)
                                   limit_range_removed,      // 28 (a command)
                                   resource_quota_created,   // 29 (a command)
                                   resource_quota_replaced,  // 30 (a command)
                                   resource_quota_removed,   // 31 (a command)
                                   pod_create_refused,       // 32 (a decision)
                                   pod_event_observed,       // 33 (an observation)
                                   persistent_volume_created,         // 34 (a command)
                                   persistent_volume_replaced,        // 35 (a command)
                                   persistent_volume_removed,         // 36 (a command)
                                   persistent_volume_claim_created,   // 37 (a command)
                                   persistent_volume_claim_replaced,  // 38 (a command)
                                   persistent_volume_claim_removed,   // 39 (a command)
                                   volume_claim_bound,                // 40 (a decision)
                                   volume_recycled,                   // 41 (a decision)
                                   volume_reclaim_failed,             // 42 (a decision)
                                   pod_template_created,              // 43 (a command)
                                   pod_template_replaced,             // 44 (a command)
                                   pod_template_removed               // 45 (a command)
                                   >;

inline constexpr std::uint16_t k_event_type_count = std::variant_size_v<event_payload>;

/// One journal event. `seq` and `time` come from the record frame (stamped by
/// the journal writer); producers leave them 0.
struct event {
  std::uint64_t seq = 0;
  time_ns time = 0;
  event_header header;
  event_payload payload;
  bool operator==(const event&) const = default;
};

inline std::uint16_t type_of(const event& e) { return static_cast<std::uint16_t>(e.payload.index()); }

/// The family of an event type; types >= k_event_type_count are not valid.
event_family family_of(std::uint16_t type);

/// "objectCreated", "podBound", ... (the schema's member names); "unknown" for bad types.
std::string_view type_name(std::uint16_t type);

/// "command", "decision", "observation".
std::string_view family_name(event_family f);

}  // namespace berth::model
