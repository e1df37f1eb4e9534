// The one duration syntax (cmdline/duration.hpp): berthd's and berth-agent's
// flags and the console's `trace --for` all read durations with it.
#include <doctest/doctest.h>

#include "actors/cmdline/duration.hpp"

using namespace std::chrono_literals;
using berth::cmdline::format_duration;
using berth::cmdline::parse_duration;

TEST_CASE("durations: a whole number and ms, s or m") {
  struct row {
    const char* text;
    std::optional<std::chrono::milliseconds> expected;
  };
  const row rows[] = {
      {"250ms", 250ms},
      {"0ms", 0ms},
      {"0s", 0ms},
      {"10s", 10s},
      {"3s", 3s},
      {"2m", 2min},
      {"1000000000ms", 1'000'000'000ms},
      {"1000000000m", std::chrono::minutes(1'000'000'000)},
      {"99999999m", std::chrono::minutes(99'999'999)},
      // refused: no unit, another unit, a sign, blanks, fractions, overflow
      {"10", std::nullopt},
      {"", std::nullopt},
      {"s", std::nullopt},
      {"ms", std::nullopt},
      {"2h", std::nullopt},
      {"1d", std::nullopt},
      {"10S", std::nullopt},
      {"-1s", std::nullopt},
      {"+1s", std::nullopt},
      {" 1s", std::nullopt},
      {"1s ", std::nullopt},
      {"1 s", std::nullopt},
      {"1.5s", std::nullopt},
      {"1m30s", std::nullopt},
      {"1000000001ms", std::nullopt},
      {"99999999999999999999s", std::nullopt},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    CHECK(parse_duration(r.text) == r.expected);
  }
}

TEST_CASE("format_duration writes the shortest spelling parse_duration reads back") {
  CHECK(format_duration(10s) == "10s");
  CHECK(format_duration(5min) == "5m");
  CHECK(format_duration(1500ms) == "1500ms");
  CHECK(format_duration(0ms) == "0ms");
  for (auto d : {0ms, 1ms, 999ms, 1000ms, 60'000ms, 61'000ms, 600'000ms})
    CHECK(parse_duration(format_duration(d)) == d);
}
