// The continue token of paged lists: what it encodes comes back, anything
// else is refused.
#include <doctest/doctest.h>

#include <random>

#include "actors/kube/continue_token.hpp"

using namespace berth::kube;

TEST_CASE("continue tokens round-trip, and are URL-safe") {
  const std::vector<continue_point> points = {
      {1, "default", "web-1"},
      {18446744073709551615ull, "kube-system", "a"},
      {42, "", "node-7"},  // cluster-scoped: no namespace
  };
  for (const auto& p : points) {
    auto token = encode_continue(p);
    CAPTURE(token);
    CHECK(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string::npos);
    CHECK(decode_continue(token) == p);
  }
}

TEST_CASE("continue tokens that encode_continue did not make are refused") {
  for (const char* bad : {"", "7", "abc=", "not a token", "YjEKMQpkZWZhdWx0Cg" /* empty name */,
                          "YjIKMQpkZWZhdWx0CndlYg" /* version b2 */, "YjEKeApkZWZhdWx0CndlYg" /* rv x */}) {
    CAPTURE(bad);
    CHECK(!decode_continue(bad));
  }
}

TEST_CASE("random points round-trip; a token with one character changed decodes to another point or none") {
  std::mt19937_64 rng(7);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const std::string name_chars = "abcdefghijklmnopqrstuvwxyz0123456789-.";
  auto random_name = [&](std::size_t min) {
    std::string n;
    for (std::size_t len = min + rng() % 20; n.size() < len;) n += name_chars[rng() % name_chars.size()];
    return n;
  };
  int decoded_mutants = 0;
  for (int i = 0; i < 2000; ++i) {
    continue_point p{rng(), random_name(0), random_name(1)};
    auto token = encode_continue(p);
    REQUIRE(decode_continue(token) == p);
    std::string mutant = token;
    mutant[rng() % mutant.size()] = alphabet[rng() % alphabet.size()];
    if (auto q = decode_continue(mutant)) {
      ++decoded_mutants;
      CHECK(decode_continue(encode_continue(*q)) == q);
    }
  }
  CHECK(decoded_mutants > 0);  // most single-character changes still spell a point
}
