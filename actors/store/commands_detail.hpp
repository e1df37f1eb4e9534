#pragma once
// The pieces every kind's command planning shares (commands.cpp defines them;
// volume_commands.cpp plans persistent volumes and claims with them).
// Internal to the store library.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "actors/store/commands.hpp"

namespace berth::store::detail {

/// A client's command as a journal event about the object `m` names.
model::event command_event(const std::string& principal, actors::kind k, const model::object_meta& m,
                           model::event_payload payload);

/// A plan that answers at once and appends nothing.
command_plan answer(actors::outcome o);

actors::outcome with_object(std::optional<actors::any_object> object, std::string action);

/// 422: `key` is invalid, with (field, message) causes.
actors::outcome invalid(const actors::object_key& key, const std::vector<std::pair<std::string, std::string>>& errors);

/// A created object's server-set metadata: the new uid, the rest zero until
/// the fold sets them.
void make_new(model::object_meta& m, const std::string& uid);

/// Persistent volumes and claims (volume_commands.cpp).
command_plan plan_persistent_volume(const model::cluster_state& s, const actors::create_cmd& cmd,
                                    const std::string& new_uid);
command_plan plan_persistent_volume_claim(const model::cluster_state& s, const actors::create_cmd& cmd,
                                          const std::string& new_uid);

/// Kubernetes' words for a lost optimistic-concurrency race.
inline constexpr const char* k_object_modified =
    "the object has been modified; please apply your changes to the latest version and try again";

}  // namespace berth::store::detail
