#include "actors/kube/bearer.hpp"

#include <doctest/doctest.h>

#include <random>
#include <string>

using berth::kube::bearer_authorizes;
using berth::kube::token_equals;

TEST_CASE("token_equals, table") {
  struct row {
    const char* presented;
    const char* expected;
    bool equal;
  };
  const row rows[] = {
      {"abc", "abc", true},   {"abd", "abc", false}, {"ab", "abc", false},  {"abcd", "abc", false},
      {"", "abc", false},     {"", "", false},       {"abc", "", false},     {"Abc", "abc", false},
  };
  for (const auto& r : rows) {
    CAPTURE(r.presented);
    CAPTURE(r.expected);
    CHECK(token_equals(r.presented, r.expected) == r.equal);
  }
}

TEST_CASE("token_equals agrees with == on random tokens and their one-byte mutations") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte('0', 'z');
  for (int round = 0; round < 2000; ++round) {
    std::string expected(1 + round % 70, ' ');
    for (auto& c : expected) c = static_cast<char>(byte(rng));
    std::string presented = expected;
    switch (round % 4) {
      case 0: break;
      case 1: presented[rng() % presented.size()] ^= 1; break;
      case 2: presented.pop_back(); break;
      case 3: presented.push_back('x'); break;
    }
    CHECK(token_equals(presented, expected) == (presented == expected));
  }
}

TEST_CASE("bearer_authorizes: the scheme, then the token") {
  CHECK(bearer_authorizes(std::string_view("Bearer s3cret"), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("Bearer s3cre"), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("Bearer s3cret "), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("bearer s3cret"), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("Basic s3cret"), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("s3cret"), "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::nullopt, "s3cret"));
  CHECK_FALSE(bearer_authorizes(std::string_view("Bearer "), ""));  // no token configured
}
