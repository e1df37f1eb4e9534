#include "actors/store/watch_filter.hpp"

#include <fmt/format.h>

#include "actors/core/event_text.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/namespaces.hpp"
#include "actors/model/replay.hpp"
#include "actors/store/recent_events.hpp"

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

/// The type `w` sees for `t`, if any (event_for without the copy).
std::optional<watch_event_type> type_for(const watcher& w, const touched_object& t) {
  if (t.k != w.k) return std::nullopt;
  bool was = t.before && wants(w, t, *t.before);
  bool is = t.after && wants(w, t, *t.after);
  if (is) return was ? watch_event_type::modified : watch_event_type::added;
  if (was) return watch_event_type::deleted;
  return std::nullopt;
}

}  // namespace

std::optional<watcher> make_watcher(actors::kind k, const std::string& namespace_, const std::string& label_selector,
                                    const std::string& field_selector, std::string& error) {
  watcher w;
  w.k = k;
  w.namespace_ = namespace_;
  auto labels = reconcile::parse_label_selector(label_selector);
  if (!labels.ok()) {
    error = "invalid label selector: " + labels.error();
    return std::nullopt;
  }
  w.labels = labels.value();
  if (!field_selector.empty()) {
    auto fields = reconcile::parse_field_selector(field_selector);
    if (!fields.ok()) {
      error = "invalid field selector: " + fields.error();
      return std::nullopt;
    }
    if (k != kind::pod && !reconcile::metadata_only(fields.value())) {
      error = fmt::format("invalid field selector: spec.nodeName and status.phase select pods only (for {}: "
                          "metadata.name, metadata.namespace)",
                          actors::resource_name(k));
      return std::nullopt;
    }
    w.fields = fields.value();
  }
  return w;
}

std::optional<watch_event> event_for(const watcher& w, const touched_object& t, std::uint64_t seq) {
  auto type = type_for(w, t);
  if (!type) return std::nullopt;
  return watch_event{*type, *type == watch_event_type::deleted ? *t.before : *t.after, seq};
}

bool matches(const event_filter& f, const event_row& row) {
  if (f.kind.empty() ? row.k == kind::endpoints : f.kind != model::kind_name(row.k)) return false;
  // As the Events list: a node's events show in every namespace's list.
  if (!f.namespace_.empty() && !model::is_cluster_scoped(row.k) && row.meta.namespace_ != f.namespace_) return false;
  if (!f.name.empty() && row.meta.name != f.name) return false;
  if (!f.uid.empty() && row.meta.uid != f.uid) return false;
  return true;
}

void select(const watch_spec& spec, const fold_batch& batch,
            const std::function<const event_row*(std::size_t)>& rows,
            const std::function<void(const selected&)>& each) {
  if (const auto* w = std::get_if<watcher>(&spec)) {
    for (std::size_t i = 0; i < batch.touched.size(); ++i)
      if (auto type = type_for(*w, batch.touched[i])) each({*type, i, false});
    return;
  }
  const auto& f = std::get<event_filter>(spec);
  if (!batch.event || !listed_in_events(*batch.event)) return;
  for (std::size_t i = 0; i < batch.touched.size(); ++i)
    if (const auto* row = rows(i); row && matches(f, *row)) each({watch_event_type::added, i, true});
}

std::optional<event_row> row_of(const model::event& e, const touched_object& t) {
  const auto& o = t.after ? t.after : t.before;
  if (!o) return std::nullopt;
  return event_row{actors::summarize(e), t.k, actors::meta_of(*o)};
}

std::optional<catch_up_error> catch_up(const journal::journal& j, const watch_spec& spec, std::uint64_t from,
                                       std::uint64_t to, std::vector<caught_up_item>& out) {
  if (from + 1 < j.first_seq())
    return catch_up_error{true, fmt::format("too old resource version: {} (the journal starts at {})", from,
                                            j.first_seq())};
  auto replayed = model::replay(j, from);
  if (!replayed.ok()) return catch_up_error{replayed.err().code == journal::error_code::not_found,
                                            "replaying the journal to the resourceVersion failed: " +
                                                replayed.err().message};
  auto state = std::move(replayed.value().state);
  auto cursor = j.read_from(from + 1);
  while (state.seq < to) {
    auto r = cursor->next();
    if (!r)
      return catch_up_error{false, cursor->err() ? cursor->err()->message
                                                 : fmt::format("journal ended at seq {}", state.seq)};
    std::string error;
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload, &error);
    if (!e) return catch_up_error{false, fmt::format("journal record {} does not decode: {}", r->seq, error)};
    auto touched = fold_and_diff(state, *e);
    fold_batch batch{r->seq, std::move(touched), std::make_shared<const model::event>(std::move(*e))};
    const auto& ev = *batch.event;
    std::vector<std::optional<event_row>> rows(batch.touched.size());
    select(
        spec, batch, [&](std::size_t i) -> const event_row* {
          if (!rows[i]) rows[i] = row_of(ev, batch.touched[i]);
          return rows[i] ? &*rows[i] : nullptr;
        },
        [&](const selected& s) {
          caught_up_item item{r->seq, s.type, std::nullopt, std::nullopt};
          const auto& t = batch.touched[s.change];
          if (s.is_event)
            item.event = std::move(*rows[s.change]);
          else
            item.object = s.type == watch_event_type::deleted ? *t.before : *t.after;
          out.push_back(std::move(item));
        });
  }
  return std::nullopt;
}

}  // namespace berth::store
