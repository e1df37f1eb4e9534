// Table tests of pod_status_of: phases, container states with Kubernetes'
// reasons, restart counts, last termination states, the Ready condition.
#include <doctest/doctest.h>

#include <string>
#include <variant>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;
using st = observed_container::state;

struct result {
  pod_plan plan;
  model::pod_status status;
};

/// Plans, then reports, as a pod actor does.
result report(const model::pod& pod, const observed_pod& obs, pod_context context = {}, backoff_table backoff = {}) {
  if (context.now == 0) context.now = 100 * k_second;
  result r;
  r.plan = pod_actions(pod, obs, context, backoff);
  r.status = pod_status_of(pod, obs, r.plan, context, "10.0.0.5");
  return r;
}

const model::condition& ready_of(const model::pod_status& s) {
  REQUIRE(s.conditions.size() == 1);
  return s.conditions[0];
}

template <class T>
const T& state_as(const model::container_state& s) {
  REQUIRE(std::holds_alternative<T>(s));
  return std::get<T>(s);
}

TEST_CASE("fresh_pod_is_pending_with_containers_ContainerCreating_and_not_ready") {
  const auto pod = make_pod({"a", "b"});
  const auto r = report(pod, {});
  CHECK(r.status.phase == model::pod_phase::pending);
  CHECK(r.status.host_ip == "10.0.0.5");
  CHECK(r.status.pod_ip == "");
  CHECK(r.status.start_time == 0);
  REQUIRE(r.status.container_statuses.size() == 2);
  const auto& a = r.status.container_statuses[0];
  CHECK(a.name == "a");
  CHECK(state_as<model::container_state_waiting>(a.state) == model::container_state_waiting{"ContainerCreating", ""});
  CHECK(std::holds_alternative<std::monostate>(a.last_state));
  CHECK(a.restart_count == 0);
  CHECK_FALSE(a.ready);
  CHECK(a.image == "busybox");
  CHECK(a.container_id == "");
  const auto& ready = ready_of(r.status);
  CHECK(ready.type == "Ready");
  CHECK(ready.status == model::condition_status::is_false);
  CHECK(ready.reason == "ContainersNotReady");
  CHECK(ready.message == "containers with unready status: [a b]");
  CHECK(ready.last_transition_time == 100 * k_second);
}

TEST_CASE("running_pod_is_running_and_ready_with_pod_ip_and_earliest_sandbox_start") {
  const auto pod = make_pod({"a", "b"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s2", st::running, 7 * k_second, "172.17.0.9"), sandbox("s1", st::exited, 3 * k_second)};
  obs.containers = {running(pod, "a", 0, 8 * k_second), running(pod, "b", 0, 9 * k_second)};
  const auto r = report(pod, obs);
  CHECK(r.status.phase == model::pod_phase::running);
  CHECK(r.status.pod_ip == "172.17.0.9");
  CHECK(r.status.start_time == 3 * k_second);
  const auto& a = r.status.container_statuses[0];
  CHECK(state_as<model::container_state_running>(a.state).started_at == 8 * k_second);
  CHECK(a.ready);
  CHECK(a.container_id == "docker://a-0");
  CHECK(a.image_id == "sha256:b0");
  const auto& ready = ready_of(r.status);
  CHECK(ready.status == model::condition_status::is_true);
  CHECK(ready.reason == "");
  CHECK(ready.message == "");
}

TEST_CASE("readiness_probe_decides_ready_and_absent_means_not_ready") {
  auto pod = make_pod({"a", "b"});
  pod.spec.containers[0].readiness_probe = model::probe{};
  pod.spec.containers[1].readiness_probe = model::probe{};
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a"), running(pod, "b")};
  pod_context context;
  context.readiness["a"] = true;
  auto r = report(pod, obs, context);
  CHECK(r.status.phase == model::pod_phase::running);
  CHECK(r.status.container_statuses[0].ready);
  CHECK_FALSE(r.status.container_statuses[1].ready);
  CHECK(ready_of(r.status).message == "containers with unready status: [b]");
  context.readiness["b"] = true;
  r = report(pod, obs, context);
  CHECK(ready_of(r.status).status == model::condition_status::is_true);
}

TEST_CASE("crash_loop_reports_waiting_CrashLoopBackOff_with_the_exit_as_last_state") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {exited(pod, "a", 2, 1, 90 * k_second, 95 * k_second),
                    exited(pod, "a", 1, 1, 80 * k_second, 85 * k_second)};
  backoff_table backoff;
  backoff["a"] = backoff_entry{10 * k_second, 95 * k_second, 1};
  const auto r = report(pod, obs, {}, backoff);
  CHECK(r.status.phase == model::pod_phase::running);  // started once, will restart
  const auto& a = r.status.container_statuses[0];
  CHECK(state_as<model::container_state_waiting>(a.state) ==
        model::container_state_waiting{"CrashLoopBackOff",
                                       "back-off 20s restarting failed container=a pod=web_default(uid-web)"});
  const auto& last = state_as<model::container_state_terminated>(a.last_state);
  CHECK(last.exit_code == 1);
  CHECK(last.reason == "Error");
  CHECK(last.started_at == 90 * k_second);
  CHECK(last.finished_at == 95 * k_second);
  CHECK(last.container_id == "docker://a-2");
  CHECK(a.restart_count == 2);
  CHECK_FALSE(a.ready);
  CHECK(ready_of(r.status).message == "containers with unready status: [a]");
}

TEST_CASE("restarted_running_container_reports_its_previous_exit_as_last_state") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  auto oom = exited(pod, "a", 0, 137, 10 * k_second, 20 * k_second);
  oom.oom_killed = true;
  obs.containers = {running(pod, "a", 1, 21 * k_second), oom};
  const auto r = report(pod, obs);
  const auto& a = r.status.container_statuses[0];
  CHECK(a.restart_count == 1);
  CHECK(state_as<model::container_state_running>(a.state).started_at == 21 * k_second);
  const auto& last = state_as<model::container_state_terminated>(a.last_state);
  CHECK(last.reason == "OOMKilled");
  CHECK(last.exit_code == 137);
  CHECK(last.container_id == "docker://a-0");
}

TEST_CASE("policy_never_exit_0_is_Succeeded_and_non_zero_is_Failed") {
  for (const std::int32_t code : {0, 3}) {
    CAPTURE(code);
    const auto pod = make_pod({"a", "b"}, model::restart_policy::never);
    observed_pod obs;
    obs.sandboxes = {sandbox("s1")};
    obs.containers = {exited(pod, "a", 0, 0, 10 * k_second, 20 * k_second),
                      exited(pod, "b", 0, code, 10 * k_second, 21 * k_second)};
    const auto r = report(pod, obs);
    CHECK(r.status.phase == (code == 0 ? model::pod_phase::succeeded : model::pod_phase::failed));
    const auto& b = state_as<model::container_state_terminated>(r.status.container_statuses[1].state);
    CHECK(b.reason == (code == 0 ? "Completed" : "Error"));
    CHECK(b.exit_code == code);
    CHECK(std::holds_alternative<std::monostate>(r.status.container_statuses[1].last_state));
    const auto& ready = ready_of(r.status);
    CHECK(ready.status == model::condition_status::is_false);
    CHECK(ready.reason == "PodCompleted");
    CHECK(r.plan.pod_finished);
  }
}

TEST_CASE("missing_image_is_pending_with_ErrImageNeverPull") {
  const auto pod = make_pod({"a"});
  pod_context context;
  context.image_errors["busybox"] = "image \"busybox\" not present on node and no registry configured";
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  const auto r = report(pod, obs, context);
  CHECK(r.status.phase == model::pod_phase::pending);
  CHECK(state_as<model::container_state_waiting>(r.status.container_statuses[0].state) ==
        model::container_state_waiting{"ErrImageNeverPull",
                                       "image \"busybox\" not present on node and no registry configured"});
}

TEST_CASE("failed_start_reports_RunContainerError_with_the_runtime_message") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {container(pod, "a", 0, st::created, 99 * k_second)};
  obs.containers[0].error = "exec: \"httpd\": executable file not found in $PATH";
  model::pod_status status = pod_status_of(pod, obs, pod_plan{}, pod_context{}, "10.0.0.5");
  CHECK(status.phase == model::pod_phase::pending);
  CHECK(state_as<model::container_state_waiting>(status.container_statuses[0].state) ==
        model::container_state_waiting{"RunContainerError", "exec: \"httpd\": executable file not found in $PATH"});
}

TEST_CASE("dead_sandbox_makes_the_pod_pending_and_its_containers_unready") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1", st::exited)};
  obs.containers = {running(pod, "a")};
  const auto r = report(pod, obs);
  CHECK(r.status.phase == model::pod_phase::pending);
  CHECK(r.status.pod_ip == "");
  CHECK_FALSE(r.status.container_statuses[0].ready);
}

TEST_CASE("deleted_pod_whose_containers_were_killed_ends_Failed") {
  auto pod = make_pod({"a"});
  pod.metadata.deletion_timestamp = 50 * k_second;
  observed_pod obs;
  obs.sandboxes = {sandbox("s1", st::exited)};
  obs.containers = {exited(pod, "a", 0, 143, 10 * k_second, 60 * k_second)};
  const auto r = report(pod, obs);
  CHECK(r.status.phase == model::pod_phase::failed);
  CHECK(r.plan.pod_finished);
}

TEST_CASE("deleted_pod_still_running_stays_Running") {
  auto pod = make_pod({"a"});
  pod.metadata.deletion_timestamp = 50 * k_second;
  observed_pod obs;
  obs.sandboxes = {sandbox("s1", st::exited)};
  obs.containers = {running(pod, "a")};
  const auto r = report(pod, obs);
  CHECK(r.status.phase == model::pod_phase::running);
}

TEST_CASE("unknown_container_state_reports_ContainerStatusUnknown_and_phase_Unknown") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {container(pod, "a", 0, st::unknown)};
  const auto r = report(pod, obs);
  CHECK(r.status.phase == model::pod_phase::unknown);
  CHECK(state_as<model::container_state_waiting>(r.status.container_statuses[0].state).reason ==
        "ContainerStatusUnknown");
}

TEST_CASE("container_id_prefix_is_a_parameter") {
  const auto pod = make_pod({"a"});
  observed_pod obs;
  obs.sandboxes = {sandbox("s1")};
  obs.containers = {running(pod, "a")};
  const auto status = pod_status_of(pod, obs, pod_plan{}, pod_context{}, "", "hollow://");
  CHECK(status.container_statuses[0].container_id == "hollow://a-0");
}

}  // namespace
}  // namespace berth::agent
