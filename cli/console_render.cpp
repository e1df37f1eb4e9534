#include "cli/console_render.hpp"

#include <fmt/format.h>

#include <numeric>

#include "cli/format.hpp"

namespace berth::cli {
namespace {

constexpr std::int64_t k_ns_per_second = 1'000'000'000;

std::string last_message_text(const actor_row& a, std::int64_t now_ns) {
  if (a.last_message_ns == 0) return "<none>";
  std::string type = a.last_message.empty() ? "?" : short_type(a.last_message);
  return fmt::format("{} {} ago", type, human_duration(now_ns - a.last_message_ns));
}

std::string rate_text(double rate) { return fmt::format("{:.1f}", rate); }

void indent(std::string& out, int depth) {
  out += '\n';
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

/// Copies the string literal starting at json[at] (a quote) into `out`;
/// returns the index after its closing quote.
std::size_t copy_string(std::string_view json, std::size_t at, std::string& out) {
  out += json[at++];
  while (at < json.size()) {
    char c = json[at++];
    out += c;
    if (c == '\\' && at < json.size())
      out += json[at++];
    else if (c == '"')
      break;
  }
  return at;
}

/// The next character of `json` at or after `at` that is not whitespace (0 at the end).
char next_nonspace(std::string_view json, std::size_t at) {
  while (at < json.size() && (json[at] == ' ' || json[at] == '\n' || json[at] == '\t' || json[at] == '\r')) ++at;
  return at < json.size() ? json[at] : '\0';
}

}  // namespace

cell_line actors_header() {
  return {"NAME", "KIND", "MAILBOX", "HANDLED", "RATE/S", "P50", "P99", "LAST MESSAGE", "AGE"};
}

cell_line actor_cells(const actor_row& a, std::int64_t now_ns) {
  return {a.name,
          a.kind,
          std::to_string(a.mailbox),
          std::to_string(a.handled),
          rate_text(a.rate),
          format_quantile(a.processing, 0.5),
          format_quantile(a.processing, 0.99),
          last_message_text(a, now_ns),
          a.spawned_ns == 0 ? std::string("<unknown>") : human_duration(now_ns - a.spawned_ns)};
}

std::string render_actors(const std::vector<actor_row>& rows, std::int64_t now_ns) {
  if (rows.empty()) return "No actors found.\n";
  cell_lines lines{actors_header()};
  for (const auto& a : rows) lines.push_back(actor_cells(a, now_ns));
  return table_layout(lines);
}

std::string render_top(const process_row& p, std::vector<actor_row> rows, sort_key key, std::int64_t now_ns,
                       std::size_t max_rows) {
  double total =
      std::accumulate(rows.begin(), rows.end(), 0.0, [](double s, const actor_row& a) { return s + a.rate; });
  std::string up = p.started_ns == 0 ? std::string("?") : human_duration(now_ns - p.started_ns);
  std::string out = fmt::format("{} {}  up {}  {} actors  {:.1f} msg/s  sorted by {}  (q quit, m mailbox, r rate)\n\n",
                                p.role, p.version, up, rows.size(), total, sort_key_name(key));
  sort_actors(rows, key);
  std::size_t cut = 0;
  if (max_rows > 0 && rows.size() > max_rows) {
    cut = rows.size() - max_rows;
    rows.resize(max_rows);
  }
  out += render_actors(rows, now_ns);
  if (cut > 0) out += fmt::format("… {} more\n", cut);
  return out;
}

std::string render_inspect(const actor_row& a, const std::string& state_json, std::int64_t now_ns) {
  std::string out;
  auto line = [&](std::string_view key, const std::string& value) { out += fmt::format("{}: {}\n", key, value); };
  line("name", a.name);
  line("id", std::to_string(a.id));
  line("kind", a.kind);
  line("object", a.object.empty() ? "<none>" : a.object);
  line("parent", a.parent == 0 ? std::string("<none>")
                               : fmt::format("{} (#{})", a.parent_name.empty() ? "?" : a.parent_name, a.parent));
  line("owner", a.owner.empty() ? "<none>" : a.owner);
  line("spawned", a.spawned_ns == 0
                      ? std::string("<unknown>")
                      : fmt::format("{} ({} ago)", format_time(a.spawned_ns), human_duration(now_ns - a.spawned_ns)));
  line("mailbox", std::to_string(a.mailbox));
  line("handled", std::to_string(a.handled));
  line("rate", rate_text(a.rate) + "/s");
  const auto& h = a.processing;
  line("processing", h.count == 0 ? std::string("no messages yet")
                                  : fmt::format("p50 {}, p99 {}, mean {} over {} messages", format_quantile(h, 0.5),
                                                format_quantile(h, 0.99),
                                                format_seconds(h.sum_seconds / static_cast<double>(h.count)), h.count));
  line("last message", last_message_text(a, now_ns));
  line("tracing", a.tracing ? "true" : "false");
  out += "state:\n";
  std::string pretty = pretty_json(state_json);
  std::size_t start = 0;
  while (start <= pretty.size()) {
    auto end = pretty.find('\n', start);
    if (end == std::string::npos) end = pretty.size();
    out += "  " + pretty.substr(start, end - start) + "\n";
    start = end + 1;
  }
  return out;
}

std::string short_type(std::string_view type) {
  constexpr std::string_view wrapper = "std::shared_ptr<";
  if (type.rfind(wrapper, 0) == 0 && type.size() > wrapper.size() && type.back() == '>')
    type = type.substr(wrapper.size(), type.size() - wrapper.size() - 1);
  constexpr std::string_view trailing_const = " const";
  if (type.size() > trailing_const.size() && type.substr(type.size() - trailing_const.size()) == trailing_const)
    type.remove_suffix(trailing_const.size());
  if (type.rfind("const ", 0) == 0) type.remove_prefix(6);
  // Namespaces go only from a plain name: inside a template they would cut it apart.
  if (type.find('<') == std::string_view::npos)
    if (auto colon = type.rfind("::"); colon != std::string_view::npos) type.remove_prefix(colon + 2);
  return std::string(type);
}

std::string clock_time(std::int64_t unix_ns) {
  std::int64_t ms_of_day = ((unix_ns / 1'000'000) % 86'400'000 + 86'400'000) % 86'400'000;
  return fmt::format("{:02}:{:02}:{:02}.{:03}", ms_of_day / 3'600'000, ms_of_day / 60'000 % 60, ms_of_day / 1000 % 60,
                     ms_of_day % 1000);
}

std::string render_trace_event(const trace_row& e) {
  const char* arrow = e.direction == "out" ? "->" : "<-";
  std::string line =
      fmt::format("{}  {} {}  {}  {} B", clock_time(e.time_ns), arrow, e.peer, short_type(e.type), e.bytes);
  if (!e.text.empty()) line += "  " + e.text;
  return line + "\n";
}

std::string render_trace_end(const std::string& stopped, std::uint32_t events) {
  return fmt::format("stopped: {} ({} event{})\n", stopped, events, events == 1 ? "" : "s");
}

std::string pretty_json(std::string_view json) {
  std::string out;
  int depth = 0;
  for (std::size_t i = 0; i < json.size();) {
    char c = json[i];
    if (c == '"') {
      i = copy_string(json, i, out);
      continue;
    }
    ++i;
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') continue;
    if (c == '{' || c == '[') {
      char close = c == '{' ? '}' : ']';
      if (next_nonspace(json, i) == close) {  // empty: keep it on one line
        out += c;
        out += close;
        while (json[i] != close) ++i;
        ++i;
        continue;
      }
      out += c;
      indent(out, ++depth);
    } else if (c == '}' || c == ']') {
      if (depth > 0) --depth;  // unbalanced input: stay at the margin
      indent(out, depth);
      out += c;
    } else if (c == ',') {
      out += c;
      indent(out, depth);
    } else if (c == ':') {
      out += ": ";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace berth::cli
