#pragma once
// The store actor's state and the functions its handlers call, split across
// store.cpp (behaviour, fold, routing), store_api.cpp (commands and reads),
// store_nodes.cpp (node agents) and store_gc.cpp (garbage collection).
// Internal to actors/core.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor.hpp>
#include <caf/response_promise.hpp>
#include <caf/stateful_actor.hpp>

#include "actors/introspect/instrumented.hpp"

#include "actors/control_plane.hpp"
#include "actors/core/api_request.hpp"
#include "actors/core/emitter.hpp"
#include "actors/core/messages.hpp"
#include "actors/core/store.hpp"
#include "actors/model/state.hpp"
#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/selector.hpp"

namespace berth::actors {

struct watcher {
  kind k = kind::pod;
  std::string namespace_;  // empty: every namespace
  reconcile::label_selector labels;
  std::optional<reconcile::field_selector> fields;
  control_plane::callback<watch_event> on_event;
  control_plane::callback<std::string> on_closed;
};

/// One object touched by an event, as it was before and after the fold.
struct touched_object {
  kind k = kind::pod;
  model::object_key key;  // nodes: {"", name}
  std::optional<any_object> before;
  std::optional<any_object> after;
};

struct store_state {
  static inline const char* name = "store";

  model::cluster_state state;
  journal::journal* journal = nullptr;
  journal::writer* writer = nullptr;
  store_config config;
  std::optional<emitter> em;

  caf::actor scheduler;
  std::map<model::object_key, caf::actor> pod_actors;
  std::map<model::object_key, caf::actor> rc_actors;
  std::map<model::object_key, caf::actor> service_actors;
  std::map<std::string, caf::actor> node_actors;
  std::map<std::string, link_ptr> links;  // node name -> its agent's connection

  std::map<std::uint64_t, watcher> watchers;
  std::multimap<std::uint64_t, caf::response_promise> syncs;  // answered once state.seq >= key
  std::multimap<std::uint64_t, caf::response_promise> input_requests;

  /// Recent journal seqs per object ("Pod/ns/name"), newest last: describe's Events.
  std::map<std::string, std::deque<std::uint64_t>> recent_events;
  /// Last status each pod's node reported that is not folded yet (dedupes reports).
  std::map<model::object_key, model::pod_status> reported_status;
  /// Pods the garbage collector already asked to delete or remove.
  std::map<model::object_key, std::uint64_t> gc_pending;
  std::uint64_t folded_since_snapshot = 0;
  /// A push of services and endpoints to the agents is scheduled (coalescing changes).
  bool services_push_pending = false;
  /// Cluster IPs and node ports of services created or replaced but not yet folded.
  reconcile::addresses_in_use pending_addresses;
};

using store_actor = caf::stateful_actor<store_state, introspect::instrumented<>>*;

// ---- store_services.cpp
/// Services or endpoints changed: push the full set to every agent soon (coalesced).
void services_changed(store_actor self);
/// Pushes the full set now to every connected agent.
void push_services(store_actor self);
/// Sends the full set to one agent (after it joined).
void push_services_to(store_actor self, const link_ptr& link);

// ---- store.cpp
void fold_record(store_actor self, const journal::record& r);
/// Applies `e` to `s` and returns the objects it touched, before and after.
std::vector<touched_object> fold_and_diff(model::cluster_state& s, const model::event& e);
void answer_waiters(store_actor self);
std::vector<model::pod> pods_in_namespace(const model::cluster_state& s, const std::string& ns);
std::string event_key(kind k, const model::object_key& key);

// ---- store_route.cpp
void route(store_actor self, std::uint64_t seq, const std::vector<touched_object>& touched);
void spawn_object_actors(store_actor self);  // for every object in the replayed state
scheduling_inputs_ptr make_scheduling_inputs(const model::cluster_state& s);

// ---- store_watch.cpp
void notify_watchers(store_actor self, std::uint64_t seq, const std::vector<touched_object>& touched);
void start_watch(store_actor self, watch_request& req);

// ---- store_api.cpp
void handle_api(store_actor self, api_request& req);
std::optional<any_object> find_object(const model::cluster_state& s, kind k, const model::object_key& key);

// ---- store_nodes.cpp
void handle_join(store_actor self, join_request& req);
void handle_pod_status(store_actor self, pod_status_request& req);
void handle_pod_terminated(store_actor self, pod_terminated_request& req);
void handle_disconnect(store_actor self, disconnect_request& req);

// ---- store_gc.cpp
void collect_garbage(store_actor self, std::uint64_t cause);

}  // namespace berth::actors
