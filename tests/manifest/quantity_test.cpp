// Quantities: parsing, canonical printing, and the round trip between them.
#include <doctest/doctest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

#include "actors/model/quantity.hpp"

using berth::model::parse_quantity;
using berth::model::quantity;
using berth::model::to_string;
using family = quantity::suffix_family;

namespace {

const std::string k_syntax =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

struct good_case {
  const char* text;
  std::int64_t milli;
  family fam;
  const char* canonical;
};

}  // namespace

TEST_CASE("quantity parses each accepted spelling to exact thousandths, family and canonical text") {
  const std::vector<good_case> cases = {
      {"100m", 100, family::decimal, "100m"},
      {"0.5", 500, family::decimal, "500m"},
      {"1", 1000, family::decimal, "1"},
      {"1.5", 1500, family::decimal, "1500m"},
      {"100Mi", 100LL * 1024 * 1024 * 1000, family::binary, "100Mi"},
      {"1G", 1'000'000'000'000LL, family::decimal, "1G"},
      {"1Gi", 1024LL * 1024 * 1024 * 1000, family::binary, "1Gi"},
      {"2e3", 2'000'000, family::decimal, "2k"},
      {"1E3", 1'000'000, family::decimal, "1k"},
      {"1e-3", 1, family::decimal, "1m"},
      {"+1", 1000, family::decimal, "1"},
      {"-1", -1000, family::decimal, "-1"},
      {".5", 500, family::decimal, "500m"},
      {"5.", 5000, family::decimal, "5"},
      {"0", 0, family::decimal, "0"},
      {"0.1", 100, family::decimal, "100m"},
      {"0.0001", 1, family::decimal, "1m"},  // rounded up to the next milli
      {"1500m", 1500, family::decimal, "1500m"},
      {"1024Mi", 1024LL * 1024 * 1024 * 1000, family::binary, "1Gi"},
      {"1000Ki", 1000LL * 1024 * 1000, family::binary, "1000Ki"},
      {"1.5Gi", 1536LL * 1024 * 1024 * 1000, family::binary, "1536Mi"},
      {"0.5Ki", 512'000, family::decimal, "512"},  // not a whole Ki: printed (and kept) decimal
      {"0Mi", 0, family::decimal, "0"},
      {"100M", 100'000'000'000LL, family::decimal, "100M"},
      {"1P", 1'000'000'000'000'000'000LL, family::decimal, "1P"},
      {"-2Ki", -2048'000, family::binary, "-2Ki"},
      {"007", 7000, family::decimal, "7"},
      {"9223372036854775807m", std::numeric_limits<std::int64_t>::max(), family::decimal, "9223372036854775807m"},
      {"-9223372036854775808m", std::numeric_limits<std::int64_t>::min(), family::decimal, "-9223372036854775808m"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.text);
    std::string error;
    auto q = parse_quantity(c.text, &error);
    REQUIRE(q.has_value());
    CHECK(error.empty());
    CHECK(q->milli == c.milli);
    CHECK(q->family == c.fam);
    CHECK(to_string(*q) == c.canonical);
  }
}

TEST_CASE("quantity rejects malformed, over-long and overflowing text with Kubernetes' message") {
  const std::vector<std::pair<const char*, std::string>> cases = {
      {"", k_syntax},
      {"abc", k_syntax},
      {"1.2.3", k_syntax},
      {"1Xi", k_syntax},
      {"1K", k_syntax},
      {"1 ", k_syntax},
      {" 1", k_syntax},
      {"--1", k_syntax},
      {"1e", k_syntax},
      {"e3", k_syntax},
      {".", k_syntax},
      {"1Ki2", k_syntax},
      {"1e1234", k_syntax},
      {"12345678901234567890", "quantity has too many digits (at most 19)"},
      {"9Ei", "quantity too large"},
      {"1E", "quantity too large"},
      {"9223372036854775808m", "quantity too large"},
      {"1e999", "quantity too large"},
  };
  for (const auto& [text, message] : cases) {
    CAPTURE(text);
    std::string error;
    CHECK_FALSE(parse_quantity(text, &error).has_value());
    CHECK(error == message);
  }
}

TEST_CASE("quantity parse without an error string still fails cleanly") {
  CHECK_FALSE(parse_quantity("abc").has_value());
}

TEST_CASE("quantity value rounds up to whole units like Kubernetes' Value()") {
  CHECK(parse_quantity("100m")->value() == 1);
  CHECK(parse_quantity("1")->value() == 1);
  CHECK(parse_quantity("1001m")->value() == 2);
  CHECK(parse_quantity("1Ki")->value() == 1024);
  CHECK(parse_quantity("-1500m")->value() == -1);
  CHECK(parse_quantity("0")->value() == 0);
}

TEST_CASE("quantity round trip: parse(to_string(q)) == q over random quantities") {
  std::mt19937_64 rng(20261126);
  std::uniform_int_distribution<std::int64_t> any_milli(std::numeric_limits<std::int64_t>::min(),
                                                        std::numeric_limits<std::int64_t>::max());
  std::uniform_int_distribution<std::int64_t> small(-5'000'000, 5'000'000);
  const std::int64_t max_ki = std::numeric_limits<std::int64_t>::max() / 1'024'000;
  std::uniform_int_distribution<std::int64_t> any_ki(-max_ki, max_ki);
  for (int i = 0; i < 20000; ++i) {
    quantity q;
    switch (i % 4) {
      case 0: q.milli = any_milli(rng); break;
      case 1: q.milli = small(rng); break;
      case 2: q.milli = small(rng) * 1000; break;  // whole units: k, M, G... suffixes
      default:
        q.milli = any_ki(rng) * 1'024'000;  // whole Ki: binary suffixes
        q.family = q.milli == 0 ? family::decimal : family::binary;
    }
    std::string text = to_string(q);
    CAPTURE(text);
    std::string error;
    auto back = parse_quantity(text, &error);
    REQUIRE_MESSAGE(back.has_value(), error);
    CHECK(*back == q);
  }
}

TEST_CASE("quantity round trip holds for everything random text parses to") {
  std::mt19937_64 rng(7);
  const std::vector<std::string> suffixes = {"", "m", "k", "M", "G", "T", "Ki", "Mi", "Gi", "Ti", "e2", "e-2", "E3"};
  std::uniform_int_distribution<int> digit(0, 9), length(1, 8), pick(0, static_cast<int>(suffixes.size()) - 1);
  int parsed = 0;
  for (int i = 0; i < 5000; ++i) {
    std::string text = i % 3 == 0 ? "-" : "";
    int n = length(rng);
    int point = length(rng);
    for (int k = 0; k < n; ++k) {
      if (k == point) text += '.';
      text += static_cast<char>('0' + digit(rng));
    }
    text += suffixes[static_cast<std::size_t>(pick(rng))];
    CAPTURE(text);
    auto q = parse_quantity(text);
    if (!q) continue;  // too large for int64 thousandths: allowed to fail
    ++parsed;
    auto back = parse_quantity(to_string(*q));
    REQUIRE(back.has_value());
    CHECK(*back == *q);
  }
  CHECK(parsed > 4000);
}
