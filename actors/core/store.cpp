#include "actors/core/store.hpp"

#include <chrono>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/object_actors.hpp"
#include "actors/core/store_state.hpp"
#include "actors/introspect/state_json.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"

namespace berth::actors {
namespace {

std::optional<kind> kind_from_name(const std::string& k) {
  if (k == model::k_kind_pod) return kind::pod;
  if (k == model::k_kind_rc) return kind::replication_controller;
  if (k == model::k_kind_service) return kind::service;
  if (k == model::k_kind_endpoints) return kind::endpoints;
  if (k == model::k_kind_node) return kind::node;
  return std::nullopt;
}

model::object_key key_of(const model::object_meta& m) { return {m.namespace_, m.name}; }

/// The objects an event concerns: the one its header names, the one its
/// payload carries in full, and a deleted service's endpoints.
std::vector<std::pair<kind, model::object_key>> touched_keys(const model::event& e) {
  std::vector<std::pair<kind, model::object_key>> out;
  auto add = [&](kind k, model::object_key key) {
    if (k == kind::node) key.namespace_.clear();
    for (const auto& [k2, key2] : out)
      if (k2 == k && key2 == key) return;
    out.emplace_back(k, std::move(key));
  };
  if (auto k = kind_from_name(e.header.object.kind))
    add(*k, {e.header.object.namespace_, e.header.object.name});
  std::visit(
      [&](const auto& p) {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, model::object_created> || std::is_same_v<T, model::object_replaced>) {
          std::visit(
              [&](const auto& o) {
                using O = std::decay_t<decltype(o)>;
                kind k = std::is_same_v<O, model::pod>                      ? kind::pod
                         : std::is_same_v<O, model::replication_controller> ? kind::replication_controller
                                                                            : kind::service;
                add(k, key_of(o.metadata));
              },
              p.object);
        } else if constexpr (std::is_same_v<T, model::pod_created>) {
          add(kind::pod, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::endpoints_updated>) {
          add(kind::endpoints, key_of(p.object.metadata));
        } else if constexpr (std::is_same_v<T, model::node_registered>) {
          add(kind::node, {"", p.object.metadata.name});
        } else if constexpr (std::is_same_v<T, model::object_deleted>) {
          if (e.header.object.kind == model::k_kind_service)
            add(kind::endpoints, {e.header.object.namespace_, e.header.object.name});
        }
      },
      e.payload);
  return out;
}

void maybe_snapshot(store_actor self) {
  auto& st = self->state;
  if (st.config.snapshot_every == 0 || ++st.folded_since_snapshot < st.config.snapshot_every) return;
  st.folded_since_snapshot = 0;
  auto s = model::write_snapshot(*st.journal, st.state);
  if (!s.ok()) fmt::print(stderr, "berthd: snapshot at seq {} failed: {}\n", st.state.seq, s.to_string());
}

/// Fills recent_events from the journal's last records, so that describe shows
/// an object's events after a restart too.
void index_recent_history(store_actor self, std::uint64_t records) {
  auto& st = self->state;
  auto last = st.state.seq;
  if (last == 0) return;
  auto from = last > records ? last - records + 1 : 1;
  auto cursor = st.journal->read_from(std::max(from, st.journal->first_seq()));
  while (auto r = cursor->next()) {
    if (r->seq > last) break;
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
    if (!e) continue;
    for (auto& [k, key] : touched_keys(*e)) {
      if (!find_object(st.state, k, key)) continue;  // gone by now
      auto& recent = st.recent_events[event_key(k, key)];
      recent.push_back(r->seq);
      if (recent.size() > 50) recent.pop_front();
    }
  }
}

}  // namespace

std::string event_key(kind k, const model::object_key& key) {
  return fmt::format("{}/{}/{}", resource_name(k), key.namespace_, key.name);
}

std::vector<touched_object> fold_and_diff(model::cluster_state& s, const model::event& e) {
  std::vector<touched_object> touched;
  for (auto& [k, key] : touched_keys(e)) touched.push_back({k, key, find_object(s, k, key), std::nullopt});
  model::apply(s, e);
  for (auto& t : touched) t.after = find_object(s, t.k, t.key);
  return touched;
}

std::vector<model::pod> pods_in_namespace(const model::cluster_state& s, const std::string& ns) {
  std::vector<model::pod> out;
  for (auto it = s.pods.lower_bound({ns, ""}); it != s.pods.end() && it->first.namespace_ == ns; ++it)
    out.push_back(it->second);
  return out;
}

void fold_record(store_actor self, const journal::record& r) {
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
    return;
  }
  auto touched = fold_and_diff(st.state, *e);
  for (auto& t : touched) {
    auto key = event_key(t.k, t.key);
    if (!t.after) {  // gone: its history stays in the journal, not in memory
      st.recent_events.erase(key);
      continue;
    }
    auto& recent = st.recent_events[key];
    recent.push_back(r.seq);
    if (recent.size() > 50) recent.pop_front();
  }
  route(self, r.seq, touched);
  notify_watchers(self, r.seq, touched);
  maybe_snapshot(self);
}

void answer_waiters(store_actor self) {
  auto& st = self->state;
  auto seq = st.state.seq;
  while (!st.syncs.empty() && st.syncs.begin()->first <= seq) {
    st.syncs.begin()->second.deliver(seq);
    st.syncs.erase(st.syncs.begin());
  }
  while (!st.input_requests.empty() && st.input_requests.begin()->first <= seq) {
    auto rp = st.input_requests.begin()->second;
    st.input_requests.erase(st.input_requests.begin());
    rp.deliver(make_scheduling_inputs(st.state));
  }
}

namespace {

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
                     .done();
  std::size_t connected = 0;
  for (const auto& [name, link] : st.links) connected += link && link->connected() ? 1 : 0;
  return introspect::json_object()
      .num("foldedSeq", static_cast<std::int64_t>(st.state.seq))
      .num("ignoredEvents", static_cast<std::int64_t>(st.state.ignored_events))
      .raw("objects", objects)
      .num("foldedSinceSnapshot", static_cast<std::int64_t>(st.folded_since_snapshot))
      .num("watchers", n(st.watchers.size()))
      .num("waitingSyncs", n(st.syncs.size()))
      .num("agentsConnected", n(connected))
      .boolean("servicesPushPending", st.services_push_pending)
      .num("gcPending", n(st.gc_pending.size()))
      .done();
}

caf::behavior store_behavior(store_actor self, model::cluster_state initial, journal::journal* j,
                             journal::writer* w, store_config config) {
  auto& st = self->state;
  introspect::enroll(self, "store", "", "", [self] { return render_store(self->state); });
  st.state = std::move(initial);
  st.journal = j;
  st.writer = w;
  st.config = config;
  st.em.emplace(w, caf::actor_cast<caf::actor>(self));
  index_recent_history(self, 20'000);
  st.scheduler = spawn_scheduler(self, {w, caf::actor_cast<caf::actor>(self), config});
  spawn_object_actors(self);
  self->send(self, sweep_atom::value);
  // Object actors are linked to the store so that stopping the store stops
  // them. One of them failing must not take the store down: log it.
  self->set_exit_handler([=](caf::exit_msg& m) {
    if (m.reason == caf::exit_reason::user_shutdown || m.reason == caf::exit_reason::kill) {
      self->quit(m.reason);
      return;
    }
    if (m.reason) fmt::print(stderr, "berthd: an object actor failed: {}\n", caf::to_string(m.reason));
  });
  self->set_exception_handler([](caf::scheduled_actor*, std::exception_ptr& ep) -> caf::error {
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& ex) {
      fmt::print(stderr, "berthd: store: unexpected exception: {}\n", ex.what());
    }
    return caf::make_error(caf::sec::runtime_error);
  });
  return {
      [=](fold_atom, const record_ptr& r) {
        fold_record(self, *r);
        answer_waiters(self);
      },
      [=](const api_request_ptr& req) { handle_api(self, *req); },
      [=](sync_atom, std::uint64_t seq) -> caf::result<std::uint64_t> {
        if (self->state.state.seq >= seq) return self->state.state.seq;
        auto rp = self->make_response_promise<std::uint64_t>();
        self->state.syncs.emplace(seq, rp);
        return rp;
      },
      [=](inputs_atom, std::uint64_t min_seq) -> caf::result<scheduling_inputs_ptr> {
        if (self->state.state.seq >= min_seq) return make_scheduling_inputs(self->state.state);
        auto rp = self->make_response_promise<scheduling_inputs_ptr>();
        self->state.input_requests.emplace(min_seq, rp);
        return rp;
      },
      [=](ack_atom, std::uint64_t batch, std::uint64_t last_seq, bool ok) {
        self->state.em->on_ack(self, batch, last_seq, ok);
      },
      [=](sweep_atom) { collect_garbage(self, self->state.state.seq); },
      [=](svcpush_atom) { push_services(self); },
  };
}

}  // namespace

caf::actor spawn_store(caf::actor_system& sys, model::cluster_state initial, journal::journal& j,
                       journal::writer& w, store_config config) {
  return sys.spawn(store_behavior, std::move(initial), &j, &w, config);
}

std::uint64_t connect_tail(journal::writer& w, const caf::actor& store) {
  return w.subscribe([store](const journal::record& r) {
    caf::anon_send(store, fold_atom::value, std::make_shared<const journal::record>(r));
  });
}

}  // namespace berth::actors
