// docker_runtime's streaming calls against the local dockerd: logs (tail,
// follow), execSync (output, exit code, timeout) and watchEvents.

#include "tests/node-agent/docker/docker_test_util.hpp"

using namespace berth::agent::docker;
using namespace berth::agent::docker::test;
namespace schema = berth::schema;

TEST_CASE_FIXTURE(docker_fixture, "docker: logs with tailLines returns the last lines") {
  auto [sandbox, ip] = run_sandbox("logs");
  // (dockerd copies stdout and stderr in separate goroutines: their relative
  // order is not kept, so the order is only asserted within stdout.)
  auto id = create(sandbox, "logs", "c", "for i in 1 2 3 4 5; do echo line$i; done");
  auto err = create(sandbox, "logs", "e", "echo to-stderr >&2");
  REQUIRE(wait_exited(id) == schema::ContainerStateKind::EXITED);
  REQUIRE(wait_exited(err) == schema::ContainerStateKind::EXITED);
  CHECK(logs(id, 2, false) == std::pair<std::string, bool>{"line4\nline5\n", true});
  CHECK(logs(id, 0, false) == std::pair<std::string, bool>{"", true});
  CHECK(logs(id, -1, false).first == "line1\nline2\nline3\nline4\nline5\n");
  CHECK(logs(err, -1, false).first == "to-stderr\n");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: logs follow ends when the container stops") {
  auto [sandbox, ip] = run_sandbox("follow");
  auto id = create(sandbox, "follow", "c", "echo a; sleep 1; echo b");
  CHECK(logs(id, -1, true) == std::pair<std::string, bool>{"a\nb\n", true});
}

TEST_CASE_FIXTURE(docker_fixture, "docker: logs of a missing container is an error value") {
  std::string error;
  auto [out, done] = logs("no-such-container-berth", -1, false, &error);
  CHECK(out == "");
  CHECK(done);
  CHECK(error == "dockerd HTTP 404: No such container: no-such-container-berth");
}

namespace {

struct exec_result {
  int exit_code;
  std::string output;
  bool timed_out;
  std::string error;
  bool operator==(const exec_result&) const = default;
};

exec_result exec(docker_fixture& f, const std::string& id, const std::string& script, int timeout_seconds) {
  auto request = f.runtime.execSyncRequest();
  request.setId(id);
  auto command = request.initCommand(3);
  command.set(0, "sh");
  command.set(1, "-c");
  command.set(2, script);
  request.setTimeoutSeconds(timeout_seconds);
  auto reply = request.send().wait(f.io.waitScope);
  return {reply.getExitCode(), str(reply.getOutput()), reply.getTimedOut(), str(reply.getError())};
}

}  // namespace

TEST_CASE_FIXTURE(docker_fixture, "docker: execSync returns output, exit code and timeouts") {
  auto [sandbox, ip] = run_sandbox("exec");
  auto id = create(sandbox, "exec", "c", "sleep 60");
  CHECK(exec(*this, id, "echo out; exit 3", 10) == exec_result{3, "out\n", false, ""});
  CHECK(exec(*this, id, "echo err >&2", 10) == exec_result{0, "err\n", false, ""});
  CHECK(exec(*this, id, "head -c 100000 /dev/zero | tr '\\0' x", 10).output == std::string(100000, 'x'));
  CHECK(exec(*this, id, "sleep 5", 1) == exec_result{-1, "", true, ""});
  CHECK(exec(*this, "no-such-container-berth", "true", 1) ==
        exec_result{0, "", false, "dockerd HTTP 404: No such container: no-such-container-berth"});
}

TEST_CASE_FIXTURE(docker_fixture, "docker: watchEvents delivers start and die with berth labels") {
  std::vector<seen_event> events;
  auto request = runtime.watchEventsRequest();
  request.setSink(kj::heap<event_collector>(events));
  auto handle = request.send().wait(io.waitScope).getHandle();

  auto [sandbox, ip] = run_sandbox("events");
  auto id = create(sandbox, "events", "c", "sleep 0.5; exit 2");
  auto actions_of = [&] {
    std::vector<std::string> actions;
    for (auto& e : events) {
      if (e.id == id) actions.push_back(e.action);
    }
    return actions;
  };
  for (int i = 0; i < 200; ++i) {
    auto actions = actions_of();
    if (std::find(actions.begin(), actions.end(), "die") != actions.end()) break;
    wait_ms(100);
  }
  CHECK(actions_of() == std::vector<std::string>{"create", "start", "die"});
  for (auto& e : events) {
    if (e.id != id) continue;
    CHECK(e.labels[std::string(schema::LABEL_POD_UID.get().cStr())] == uid);
    CHECK(e.labels[std::string(schema::LABEL_CONTAINER_NAME.get().cStr())] == "c");
    CHECK(e.labels.count("image") == 0);
  }

  // After cancel nothing more arrives.
  handle.cancelRequest().send().wait(io.waitScope);
  auto before = events.size();
  auto later = create(sandbox, "events", "d", "exit 0");
  REQUIRE(wait_exited(later) == schema::ContainerStateKind::EXITED);
  wait_ms(300);
  CHECK(events.size() == before);
}
