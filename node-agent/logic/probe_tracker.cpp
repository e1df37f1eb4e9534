#include "node-agent/logic/probe_tracker.hpp"

#include <algorithm>

namespace berth::agent {
namespace {

constexpr model::time_ns k_second = 1'000'000'000LL;

}  // namespace

probe_tracker::probe_tracker(const model::probe& probe, probe_kind kind)
    : kind_(kind),
      initial_delay_(std::max<std::int32_t>(probe.initial_delay_seconds, 0) * k_second),
      period_(std::max<std::int32_t>(probe.period_seconds, 1) * k_second),
      success_threshold_(kind == probe_kind::liveness ? 1 : std::max<std::int32_t>(probe.success_threshold, 1)),
      failure_threshold_(std::max<std::int32_t>(probe.failure_threshold, 1)),
      passing_(kind == probe_kind::liveness) {}

model::time_ns probe_tracker::next_due(model::time_ns started_at, model::time_ns now) const {
  model::time_ns due = started_at + initial_delay_;
  // A result from before this start (reset() not called) does not count.
  if (recorded_ && last_recorded_ + period_ > due) due = last_recorded_ + period_;
  return std::max(due, now);
}

void probe_tracker::record(bool success, model::time_ns now) {
  recorded_ = true;
  last_recorded_ = now;
  if (success) {
    failures_ = 0;
    ++successes_;
    if (successes_ >= success_threshold_) passing_ = true;
  } else {
    successes_ = 0;
    ++failures_;
    if (failures_ >= failure_threshold_) passing_ = false;
  }
}

void probe_tracker::reset() {
  passing_ = kind_ == probe_kind::liveness;
  successes_ = 0;
  failures_ = 0;
  recorded_ = false;
  last_recorded_ = 0;
}

}  // namespace berth::agent
