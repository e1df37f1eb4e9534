// spec.activeDeadlineSeconds (node-agent/logic/active_deadline.hpp): the pure
// decision, and what pod_actions and pod_status_of make of it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node-agent/logic/active_deadline.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;
using st = observed_container::state;

pod_context at(model::time_ns now) {
  pod_context c;
  c.now = now;
  return c;
}

/// A pod with a 3 s deadline, its sandbox made at 1 s, its container running.
struct deadline_pod {
  model::pod pod = make_pod({"a"});
  observed_pod observed;
  deadline_pod() {
    pod.spec.active_deadline_seconds = 3;
    observed.sandboxes.push_back(sandbox("sb1", st::running, 1 * k_second));
    observed.containers.push_back(running(pod, "a", 0, 2 * k_second));
  }
};

}  // namespace

TEST_CASE("the deadline counts from the earlier of berthd's startTime and the first sandbox") {
  deadline_pod d;
  CHECK(active_since(d.pod, d.observed) == 1 * k_second);
  CHECK(deadline_of(d.pod, d.observed) == 4 * k_second);
  d.pod.status.start_time = k_second / 2;  // an older sandbox, since collected
  CHECK(deadline_of(d.pod, d.observed) == k_second / 2 + 3 * k_second);
  CHECK_FALSE(past_active_deadline(d.pod, d.observed, 3 * k_second));
  CHECK(past_active_deadline(d.pod, d.observed, 4 * k_second));
}

TEST_CASE("no deadline, or not started yet: never past it") {
  deadline_pod d;
  d.pod.spec.active_deadline_seconds = 0;
  CHECK(deadline_of(d.pod, d.observed) == 0);
  CHECK_FALSE(past_active_deadline(d.pod, d.observed, 100 * k_minute));
  deadline_pod fresh;
  fresh.observed = {};
  CHECK(active_since(fresh.pod, fresh.observed) == 0);
  CHECK_FALSE(past_active_deadline(fresh.pod, fresh.observed, 100 * k_minute));
}

TEST_CASE("before the deadline the pod runs on, and its actor is woken at the deadline") {
  deadline_pod d;
  backoff_table backoff;
  const auto plan = pod_actions(d.pod, d.observed, at(3 * k_second), backoff);
  CHECK(plan.kills.empty());
  CHECK(plan.kill_sandboxes.empty());
  CHECK(plan.wake_at == 4 * k_second);
  auto status = pod_status_of(d.pod, d.observed, plan, at(3 * k_second), "10.0.0.1");
  CHECK(status.phase == model::pod_phase::running);
  CHECK(status.reason.empty());
}

TEST_CASE("past the deadline: every container and the sandbox killed, nothing started, Failed/DeadlineExceeded") {
  deadline_pod d;
  backoff_table backoff;
  auto plan = pod_actions(d.pod, d.observed, at(4 * k_second), backoff);
  REQUIRE(plan.kills.size() == 1);
  CHECK(plan.kills[0].name == "a");
  CHECK(plan.kills[0].reason.find("DeadlineExceeded") == 0);
  CHECK(plan.kill_sandboxes == std::vector<std::string>{"sb1"});
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.create_sandbox);
  CHECK_FALSE(plan.pod_finished);  // still running until the kills are applied
  auto status = pod_status_of(d.pod, d.observed, plan, at(4 * k_second), "10.0.0.1");
  CHECK(status.phase == model::pod_phase::failed);
  CHECK(status.reason == "DeadlineExceeded");
  CHECK(status.message == "Pod was active on the node longer than specified deadline");

  // Killed (exit 137 under restartPolicy Always): no restart, no new sandbox, ever.
  d.observed.sandboxes[0] = sandbox("sb1", st::exited, 1 * k_second);
  d.observed.containers[0] = exited(d.pod, "a", 0, 137, 2 * k_second, 4 * k_second);
  plan = pod_actions(d.pod, d.observed, at(60 * k_minute), backoff);
  CHECK(plan.kills.empty());
  CHECK(plan.starts.empty());
  CHECK_FALSE(plan.create_sandbox);
  CHECK(plan.removals.empty());  // the dead containers stay, for logs and the start time
  CHECK(plan.pod_finished);
  status = pod_status_of(d.pod, d.observed, plan, at(60 * k_minute), "10.0.0.1");
  CHECK(status.phase == model::pod_phase::failed);
  CHECK(status.reason == "DeadlineExceeded");
  REQUIRE(status.conditions.size() == 1);
  CHECK(status.conditions[0].reason == "PodCompleted");
}

TEST_CASE("a pod that succeeded before its deadline stays Succeeded; a deleted one is just deleted") {
  deadline_pod d;
  d.pod.spec.restart_policy_ = model::restart_policy::never;
  d.observed.containers[0] = exited(d.pod, "a", 0, 0, 2 * k_second, 3 * k_second);
  backoff_table backoff;
  auto plan = pod_actions(d.pod, d.observed, at(10 * k_second), backoff);
  auto status = pod_status_of(d.pod, d.observed, plan, at(10 * k_second), "10.0.0.1");
  CHECK(status.phase == model::pod_phase::succeeded);
  CHECK(status.reason.empty());

  deadline_pod gone;
  gone.pod.metadata.deletion_timestamp = 5 * k_second;
  plan = pod_actions(gone.pod, gone.observed, at(10 * k_second), backoff);
  REQUIRE(plan.kills.size() == 1);
  CHECK(plan.kills[0].reason == "pod deleted");
  status = pod_status_of(gone.pod, gone.observed, plan, at(10 * k_second), "10.0.0.1");
  CHECK(status.reason.empty());
}

}  // namespace berth::agent
