// Watches: every folded change, as ADDED / MODIFIED / DELETED, to the watchers
// whose kind, namespace and selectors match — in journal order.
//
// A watch from an old resourceVersion catches up by replaying the journal up
// to that point (newest snapshot + fold) and folding forward to the store's
// current seq, emitting each change; it runs inside the store actor, so no
// event can slip between the catch-up and the live feed.
#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/store_state.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"

namespace berth::actors {
namespace {

const model::string_map& labels_of(const any_object& o) { return meta_of(o).labels; }

bool wants(const watcher& w, const touched_object& t, const any_object& o) {
  if (t.k != w.k) return false;
  if (!w.namespace_.empty() && t.k != kind::node && t.key.namespace_ != w.namespace_) return false;
  if (!reconcile::matches(w.labels, labels_of(o))) return false;
  if (w.fields) {
    const auto* p = std::get_if<model::pod>(&o);
    if (!p || !reconcile::matches(*w.fields, *p)) return false;
  }
  return true;
}

/// The watch event a touched object gives `w`, if any. An object that stops
/// matching a selector is DELETED for that watcher, one that starts is ADDED.
std::optional<watch_event> event_for(const watcher& w, const touched_object& t, std::uint64_t seq) {
  bool was = t.before && wants(w, t, *t.before);
  bool is = t.after && wants(w, t, *t.after);
  if (is) return watch_event{was ? watch_event_type::modified : watch_event_type::added, *t.after, seq};
  if (was) return watch_event{watch_event_type::deleted, *t.before, seq};
  return std::nullopt;
}

/// Catches `w` up from `from` to the store's current seq with a private fold.
bool catch_up(store_actor self, watcher& w, std::uint64_t from, std::string& error) {
  auto& st = self->state;
  auto replayed = model::replay(*st.journal, from);
  if (!replayed.ok()) {
    error = replayed.err().message;
    return false;
  }
  auto state = std::move(replayed.value().state);
  auto cursor = st.journal->read_from(from + 1);
  while (state.seq < st.state.seq) {
    auto r = cursor->next();
    if (!r) {
      error = cursor->err() ? cursor->err()->message : fmt::format("journal ended at seq {}", state.seq);
      return false;
    }
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload, &error);
    if (!e) return false;
    for (const auto& t : fold_and_diff(state, *e))
      if (auto ev = event_for(w, t, r->seq)) w.on_event(std::move(*ev));
  }
  return true;
}
}  // namespace

void notify_watchers(store_actor self, std::uint64_t seq, const std::vector<touched_object>& touched) {
  for (auto& [id, w] : self->state.watchers)
    for (const auto& t : touched)
      if (auto ev = event_for(w, t, seq)) w.on_event(std::move(*ev));
}

void start_watch(store_actor self, watch_request& req) {
  auto& st = self->state;
  watcher w;
  w.k = req.k;
  w.namespace_ = req.namespace_;
  w.on_event = std::move(req.on_event);
  w.on_closed = std::move(req.on_closed);
  auto labels = reconcile::parse_label_selector(req.label_selector);
  if (!labels.ok()) return w.on_closed("invalid label selector: " + labels.error());
  w.labels = labels.value();
  if (!req.field_selector.empty()) {
    auto fields = reconcile::parse_field_selector(req.field_selector);
    if (!fields.ok()) return w.on_closed("invalid field selector: " + fields.error());
    w.fields = fields.value();
  }
  if (req.from_resource_version > st.state.seq)
    return w.on_closed(fmt::format("resourceVersion {} is newer than the journal ({})", req.from_resource_version,
                                   st.state.seq));
  if (req.from_resource_version == 0) {
    // The current objects as ADDED, then changes.
    auto send_all = [&](kind k, const auto& map) {
      for (const auto& [key, o] : map) {
        touched_object t{k, {}, std::nullopt, any_object(o)};
        t.key = {k == kind::node ? "" : o.metadata.namespace_, o.metadata.name};
        if (auto ev = event_for(w, t, st.state.seq)) w.on_event(std::move(*ev));
      }
    };
    switch (w.k) {
      case kind::pod: send_all(kind::pod, st.state.pods); break;
      case kind::replication_controller: send_all(kind::replication_controller, st.state.rcs); break;
      case kind::service: send_all(kind::service, st.state.services); break;
      case kind::endpoints: send_all(kind::endpoints, st.state.endpoints_); break;
      case kind::node: send_all(kind::node, st.state.nodes); break;
    }
  } else if (req.from_resource_version < st.state.seq) {
    std::string error;
    if (!catch_up(self, w, req.from_resource_version, error)) return w.on_closed("watch catch-up failed: " + error);
  }
  st.watchers.emplace(req.id, std::move(w));
}

}  // namespace berth::actors
