#pragma once
// How `berth console` prints: the actors table (kubectl's layout, through
// tabwriter.hpp), a `top` frame, `inspect`'s key: value lines, one trace
// event per line, and JSON pretty-printed. Pure: `now` is a parameter.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli/console_filter.hpp"
#include "cli/console_model.hpp"
#include "cli/tabwriter.hpp"

namespace berth::cli {

/// NAME KIND MAILBOX HANDLED RATE/S P50 P99 LAST MESSAGE AGE.
cell_line actors_header();

/// One actor's row; LAST MESSAGE is "TYPE Ns ago" ("<none>": never), AGE since spawn.
cell_line actor_cells(const actor_row& a, std::int64_t now_ns);

/// The whole table ("No actors found.\n" when `rows` is empty).
std::string render_actors(const std::vector<actor_row>& rows, std::int64_t now_ns);

/// `top`'s frame: a header line (role, version, uptime, actor count, total
/// messages/s, sort order and keys), a blank line, then the table sorted by
/// `key` and cut to `max_rows` actors (0: all), with "… N more" when cut.
std::string render_top(const process_row& p, std::vector<actor_row> rows, sort_key key, std::int64_t now_ns,
                       std::size_t max_rows);

/// `inspect`: the actor as "key: value" lines, then "state:" and the state
/// JSON pretty-printed and indented by two spaces.
std::string render_inspect(const actor_row& a, const std::string& state_json, std::int64_t now_ns);

/// One trace event: "12:03:04.123  <- store  update  120 B  text" ("->" for
/// messages sent); the time in UTC.
std::string render_trace_event(const trace_row& e);

/// The last line of a trace: "stopped: limit (3 events)".
std::string render_trace_end(const std::string& stopped, std::uint32_t events);

/// A message type as a column shows it: C++ type names lose a shared_ptr
/// wrapper, const and their namespaces ("std::shared_ptr<berth::actors::
/// api_request const>" → "api_request"); atoms ("update") stay as they are.
std::string short_type(std::string_view type);

/// "HH:MM:SS.mmm" of a Unix time in ns (UTC).
std::string clock_time(std::int64_t unix_ns);

/// `json` re-indented by two spaces per level, "key": value, empty objects
/// and lists kept as {} and []; not validated (text outside strings is
/// copied with its whitespace dropped). Ends without a newline.
std::string pretty_json(std::string_view json);

}  // namespace berth::cli
