#pragma once
// Journal events in words for the debugging commands: who emitted an event,
// what it did (one line for `journal ls`), and the phrase it contributes to a
// `why` chain. Pure: no journal, no I/O.

#include <string>

#include "actors/model/events.hpp"

namespace berth::debug {

/// "pod", "rc", "svc", "endpoints", "node" for an ObjectReference kind; the kind itself otherwise.
std::string short_kind(const std::string& kind);

/// "pod/web-x7k2q" (kubectl's KIND/NAME form).
std::string object_text(const model::object_reference& ref);

/// object_text of the object the event is about (object_index.hpp object_of).
std::string object_text(const model::event& e);

/// The principal for people: "user:admin" → "admin", "controller:node-lifecycle"
/// → "node controller", "controller:replicationcontroller/web" → "RC web",
/// "controller:scheduler" → "scheduler", "node:n1" → "node n1".
std::string who(const std::string& principal);

/// One line about what the event did: "bound to node n1", "scaled to 5 replicas".
std::string summary(const model::event& e);

/// The event's phrase in a causal chain; `effect` is the event it caused
/// (nullptr for the chain's first step). Examples: "pod/web-x7k2q removed
/// (Terminated: ...)", "evicted by node controller (NodeLost: ...)", "node n2
/// NotReady since 10:14:03 (last heartbeat 10:13:21)", "scaled by admin at
/// 10:02:11 (command seq 4711)".
std::string chain_phrase(const model::event& e, const model::event* effect);

/// For a decision an RC made (pod created or deleted): "RC web reconciled to
/// 3 replicas", the replicas read from `cause` (the command it reacted to; may
/// be nullptr or another event: then just "RC web reconciled"). "" for events
/// no RC made.
std::string reconcile_phrase(const model::event& decision, const model::event* cause);

}  // namespace berth::debug
