#pragma once
// Deterministic generators of model values for the round-trip and property
// tests: the same seed always gives the same values (splitmix64, not <random>
// distributions, whose output differs between standard libraries).

#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/events.hpp"
#include "actors/model/objects.hpp"
#include "actors/model/state.hpp"

namespace berth::model::testing {

/// splitmix64 with small helpers.
class rng {
 public:
  explicit rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next();
  /// Uniform in [lo, hi] (inclusive).
  std::int64_t range(std::int64_t lo, std::int64_t hi);
  bool chance(int percent) { return range(0, 99) < percent; }
  /// 1..max_len characters from a set that includes spaces, digits and UTF-8.
  std::string text(std::size_t max_len = 12);
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(range(0, static_cast<std::int64_t>(v.size()) - 1))];
  }

 private:
  std::uint64_t state_;
};

// ---- "full" values: every field set to a non-default value (booleans true,
// enums never their first enumerant, strings and lists non-empty); variant
// alternatives are chosen by the generator, so many seeds cover all of them.
quantity full_quantity(rng& g);
object_meta full_meta(rng& g);
pod full_pod(rng& g);
replication_controller full_rc(rng& g);
service full_service(rng& g);
endpoints full_endpoints(rng& g);
node full_node(rng& g);
/// An event of `type` with header, seq, time and payload filled.
event full_event(rng& g, std::uint16_t type);

/// A stream of `count` events, seq 1..count, times strictly increasing and > 0.
/// Mixes plausible events (about objects that exist, chosen by folding the
/// stream as it is generated) with implausible ones (names from a small pool
/// so they collide, binds to missing nodes, deletes of missing objects, wrong
/// kinds and uids, duplicate creates, ...).
std::vector<event> random_stream(std::uint64_t seed, std::size_t count);

}  // namespace berth::model::testing
