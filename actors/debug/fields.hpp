#pragma once
// Objects field by field: each object of a cluster_state rendered as the JSON
// `berth get -o json` prints (actors/manifest/render.hpp), flattened to
// `path = value` leaves ("spec.replicas", "status.conditions[0].status"), and
// two such renderings compared. Used by `history` (an object before and after
// each event) and `journal diff` (two states).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "actors/debug/object_index.hpp"
#include "actors/model/state.hpp"

namespace berth::debug {

/// The leaves of a JSON document in document order; values as JSON scalars
/// print ("3", "Running", "true"); an empty map or list is a leaf "{}" / "[]".
using flat_fields = std::vector<std::pair<std::string, std::string>>;

/// One changed leaf; nullopt = absent on that side.
struct field_change {
  std::string path;
  std::optional<std::string> before;
  std::optional<std::string> after;
  bool operator==(const field_change&) const = default;
};

/// Flattens a JSON document (objects → "a.b", arrays → "a[0]").
flat_fields flatten_json(const std::string& json);

/// The leaves that differ: changed and added ones in `after`'s order, then
/// removed ones in `before`'s order.
std::vector<field_change> diff_fields(const flat_fields& before, const flat_fields& after);

/// The JSON of the object `id` names in `s`, or nullopt when it is absent.
std::optional<std::string> object_json(const model::cluster_state& s, const object_id& id);

/// Every object in `s` (pods, RCs, services, endpoints, nodes), in that order,
/// each kind sorted by namespace and name.
std::vector<object_id> objects_in(const model::cluster_state& s);

}  // namespace berth::debug
