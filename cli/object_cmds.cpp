// `berth journal replay`, `berth history`, `berth why`: the cluster and one
// object as they were.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include "actors/debug/points.hpp"
#include "actors/debug/queries.hpp"
#include "actors/debug/words.hpp"
#include "actors/model/namespaces.hpp"
#include "actors/model/quota.hpp"
#include "actors/reconcile/selector.hpp"
#include "cli/format.hpp"
#include "cli/journal_cmds.hpp"
#include "cli/output.hpp"
#include "cli/tables.hpp"

namespace berth::cli::detail {
namespace {

/// The objects of kind `k` in `s` that the command selects (namespace, names, labels).
std::vector<actors::any_object> select(const journal_command& c, const model::cluster_state& s, actors::kind k,
                                       const reconcile::label_selector& labels) {
  std::vector<actors::any_object> out;
  const std::string ns = c.namespace_.value_or("default");
  auto take = [&](const auto& object) {
    const auto& m = object.metadata;
    const bool cluster_scoped = model::is_cluster_scoped(k);
    if (!cluster_scoped && !c.all_namespaces && m.namespace_ != ns) return;
    if (!c.names.empty() && std::find(c.names.begin(), c.names.end(), m.name) == c.names.end()) return;
    if (!reconcile::matches(labels, m.labels)) return;
    out.emplace_back(object);
  };
  switch (k) {
    case actors::kind::pod:
      for (const auto& [_, o] : s.pods) take(o);
      break;
    case actors::kind::replication_controller:
      for (const auto& [_, o] : s.rcs) take(o);
      break;
    case actors::kind::service:
      for (const auto& [_, o] : s.services) take(o);
      break;
    case actors::kind::endpoints:
      for (const auto& [_, o] : s.endpoints_) take(o);
      break;
    case actors::kind::node:
      for (const auto& [_, o] : s.nodes) take(o);
      break;
    case actors::kind::namespace_:
      for (const auto& o : model::all_namespaces(s)) take(o);
      break;
    case actors::kind::secret:  // as folded: sealed, shown as "<encrypted, N bytes>"
      for (const auto& [_, o] : s.secrets) take(o);
      break;
    case actors::kind::limit_range:
      for (const auto& [_, o] : s.limit_ranges) take(o);
      break;
    case actors::kind::resource_quota:  // with its status counted from the replayed state
      for (const auto& [_, o] : s.resource_quotas) take(model::with_status(s, o));
      break;
    case actors::kind::persistent_volume:
      for (const auto& [_, o] : s.volumes) take(o);
      break;
    case actors::kind::persistent_volume_claim:
      for (const auto& [_, o] : s.claims) take(o);
      break;
    case actors::kind::pod_template:
      for (const auto& [_, o] : s.pod_templates) take(o);
      break;
  }
  return out;
}

/// An RC's CURRENT/READY counted from the pods of the replayed state.
std::optional<rc_counts> counts_in(const model::cluster_state& s, const actors::any_object& o) {
  const auto* rc = std::get_if<model::replication_controller>(&o);
  if (rc == nullptr || rc_counts_from_status(*rc)) return std::nullopt;
  std::vector<model::pod> pods;
  if (!rc->spec.selector.empty()) {
    auto sel = reconcile::from_map(rc->spec.selector);
    for (const auto& [_, p] : s.pods)
      if (p.metadata.namespace_ == rc->metadata.namespace_ && reconcile::matches(sel, p.metadata.labels))
        pods.push_back(p);
  }
  return rc_counts_from_pods(*rc, pods);
}

void print_table(const journal_command& c, const model::cluster_state& s, actors::kind k,
                 const std::vector<actors::any_object>& objects, model::time_ns now, streams io) {
  table_options options{c.output == output_format::wide, c.all_namespaces && !model::is_cluster_scoped(k), now};
  cell_lines lines{object_header(k, options)};
  for (const auto& o : objects) lines.push_back(object_row(o, options, counts_in(s, o)));
  io.out << table_layout(lines);
}

std::string event_line(const model::event& e) {
  const auto type = model::type_of(e);
  return fmt::format("seq {}  {}  {} {}  by {}{}", e.seq, debug::format_time(e.time),
                     model::family_name(model::family_of(type)), model::type_name(type), debug::who(e.header.principal),
                     e.header.cause == 0 ? "" : fmt::format("  cause {}", e.header.cause));
}

debug::object_id id_of(const journal_command& c) { return {c.object->kind, c.object->namespace_, c.object->name}; }

}  // namespace

int run_journal_replay(const journal_command& c, const debug::source& s, streams io) {
  auto seq = debug::resolve_point(s.journal(), *c.at);
  if (!seq.ok()) return report_journal_error(seq.err(), io);
  auto labels = reconcile::parse_label_selector(c.label_selector);
  if (!labels.ok()) {
    fmt::print(io.err, "error: {}\n", labels.error());
    return k_exit_user;
  }
  auto state = debug::state_at(s, seq.value());
  if (!state.ok()) return report_journal_error(state.err(), io);
  auto at = debug::read_event(s, seq.value());
  if (!at.ok()) return report_journal_error(at.err(), io);
  const model::time_ns now = at.value().time;  // AGE as it was then
  std::vector<actors::kind> kinds{*c.kind};
  if (!c.kind)
    kinds = {actors::kind::replication_controller, actors::kind::pod, actors::kind::service, actors::kind::endpoints,
             actors::kind::node};
  std::vector<actors::any_object> all;
  bool first = true;
  for (auto k : kinds) {
    auto objects = select(c, state.value(), k, labels.value());
    if (c.output == output_format::table || c.output == output_format::wide) {
      if (objects.empty()) continue;
      if (!first) io.out << "\n";
      first = false;
      print_table(c, state.value(), k, objects, now, io);
    } else {
      all.insert(all.end(), objects.begin(), objects.end());
    }
  }
  switch (c.output) {
    case output_format::json:
      io.out << (all.size() == 1 && !c.names.empty() ? object_json(all[0]) : list_json(all));
      break;
    case output_format::yaml:
      io.out << (all.size() == 1 && !c.names.empty() ? object_yaml(all[0]) : list_yaml(all));
      break;
    case output_format::name: io.out << names_text(all); break;
    default:
      if (first) fmt::print(io.err, "No resources found at seq {}.\n", seq.value());
  }
  io.out.flush();
  return k_exit_ok;
}

int run_history(const journal_command& c, const debug::source& s, streams io) {
  std::uint64_t up_to = debug::k_to_end;
  if (c.until || c.at) {
    auto p = debug::resolve_point(s.journal(), c.until ? *c.until : *c.at);
    if (!p.ok()) return report_journal_error(p.err(), io);
    up_to = p.value();
  }
  auto h = debug::history(s, id_of(c), up_to);
  if (!h.ok()) return report_journal_error(h.err(), io);
  for (const auto& entry : h.value()) {
    io.out << event_line(entry.event) << ": " << debug::summary(entry.event) << "\n";
    if (!entry.applied) {
      io.out << "    (ignored by the fold: the object was missing, or the event was stale or conflicting)\n";
    } else if (!entry.existed_before && entry.exists_after) {
      io.out << "    (the object appears)\n";
    } else if (entry.existed_before && !entry.exists_after) {
      io.out << "    (the object is gone)\n";
    } else {
      // Every applied event moves resourceVersion to its seq: already on the line above.
      for (const auto& f : entry.changes)
        if (f.path != "metadata.resourceVersion")
          fmt::print(io.out, "    {}: {} → {}\n", f.path, f.before.value_or("(none)"), f.after.value_or("(none)"));
    }
  }
  io.out.flush();
  return k_exit_ok;
}

int run_why(const journal_command& c, const debug::source& s, streams io) {
  std::uint64_t at = debug::k_to_end;
  if (c.at) {
    auto p = debug::resolve_point(s.journal(), *c.at);
    if (!p.ok()) return report_journal_error(p.err(), io);
    at = p.value();
  }
  auto chain = debug::why(s, id_of(c), at);
  if (!chain.ok()) return report_journal_error(chain.err(), io);
  io.out << debug::chain_text(chain.value()) << "\n";
  for (const auto& step : chain.value()) io.out << "  " << event_line(step.event) << "\n";
  io.out.flush();
  return k_exit_ok;
}

}  // namespace berth::cli::detail
