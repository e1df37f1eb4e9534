#include "actors/reconcile/name_generator.hpp"

#include <fmt/format.h>

namespace berth::reconcile {

std::uint64_t name_generator::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string name_generator::next_suffix() {
  static constexpr char k_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  constexpr std::uint64_t k_size = sizeof(k_alphabet) - 1;
  // 36^5 < 2^26: one 64-bit draw, digit by digit. The modulo bias is below 2^-38.
  std::uint64_t bits = next();
  std::string out(5, 'a');
  for (char& c : out) {
    c = k_alphabet[bits % k_size];
    bits /= k_size;
  }
  return out;
}

std::string name_generator::next_uid() {
  const std::uint64_t hi = (next() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  const std::uint64_t lo = (next() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff, hi & 0xffff, lo >> 48,
                     lo & 0xffffffffffffULL);
}

}  // namespace berth::reconcile
