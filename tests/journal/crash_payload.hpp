#pragma once
// The payload the crash child appends as (run, producer, index): derived
// deterministically so that the test can check every acknowledged record
// byte for byte without the child telling it the bytes.

#include <fmt/format.h>

#include <cstdint>
#include <string>

namespace berth::journal::test {

/// 16..515 bytes: a readable prefix, then splitmix64 bytes seeded by the triple.
inline std::string crash_payload(std::uint32_t run, std::uint32_t producer, std::uint64_t index) {
  const std::size_t size = 16 + (index * 37 + producer * 11 + run) % 500;
  std::string s = fmt::format("r{} p{} i{}|", run, producer, index);
  std::uint64_t x = (std::uint64_t{run} << 48) ^ (std::uint64_t{producer} << 32) ^ index;
  while (s.size() < size) {
    x += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    for (int b = 0; b < 8 && s.size() < size; ++b) s.push_back(static_cast<char>(z >> (8 * b)));
  }
  return s;
}

}  // namespace berth::journal::test
