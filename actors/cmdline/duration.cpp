#include "actors/cmdline/duration.hpp"

#include <charconv>

namespace berth::cmdline {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  long long n = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  // from_chars takes a leading '-'; a sign is never part of a duration here.
  if (text.empty() || text[0] == '-') return std::nullopt;
  auto [end, ec] = std::from_chars(first, last, n);
  if (ec != std::errc{} || end == first || n > k_max_duration_count) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(last - end));
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  return std::nullopt;
}

std::string format_duration(std::chrono::milliseconds d) {
  auto ms = d.count();
  if (ms != 0 && ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms != 0 && ms % 1'000 == 0) return std::to_string(ms / 1'000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace berth::cmdline
