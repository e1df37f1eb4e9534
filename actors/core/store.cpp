#include "actors/core/store.hpp"

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/actor_util.hpp"
#include "actors/core/object_actors.hpp"
#include "actors/core/store_state.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"

namespace berth::actors {
namespace {

void maybe_snapshot(store_self self) {
  auto& st = self->state;
  if (st.config.snapshot_every == 0 || ++st.folded_since_snapshot < st.config.snapshot_every) return;
  st.folded_since_snapshot = 0;
  auto s = model::write_snapshot(*st.journal, st.state);
  if (!s.ok()) fmt::print(stderr, "berthd: snapshot at seq {} failed: {}\n", st.state.seq, s.to_string());
}

/// Fills the recent events from the journal's last records, so that describe
/// shows an object's events after a restart too.
void index_recent_history(store_self self, std::uint64_t records) {
  auto& st = self->state;
  auto last = st.state.seq;
  if (last == 0) return;
  auto from = last > records ? last - records + 1 : 1;
  auto cursor = st.journal->read_from(std::max(from, st.journal->first_seq()));
  while (auto r = cursor->next()) {
    if (r->seq > last) break;
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
    if (!e || !store::listed_in_events(*e)) continue;
    for (auto& [k, key] : store::touched_keys(*e))
      if (store::find_object(st.state, k, key)) st.recent.record(store::event_key(k, key), r->seq);
  }
}

/// One batch per fold, shared by every feed: the store's cost per fold does
/// not grow with the number of watches (the watch cache fans it out).
void hand_to_feeds(store_self self, std::uint64_t seq, std::vector<store::touched_object> touched,
                   std::shared_ptr<const model::event> e) {
  auto& feeds = self->state.feeds;
  if (feeds.empty()) return;
  auto batch = std::make_shared<const store::fold_batch>(store::fold_batch{seq, std::move(touched), std::move(e)});
  for (const auto& f : feeds) f->on_fold(batch);
}

void fold_record(store_self self, const journal::record& r) {
  auto& st = self->state;
  if (r.seq <= st.state.seq) return;  // already folded (replayed before the tail started)
  std::string error;
  auto e = model::decode_event(r.seq, r.time_ns, r.type, r.payload, &error);
  if (!e) {
    // We wrote it ourselves moments ago: this is a bug, not bad input. Keep the
    // state's seq in step with the journal and say so loudly.
    fmt::print(stderr, "berthd: journal record seq {} does not decode: {}\n", r.seq, error);
    st.state.seq = r.seq;
    ++st.state.ignored_events;
    hand_to_feeds(self, r.seq, {}, nullptr);  // the watch cache's seq follows the store's
    return;
  }
  auto touched = store::fold_and_diff(st.state, *e);
  for (const auto& t : touched) {
    auto key = store::event_key(t.k, t.key);
    if (t.after) {
      if (store::listed_in_events(*e)) st.recent.record(key, r.seq);
    } else {
      st.recent.forget(key);  // gone: its history stays in the journal, not in memory
    }
  }
  route(self, r.seq, touched);
  hand_to_feeds(self, r.seq, std::move(touched), std::make_shared<const model::event>(std::move(*e)));
  maybe_snapshot(self);
}

/// What `berth console inspect store` shows: the folded state's extent and
/// the store's bookkeeping (the objects themselves are one `get` away).
std::string render_store(const store_state& st) {
  auto n = [](std::size_t v) { return static_cast<std::int64_t>(v); };
  auto objects = introspect::json_object()
                     .num("pods", n(st.state.pods.size()))
                     .num("replicationControllers", n(st.state.rcs.size()))
                     .num("services", n(st.state.services.size()))
                     .num("endpoints", n(st.state.endpoints_.size()))
                     .num("nodes", n(st.state.nodes.size()))
                     .num("namespaces", n(st.state.namespaces.size()))
                     .num("persistentVolumes", n(st.state.volumes.size()))
                     .num("persistentVolumeClaims", n(st.state.claims.size()))
                     .done();
  std::size_t connected = 0;
  for (const auto& [name, link] : st.links) connected += link && link->connected() ? 1 : 0;
  return introspect::json_object()
      .num("foldedSeq", static_cast<std::int64_t>(st.state.seq))
      .num("ignoredEvents", static_cast<std::int64_t>(st.state.ignored_events))
      .raw("objects", objects)
      .num("foldedSinceSnapshot", static_cast<std::int64_t>(st.folded_since_snapshot))
      .num("watchFeeds", n(st.feeds.size()))
      .num("waitingForFold", n(st.folded.size()))
      .num("agentsConnected", n(connected))
      .boolean("servicesPushPending", st.services_push_pending)
      .num("gcPending", n(st.gc.pending()))
      .num("addressesHeld", n(st.addresses.held()))
      .num("objectsWithCommandInFlight", n(st.gate.busy()))
      .num("commandsHeldBehindAnother", n(st.gate.held()))
      .done();
}

void on_exit_and_exceptions(store_self self) {
  // Object actors are linked to the store so that stopping the store stops
  // them. One of them failing must not take the store down: log it.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (m.reason == caf::exit_reason::user_shutdown || m.reason == caf::exit_reason::kill) {
      self->quit(m.reason);
      return;
    }
    if (m.reason) fmt::print(stderr, "berthd: an object actor failed: {}\n", caf::to_string(m.reason));
  });
  log_exceptions(self, "store");
}

store_actor::behavior_type store_behavior(store_self self, model::cluster_state initial, journal::journal* j,
                                          journal::writer* w, store_config config) {
  auto& st = self->state;
  introspect::enroll(self, "store", "", "", [self] { return render_store(self->state); });
  on_exit_and_exceptions(self);
  st.state = std::move(initial);
  st.journal = j;
  st.writer = w;
  st.config = config;
  st.addresses = store::address_book(config.addresses);
  st.em.emplace(w, caf::actor_cast<store_actor>(self));
  index_recent_history(self, 20'000);
  st.scheduler = spawn_scheduler(self, {w, caf::actor_cast<store_actor>(self), config});
  st.namespaces = spawn_namespace_controller(self, {w, caf::actor_cast<store_actor>(self), config});
  st.volumes = spawn_volume_controller(self, {w, caf::actor_cast<store_actor>(self), config});
  spawn_object_actors(self);
  self->send(self, sweep_atom::value);
  return {
      // ---- the front ends' requests (actors/control_plane.hpp)
      [=](create_cmd& c) { return handle(self, c); },
      [=](delete_cmd& c) { return handle(self, c); },
      [=](scale_cmd& c) { return handle(self, c); },
      [=](const get_query& q) { return store::get_object(self->state.state, q); },
      [=](const list_query& q) { return store::list_objects(self->state.state, q); },
      [=](const events_query& q) { return handle(self, q); },
      [=](join_cmd& c) { return handle(self, c); },
      // ---- one-way messages
      [=](feed_cmd& c) { handle(self, c); },
      [=](const heartbeat_msg& m) { handle(self, m); },
      [=](pod_status_report& r) { handle(self, r); },
      [=](const pod_terminated_report& r) { handle(self, r); },
      [=](const pod_event_report& r) { handle(self, r); },
      [=](const disconnect_msg& m) { handle(self, m); },
      // ---- the journal, the other actors, timers
      [=](fold_atom, const record_ptr& r) {
        fold_record(self, *r);
        self->state.folded.release(self->state.state.seq);
      },
      [=](sync_atom, std::uint64_t seq) -> caf::result<std::uint64_t> {
        if (self->state.state.seq >= seq) return self->state.state.seq;
        auto rp = self->make_response_promise<std::uint64_t>();
        self->state.folded.wait(seq, [rp](std::uint64_t folded) mutable { rp.deliver(folded); });
        return rp;
      },
      [=](inputs_atom, std::uint64_t min_seq) -> caf::result<scheduling_inputs_ptr> {
        auto inputs = [self] {
          return std::make_shared<const store::scheduling_inputs>(store::make_scheduling_inputs(self->state.state));
        };
        if (self->state.state.seq >= min_seq) return scheduling_inputs_ptr{inputs()};
        auto rp = self->make_response_promise<scheduling_inputs_ptr>();
        self->state.folded.wait(min_seq, [rp, inputs](std::uint64_t) mutable { rp.deliver(inputs()); });
        return rp;
      },
      [=](nsinputs_atom, std::uint64_t min_seq) -> caf::result<namespace_inputs_ptr> {
        auto inputs = [self] {
          return std::make_shared<const store::namespace_inputs>(store::make_namespace_inputs(self->state.state));
        };
        if (self->state.state.seq >= min_seq) return namespace_inputs_ptr{inputs()};
        auto rp = self->make_response_promise<namespace_inputs_ptr>();
        self->state.folded.wait(min_seq, [rp, inputs](std::uint64_t) mutable { rp.deliver(inputs()); });
        return rp;
      },
      [=](volinputs_atom, std::uint64_t min_seq) -> caf::result<volume_inputs_ptr> {
        auto inputs = [self] {
          return std::make_shared<const store::volume_inputs>(store::make_volume_inputs(self->state.state));
        };
        if (self->state.state.seq >= min_seq) return volume_inputs_ptr{inputs()};
        auto rp = self->make_response_promise<volume_inputs_ptr>();
        self->state.folded.wait(min_seq, [rp, inputs](std::uint64_t) mutable { rp.deliver(inputs()); });
        return rp;
      },
      [=](ack_atom, std::uint64_t batch, std::uint64_t last_seq, const std::string& error) {
        // The store's own appends: wait for its own fold, not for a message to itself.
        auto then = self->state.em->take(batch);
        if (!then) return;
        if (!error.empty() || last_seq == 0) return then(emit_result{last_seq, error});
        self->state.folded.wait(last_seq, [then](std::uint64_t folded) { then(emit_result{folded, {}}); });
        self->state.folded.release(self->state.state.seq);
      },
      [=](admit_atom a, const events_ptr& batch) { return handle(self, a, batch); },
      [=](sweep_atom) { collect_garbage(self, self->state.state.seq); },
      [=](svcpush_atom) { push_services(self); },
      [=](secpush_atom) { push_secrets(self); },
  };
}

}  // namespace

void commit(store_self self, std::vector<model::event> events, emitter::continuation then) {
  self->state.em->emit(self, std::move(events), std::move(then));
}

caf::actor spawn_store(caf::actor_system& sys, model::cluster_state initial, journal::journal& j, journal::writer& w,
                       store_config config) {
  return caf::actor_cast<caf::actor>(sys.spawn(store_behavior, std::move(initial), &j, &w, config));
}

std::uint64_t connect_tail(journal::writer& w, const caf::actor& store) {
  return w.subscribe([store](const journal::record& r) {
    caf::anon_send(store, fold_atom::value, std::make_shared<const journal::record>(r));
  });
}

}  // namespace berth::actors
