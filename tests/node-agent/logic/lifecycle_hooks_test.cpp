// Lifecycle hooks and termination messages: the pure parts (tar of one file,
// log tail, fallback rule, preStop's share of the grace period, hook ports),
// the spec hash of containers with and without the fields, and how the
// message and a failed hook show in the container's terminated state.
#include <doctest/doctest.h>

#include <cstring>
#include <fmt/format.h>
#include <string>
#include <variant>

#include "node-agent/logic/lifecycle_hooks.hpp"
#include "node-agent/logic/pod_actions.hpp"
#include "node-agent/logic/pod_volumes.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;

/// A ustar header block for `name` of `size` bytes and `type`.
std::string tar_header(const std::string& name, std::size_t size, char type) {
  std::string h(512, '\0');
  std::memcpy(h.data(), name.data(), std::min<std::size_t>(name.size(), 99));
  auto octal_size = fmt::format("{:011o}", size);
  std::memcpy(h.data() + 124, octal_size.data(), 11);
  h[156] = type;
  std::memcpy(h.data() + 257, "ustar", 5);
  return h;
}

std::string padded(std::string data) {
  data.resize((data.size() + 511) / 512 * 512, '\0');
  return data;
}

std::string tar_of(const std::string& name, const std::string& content) {
  return tar_header(name, content.size(), '0') + padded(content) + std::string(1024, '\0');
}

TEST_CASE("tar_first_file reads the one file of Docker's archive") {
  CHECK(tar_first_file(tar_of("termination-log", "bye\n"), 4096) == "bye\n");
  CHECK(tar_first_file(tar_of("termination-log", ""), 4096) == "");
  // Capped as kubelet caps messages.
  CHECK(tar_first_file(tar_of("t", std::string(5000, 'x')), 4096)->size() == 4096);
  // A PAX header before the file is skipped.
  std::string pax_data = "30 path=dev/termination-log\n";
  std::string with_pax = tar_header("PaxHeaders/t", pax_data.size(), 'x') + padded(pax_data) + tar_of("t", "ok");
  CHECK(tar_first_file(with_pax, 4096) == "ok");
  // Only a directory, or not a tar at all: no file.
  CHECK_FALSE(tar_first_file(tar_header("d/", 0, '5') + std::string(1024, '\0'), 4096));
  CHECK_FALSE(tar_first_file("not a tar", 4096));
  CHECK_FALSE(tar_first_file("", 4096));
}

TEST_CASE("log_tail keeps the last lines, then the last bytes") {
  CHECK(log_tail("a\nb\nc\n", 2, 100) == "b\nc\n");
  CHECK(log_tail("a\nb\nc", 2, 100) == "b\nc");
  CHECK(log_tail("a\nb\n", 5, 100) == "a\nb\n");
  CHECK(log_tail("", 80, 2048) == "");
  std::string many;
  for (int i = 0; i < 100; ++i) many += fmt::format("line {}\n", i);
  auto tail = log_tail(many);
  CHECK(tail.rfind("line 20\n", 0) == 0);  // 80 lines: 20..99
  CHECK(log_tail(std::string(3000, 'x'), 80, 2048).size() == 2048);
}

TEST_CASE("FallbackToLogsOnError uses the log only for an empty file and a failure") {
  using model::termination_message_policy;
  CHECK(wants_log_fallback(termination_message_policy::fallback_to_logs_on_error, "", 1));
  CHECK_FALSE(wants_log_fallback(termination_message_policy::fallback_to_logs_on_error, "", 0));
  CHECK_FALSE(wants_log_fallback(termination_message_policy::fallback_to_logs_on_error, "msg", 1));
  CHECK_FALSE(wants_log_fallback(termination_message_policy::file, "", 1));
}

TEST_CASE("a preStop hook's time counts against the grace period, leaving at least 2s") {
  CHECK(grace_after_pre_stop(30, 0) == 30);
  CHECK(grace_after_pre_stop(30, 5 * k_second) == 25);
  CHECK(grace_after_pre_stop(30, 5 * k_second + 1) == 24);  // a started second counts
  CHECK(grace_after_pre_stop(30, 40 * k_second) == 2);
  CHECK(grace_after_pre_stop(0, 0) == 2);
}

TEST_CASE("hook ports: numbers, names of container ports, and errors naming the field") {
  model::container c;
  c.name = "app";
  c.ports = {model::container_port{"http", 8080, 0, model::protocol::tcp, ""}};
  const std::string field = "lifecycle.postStart.httpGet.port";
  model::lifecycle_handler by_name = model::http_get_action{"/", {std::string("http")}, "", "HTTP", {}};
  CHECK(resolve_hook_port(by_name, c, field).port == 8080);
  model::lifecycle_handler unknown = model::tcp_socket_action{{std::string("admin")}};
  auto r = resolve_hook_port(unknown, c, "lifecycle.preStop.tcpSocket.port");
  CHECK(r.port == 0);
  CHECK(r.error == "lifecycle.preStop.tcpSocket.port: couldn't find port \"admin\" in container \"app\"");
  model::lifecycle_handler too_big = model::tcp_socket_action{{70000}};
  CHECK(resolve_hook_port(too_big, c, field).error == field + ": invalid port number: 70000");
  model::lifecycle_handler exec = model::exec_action{{"true"}};
  CHECK(resolve_hook_port(exec, c, field).error.empty());
  CHECK(hook_failure_message("postStart", model::exec_action{{"sh", "-c", "exit 1"}}, "command exited with 1") ==
        "postStart hook (exec sh -c exit 1) failed: command exited with 1");
}

TEST_CASE("the spec hash moves only for containers that use hooks or a non-default message") {
  const auto base = make_pod({"a"}).spec.containers[0];
  auto defaults_given = base;
  defaults_given.termination_message_path = "/dev/termination-log";
  defaults_given.termination_message_policy_ = model::termination_message_policy::file;
  CHECK(container_spec_hash(defaults_given) == container_spec_hash(base));
  auto hooked = base;
  hooked.lifecycle_ = model::lifecycle{model::exec_action{{"true"}}, std::nullopt};
  auto stop_hooked = base;
  stop_hooked.lifecycle_ = model::lifecycle{std::nullopt, model::exec_action{{"true"}}};
  auto path = base;
  path.termination_message_path = "/tmp/msg";
  auto policy = base;
  policy.termination_message_policy_ = model::termination_message_policy::fallback_to_logs_on_error;
  std::vector<std::string> hashes = {container_spec_hash(base), container_spec_hash(hooked),
                                     container_spec_hash(stop_hooked), container_spec_hash(path),
                                     container_spec_hash(policy)};
  for (std::size_t i = 0; i < hashes.size(); ++i)
    for (std::size_t j = i + 1; j < hashes.size(); ++j) CHECK(hashes[i] != hashes[j]);
}

TEST_CASE("the termination message and a failed hook show in the terminated state") {
  auto pod = make_pod({"a"}, model::restart_policy::never);
  auto dead = exited(pod, "a", 0, 3, 2 * k_second, 5 * k_second);
  dead.termination_message = "disk full\n";
  observed_pod obs{{sandbox("s1")}, {dead}};
  pod_context ctx;
  ctx.now = 10 * k_second;
  backoff_table backoff;
  auto plan = pod_actions(pod, obs, ctx, backoff);
  auto status = pod_status_of(pod, obs, plan, ctx, "10.0.0.5");
  REQUIRE(status.container_statuses.size() == 1);
  const auto& t = std::get<model::container_state_terminated>(status.container_statuses[0].state);
  CHECK(t.exit_code == 3);
  CHECK(t.reason == "Error");
  CHECK(t.message == "disk full\n");

  // Killed after a failed postStart: restarted (Always), and lastState says why.
  auto always = make_pod({"a"});
  auto killed = exited(always, "a", 0, 137, 2 * k_second, 3 * k_second);
  killed.hook_failure_reason = k_reason_failed_post_start_hook;
  killed.hook_failure_message = "postStart hook (exec false) failed: command exited with 1";
  observed_pod obs2{{sandbox("s1")}, {killed}};
  ctx.now = 100 * k_second;
  auto plan2 = pod_actions(always, obs2, ctx, backoff);
  CHECK(start_names(plan2) == std::vector<std::string>{"a#1"});
  auto status2 = pod_status_of(always, obs2, plan2, ctx, "10.0.0.5");
  const auto& cs = status2.container_statuses.at(0);
  const auto* last = std::get_if<model::container_state_terminated>(&cs.last_state);
  const auto* now = std::get_if<model::container_state_terminated>(&cs.state);
  const auto* shown = last != nullptr ? last : now;
  REQUIRE(shown != nullptr);
  CHECK(shown->reason == "FailedPostStartHook");
  CHECK(shown->message == "postStart hook (exec false) failed: command exited with 1");
}

TEST_CASE("each start gets its own termination-log file under the pod's directory") {
  CHECK(termination_log_path("/var/lib/berth", "uid-1", "app", 2) ==
        "/var/lib/berth/pods/uid-1/containers/app/2-termination-log");
}

}  // namespace
}  // namespace berth::agent
