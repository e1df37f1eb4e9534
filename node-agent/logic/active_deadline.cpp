#include "node-agent/logic/active_deadline.hpp"

namespace berth::agent {

model::time_ns active_since(const model::pod& desired, const observed_pod& observed) {
  model::time_ns start = desired.status.start_time;
  for (const auto& s : observed.sandboxes)
    if (s.created_at != 0 && (start == 0 || s.created_at < start)) start = s.created_at;
  return start;
}

model::time_ns deadline_of(const model::pod& desired, const observed_pod& observed) {
  const auto seconds = desired.spec.active_deadline_seconds;
  if (seconds <= 0) return 0;
  const auto start = active_since(desired, observed);
  if (start == 0) return 0;
  return start + seconds * 1'000'000'000LL;
}

bool past_active_deadline(const model::pod& desired, const observed_pod& observed, model::time_ns now) {
  const auto at = deadline_of(desired, observed);
  return at != 0 && now >= at;
}

}  // namespace berth::agent
