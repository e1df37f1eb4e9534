// docker_runtime against the local dockerd: sandboxes, app containers joined
// to them, listing by label, stop and remove, limits, images.

#include "tests/node-agent/docker/docker_test_util.hpp"

using namespace berth::agent::docker;
using namespace berth::agent::docker::test;
namespace schema = berth::schema;

namespace {

std::map<std::string, std::string> labels_of(schema::ContainerInfo::Reader info) {
  std::map<std::string, std::string> out;
  for (auto kv : info.getLabels()) out[str(kv.getKey())] = str(kv.getValue());
  return out;
}

}  // namespace

TEST_CASE_FIXTURE(docker_fixture, "docker: containers of one sandbox share its network; list by pod uid") {
  auto [sandbox, ip] = run_sandbox("web");
  CHECK(ip.starts_with("172."));
  auto server =
      create(sandbox, "web", "server", "echo hello-from-httpd > /tmp/index.html && exec httpd -f -p 8080 -h /tmp");
  auto fetcher = create(sandbox, "web", "fetch",
                        "for i in $(seq 1 50); do wget -q -O - http://127.0.0.1:8080/index.html "
                        "&& exit 0; sleep 0.2; done; exit 1");
  REQUIRE(wait_exited(fetcher) == schema::ContainerStateKind::EXITED);
  CHECK(logs(fetcher, -1, false) == std::pair<std::string, bool>{"hello-from-httpd\n", true});

  auto list = [&](bool exited) {
    auto request = runtime.listContainersRequest();
    auto filter = request.initFilter();
    filter.setIncludeExited(exited);
    auto labels = filter.initLabels(1);
    labels[0].setKey(schema::LABEL_POD_UID);
    labels[0].setValue(uid);
    auto reply = request.send().wait(io.waitScope);
    std::map<std::string, std::tuple<std::string, schema::ContainerStateKind, int, std::string>> out;
    for (auto c : reply.getContainers()) {
      auto l = labels_of(c);
      CHECK(l[std::string(schema::LABEL_NODE.get().cStr())] == node);
      CHECK(l[std::string(schema::LABEL_POD_NAME.get().cStr())] == "web");
      CHECK(l[std::string(schema::LABEL_POD_NAMESPACE.get().cStr())] == "berth-test");
      CHECK(c.getCreatedAt() > 0);
      CHECK(c.getStartedAt() > 0);
      out[l[std::string(schema::LABEL_CONTAINER_NAME.get().cStr())]] = {str(c.getId()), c.getState(), c.getExitCode(),
                                                                        str(c.getIp())};
    }
    return out;
  };
  using row = std::tuple<std::string, schema::ContainerStateKind, int, std::string>;
  auto running = list(false);
  CHECK(running == std::map<std::string, row>{{"POD", {sandbox, schema::ContainerStateKind::RUNNING, 0, ip}},
                                              {"server", {server, schema::ContainerStateKind::RUNNING, 0, ""}}});
  auto all = list(true);
  CHECK(all == std::map<std::string, row>{{"POD", {sandbox, schema::ContainerStateKind::RUNNING, 0, ip}},
                                          {"server", {server, schema::ContainerStateKind::RUNNING, 0, ""}},
                                          {"fetch", {fetcher, schema::ContainerStateKind::EXITED, 0, ""}}});
}

TEST_CASE_FIXTURE(docker_fixture, "docker: inspect fills state, exit code, times and pid") {
  auto [sandbox, ip] = run_sandbox("insp");
  auto id = create(sandbox, "insp", "c", "exit 7");
  REQUIRE(wait_exited(id) == schema::ContainerStateKind::EXITED);
  auto request = runtime.inspectContainerRequest();
  request.setId(id);
  auto reply = request.send().wait(io.waitScope);
  REQUIRE(reply.getFound());
  auto info = reply.getInfo();
  CHECK(str(info.getId()) == id);
  CHECK(str(info.getImage()) == "busybox:latest");
  CHECK(str(info.getImageId()).starts_with("sha256:"));
  CHECK(info.getExitCode() == 7);
  CHECK_FALSE(info.getOomKilled());
  CHECK(info.getPid() == 0);
  CHECK(info.getCreatedAt() > 0);
  // dockerd's three times come from different places: for a container that
  // exits at once, Created can follow StartedAt and FinishedAt can precede
  // it by milliseconds (seen here). Only their presence is asserted.
  CHECK(info.getStartedAt() > 0);
  CHECK(info.getFinishedAt() > 0);
  CHECK(labels_of(info)[std::string(schema::LABEL_ATTEMPT.get().cStr())] == "0");

  auto sandbox_request = runtime.inspectContainerRequest();
  sandbox_request.setId(sandbox);
  auto sandbox_reply = sandbox_request.send().wait(io.waitScope);
  auto sandbox_info = sandbox_reply.getInfo();
  CHECK(sandbox_info.getState() == schema::ContainerStateKind::RUNNING);
  CHECK(sandbox_info.getPid() > 0);
  CHECK(str(sandbox_info.getIp()) == ip);

  auto missing = runtime.inspectContainerRequest();
  missing.setId("no-such-container-berth");
  CHECK_FALSE(missing.send().wait(io.waitScope).getFound());
}

TEST_CASE_FIXTURE(docker_fixture, "docker: stop kills a container that ignores SIGTERM after the grace period") {
  auto [sandbox, ip] = run_sandbox("stop");
  auto id = create(sandbox, "stop", "stubborn", "trap '' TERM; echo ready; while true; do sleep 1; done");
  auto stop = runtime.stopContainerRequest();
  stop.setId(id);
  stop.setTimeoutSeconds(1);
  CHECK(str(stop.send().wait(io.waitScope).getError()) == "");
  auto request = runtime.inspectContainerRequest();
  request.setId(id);
  auto reply = request.send().wait(io.waitScope);
  auto info = reply.getInfo();
  CHECK(info.getState() == schema::ContainerStateKind::EXITED);
  CHECK(info.getExitCode() == 137);

  // Stopping again (304) and stopping a missing container (404) are fine.
  auto again = runtime.stopContainerRequest();
  again.setId(id);
  again.setTimeoutSeconds(1);
  CHECK(str(again.send().wait(io.waitScope).getError()) == "");
  auto missing = runtime.stopContainerRequest();
  missing.setId("no-such-container-berth");
  CHECK(str(missing.send().wait(io.waitScope).getError()) == "");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: remove of a missing container succeeds") {
  auto remove = runtime.removeContainerRequest();
  remove.setId("no-such-container-berth");
  CHECK(str(remove.send().wait(io.waitScope).getError()) == "");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: start of a missing container is an error value") {
  auto start = runtime.startContainerRequest();
  start.setId("no-such-container-berth");
  CHECK(str(start.send().wait(io.waitScope).getError()) ==
        "dockerd HTTP 404: No such container: no-such-container-berth");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: memory and cpu limits reach the container's HostConfig") {
  auto [sandbox, ip] = run_sandbox("limits");
  auto id = create(sandbox, "limits", "c", "sleep 30", false, [](schema::ContainerConfig::Builder config) {
    config.setMemoryLimitBytes(64 << 20);
    config.setNanoCpus(500'000'000);
    auto env = config.initEnv(1);
    env[0].setKey("GREETING");
    env[0].setValue("hi there");
    config.setWorkingDir("/tmp");
  });
  auto doc = docker_get(fmt::format("/containers/{}/json", id));
  CHECK(json_int(doc.root(), {"HostConfig", "Memory"}) == 64 << 20);
  CHECK(json_int(doc.root(), {"HostConfig", "NanoCpus"}) == 500'000'000);
  CHECK(json_string(doc.root(), {"HostConfig", "NetworkMode"}) == "container:" + sandbox);
  CHECK(json_string(doc.root(), {"HostConfig", "IpcMode"}) == "container:" + sandbox);
  CHECK(json_string(doc.root(), {"Config", "WorkingDir"}) == "/tmp");
  CHECK(json_string(doc.root(), {"Name"}) == fmt::format("/berth_berth-test_limits_c_{}_0", uid.substr(0, 8)));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: a missing image is a clear error, never a pull") {
  auto status = runtime.imageStatusRequest();
  status.setImage("no-such-image:1");
  auto reply = status.send().wait(io.waitScope);
  CHECK_FALSE(reply.getPresent());
  CHECK(str(reply.getError()) == "image \"no-such-image:1\" not present on node and no registry configured");

  auto present = runtime.imageStatusRequest();
  present.setImage("busybox");
  auto ok = present.send().wait(io.waitScope);
  CHECK(ok.getPresent());
  CHECK(str(ok.getImageId()).starts_with("sha256:"));
  CHECK(str(ok.getError()) == "");

  auto [sandbox, ip] = run_sandbox("noimage");
  auto create = runtime.createContainerRequest();
  create.setSandboxId(sandbox);
  auto config = create.initConfig();
  config.setNode(node);
  config.setPodUid(uid);
  config.setNamespace("berth-test");
  config.setPodName("noimage");
  config.setName("c");
  config.setImage("no-such-image:1");
  auto created = create.send().wait(io.waitScope);
  CHECK(str(created.getId()) == "");
  CHECK(str(created.getError()) == "image \"no-such-image:1\" not present on node and no registry configured");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: a name left by a crashed create is reclaimed only for the same pod") {
  auto [sandbox, ip] = run_sandbox("conflict");
  auto first = create(sandbox, "conflict", "c", "sleep 30", false);
  // The agent died after create and tries again: same name, same pod uid.
  auto second = create(sandbox, "conflict", "c", "sleep 30", false);
  CHECK(second != first);
  auto gone = runtime.inspectContainerRequest();
  gone.setId(first);
  CHECK_FALSE(gone.send().wait(io.waitScope).getFound());

  // Another pod whose uid shares the first 8 characters must not take it.
  auto request = runtime.createContainerRequest();
  request.setSandboxId(sandbox);
  auto config = request.initConfig();
  config.setNode(node);
  config.setPodUid(uid.substr(0, 8) + "-other");
  config.setNamespace("berth-test");
  config.setPodName("conflict");
  config.setName("c");
  config.setImage("busybox:latest");
  auto reply = request.send().wait(io.waitScope);
  CHECK(str(reply.getId()) == "");
  CHECK(str(reply.getError()).starts_with("dockerd HTTP 409: Conflict. The container name"));
}

TEST_CASE_FIXTURE(docker_fixture, "docker: host-network sandbox has no IP; ports are published") {
  auto [host_sandbox, host_ip] =
      run_sandbox("hostnet", [](schema::SandboxConfig::Builder c) { c.setHostNetwork(true); });
  CHECK(host_ip == "");
  auto host_doc = docker_get(fmt::format("/containers/{}/json", host_sandbox));
  CHECK(json_string(host_doc.root(), {"HostConfig", "NetworkMode"}) == "host");

  auto [sandbox, ip] = run_sandbox("ports", [](schema::SandboxConfig::Builder c) {
    auto port = c.initPorts(1)[0];
    port.setContainerPort(8080);
    port.setHostPort(0);  // dockerd picks a free one
    port.setProtocol("TCP");
    c.initDnsServers(1).set(0, "10.0.0.10");
  });
  auto doc = docker_get(fmt::format("/containers/{}/json", sandbox));
  auto bindings = json_at(doc.root(), {"NetworkSettings", "Ports", "8080/tcp"});
  REQUIRE(bindings.has_value());
  REQUIRE(bindings->isArray());
  CHECK(bindings->getArray().size() >= 1);
  CHECK(json_string(bindings->getArray()[0], {"HostPort"}) != "");
  CHECK(json_string(doc.root(), {"Config", "Hostname"}) == "ports");
  auto dns = json_at(doc.root(), {"HostConfig", "Dns"});
  REQUIRE(dns.has_value());
  CHECK(json_string(dns->getArray()[0], {}) == "10.0.0.10");
}

TEST_CASE_FIXTURE(docker_fixture, "docker: version names docker and its API version") {
  auto reply = runtime.versionRequest().send().wait(io.waitScope);
  auto doc = docker_get("/version");
  CHECK(str(reply.getRuntimeName()) == "docker");
  CHECK(str(reply.getRuntimeVersion()) == json_string(doc.root(), {"Version"}));
  CHECK(str(reply.getApiVersion()) == json_string(doc.root(), {"ApiVersion"}));
  CHECK(str(reply.getApiVersion()) != "");
}
