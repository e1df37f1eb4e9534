// Table tests of pod_actions: one case per rule of kubelet's computePodActions
// as berth implements it, with the exact reasons and messages.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;
using st = observed_container::state;
using strings = std::vector<std::string>;

pod_context at(model::time_ns now) {
  pod_context c;
  c.now = now;
  return c;
}

TEST_CASE("fresh_pod_creates_a_sandbox_and_starts_every_container_at_attempt_0") {
  const auto pod = make_pod({"a", "b"});
  backoff_table backoff;
  const auto plan = pod_actions(pod, {}, at(5 * k_second), backoff);
  CHECK(plan.create_sandbox);
  CHECK(start_names(plan) == strings{"a#0", "b#0"});
  CHECK(plan.kills.empty());
  CHECK(plan.kill_sandboxes.empty());
  CHECK(plan.removals.empty());
  CHECK(plan.waiting.empty());
  CHECK(plan.wake_at == 0);
  CHECK_FALSE(plan.pod_finished);
}

TEST_CASE("missing_image_waits_with_ErrImageNeverPull_and_the_message_and_is_not_started") {
  auto pod = make_pod({"a", "b"});
  pod.spec.containers[1].image = "nginx";
  auto context = at(5 * k_second);
  context.image_errors["nginx"] = "image \"nginx\" not present on node and no registry configured";
  context.image_errors["busybox"] = "";  // present
  backoff_table backoff;
  const auto plan = pod_actions(pod, {}, context, backoff);
  CHECK(plan.create_sandbox);
  CHECK(start_names(plan) == strings{"a#0"});
  REQUIRE(plan.waiting.count("b") == 1);
  CHECK(plan.waiting.at("b").reason == "ErrImageNeverPull");
  CHECK(plan.waiting.at("b").message == "image \"nginx\" not present on node and no registry configured");
  CHECK(plan.wake_at == 0);
}

TEST_CASE("running_steady_state_gives_an_empty_plan") {
  const auto pod = make_pod({"a", "b"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a"), running(pod, "b", 3)};
  backoff_table backoff;
  CHECK(is_empty(pod_actions(pod, obs, at(100 * k_second), backoff)));
}

TEST_CASE("first_exit_restarts_at_once_with_every_policy_that_restarts") {
  struct row {
    model::restart_policy policy;
    std::int32_t exit_code;
    bool restarts;
  };
  const std::vector<row> rows = {
      {model::restart_policy::always, 0, true},      {model::restart_policy::always, 1, true},
      {model::restart_policy::on_failure, 0, false}, {model::restart_policy::on_failure, 2, true},
      {model::restart_policy::never, 0, false},      {model::restart_policy::never, 1, false},
  };
  for (const auto& r : rows) {
    CAPTURE(static_cast<int>(r.policy));
    CAPTURE(r.exit_code);
    const auto pod = make_pod({"a"}, r.policy);
    observed_pod obs;
    obs.sandboxes = {sandbox("s1")};
    obs.containers = {exited(pod, "a", 0, r.exit_code, 2 * k_second, 3 * k_second)};
    backoff_table backoff;
    const auto plan = pod_actions(pod, obs, at(4 * k_second), backoff);
    CHECK_FALSE(plan.create_sandbox);
    CHECK(plan.waiting.empty());
    if (r.restarts) {
      CHECK(start_names(plan) == strings{"a#1"});
      CHECK(plan.kill_sandboxes.empty());
      CHECK_FALSE(plan.pod_finished);
      REQUIRE(backoff.count("a") == 1);
      CHECK(backoff.at("a").delay == 0);
      CHECK(backoff.at("a").for_attempt == 0);
    } else {
      // The only container is done: the pod finished, its sandbox goes.
      CHECK(plan.starts.empty());
      CHECK(plan.kill_sandboxes == strings{"s1"});
      CHECK(plan.pod_finished);
      CHECK(plan.removals.empty());  // last containers stay for logs
    }
  }
}

TEST_CASE("backoff_sequence_is_0_10s_20s_40s_doubling_to_a_5_minute_cap") {
  const auto pod = make_pod({"a"});
  backoff_table backoff;
  const std::vector<model::time_ns> delays = {
      0, 10 * k_second, 20 * k_second, 40 * k_second, 80 * k_second, 160 * k_second, 300 * k_second, 300 * k_second};
  const strings words = {"", "10s", "20s", "40s", "1m20s", "2m40s", "5m0s", "5m0s"};
  model::time_ns t = 10 * k_second;
  for (std::uint32_t attempt = 0; attempt < delays.size(); ++attempt) {
    CAPTURE(attempt);
    observed_pod obs;
    obs.sandboxes = {sandbox("s1")};
    // Each attempt runs 5 s and crashes.
    obs.containers = {exited(pod, "a", attempt, 1, t, t + 5 * k_second)};
    if (attempt > 0) obs.containers.push_back(exited(pod, "a", attempt - 1, 1, t - k_second, t - k_second));
    const model::time_ns finished = t + 5 * k_second;
    if (delays[attempt] == 0) {
      const auto plan = pod_actions(pod, obs, at(finished + 1), backoff);
      CHECK(start_names(plan) == strings{"a#1"});
    } else {
      const auto waiting = pod_actions(pod, obs, at(finished + 1), backoff);
      CHECK(waiting.starts.empty());
      REQUIRE(waiting.waiting.count("a") == 1);
      CHECK(waiting.waiting.at("a").reason == "CrashLoopBackOff");
      CHECK(waiting.waiting.at("a").message ==
            "back-off " + words[attempt] + " restarting failed container=a pod=web_default(uid-web)");
      CHECK(waiting.wake_at == finished + delays[attempt]);
      // Asking again just before the delay ends does not double it again.
      const auto still = pod_actions(pod, obs, at(finished + delays[attempt] - 1), backoff);
      CHECK(still.starts.empty());
      CHECK(still.wake_at == finished + delays[attempt]);
      const auto plan = pod_actions(pod, obs, at(finished + delays[attempt]), backoff);
      CHECK(start_names(plan) == strings{"a#" + std::to_string(attempt + 1)});
      CHECK(plan.waiting.empty());
      CHECK(plan.wake_at == 0);
    }
    CHECK(backoff.at("a").delay == delays[attempt]);
    CHECK(backoff.at("a").for_attempt == attempt);
    CHECK(backoff.at("a").not_before == finished + delays[attempt]);
    t = finished + delays[attempt] + k_second;
  }
}

TEST_CASE("a_start_carries_the_backoff_it_waited_so_the_runtime_can_label_it") {
  const auto pod = make_pod({"a"});
  backoff_table backoff;
  backoff["a"] = backoff_entry{20 * k_second, 0, 2};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 2, 1, 10 * k_second, 15 * k_second)};
  const auto plan = pod_actions(pod, obs, at(200 * k_second), backoff);
  REQUIRE(plan.starts.size() == 1);
  CHECK(plan.starts[0].attempt == 3);
  CHECK(plan.starts[0].backoff_delay == 20 * k_second);
}

TEST_CASE("an_agent_without_memory_resumes_doubling_from_the_newest_containers_label") {
  // A restarted agent has an empty back-off table. The crashed container was
  // started after waiting 40 s (its label), so the next delay is 80 s, not
  // the 10 s base a forgetful agent would use.
  const auto pod = make_pod({"a"});
  backoff_table forgotten;
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  auto crashed = exited(pod, "a", 4, 1, 100 * k_second, 105 * k_second);
  crashed.backoff_delay = 40 * k_second;
  obs.containers = {crashed, exited(pod, "a", 3, 1, 50 * k_second, 55 * k_second)};
  const auto plan = pod_actions(pod, obs, at(106 * k_second), forgotten);
  CHECK(plan.starts.empty());
  CHECK(plan.waiting.at("a").message == "back-off 1m20s restarting failed container=a pod=web_default(uid-web)");
  CHECK(plan.wake_at == 105 * k_second + 80 * k_second);
  CHECK(forgotten.at("a").delay == 80 * k_second);

  SUBCASE("the cap still holds") {
    crashed.backoff_delay = 300 * k_second;
    obs.containers = {crashed};
    backoff_table empty;
    CHECK(pod_actions(pod, obs, at(106 * k_second), empty).wake_at == 105 * k_second + 300 * k_second);
  }
  SUBCASE("a long run still resets, label or not") {
    crashed = exited(pod, "a", 4, 1, 100 * k_second, 100 * k_second + 11 * k_minute);
    crashed.backoff_delay = 300 * k_second;
    obs.containers = {crashed};
    backoff_table empty;
    CHECK(start_names(pod_actions(pod, obs, at(100 * k_second + 12 * k_minute), empty)) == strings{"a#5"});
  }
  SUBCASE("a label of 0 after the first exit means the base delay next") {
    crashed.backoff_delay = 0;
    obs.containers = {crashed};
    backoff_table empty;
    CHECK(pod_actions(pod, obs, at(106 * k_second), empty).wake_at == 105 * k_second + 10 * k_second);
  }
}

TEST_CASE("backoff_resets_after_10_minutes_of_running_then_starts_again_at_10s") {
  const auto pod = make_pod({"a"});
  backoff_table backoff;
  backoff["a"] = backoff_entry{300 * k_second, 0, 5};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  const model::time_ns start = 1000 * k_second;
  obs.containers = {exited(pod, "a", 6, 1, start, start + 10 * k_minute)};
  auto plan = pod_actions(pod, obs, at(start + 10 * k_minute + 1), backoff);
  CHECK(start_names(plan) == strings{"a#7"});
  CHECK(backoff.at("a").delay == 0);

  // The next crash (a short run) waits the base delay again.
  const model::time_ns t = start + 11 * k_minute;
  obs.containers = {exited(pod, "a", 7, 1, t, t + k_second)};
  plan = pod_actions(pod, obs, at(t + 2 * k_second), backoff);
  CHECK(plan.starts.empty());
  CHECK(plan.waiting.at("a").message == "back-off 10s restarting failed container=a pod=web_default(uid-web)");
  CHECK(plan.wake_at == t + k_second + 10 * k_second);
}

TEST_CASE("a_run_just_under_the_reset_time_keeps_doubling") {
  const auto pod = make_pod({"a"});
  backoff_table backoff;
  backoff["a"] = backoff_entry{40 * k_second, 0, 3};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 4, 1, 0 + k_second, k_second + 10 * k_minute - 1)};
  const auto plan = pod_actions(pod, obs, at(k_second + 10 * k_minute), backoff);
  CHECK(plan.starts.empty());
  CHECK(backoff.at("a").delay == 80 * k_second);
}

TEST_CASE("backoff_base_and_cap_are_configurable_and_printed_like_go_durations") {
  const auto pod = make_pod({"a"});
  auto context = at(10 * k_second);
  context.backoff.base = 100'000'000;  // 100 ms
  context.backoff.cap = 300'000'000;
  backoff_table backoff;
  backoff["a"] = backoff_entry{200'000'000, 0, 1};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 2, 1, 9 * k_second, 10 * k_second)};
  const auto plan = pod_actions(pod, obs, context, backoff);
  CHECK(plan.waiting.at("a").message == "back-off 300ms restarting failed container=a pod=web_default(uid-web)");
  CHECK(plan.wake_at == 10 * k_second + 300'000'000);
}

TEST_CASE("an_adopted_crashed_container_without_backoff_memory_waits_the_base_delay") {
  // The agent restarted: it has no table, and the container already restarted before.
  const auto pod = make_pod({"a"});
  backoff_table backoff;
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 3, 1, 10 * k_second, 11 * k_second)};
  const auto plan = pod_actions(pod, obs, at(12 * k_second), backoff);
  CHECK(plan.starts.empty());
  CHECK(plan.waiting.at("a").reason == "CrashLoopBackOff");
  CHECK(plan.wake_at == 21 * k_second);
}

TEST_CASE("liveness_failure_kills_and_restarts_in_the_same_plan") {
  const auto pod = make_pod({"a", "b"});
  auto context = at(100 * k_second);
  context.liveness_failed = {"a"};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a"), running(pod, "b")};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, context, backoff);
  CHECK(kill_list(plan) == strings{"a-0: Unhealthy: liveness probe failed"});
  CHECK(start_names(plan) == strings{"a#1"});
  CHECK(plan.waiting.empty());
}

TEST_CASE("liveness_failure_of_a_restarted_container_is_subject_to_backoff") {
  const auto pod = make_pod({"a"});
  auto context = at(100 * k_second);
  context.liveness_failed = {"a"};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a", 1, 90 * k_second)};
  backoff_table backoff;
  backoff["a"] = backoff_entry{0, 0, 0};
  const auto plan = pod_actions(pod, obs, context, backoff);
  CHECK(kill_list(plan) == strings{"a-1: Unhealthy: liveness probe failed"});
  CHECK(plan.starts.empty());
  CHECK(plan.waiting.at("a").reason == "CrashLoopBackOff");
  CHECK(plan.wake_at == 110 * k_second);
  CHECK(backoff.at("a").for_attempt == 1);
}

TEST_CASE("liveness_failure_with_restart_policy_never_kills_without_restart") {
  const auto pod = make_pod({"a"}, model::restart_policy::never);
  auto context = at(100 * k_second);
  context.liveness_failed = {"a"};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a")};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, context, backoff);
  CHECK(kill_list(plan) == strings{"a-0: Unhealthy: liveness probe failed"});
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.pod_finished);
}

TEST_CASE("spec_change_kills_and_starts_the_next_attempt_even_with_policy_never") {
  auto pod = make_pod({"a", "b"}, model::restart_policy::never);
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a", 2), running(pod, "b")};
  pod.spec.containers[0].image = "busybox:2";
  backoff_table backoff;
  backoff["a"] = backoff_entry{300 * k_second, 1000 * k_second, 1};  // no back-off for a spec change
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(kill_list(plan) == strings{"a-2: container spec changed"});
  CHECK(start_names(plan) == strings{"a#3"});
  CHECK(plan.waiting.empty());
}

TEST_CASE("sandbox_died_creates_a_new_one_and_restarts_every_app_container") {
  const auto pod = make_pod({"a", "b", "c"}, model::restart_policy::on_failure);
  observed_pod obs;
  obs.sandboxes = {sandbox("s1", st::exited)};
  obs.containers = {running(pod, "a", 1), exited(pod, "b", 0, 0, 2 * k_second, 3 * k_second), running(pod, "c")};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(plan.create_sandbox);
  CHECK(kill_list(plan) == strings{"a-1: pod sandbox changed", "c-0: pod sandbox changed"});
  // b succeeded under OnFailure: it stays done.
  CHECK(start_names(plan) == strings{"a#2", "c#1"});
  CHECK(plan.removals.empty());  // s1 is the newest dead sandbox
}

TEST_CASE("sandbox_died_under_policy_never_makes_no_new_sandbox_and_ends_the_pod") {
  const auto pod = make_pod({"a", "b"}, model::restart_policy::never);
  observed_pod obs;
  obs.sandboxes = {sandbox("s1", st::exited)};
  obs.containers = {running(pod, "a")};
  backoff_table backoff;
  auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK_FALSE(plan.create_sandbox);
  CHECK(kill_list(plan) == strings{"a-0: pod sandbox died"});
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.pod_finished);

  obs.containers = {exited(pod, "a", 0, 143, 2 * k_second, 101 * k_second)};
  plan = pod_actions(pod, obs, at(102 * k_second), backoff);
  CHECK(plan.kills.empty());
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.pod_finished);
}

TEST_CASE("extra_running_sandboxes_are_killed_keeping_the_newest") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("old", st::running, 1 * k_second), sandbox("new", st::running, 5 * k_second)};
  obs.containers = {running(pod, "a")};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(plan.kill_sandboxes == strings{"old"});
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.kills.empty());
}

TEST_CASE("deleted_pod_kills_everything_starts_nothing_then_removes_everything") {
  auto pod = make_pod({"a", "b"});
  pod.metadata.deletion_timestamp = 50 * k_second;
  observed_pod obs;
  obs.sandboxes = {sandbox("s1"), sandbox("s0", st::exited, 0)};
  obs.containers = {running(pod, "a", 1), exited(pod, "a", 0, 1, k_second, 2 * k_second),
                    exited(pod, "b", 0, 1, k_second, 2 * k_second)};
  backoff_table backoff;
  backoff["a"] = backoff_entry{0, 0, 0};
  backoff["b"] = backoff_entry{0, 0, 0};
  auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(kill_list(plan) == strings{"a-1: pod deleted"});
  CHECK(plan.kill_sandboxes == strings{"s1"});
  CHECK(plan.starts.empty());  // b would restart under Always, but the pod is going
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.removals.empty());
  CHECK_FALSE(plan.pod_finished);
  CHECK(backoff.empty());

  obs.sandboxes[0].state_ = st::exited;
  obs.containers[0].state_ = st::exited;
  plan = pod_actions(pod, obs, at(101 * k_second), backoff);
  CHECK(plan.kills.empty());
  CHECK(plan.kill_sandboxes.empty());
  CHECK(plan.removals == strings{"a-1", "a-0", "b-0", "s1", "s0"});
  CHECK(plan.pod_finished);
}

TEST_CASE("deleted_pod_without_a_running_sandbox_does_not_make_one") {
  auto pod = make_pod({"a"});
  pod.metadata.deletion_timestamp = 1;
  backoff_table backoff;
  const auto plan = pod_actions(pod, {}, at(100 * k_second), backoff);
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.starts.empty());
  CHECK(plan.pod_finished);
}

TEST_CASE("finished_pod_kills_its_sandbox_and_keeps_its_last_containers_for_logs") {
  const auto pod = make_pod({"a", "b"}, model::restart_policy::on_failure);
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 0, 0, k_second, 2 * k_second), exited(pod, "b", 1, 0, k_second, 3 * k_second),
                    exited(pod, "b", 0, 1, k_second, 2 * k_second)};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(plan.kill_sandboxes == strings{"s1"});
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.pod_finished);
  CHECK(plan.removals == strings{"b-0"});  // only the older dead b
}

TEST_CASE("on_failure_with_one_container_failed_is_not_finished") {
  const auto pod = make_pod({"a", "b"}, model::restart_policy::on_failure);
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 0, 0, k_second, 2 * k_second), exited(pod, "b", 0, 1, k_second, 2 * k_second)};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(start_names(plan) == strings{"b#1"});
  CHECK_FALSE(plan.pod_finished);
  CHECK(plan.kill_sandboxes.empty());
}

TEST_CASE("gc_keeps_the_newest_dead_container_per_name_and_the_newest_dead_sandbox") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s3"), sandbox("s1", st::exited, 1 * k_second), sandbox("s2", st::exited, 2 * k_second)};
  obs.containers = {exited(pod, "a", 0, 1, k_second, 2 * k_second), running(pod, "a", 3),
                    exited(pod, "a", 2, 1, k_second, 2 * k_second), exited(pod, "a", 1, 1, k_second, 2 * k_second)};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(plan.removals == strings{"a-1", "a-0", "s1"});
  CHECK(plan.kills.empty());
  CHECK(plan.starts.empty());
}

TEST_CASE("unknown_state_is_left_alone") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {container(pod, "a", 1, st::unknown), exited(pod, "a", 0, 1, k_second, 2 * k_second)};
  backoff_table backoff;
  CHECK(is_empty(pod_actions(pod, obs, at(100 * k_second), backoff)));
}

TEST_CASE("created_but_never_started_is_removed_and_started_again_then_backs_off") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {container(pod, "a", 0, st::created, 10 * k_second)};
  obs.containers[0].error = "exec: \"httpd\": executable file not found in $PATH";
  backoff_table backoff;
  auto plan = pod_actions(pod, obs, at(11 * k_second), backoff);
  CHECK(start_names(plan) == strings{"a#1"});
  CHECK(plan.removals == strings{"a-0"});

  // The retry failed too: it waits 10 s from its creation and stays until then.
  obs.containers = {container(pod, "a", 1, st::created, 12 * k_second)};
  plan = pod_actions(pod, obs, at(13 * k_second), backoff);
  CHECK(plan.starts.empty());
  CHECK(plan.removals.empty());
  CHECK(plan.waiting.at("a").reason == "CrashLoopBackOff");
  CHECK(plan.wake_at == 22 * k_second);
}

TEST_CASE("containers_no_longer_in_the_spec_are_killed_and_their_backoff_dropped") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a"), running(pod, "a"), exited(pod, "a", 0, 1, k_second, 2 * k_second)};
  obs.containers[1].name = "gone";
  obs.containers[1].id = "gone-0";
  obs.containers[2].name = "gone";
  obs.containers[2].id = "gone-old";
  backoff_table backoff;
  backoff["gone"] = backoff_entry{10 * k_second, 0, 0};
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(kill_list(plan) == strings{"gone-0: container not in pod spec"});
  CHECK(plan.starts.empty());
  CHECK(plan.removals.empty());
  CHECK(backoff.count("gone") == 0);
}

TEST_CASE("an_older_running_attempt_is_killed_as_superseded") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a", 0), running(pod, "a", 1)};
  backoff_table backoff;
  const auto plan = pod_actions(pod, obs, at(100 * k_second), backoff);
  CHECK(kill_list(plan) == strings{"a-0: superseded by a newer attempt"});
  CHECK(plan.starts.empty());
}

}  // namespace
}  // namespace berth::agent
