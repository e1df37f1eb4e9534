#pragma once
// The store actor's state: the folded cluster state, the CAF-free classes that
// do the store's work (actors/store/), and the handles of the actors it
// spawned. The functions its handlers call are split across store.cpp
// (behaviour and fold), store_route.cpp (carrying out routing plans),
// store_commands.cpp (commands and reads) and store_agents.cpp (node agents).
// Internal to actors/core.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "actors/core/emitter.hpp"
#include "actors/core/protocol.hpp"
#include "actors/core/store.hpp"
#include "actors/model/state.hpp"
#include "actors/store/address_book.hpp"
#include "actors/store/garbage.hpp"
#include "actors/store/key_gate.hpp"
#include "actors/store/node_reports.hpp"
#include "actors/store/node_secrets.hpp"
#include "actors/store/recent_events.hpp"
#include "actors/store/seq_waiters.hpp"

namespace berth::actors {

struct store_state {
  static inline const char* name = "store";

  model::cluster_state state;
  journal::journal* journal = nullptr;
  journal::writer* writer = nullptr;
  store_config config;
  std::optional<emitter> em;

  // The store's responsibilities, each a CAF-free class with its own tests.
  store::seq_waiters folded;  // continuations waiting for a seq to be folded
  // The watch cache's feeds: each fold's batch goes to each once (watch_cache.hpp).
  std::vector<std::shared_ptr<fold_feed>> feeds;
  store::address_book addresses;  // service addresses held until folded
  store::recent_events recent;    // describe's Events
  store::garbage_collector gc;
  store::status_reports reports;  // pod status reports in flight
  store::key_gate gate;           // one client command per object in flight
  std::uint64_t folded_since_snapshot = 0;
  bool services_push_pending = false;  // a push to the agents is scheduled (coalescing)
  // Secrets pushed to each node (store::secrets_for_nodes): the nodes to look
  // at on the next push (all of them after a secret changed), and what each
  // connected node was last sent, so only a changed set goes out again.
  bool secrets_push_pending = false;
  bool secrets_dirty_all = false;
  std::set<std::string> secrets_dirty;
  std::map<std::string, std::vector<store::secret_version>> secrets_sent;
  std::map<std::string, std::vector<model::bound_claim>> claims_sent;  // what each node last got (setClaims)

  // The actors it spawned, and the agents' connections.
  scheduler_actor scheduler;
  namespace_controller_actor namespaces;
  volume_controller_actor volumes;
  std::map<model::object_key, pod_actor> pod_actors;
  std::map<model::object_key, rc_actor> rc_actors;
  std::map<model::object_key, service_actor> service_actors;
  std::map<std::string, node_actor> node_actors;
  std::map<std::string, link_ptr> links;  // node name -> its agent's connection
};

using store_self = typed_self<store_actor, store_state>;

// ---- store.cpp
/// Appends `events` on the store's own behalf; `then` runs once they are
/// folded (no round trip through the store's mailbox), or with the reason the
/// journal refused them.
void commit(store_self self, std::vector<model::event> events, emitter::continuation then);

// ---- store_route.cpp
void route(store_self self, std::uint64_t seq, const std::vector<store::touched_object>& touched);
void spawn_object_actors(store_self self);  // for every object in the replayed state
void collect_garbage(store_self self, std::uint64_t cause);

// ---- store_commands.cpp
caf::result<outcome> handle(store_self self, create_cmd& cmd);
caf::result<outcome> handle(store_self self, delete_cmd& cmd);
caf::result<outcome> handle(store_self self, scale_cmd& cmd);
/// A replication controller's batch: its pods admitted (actors/store/pod_admission.hpp)
/// and appended, gated on the namespace's quota key like users' creates.
caf::result<std::string> handle(store_self self, admit_atom, const events_ptr& batch);
std::vector<event_summary> handle(store_self self, const events_query& q);
void handle(store_self self, feed_cmd& cmd);

// ---- store_agents.cpp
caf::result<outcome> handle(store_self self, join_cmd& cmd);
void handle(store_self self, pod_status_report& r);
void handle(store_self self, const pod_terminated_report& r);
void handle(store_self self, const pod_event_report& r);
void handle(store_self self, const disconnect_msg& m);
void handle(store_self self, const heartbeat_msg& m);
/// Services or endpoints changed: push the full set to every agent soon (coalesced).
void services_changed(store_self self);
/// Pushes the full set now to every connected agent.
void push_services(store_self self);
/// The set of secrets of `node` may have changed (nullptr: of every node):
/// look soon (coalesced like services) and push it where it did.
void secrets_changed(store_self self, const std::string* node);
/// Pushes each dirty node's set where it differs from what the node has.
void push_secrets(store_self self);

}  // namespace berth::actors
