#pragma once
// What every rule of the fold shares (state.cpp, state_volumes.cpp): whether
// an event's header names a stored object, and the metadata the fold owns.
// Internal to the model library.

#include <string_view>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"

namespace berth::model::fold_detail {

/// True when `ref` names an object of `kind` whose metadata is `m` (the map
/// lookup already matched namespace and name).
inline bool names(const object_reference& ref, std::string_view kind, const object_meta& m) {
  return ref.kind == kind && (ref.uid.empty() || ref.uid == m.uid);
}

/// Metadata of an object entering the state: the fold, not the producer, owns
/// these fields.
inline void init_meta(object_meta& m, const event& e) {
  m.generation = 1;
  m.creation_timestamp = e.time;
  m.resource_version = e.seq;
  m.deletion_timestamp = 0;
  m.deletion_grace_period_seconds = 0;
}

}  // namespace berth::model::fold_detail
