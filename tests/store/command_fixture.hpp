#pragma once
// What the store's command tests share: a client's create command, and
// folding a planned event the way the store appends it (seq = state.seq + 1).

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/model/state.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"

namespace berth::store::testing {

inline actors::create_cmd create_of(actors::any_object o, bool apply = false, bool dry_run = false) {
  return actors::create_cmd{"user:test", std::move(o), dry_run, apply};
}

inline std::vector<touched_object> fold(model::cluster_state& s, model::event e) {
  e.seq = s.seq + 1;
  e.time = static_cast<model::time_ns>(e.seq) * 1000;
  return fold_and_diff(s, e);
}

/// Plans a client's create that must be accepted, and folds its event.
inline void create(model::cluster_state& s, actors::any_object o, const std::string& uid) {
  address_book book;
  auto plan = plan_create(s, create_of(std::move(o)), book, uid);
  REQUIRE_MESSAGE(!plan.answer, (plan.answer ? plan.answer->message : ""));
  fold(s, plan.event);
}

}  // namespace berth::store::testing
