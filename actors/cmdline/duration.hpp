#pragma once
// The one duration syntax of every berth program and console command:
// a whole number and a unit, "250ms", "10s" or "2m". Deliberately small
// (no "1h30m", no fractions): every duration berth takes is a timeout or
// an interval where those three units are enough, and one grammar means a
// value that works in one place works everywhere.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace berth::cmdline {

/// The largest count of any unit accepted: larger ones are typos, and the
/// cap keeps every result (even in minutes) far from overflowing.
inline constexpr long long k_max_duration_count = 1'000'000'000;

/// "250ms", "10s", "2m" → that many milliseconds. nullopt for anything else:
/// no unit, another unit, a sign, spaces, or a count above k_max_duration_count.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The shortest spelling parse_duration reads back: 600000ms → "10m",
/// 1500ms → "1500ms". For help texts' defaults and error messages.
std::string format_duration(std::chrono::milliseconds d);

}  // namespace berth::cmdline
