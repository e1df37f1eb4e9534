#include "actors/kube/bearer.hpp"

namespace berth::kube {

bool token_equals(std::string_view presented, std::string_view expected) {
  if (expected.empty()) return false;
  // Every byte of `expected` is looked at whatever `presented` holds: a
  // shorter or longer guess costs the same time as one of the right length.
  unsigned char diff = presented.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const unsigned char p = i < presented.size() ? static_cast<unsigned char>(presented[i]) : 0;
    diff |= static_cast<unsigned char>(p ^ static_cast<unsigned char>(expected[i]));
  }
  // volatile: keeps the compiler from turning the loop into an early exit.
  volatile unsigned char result = diff;
  return result == 0;
}

bool bearer_authorizes(std::optional<std::string_view> authorization, std::string_view token) {
  constexpr std::string_view k_scheme = "Bearer ";
  if (!authorization || authorization->substr(0, k_scheme.size()) != k_scheme) return false;
  return token_equals(authorization->substr(k_scheme.size()), token);
}

}  // namespace berth::kube
