#pragma once
// A KJ event loop on the test thread, a docker_runtime served in-process, and
// a per-test node label: every container a test makes carries it, and the
// fixture removes them all at the end (also when the test failed).

#include <doctest/doctest.h>

#include <unistd.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include <capnp/capability.h>
#include <fmt/format.h>
#include <kj/async-io.h>

#include "node-agent/docker/docker_client.hpp"
#include "node-agent/docker/docker_json.hpp"
#include "node-agent/docker/docker_runtime.hpp"
#include "schema/runtime.capnp.h"

namespace berth::agent::docker::test {

inline std::string str(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }
inline std::string str(capnp::Data::Reader d) {
  return std::string(reinterpret_cast<const char*>(d.begin()), d.size());
}

/// Collects what a logs call writes.
class byte_collector final : public schema::ByteSink::Server {
 public:
  byte_collector(std::string& out, bool& done) : out_(out), done_(done) {}

 protected:
  kj::Promise<void> write(WriteContext context) override {
    out_ += str(context.getParams().getData());
    return kj::READY_NOW;
  }
  kj::Promise<void> done(DoneContext) override {
    done_ = true;
    return kj::READY_NOW;
  }

 private:
  std::string& out_;
  bool& done_;
};

/// One runtime event as the sink received it.
struct seen_event {
  std::string id;
  std::string action;
  std::map<std::string, std::string> labels;
};

/// Collects runtime events.
class event_collector final : public schema::RuntimeEventSink::Server {
 public:
  explicit event_collector(std::vector<seen_event>& out) : out_(out) {}

 protected:
  kj::Promise<void> event(EventContext context) override {
    auto params = context.getParams();
    seen_event e{str(params.getContainerId()), str(params.getAction()), {}};
    for (auto kv : params.getLabels()) e.labels[str(kv.getKey())] = str(kv.getValue());
    out_.push_back(std::move(e));
    return kj::READY_NOW;
  }

 private:
  std::vector<seen_event>& out_;
};

struct docker_fixture {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::string node;
  std::string uid;
  docker_client client{io.provider->getNetwork(), io.provider->getTimer()};
  schema::Runtime::Client runtime{kj::heap<docker_runtime>(io.provider->getNetwork(), io.provider->getTimer())};

  docker_fixture() {
    std::random_device random;
    uid = fmt::format("{:08x}-{}", random(), ::getpid());
    node = fmt::format("test-{}", uid);
  }

  ~docker_fixture() noexcept(false) {
    // Remove every container of this test, whatever happened.
    try {
      auto request = runtime.listContainersRequest();
      auto filter = request.initFilter();
      filter.setIncludeExited(true);
      auto labels = filter.initLabels(1);
      labels[0].setKey(schema::LABEL_NODE);
      labels[0].setValue(node);
      auto listed = request.send().wait(io.waitScope);
      for (auto c : listed.getContainers()) {
        auto remove = runtime.removeContainerRequest();
        remove.setId(c.getId());
        remove.send().wait(io.waitScope);
      }
    } catch (...) {}
  }

  void wait_ms(int ms) { io.provider->getTimer().afterDelay(ms * kj::MILLISECONDS).wait(io.waitScope); }

  /// Runs the sandbox of pod `pod`; fails the test when it does not start.
  std::pair<std::string, std::string> run_sandbox(const std::string& pod,
                                                  std::function<void(schema::SandboxConfig::Builder)> tweak = {}) {
    auto request = runtime.runSandboxRequest();
    auto config = request.initConfig();
    config.setNode(node);
    config.setPodUid(uid);
    config.setNamespace("berth-test");
    config.setPodName(pod);
    config.setGracePeriodSeconds(2);
    if (tweak) tweak(config);
    auto reply = request.send().wait(io.waitScope);
    REQUIRE(str(reply.getError()) == "");
    return {str(reply.getId()), str(reply.getIp())};
  }

  /// Creates (and with `start`, starts) busybox `sh -c script` in the sandbox.
  std::string create(const std::string& sandbox, const std::string& pod, const std::string& name,
                     const std::string& script, bool start = true,
                     std::function<void(schema::ContainerConfig::Builder)> tweak = {}) {
    auto request = runtime.createContainerRequest();
    request.setSandboxId(sandbox);
    auto config = request.initConfig();
    config.setNode(node);
    config.setPodUid(uid);
    config.setNamespace("berth-test");
    config.setPodName(pod);
    config.setName(name);
    config.setImage("busybox:latest");
    auto command = config.initCommand(3);
    command.set(0, "sh");
    command.set(1, "-c");
    command.set(2, script);
    if (tweak) tweak(config);
    auto reply = request.send().wait(io.waitScope);
    REQUIRE(str(reply.getError()) == "");
    auto id = str(reply.getId());
    if (start) {
      auto s = runtime.startContainerRequest();
      s.setId(id);
      REQUIRE(str(s.send().wait(io.waitScope).getError()) == "");
    }
    return id;
  }

  /// Polls until the container has exited (at most 60 s) and returns its state.
  schema::ContainerStateKind wait_exited(const std::string& id) {
    for (int i = 0; i < 600; ++i) {
      auto request = runtime.inspectContainerRequest();
      request.setId(id);
      auto reply = request.send().wait(io.waitScope);
      if (!reply.getFound()) return schema::ContainerStateKind::UNKNOWN;
      if (reply.getInfo().getState() == schema::ContainerStateKind::EXITED) {
        return schema::ContainerStateKind::EXITED;
      }
      wait_ms(100);
    }
    return schema::ContainerStateKind::RUNNING;
  }

  /// The whole output of a logs call, and whether done() came.
  std::pair<std::string, bool> logs(const std::string& id, std::int64_t tail, bool follow,
                                    std::string* error = nullptr) {
    std::string out;
    bool done = false;
    auto request = runtime.logsRequest();
    request.setId(id);
    auto options = request.initOptions();
    options.setTailLines(tail);
    options.setFollow(follow);
    request.setSink(kj::heap<byte_collector>(out, done));
    auto reply = request.send().wait(io.waitScope);
    if (error) *error = str(reply.getError());
    return {out, done};
  }

  /// `GET path` straight from dockerd.
  json_doc docker_get(const std::string& path) {
    auto reply = client.call(kj::HttpMethod::GET, path).wait(io.waitScope);
    REQUIRE(reply.status == 200);
    return json_doc(reply.body);
  }
};

}  // namespace berth::agent::docker::test
