#pragma once
// core/v1 Events derived from the journal (rendered by objects_json.hpp). berth keeps no Event objects:
// every decision and observation the journal holds about an object is shown
// as an Event of it, so `kubectl describe` has an Events section and `kubectl
// get events` lists them. Unlike Kubernetes' Events they do not expire after
// an hour: they are the journal. Pure: no I/O.

#include <cstdint>
#include <string>

#include "actors/kube/objects_json.hpp"

namespace berth::kube {

/// One journal event about one object, as the store summarizes it.
struct journal_event_row {
  std::uint64_t seq = 0;
  std::int64_t time_ns = 0;
  std::string type;     // the journal's event type: "podBound", "podCreated", ...
  std::string message;  // the store's human summary
  std::string principal;
  // The object it is about.
  std::string kind;  // "Pod", "ReplicationController", ...
  std::string namespace_;
  std::string name;
  std::string uid;
};

/// Kubernetes' reason and type ("Normal"/"Warning") for a journal event type:
/// podBound -> Scheduled, podCreated -> SuccessfulCreate, podUnschedulable ->
/// FailedScheduling (Warning), ... Types without a Kubernetes counterpart
/// keep their journal name with its first letter raised ("ObjectCreated").
struct event_reason {
  std::string reason;
  std::string type;
};
event_reason reason_of(const std::string& journal_type);

/// The Event of one journal event: name `<object>.<seq in hex>`,
/// resourceVersion the journal seq, count 1, first = last timestamp, source
/// berthd, in the involved object's namespace ("default" for nodes).
event_object event_of(const journal_event_row& row);

}  // namespace berth::kube
