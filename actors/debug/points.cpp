#include "actors/debug/points.hpp"

#include <charconv>
#include <ctime>

#include <fmt/format.h>

#include "actors/manifest/timestamp.hpp"

namespace berth::debug {
namespace {

using journal::error;
using journal::error_code;

error invalid(std::string message) { return error{error_code::invalid_argument, std::move(message)}; }

journal::result<std::int64_t> time_of(const journal::journal& j, std::uint64_t seq) {
  auto r = j.read(seq);
  if (!r.ok()) return r.err();
  return r.value().time_ns;
}

/// The last seq whose time is <= t, given time(first) <= t. Times are stamped
/// once per batch from the wall clock and do not go down in practice; if the
/// clock stepped back, the answer is still an event at or before t.
journal::result<std::uint64_t> last_at_or_before(const journal::journal& j, std::int64_t t) {
  std::uint64_t lo = j.first_seq(), hi = j.last_seq();  // invariant: time(lo) <= t
  while (lo < hi) {
    const std::uint64_t mid = lo + (hi - lo + 1) / 2;
    auto tm = time_of(j, mid);
    if (!tm.ok()) return tm.err();
    if (tm.value() <= t)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

}  // namespace

journal::result<point> parse_point(std::string_view text) {
  point p;
  p.text = std::string(text);
  std::uint64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (!text.empty() && ec == std::errc() && end == text.data() + text.size()) {
    p.seq = seq;
    return p;
  }
  if (auto t = manifest::parse_rfc3339(text)) {
    p.time_ns = *t;
    return p;
  }
  return invalid(
      fmt::format("malformed point '{}': expected a sequence number or an RFC 3339 time "
                  "like 2026-11-26T10:15:00Z",
                  text));
}

journal::result<std::uint64_t> resolve_point(const journal::journal& j, const point& p) {
  const std::uint64_t first = j.first_seq(), last = j.last_seq();
  if (last == 0 || first == 0) return invalid(fmt::format("{}: the journal is empty", p.text));
  if (p.seq) {
    if (*p.seq > last)
      return invalid(fmt::format("seq {} is beyond the end of the journal (last seq {})", *p.seq, last));
    if (*p.seq < first) return invalid(fmt::format("seq {} is before the first event (seq {})", *p.seq, first));
    return *p.seq;
  }
  auto t0 = time_of(j, first);
  if (!t0.ok()) return t0.err();
  if (*p.time_ns < t0.value())
    return invalid(fmt::format("{} is before the first event (seq {} at {})", p.text, first, format_time(t0.value())));
  return last_at_or_before(j, *p.time_ns);
}

journal::result<std::uint64_t> resolve_point(const journal::journal& j, std::string_view text) {
  auto p = parse_point(text);
  if (!p.ok()) return p.err();
  return resolve_point(j, p.value());
}

namespace {
std::tm utc(std::int64_t time_ns) {
  std::time_t secs = static_cast<std::time_t>(time_ns / 1'000'000'000);
  if (time_ns < 0 && time_ns % 1'000'000'000 != 0) --secs;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return tm;
}
}  // namespace

std::string format_time(std::int64_t time_ns) {
  const std::tm tm = utc(time_ns);
  const std::int64_t ms = ((time_ns % 1'000'000'000) + 1'000'000'000) % 1'000'000'000 / 1'000'000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

std::string format_clock(std::int64_t time_ns) {
  const std::tm tm = utc(time_ns);
  return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace berth::debug
