#pragma once
// Points in the journal as people type them (`--at`, `--since`, `--until`,
// `diff A B`): a sequence number, or an RFC 3339 time
// ("2026-11-26T10:15:00Z", "2026-11-26T10:15:00.25+01:00"), which means the
// last event at or before that time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "journal/journal.hpp"
#include "journal/status.hpp"

namespace berth::debug {

/// A parsed point: exactly one of seq and time_ns is set.
struct point {
  std::optional<std::uint64_t> seq;
  std::optional<std::int64_t> time_ns;
  std::string text;  // as typed, for messages
};

/// Parses a seq ("4711") or an RFC 3339 time. Error invalid_argument:
/// "malformed point 'x': expected a sequence number or an RFC 3339 time like 2026-11-26T10:15:00Z".
journal::result<point> parse_point(std::string_view text);

/// The seq a point names in `j`. Errors (invalid_argument, the numbers in the
/// message): an empty journal; a seq of 0, before the first or beyond the last
/// record; a time before the first event. Reads at most ~2·log2(n) records.
journal::result<std::uint64_t> resolve_point(const journal::journal& j, const point& p);

/// parse_point then resolve_point.
journal::result<std::uint64_t> resolve_point(const journal::journal& j, std::string_view text);

/// "2026-11-26T10:15:03.120Z" (UTC, milliseconds): how the journal commands print times.
std::string format_time(std::int64_t time_ns);

/// "10:15:03" (UTC): the short form used inside `why` chains.
std::string format_clock(std::int64_t time_ns);

}  // namespace berth::debug
