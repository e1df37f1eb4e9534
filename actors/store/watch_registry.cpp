#include "actors/store/watch_registry.hpp"

#include <fmt/format.h>

#include "actors/model/codec.hpp"
#include "actors/model/namespaces.hpp"
#include "actors/model/replay.hpp"

namespace berth::store {
namespace {

using actors::kind;
using actors::watch_event;
using actors::watch_event_type;

bool wants(const watcher& w, const touched_object& t, const actors::any_object& o) {
  if (t.k != w.k) return false;
  if (!w.namespace_.empty() && !model::is_cluster_scoped(t.k) && t.key.namespace_ != w.namespace_) return false;
  if (!reconcile::matches(w.labels, actors::meta_of(o).labels)) return false;
  if (w.fields) {
    const auto* p = std::get_if<model::pod>(&o);
    if (p ? !reconcile::matches(*w.fields, *p) : !reconcile::matches(*w.fields, actors::meta_of(o))) return false;
  }
  return true;
}

}  // namespace

std::optional<watcher> make_watcher(const actors::watch_cmd& cmd, std::string& error) {
  watcher w;
  w.k = cmd.k;
  w.namespace_ = cmd.namespace_;
  auto labels = reconcile::parse_label_selector(cmd.label_selector);
  if (!labels.ok()) {
    error = "invalid label selector: " + labels.error();
    return std::nullopt;
  }
  w.labels = labels.value();
  if (!cmd.field_selector.empty()) {
    auto fields = reconcile::parse_field_selector(cmd.field_selector);
    if (!fields.ok()) {
      error = "invalid field selector: " + fields.error();
      return std::nullopt;
    }
    if (cmd.k != kind::pod && !reconcile::metadata_only(fields.value())) {
      error = fmt::format("invalid field selector: spec.nodeName and status.phase select pods only (for {}: "
                          "metadata.name, metadata.namespace)",
                          actors::resource_name(cmd.k));
      return std::nullopt;
    }
    w.fields = fields.value();
  }
  return w;
}

std::optional<watch_event> event_for(const watcher& w, const touched_object& t, std::uint64_t seq) {
  bool was = t.before && wants(w, t, *t.before);
  bool is = t.after && wants(w, t, *t.after);
  if (is) return watch_event{was ? watch_event_type::modified : watch_event_type::added, *t.after, seq};
  if (was) return watch_event{watch_event_type::deleted, *t.before, seq};
  return std::nullopt;
}

void watch_registry::notify(std::uint64_t seq, const std::vector<touched_object>& touched) const {
  for (const auto& [id, w] : watchers_)
    for (const auto& t : touched)
      if (auto ev = event_for(w, t, seq)) w.on_event(std::move(*ev));
}

void send_current(const watcher& w, const model::cluster_state& s) {
  auto send_all = [&](kind k, const auto& map) {
    for (const auto& [key, o] : map) {
      touched_object t{
          k, {model::is_cluster_scoped(k) ? "" : o.metadata.namespace_, o.metadata.name}, std::nullopt,
          actors::any_object(o)};
      if (auto ev = event_for(w, t, s.seq)) w.on_event(std::move(*ev));
    }
  };
  switch (w.k) {
    case kind::pod: send_all(kind::pod, s.pods); break;
    case kind::replication_controller: send_all(kind::replication_controller, s.rcs); break;
    case kind::service: send_all(kind::service, s.services); break;
    case kind::endpoints: send_all(kind::endpoints, s.endpoints_); break;
    case kind::node: send_all(kind::node, s.nodes); break;
    case kind::namespace_: {
      std::map<std::string, model::namespace_object> all;  // stored and derived
      for (auto& n : model::all_namespaces(s)) all.emplace(n.metadata.name, std::move(n));
      send_all(kind::namespace_, all);
      break;
    }
  }
}

bool catch_up(const journal::journal& j, const watcher& w, std::uint64_t from, std::uint64_t to, std::string& error) {
  auto replayed = model::replay(j, from);
  if (!replayed.ok()) {
    error = replayed.err().message;
    return false;
  }
  auto state = std::move(replayed.value().state);
  auto cursor = j.read_from(from + 1);
  while (state.seq < to) {
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

}  // namespace berth::store
