// The hollow runtime through its Cap'n Proto interface, as an agent uses it:
// a local client on a KJ event loop, every call waited for.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <kj/async-io.h>

#include "node-agent/hollow/hollow_runtime.hpp"
#include "schema/api.capnp.h"
#include "schema/runtime.capnp.h"

namespace berth::agent {
namespace {

namespace s = berth::schema;

struct fixture {
  explicit fixture(hollow_runtime_config config = {}) {
    auto server = kj::heap<hollow_runtime>(std::move(config), io.provider->getTimer());
    runtime = server.get();
    client = kj::mv(server);
  }

  struct sandbox_result {
    std::string id, ip, error;
  };

  sandbox_result run_sandbox(const std::string& uid, bool host_network = false) {
    auto req = client.runSandboxRequest();
    auto config = req.initConfig();
    config.setNode("n1");
    config.setPodUid(uid);
    config.setNamespace("default");
    config.setPodName("pod-" + uid);
    config.setHostNetwork(host_network);
    config.setGracePeriodSeconds(30);
    auto res = req.send().wait(io.waitScope);
    return {res.getId(), res.getIp(), res.getError()};
  }

  std::string create(const std::string& sandbox, const std::string& uid, const std::string& name,
                     std::uint32_t attempt = 0, std::string* error = nullptr) {
    auto req = client.createContainerRequest();
    req.setSandboxId(sandbox);
    auto config = req.initConfig();
    config.setNode("n1");
    config.setPodUid(uid);
    config.setNamespace("default");
    config.setPodName("pod-" + uid);
    config.setName(name);
    config.setAttempt(attempt);
    config.setSpecHash("0123456789abcdef");
    config.setImage("busybox");
    config.setGracePeriodSeconds(30);
    auto res = req.send().wait(io.waitScope);
    if (error != nullptr) *error = res.getError();
    return res.getId();
  }

  std::string start(const std::string& id) {
    auto req = client.startContainerRequest();
    req.setId(id);
    return req.send().wait(io.waitScope).getError();
  }

  std::string stop(const std::string& id) {
    auto req = client.stopContainerRequest();
    req.setId(id);
    req.setTimeoutSeconds(30);
    return req.send().wait(io.waitScope).getError();
  }

  std::string remove(const std::string& id) {
    auto req = client.removeContainerRequest();
    req.setId(id);
    return req.send().wait(io.waitScope).getError();
  }

  kj::Maybe<capnp::Response<s::Runtime::InspectContainerResults>> inspect(const std::string& id) {
    auto req = client.inspectContainerRequest();
    req.setId(id);
    auto res = req.send().wait(io.waitScope);
    if (!res.getFound()) return nullptr;
    return kj::mv(res);
  }

  s::ContainerStateKind state_of(const std::string& id) {
    KJ_IF_MAYBE (res, inspect(id)) {
      return res->getInfo().getState();
    }
    FAIL("container ", id, " not found");
    return s::ContainerStateKind::UNKNOWN;
  }

  /// Ids listed for the filter `labels` (key, value pairs).
  std::vector<std::string> list(const std::vector<std::pair<std::string, std::string>>& labels, bool include_exited) {
    auto req = client.listContainersRequest();
    auto filter = req.initFilter();
    filter.setIncludeExited(include_exited);
    auto l = filter.initLabels(static_cast<unsigned>(labels.size()));
    for (unsigned i = 0; i < labels.size(); ++i) {
      l[i].setKey(labels[i].first);
      l[i].setValue(labels[i].second);
    }
    std::vector<std::string> ids;
    auto res = req.send().wait(io.waitScope);  // named: the readers below point into it
    for (auto c : res.getContainers()) ids.emplace_back(c.getId());
    return ids;
  }

  kj::AsyncIoContext io = kj::setupAsyncIo();
  hollow_runtime* runtime = nullptr;  // owned by `client`
  s::Runtime::Client client{nullptr};
};

std::string label(s::ContainerInfo::Reader info, kj::StringPtr key) {
  for (auto kv : info.getLabels()) {
    if (kv.getKey() == key) return kv.getValue();
  }
  return "<absent>";
}

class recording_sink final : public s::RuntimeEventSink::Server {
 public:
  explicit recording_sink(std::vector<std::string>& log) : log_(log) {}

 protected:
  kj::Promise<void> event(EventContext context) override {
    auto p = context.getParams();
    std::string name;
    for (auto kv : p.getLabels()) {
      if (kv.getKey() == *s::LABEL_CONTAINER_NAME) name = kv.getValue();
    }
    log_.push_back(std::string(p.getAction().cStr()) + " " + name);
    return kj::READY_NOW;
  }

 private:
  std::vector<std::string>& log_;
};

class counting_byte_sink final : public s::ByteSink::Server {
 public:
  explicit counting_byte_sink(int& calls) : calls_(calls) {}

 protected:
  kj::Promise<void> write(WriteContext) override {
    ++calls_;
    return kj::READY_NOW;
  }
  kj::Promise<void> done(DoneContext) override {
    ++calls_;
    return kj::READY_NOW;
  }

 private:
  int& calls_;
};

TEST_CASE("version_is_hollow_1_1") {
  fixture f;
  auto res = f.client.versionRequest().send().wait(f.io.waitScope);
  CHECK(res.getRuntimeName() == "hollow");
  CHECK(res.getRuntimeVersion() == "1");
  CHECK(res.getApiVersion() == "1");
}

TEST_CASE("every_image_is_present") {
  fixture f;
  auto req = f.client.imageStatusRequest();
  req.setImage("anything:latest");
  auto res = req.send().wait(f.io.waitScope);
  CHECK(res.getPresent());
  CHECK(res.getError() == "");
  CHECK(res.getImageId().size() > 0);
}

TEST_CASE("sandboxes_get_successive_ips_from_the_prefix_and_none_with_host_network") {
  hollow_runtime_config config;
  config.ip_prefix = "10.7.3.";
  fixture f(config);
  auto a = f.run_sandbox("u1");
  auto b = f.run_sandbox("u2");
  auto h = f.run_sandbox("u3", true);
  CHECK(a.ip == "10.7.3.1");
  CHECK(b.ip == "10.7.3.2");
  CHECK(h.ip == "");
  CHECK(a.error == "");
  CHECK(a.id != b.id);
  CHECK(f.state_of(a.id) == s::ContainerStateKind::RUNNING);
}

TEST_CASE("the_default_prefix_fills_two_octets_and_skips_0_and_255") {
  fixture f;  // "10.250."
  std::vector<std::string> ips;
  for (int i = 0; i < 256; ++i) ips.push_back(f.run_sandbox("u" + std::to_string(i)).ip);
  CHECK(ips[0] == "10.250.0.1");
  CHECK(ips[253] == "10.250.0.254");
  CHECK(ips[254] == "10.250.1.1");
  CHECK(ips[255] == "10.250.1.2");
}

TEST_CASE("created_container_runs_after_the_start_latency_with_every_label") {
  hollow_runtime_config config;
  config.start_latency = std::chrono::milliseconds(20);
  fixture f(config);
  auto sb = f.run_sandbox("u1");
  const auto id = f.create(sb.id, "u1", "web", 2);
  CHECK(f.state_of(id) == s::ContainerStateKind::CREATED);
  CHECK(f.start(id) == "");
  KJ_IF_MAYBE (res, f.inspect(id)) {
    auto info = res->getInfo();
    CHECK(info.getState() == s::ContainerStateKind::RUNNING);
    CHECK(info.getStartedAt() >= info.getCreatedAt());
    CHECK(info.getPid() != 0);
    CHECK(info.getImage() == "busybox");
    CHECK(label(info, *s::LABEL_NODE) == "n1");
    CHECK(label(info, *s::LABEL_POD_UID) == "u1");
    CHECK(label(info, *s::LABEL_POD_NAMESPACE) == "default");
    CHECK(label(info, *s::LABEL_POD_NAME) == "pod-u1");
    CHECK(label(info, *s::LABEL_CONTAINER_NAME) == "web");
    CHECK(label(info, *s::LABEL_ATTEMPT) == "2");
    CHECK(label(info, *s::LABEL_SPEC_HASH) == "0123456789abcdef");
    CHECK(label(info, *s::LABEL_GRACE_PERIOD) == "30");
  } else {
    FAIL("not found");
  }
  KJ_IF_MAYBE (res, f.inspect(sb.id)) {
    CHECK(label(res->getInfo(), *s::LABEL_CONTAINER_NAME) == "POD");
    CHECK(label(res->getInfo(), *s::LABEL_SPEC_HASH) == "<absent>");
    CHECK(res->getInfo().getIp() == "10.250.0.1");
  }
}

TEST_CASE("with_failure_rate_1_every_start_exits_1_with_the_simulated_error") {
  hollow_runtime_config config;
  config.failure_rate = 1.0;
  fixture f(config);
  auto sb = f.run_sandbox("u1");
  const auto id = f.create(sb.id, "u1", "web");
  CHECK(f.start(id) == "simulated start failure");
  KJ_IF_MAYBE (res, f.inspect(id)) {
    CHECK(res->getInfo().getState() == s::ContainerStateKind::EXITED);
    CHECK(res->getInfo().getExitCode() == 1);
    CHECK(res->getInfo().getError() == "simulated start failure");
  }
  CHECK(f.start(id) == "container " + id + " has exited: create a new one");
}

TEST_CASE("create_in_a_missing_sandbox_and_start_of_a_missing_container_are_errors") {
  fixture f;
  std::string error;
  CHECK(f.create("nope", "u1", "web", 0, &error) == "");
  CHECK(error == "no sandbox nope");
  CHECK(f.start("nope") == "no container nope");
}

TEST_CASE("stop_exits_143_at_once_and_stopping_again_or_a_missing_one_is_fine") {
  fixture f;
  auto sb = f.run_sandbox("u1");
  const auto id = f.create(sb.id, "u1", "web");
  REQUIRE(f.start(id) == "");
  CHECK(f.stop(id) == "");
  KJ_IF_MAYBE (res, f.inspect(id)) {
    CHECK(res->getInfo().getState() == s::ContainerStateKind::EXITED);
    CHECK(res->getInfo().getExitCode() == 143);
    CHECK(res->getInfo().getPid() == 0);
    CHECK(res->getInfo().getFinishedAt() >= res->getInfo().getStartedAt());
  }
  CHECK(f.stop(id) == "");
  CHECK(f.stop("nope") == "");
}

TEST_CASE("remove_drops_the_container_and_removing_a_missing_one_is_fine") {
  fixture f;
  auto sb = f.run_sandbox("u1");
  const auto id = f.create(sb.id, "u1", "web");
  CHECK(f.runtime->size() == 2);
  CHECK(f.remove(id) == "");
  CHECK(f.inspect(id) == nullptr);
  CHECK(f.runtime->size() == 1);
  CHECK(f.remove(id) == "");
}

TEST_CASE("list_filters_by_every_label_and_hides_stopped_ones_unless_asked") {
  fixture f;
  auto s1 = f.run_sandbox("u1");
  auto s2 = f.run_sandbox("u2");
  const auto a = f.create(s1.id, "u1", "a");
  const auto b = f.create(s1.id, "u1", "b");
  const auto c = f.create(s2.id, "u2", "a");
  REQUIRE(f.start(a) == "");
  REQUIRE(f.start(c) == "");
  using v = std::vector<std::string>;
  CHECK(f.list({{"io.berth.pod.uid", "u1"}}, true) == v{s1.id, a, b});
  CHECK(f.list({{"io.berth.pod.uid", "u1"}}, false) == v{s1.id, a});
  CHECK(f.list({{"io.berth.container.name", "a"}}, true) == v{a, c});
  CHECK(f.list({{"io.berth.container.name", "a"}, {"io.berth.pod.uid", "u2"}}, true) == v{c});
  CHECK(f.list({{"io.berth.unknown", "x"}}, true).empty());
  CHECK(f.list({}, true) == v{s1.id, s2.id, a, b, c});
}

TEST_CASE("logs_write_nothing_and_say_why") {
  fixture f;
  auto sb = f.run_sandbox("u1");
  int calls = 0;
  auto req = f.client.logsRequest();
  req.setId(sb.id);
  req.setSink(kj::heap<counting_byte_sink>(calls));
  auto res = req.send().wait(f.io.waitScope);
  CHECK(res.getError() == "hollow nodes run no containers: there are no logs");
  CHECK(calls == 0);
}

TEST_CASE("exec_succeeds_in_running_containers_only") {
  fixture f;
  auto sb = f.run_sandbox("u1");
  auto exec = [&](const std::string& id) {
    auto req = f.client.execSyncRequest();
    req.setId(id);
    req.initCommand(1).set(0, "true");
    req.setTimeoutSeconds(1);
    auto res = req.send().wait(f.io.waitScope);
    return std::to_string(res.getExitCode()) + "|" + std::string(res.getError().cStr()) +
           (res.getTimedOut() ? "|timed out" : "");
  };
  CHECK(exec(sb.id) == "0|");
  REQUIRE(f.stop(sb.id) == "");
  CHECK(exec(sb.id) == "0|container " + sb.id + " is not running");
  CHECK(exec("nope") == "0|no container nope");
}

TEST_CASE("watch_delivers_start_and_die_in_order_until_the_handle_is_dropped") {
  fixture f;
  std::vector<std::string> log;
  auto req = f.client.watchEventsRequest();
  req.setSink(kj::heap<recording_sink>(log));
  auto handle = req.send().wait(f.io.waitScope).getHandle();
  auto sb = f.run_sandbox("u1");
  const auto id = f.create(sb.id, "u1", "web");
  REQUIRE(f.start(id) == "");
  REQUIRE(f.stop(id) == "");
  f.io.waitScope.poll();
  CHECK(log == std::vector<std::string>{"start POD", "start web", "die web"});

  handle.cancelRequest().send().wait(f.io.waitScope);
  REQUIRE(f.stop(sb.id) == "");
  f.io.waitScope.poll();
  CHECK(log.size() == 3);
}

TEST_CASE("a_thousand_runtimes_hold_ten_thousand_pods") {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::vector<s::Runtime::Client> clients;
  std::size_t held = 0;
  std::vector<hollow_runtime*> servers;
  for (int n = 0; n < 1000; ++n) {
    auto server = kj::heap<hollow_runtime>(hollow_runtime_config{}, io.provider->getTimer());
    servers.push_back(server.get());
    clients.emplace_back(kj::mv(server));
  }
  for (int p = 0; p < 10'000; ++p) {
    auto& c = clients[static_cast<std::size_t>(p % 1000)];
    auto sreq = c.runSandboxRequest();
    sreq.initConfig().setPodUid(std::to_string(p));
    const std::string sandbox = sreq.send().wait(io.waitScope).getId();
    auto creq = c.createContainerRequest();
    creq.setSandboxId(sandbox);
    creq.initConfig().setPodUid(std::to_string(p));
    auto start = c.startContainerRequest();
    start.setId(creq.send().wait(io.waitScope).getId());
    REQUIRE(start.send().wait(io.waitScope).getError() == "");
  }
  for (auto* s : servers) held += s->size();
  CHECK(held == 20'000);
}

}  // namespace
}  // namespace berth::agent
