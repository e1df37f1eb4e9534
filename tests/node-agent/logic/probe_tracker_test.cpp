// Table tests of probe_tracker: schedule (initial delay, period) and the
// passing state of liveness and readiness probes over result sequences.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/probe_tracker.hpp"

namespace berth::agent {
namespace {

constexpr model::time_ns k_second = 1'000'000'000LL;

model::probe probe_of(std::int32_t initial_delay, std::int32_t period, std::int32_t success_threshold,
                      std::int32_t failure_threshold) {
  model::probe p;
  p.handler = model::tcp_socket_action{};
  p.initial_delay_seconds = initial_delay;
  p.period_seconds = period;
  p.success_threshold = success_threshold;
  p.failure_threshold = failure_threshold;
  return p;
}

/// Feeds "+" (success) and "-" (failure) results and returns passing() after each.
std::string run(probe_tracker& t, const std::string& results) {
  std::string out;
  model::time_ns now = 0;
  for (char r : results) {
    t.record(r == '+', now += k_second);
    out += t.passing() ? 'P' : 'f';
  }
  return out;
}

TEST_CASE("first_probe_is_due_initial_delay_after_start_then_every_period") {
  probe_tracker t(probe_of(5, 10, 1, 3), probe_kind::liveness);
  const model::time_ns start = 100 * k_second;
  CHECK(t.next_due(start, start) == 105 * k_second);
  CHECK(t.next_due(start, 103 * k_second) == 105 * k_second);
  t.record(true, 105 * k_second);
  CHECK(t.next_due(start, 105 * k_second) == 115 * k_second);
  t.record(false, 115 * k_second);
  CHECK(t.next_due(start, 116 * k_second) == 125 * k_second);
}

TEST_CASE("an_overdue_probe_is_due_now") {
  probe_tracker t(probe_of(5, 10, 1, 3), probe_kind::readiness);
  CHECK(t.next_due(100 * k_second, 200 * k_second) == 200 * k_second);
  t.record(true, 105 * k_second);
  CHECK(t.next_due(100 * k_second, 130 * k_second) == 130 * k_second);
}

TEST_CASE("a_result_from_before_the_start_does_not_delay_the_first_probe") {
  probe_tracker t(probe_of(5, 10, 1, 3), probe_kind::liveness);
  t.record(true, 50 * k_second);
  CHECK(t.next_due(100 * k_second, 100 * k_second) == 105 * k_second);
}

TEST_CASE("liveness_passes_until_failure_threshold_consecutive_failures") {
  probe_tracker t(probe_of(0, 10, 1, 3), probe_kind::liveness);
  CHECK(t.passing());
  CHECK(run(t, "--+--+---+") == "PPPPPPPPfP");
  CHECK(t.consecutive_failures() == 0);
  CHECK(t.consecutive_successes() == 1);
}

TEST_CASE("liveness_needs_a_single_success_whatever_success_threshold_says") {
  probe_tracker t(probe_of(0, 10, 3, 1), probe_kind::liveness);
  CHECK(run(t, "-+") == "fP");
}

TEST_CASE("readiness_fails_until_success_threshold_then_passes_until_failure_threshold") {
  probe_tracker t(probe_of(0, 10, 2, 2), probe_kind::readiness);
  CHECK_FALSE(t.passing());
  CHECK(run(t, "+-++-+--+") == "fffPPPPff");
}

TEST_CASE("readiness_with_default_thresholds_passes_after_one_success") {
  probe_tracker t(model::probe{}, probe_kind::readiness);
  CHECK(run(t, "+--+---") == "PPPPPPf");
}

TEST_CASE("reset_returns_to_the_initial_state_and_schedule") {
  probe_tracker live(probe_of(5, 10, 1, 1), probe_kind::liveness);
  run(live, "-");
  CHECK_FALSE(live.passing());
  live.reset();
  CHECK(live.passing());
  CHECK(live.consecutive_failures() == 0);
  CHECK(live.next_due(1000 * k_second, 1000 * k_second) == 1005 * k_second);

  probe_tracker ready(probe_of(0, 10, 1, 3), probe_kind::readiness);
  run(ready, "+");
  CHECK(ready.passing());
  ready.reset();
  CHECK_FALSE(ready.passing());
  CHECK(ready.consecutive_successes() == 0);
}

TEST_CASE("invalid_thresholds_and_period_are_clamped") {
  probe_tracker t(probe_of(-5, 0, 0, 0), probe_kind::readiness);
  CHECK(t.next_due(100 * k_second, 100 * k_second) == 100 * k_second);
  t.record(true, 100 * k_second);
  CHECK(t.passing());
  CHECK(t.next_due(100 * k_second, 100 * k_second) == 101 * k_second);
  t.record(false, 101 * k_second);
  CHECK_FALSE(t.passing());
}

}  // namespace
}  // namespace berth::agent
