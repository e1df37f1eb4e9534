#pragma once
// The store's verbs as pure functions of the folded state: a command is either
// answered at once (invalid, not found, unchanged, dry run) or becomes one
// command event to append; once that event is folded, answer_after_fold()
// gives the client's outcome. Reads (get, list) are answered from the state.
// CAF-free: the store actor only appends and waits.

#include <cstdint>
#include <optional>
#include <string>

#include "actors/control_plane.hpp"
#include "actors/model/events.hpp"
#include "actors/model/state.hpp"
#include "actors/store/address_book.hpp"

namespace berth::store {

/// What to do with one command.
struct command_plan {
  /// Set: answer this now, append nothing.
  std::optional<actors::outcome> answer;
  /// Otherwise: append `event`, then answer with answer_after_fold().
  model::event event;
  actors::object_key key;
  std::string action;                          // "created", "configured", "deleted", "scaled"
  std::string expect_uid;                      // created: the folded object must carry this uid, else it lost a race
  std::optional<actors::any_object> fallback;  // deleted: answered once the object is gone
  reservation held;                            // service addresses to release once answered
};

actors::outcome failure(actors::outcome::code c, std::string message);

/// The object as the API hands it out: a secret's sealed data opened with
/// the installed keyring (actors/secrets/sealed.hpp); other kinds as they
/// are. Returns why not (naming the secret), leaving `o` as it was.
std::string open_for_api(actors::any_object& o);

/// The object as the API shows it, from the folded state: a quota gets its
/// status (hard, and used counted now: actors/model/quota.hpp).
void fill_for_api(const model::cluster_state& s, actors::any_object& o);

/// create / apply. `new_uid` is used when the object is created (the caller's
/// randomness keeps this pure). Service addresses are assigned from `addresses`
/// and held in the plan until the caller releases them.
command_plan plan_create(const model::cluster_state& s, actors::create_cmd cmd, address_book& addresses,
                         const std::string& new_uid);
/// Why nothing new may be created as `key` (namespaced): its namespace does
/// not exist (not_found, naming the namespace) or is Terminating (forbidden);
/// nullopt when it may.
std::optional<actors::outcome> refuse_in_namespace(const model::cluster_state& s, const actors::object_key& key);

command_plan plan_delete(const model::cluster_state& s, const actors::delete_cmd& cmd);
command_plan plan_scale(const model::cluster_state& s, const actors::scale_cmd& cmd);

/// The outcome of a committed plan, read from the state after its event was folded at `seq`.
actors::outcome answer_after_fold(const model::cluster_state& s, const command_plan& plan, std::uint64_t seq);

actors::outcome get_object(const model::cluster_state& s, const actors::get_query& q);
actors::list_result list_objects(const model::cluster_state& s, const actors::list_query& q);

/// "pods \"web\"": how messages name an object.
std::string describe(const actors::object_key& k);

}  // namespace berth::store
