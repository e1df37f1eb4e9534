#pragma once
// Fold-and-diff: applies one journal event to the cluster state and says which
// objects it touched, as they were before and after. Everything downstream of
// the fold — routing to object actors, watches, recent events — works from
// this diff, so it is computed once per event. Pure: no CAF, no journal.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/model/events.hpp"
#include "actors/model/state.hpp"

namespace berth::store {

/// One object touched by an event. `key.namespace_` is empty for nodes and namespaces.
struct touched_object {
  actors::kind k = actors::kind::pod;
  model::object_key key;
  std::optional<actors::any_object> before;
  std::optional<actors::any_object> after;
};

/// One journal record as folded: the objects it touched and the event itself
/// (null when the record did not decode). The store makes one per fold and
/// hands it, shared and read-only, to the watch cache (watch_cache.hpp).
struct fold_batch {
  std::uint64_t seq = 0;
  std::vector<touched_object> touched;
  std::shared_ptr<const model::event> event;
};

/// The objects an event concerns: the one its header names, the one its
/// payload carries in full, and a deleted service's endpoints. No duplicates.
std::vector<std::pair<actors::kind, model::object_key>> touched_keys(const model::event& e);

/// Applies `e` to `s` (model::apply) and returns the objects it touched.
/// An ignored event gives entries whose before and after are both empty or equal.
std::vector<touched_object> fold_and_diff(model::cluster_state& s, const model::event& e);

/// The stored object of kind `k` under `key` (nodes, namespaces: key.name
/// only), copied; a namespace may be a derived one (model/namespaces.hpp).
std::optional<actors::any_object> find_object(const model::cluster_state& s, actors::kind k,
                                              const model::object_key& key);

/// The state's key for a client's object key (nodes are cluster-scoped).
model::object_key state_key(const actors::object_key& k);

/// "pods/ns/name": the key of an object's recent events.
std::string event_key(actors::kind k, const model::object_key& key);

}  // namespace berth::store
