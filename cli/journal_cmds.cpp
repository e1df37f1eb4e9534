// `berth journal ls|show|export|verify|diff`: events and the journal as a whole.
#include "cli/journal_cmds.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "actors/debug/event_json.hpp"
#include "actors/debug/object_index.hpp"
#include "actors/debug/points.hpp"
#include "actors/debug/queries.hpp"
#include "actors/debug/verify.hpp"
#include "actors/debug/words.hpp"
#include "actors/text/json_quote.hpp"
#include "cli/tabwriter.hpp"

namespace berth::cli::detail {
namespace {

/// The seq range --since/--until name (whole journal when absent).
journal::result<std::pair<std::uint64_t, std::uint64_t>> range_of(const journal_command& c, const debug::source& s) {
  const auto& j = s.journal();
  std::uint64_t from = j.first_seq(), to = j.last_seq();
  if (c.since) {
    auto p = debug::resolve_point(j, *c.since);
    if (!p.ok()) return p.err();
    from = p.value();
  }
  if (c.until) {
    auto p = debug::resolve_point(j, *c.until);
    if (!p.ok()) return p.err();
    to = p.value();
  }
  return std::pair{from, to};
}

bool principal_matches(const std::string& principal, const std::string& wanted) {
  return principal == wanted || principal == "user:" + wanted || debug::who(principal) == wanted;
}

bool type_matches(std::uint16_t type, const std::string& wanted) {
  auto name = model::type_name(type);
  if (name.size() != wanted.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(wanted[i])))
      return false;
  return true;
}

bool selected(const journal_command& c, const model::event& e) {
  const auto o = debug::object_of(e);
  return (c.kind_filter.empty() || o.kind == c.kind_filter) && (c.name_filter.empty() || o.name == c.name_filter) &&
         (c.type_filter.empty() || type_matches(model::type_of(e), c.type_filter)) &&
         (c.principal_filter.empty() || principal_matches(e.header.principal, c.principal_filter));
}

std::string cause_text(std::uint64_t cause) { return cause == 0 ? "-" : std::to_string(cause); }

std::string ls_json(const model::event& e) {
  const auto type = model::type_of(e);
  return fmt::format(R"({{"seq":{},"time":"{}","family":"{}","type":"{}","object":{},"principal":{},"cause":{},)"
                     R"("summary":{}}})",
                     e.seq, debug::format_time(e.time), model::family_name(model::family_of(type)),
                     model::type_name(type), text::json_quote(debug::object_text(e)),
                     text::json_quote(e.header.principal), e.header.cause, text::json_quote(debug::summary(e)));
}

}  // namespace

int report_journal_error(const journal::error& e, streams io) {
  fmt::print(io.err, "error: {}\n", e.message);
  const bool users = e.code == journal::error_code::invalid_argument || e.code == journal::error_code::not_found;
  return users ? k_exit_user : k_exit_server;
}

int run_journal_ls(const journal_command& c, const debug::source& s, streams io) {
  auto range = range_of(c, s);
  if (!range.ok()) return report_journal_error(range.err(), io);
  const bool json = c.output == output_format::json;
  cell_lines lines;
  if (!json) lines.push_back({"SEQ", "TIME", "FAMILY", "TYPE", "OBJECT", "WHO", "CAUSE", "SUMMARY"});
  auto st = debug::for_each_event(
      s, range.value().first, range.value().second, [&](const model::event& e, const journal::record&) {
        if (!selected(c, e)) return true;
        const auto type = model::type_of(e);
        if (json) {
          io.out << ls_json(e) << "\n";
          return true;
        }
        lines.push_back({std::to_string(e.seq), debug::format_time(e.time),
                         std::string(model::family_name(model::family_of(type))), std::string(model::type_name(type)),
                         debug::object_text(e), debug::who(e.header.principal), cause_text(e.header.cause),
                         debug::summary(e)});
        return true;
      });
  if (!json) io.out << table_layout(lines);
  io.out.flush();
  if (!st) return report_journal_error(st.err(), io);
  return k_exit_ok;
}

int run_journal_show(const journal_command& c, const debug::source& s, streams io) {
  auto seq = debug::resolve_point(s.journal(), c.points.at(0));
  if (!seq.ok()) return report_journal_error(seq.err(), io);
  auto rec = s.journal().read(seq.value());
  if (!rec.ok()) return report_journal_error(rec.err(), io);
  auto e = debug::read_event(s, seq.value());
  if (!e.ok()) return report_journal_error(e.err(), io);
  auto json = debug::payload_json(rec.value(), false);
  if (!json.ok()) return report_journal_error(json.err(), io);
  const std::string line = debug::export_line(e.value(), json.value());
  if (c.output == output_format::json) {
    auto pretty = debug::payload_json(rec.value(), true);
    io.out << debug::export_line(e.value(), pretty.ok() ? pretty.value() : json.value()) << "\n";
  } else {
    io.out << debug::json_to_yaml(line);
  }
  return k_exit_ok;
}

int run_journal_export(const journal_command& c, const debug::source& s, streams io) {
  auto range = range_of(c, s);
  if (!range.ok()) return report_journal_error(range.err(), io);
  journal::status failure;
  auto st = debug::for_each_event(s, range.value().first, range.value().second,
                                  [&](const model::event& e, const journal::record& r) {
                                    auto json = debug::payload_json(r, false);
                                    if (!json.ok()) {
                                      failure = json.err();
                                      return false;
                                    }
                                    io.out << debug::export_line(e, json.value()) << "\n";
                                    return true;
                                  });
  io.out.flush();
  if (!st) return report_journal_error(st.err(), io);
  if (!failure) return report_journal_error(failure.err(), io);
  return k_exit_ok;
}

int run_journal_verify(const journal_command&, const debug::source& s, streams io) {
  for (const auto& note : s.open_notes()) fmt::print(io.out, "note: on open: {}\n", note);
  auto r = debug::verify(s);
  if (!r.ok()) return report_journal_error(r.err(), io);
  const auto& v = r.value();
  fmt::print(io.out, "records: {} checked (seq {}..{}): checksum, length, seq = key, contiguity\n", v.records_checked,
             v.first_seq, v.last_seq);
  fmt::print(io.out, "re-fold: {} events folded from seq {}{}\n", v.events_folded, v.first_seq,
             v.final_hash.empty() ? "" : "; state hash " + v.final_hash);
  fmt::print(io.out, "snapshots: {} checked against their own hash and the re-fold\n", v.snapshots_checked);
  for (const auto& note : v.notes) fmt::print(io.out, "note: {}\n", note);
  for (const auto& p : v.problems) fmt::print(io.out, "seq {}: {}\n", p.seq, p.what);
  if (v.ok()) {
    fmt::print(io.out, "journal OK\n");
    return k_exit_ok;
  }
  fmt::print(io.out, "journal damaged: {} problem{}\n", v.problems.size(), v.problems.size() == 1 ? "" : "s");
  return k_exit_user;
}

int run_journal_diff(const journal_command& c, const debug::source& s, streams io) {
  auto a = debug::resolve_point(s.journal(), c.points.at(0));
  if (!a.ok()) return report_journal_error(a.err(), io);
  auto b = debug::resolve_point(s.journal(), c.points.at(1));
  if (!b.ok()) return report_journal_error(b.err(), io);
  auto before = debug::state_at(s, a.value());
  if (!before.ok()) return report_journal_error(before.err(), io);
  auto after = debug::state_at(s, b.value());
  if (!after.ok()) return report_journal_error(after.err(), io);
  fmt::print(io.out, "from seq {} to seq {}:\n", a.value(), b.value());
  auto changes = debug::diff_states(before.value(), after.value());
  if (changes.empty()) fmt::print(io.out, "no changes\n");
  for (const auto& d : changes) {
    const std::string what = debug::short_kind(d.id.kind) + "/" + d.id.name;
    switch (d.what) {
      case debug::object_diff::change::created: fmt::print(io.out, "created {}\n", what); break;
      case debug::object_diff::change::deleted: fmt::print(io.out, "deleted {}\n", what); break;
      case debug::object_diff::change::changed:
        fmt::print(io.out, "changed {}\n", what);
        for (const auto& f : d.fields)
          fmt::print(io.out, "    {}: {} → {}\n", f.path, f.before.value_or("(none)"), f.after.value_or("(none)"));
        break;
    }
  }
  return k_exit_ok;
}

}  // namespace berth::cli::detail
