// Table tests of probe_events and exec_failure_message, and a randomized
// invariant over result sequences fed through a real probe_tracker: a
// liveness probe makes one Killing per threshold crossing, a readiness probe
// one Unhealthy per failure streak.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "node-agent/logic/probe_events.hpp"

namespace berth::agent {
namespace {

probe_outcome failed(probe_kind kind, bool before, bool after, std::int32_t failures) {
  probe_outcome o;
  o.kind = kind;
  o.container = "liveness";
  o.message = "cat: can't open '/tmp/health': No such file or directory";
  o.passing_before = before;
  o.passing_after = after;
  o.consecutive_failures = failures;
  return o;
}

std::vector<std::string> reasons(const std::vector<model::pod_event_observed>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.reason);
  return out;
}

using strings = std::vector<std::string>;

TEST_CASE("a_success_makes_no_event") {
  probe_outcome o;
  o.success = true;
  CHECK(probe_events(o).empty());
  o.kind = probe_kind::readiness;
  CHECK(probe_events(o).empty());
}

TEST_CASE("each_liveness_failure_is_unhealthy_with_the_probe_output") {
  auto events = probe_events(failed(probe_kind::liveness, true, true, 1));
  REQUIRE(events.size() == 1);
  CHECK(events[0].reason == "Unhealthy");
  CHECK(events[0].message == "Liveness probe failed: cat: can't open '/tmp/health': No such file or directory");
  CHECK(events[0].container == "liveness");
  CHECK(reasons(probe_events(failed(probe_kind::liveness, true, true, 2))) == strings{"Unhealthy"});
}

TEST_CASE("the_liveness_failure_that_crosses_the_threshold_also_kills") {
  auto events = probe_events(failed(probe_kind::liveness, true, false, 3));
  CHECK(reasons(events) == strings{"Unhealthy", "Killing"});
  CHECK(events[1].message == "Container liveness failed liveness probe, will be restarted");
  CHECK(events[1].container == "liveness");
}

TEST_CASE("readiness_reports_only_the_first_failure_of_a_streak_and_never_kills") {
  auto first = probe_events(failed(probe_kind::readiness, true, true, 1));
  REQUIRE(first.size() == 1);
  CHECK(first[0].message.rfind("Readiness probe failed: ", 0) == 0);
  CHECK(probe_events(failed(probe_kind::readiness, true, true, 2)).empty());
  CHECK(probe_events(failed(probe_kind::readiness, true, false, 3)).empty());
  CHECK(probe_events(failed(probe_kind::readiness, false, false, 40)).empty());
}

TEST_CASE("exec_failure_message_is_the_trimmed_output_or_the_exit_code") {
  struct row {
    std::int32_t exit;
    std::string output;
    std::string want;
  };
  const std::vector<row> rows = {
      {1, "cat: can't open '/tmp/health': No such file or directory\n",
       "cat: can't open '/tmp/health': No such file or directory"},
      {2, "", "command exited with 2"},
      {137, " \n\t\r\n", "command exited with 137"},
      {1, "  two\nlines \n", "  two\nlines"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.output);
    CHECK(exec_failure_message(r.exit, r.output) == r.want);
  }
  CHECK(exec_failure_message(1, std::string(5000, 'x')).size() == 1024);
}

model::probe probe_with(std::int32_t success_threshold, std::int32_t failure_threshold) {
  model::probe p;
  p.handler = model::tcp_socket_action{};
  p.period_seconds = 1;
  p.success_threshold = success_threshold;
  p.failure_threshold = failure_threshold;
  return p;
}

TEST_CASE("randomized: killings equal threshold crossings, readiness unhealthy equals failure streaks") {
  std::mt19937 rng(20261206);
  for (int round = 0; round < 300; ++round) {
    const auto kind = round % 2 ? probe_kind::readiness : probe_kind::liveness;
    const std::int32_t failure_threshold = 1 + static_cast<std::int32_t>(rng() % 4);
    const std::int32_t success_threshold = kind == probe_kind::liveness ? 1 : 1 + static_cast<std::int32_t>(rng() % 3);
    probe_tracker tracker(probe_with(success_threshold, failure_threshold), kind);
    int crossings = 0, streaks = 0, failures = 0, killings = 0, unhealthy = 0;
    bool previous_failed = false;
    model::time_ns now = 0;
    for (int step = 0; step < 60; ++step) {
      const bool success = rng() % 3 == 0;
      probe_outcome o;
      o.kind = kind;
      o.container = "c";
      o.success = success;
      o.message = "refused";
      o.passing_before = tracker.passing();
      tracker.record(success, now += 1'000'000'000LL);
      o.passing_after = tracker.passing();
      o.consecutive_failures = tracker.consecutive_failures();
      if (o.passing_before && !o.passing_after) ++crossings;
      if (!success && !previous_failed) ++streaks;
      if (!success) ++failures;
      previous_failed = !success;
      const auto events = probe_events(o);
      for (const auto& e : events) {
        CHECK(e.container == "c");
        if (e.reason == "Killing") ++killings;
        if (e.reason == "Unhealthy") ++unhealthy;
      }
      // The agent restarts a container whose liveness failed: its tracker starts over.
      if (kind == probe_kind::liveness && !tracker.passing()) tracker.reset(), previous_failed = false;
    }
    if (kind == probe_kind::liveness) {
      CHECK(killings == crossings);
      CHECK(unhealthy == failures);
    } else {
      CHECK(killings == 0);
      CHECK(unhealthy == streaks);
    }
  }
}

}  // namespace
}  // namespace berth::agent
