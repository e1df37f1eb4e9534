#pragma once
// The one source of randomness in an RC plan: pod name suffixes and uids.
//
// Seeded explicitly, so that a plan is a pure function of its inputs and a
// test can predict every name. The generator is a value: copy it to fork the
// sequence. The RC actor seeds it from something unique (e.g. the journal
// sequence number of the event it reacts to) and the chosen names are written
// into the decision events, so replay never calls the generator.

#include <cstdint>
#include <string>

namespace berth::reconcile {

/// splitmix64 underneath: fully specified, identical on every platform and
/// standard library (std:: distributions are not).
class name_generator {
 public:
  /// A generator whose whole output is determined by `seed`.
  explicit name_generator(std::uint64_t seed) : state_(seed) {}

  /// 5 characters of [a-z0-9], as Kubernetes' generateName suffixes.
  std::string next_suffix();

  /// An RFC 4122 version-4 uid in lowercase: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
  std::string next_uid();

 private:
  std::uint64_t next();

  std::uint64_t state_;
};

}  // namespace berth::reconcile
