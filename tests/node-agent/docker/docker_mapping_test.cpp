#include "node-agent/docker/docker_mapping.hpp"

#include <doctest/doctest.h>

#include <capnp/message.h>

#include "node-agent/docker/docker_client.hpp"

using namespace berth::agent::docker;
namespace schema = berth::schema;

TEST_CASE("mapping: container names follow berth_<ns>_<pod>_<container>_<uid8>_<attempt>") {
  CHECK(container_name("default", "web-1", "nginx", "0123456789abcdef", 3) == "berth_default_web-1_nginx_01234567_3");
  CHECK(container_name("kube-system", "dns.a", "POD", "abc", 0) == "berth_kube-system_dns.a_POD_abc_0");
  CHECK(container_name("ns", "p_q", "c/d", "ui d", 1) == "berth_ns_p-q_c-d_ui-d_1");
}

TEST_CASE("mapping: the missing image message") {
  CHECK(image_missing_message("no-such-image:1") ==
        "image \"no-such-image:1\" not present on node and no registry configured");
}

TEST_CASE("mapping: sandbox body with ports, dns and the pod name as hostname") {
  capnp::MallocMessageBuilder message;
  auto config = message.initRoot<schema::SandboxConfig>();
  config.setNode("n1");
  config.setPodUid("uid-1");
  config.setNamespace("default");
  config.setPodName("web");
  config.setGracePeriodSeconds(30);
  auto ports = config.initPorts(2);
  ports[0].setContainerPort(80);
  ports[0].setHostPort(8080);
  ports[0].setProtocol("TCP");
  ports[1].setContainerPort(53);
  ports[1].setHostPort(5353);
  ports[1].setProtocol("UDP");
  ports[1].setHostIp("127.0.0.1");
  auto dns = config.initDnsServers(1);
  dns.set(0, "10.0.0.10");
  auto search = config.initDnsSearch(1);
  search.set(0, "default.svc");
  CHECK(sandbox_create_body(config.asReader(), "berth/pause:latest") ==
        R"({"Image":"berth/pause:latest","Hostname":"web","Labels":{)"
        R"("io.berth.container.attempt":"0","io.berth.container.name":"POD",)"
        R"("io.berth.node":"n1","io.berth.pod.grace-period":"30","io.berth.pod.name":"web",)"
        R"("io.berth.pod.namespace":"default","io.berth.pod.uid":"uid-1"},)"
        R"("ExposedPorts":{"80/tcp":{},"53/udp":{}},)"
        R"("HostConfig":{"NetworkMode":"bridge","IpcMode":"shareable","Init":false,)"
        R"("PortBindings":{"53/udp":[{"HostIp":"127.0.0.1","HostPort":"5353"}],)"
        R"("80/tcp":[{"HostIp":"","HostPort":"8080"}]},)"
        R"("Dns":["10.0.0.10"],"DnsSearch":["default.svc"]}})");
}

TEST_CASE("mapping: a host-network sandbox has no hostname and no port bindings") {
  capnp::MallocMessageBuilder message;
  auto config = message.initRoot<schema::SandboxConfig>();
  config.setPodUid("u");
  config.setPodName("p");
  config.setHostNetwork(true);
  config.initPorts(1)[0].setContainerPort(80);
  auto body = sandbox_create_body(config.asReader(), "pause");
  CHECK(body.find("Hostname") == std::string::npos);
  CHECK(body.find("PortBindings") == std::string::npos);
  CHECK(body.find(R"("NetworkMode":"host")") != std::string::npos);
}

TEST_CASE("mapping: app container body joins the sandbox and carries limits, env and labels") {
  capnp::MallocMessageBuilder message;
  auto config = message.initRoot<schema::ContainerConfig>();
  config.setNode("n1");
  config.setPodUid("uid-1");
  config.setNamespace("default");
  config.setPodName("web");
  config.setName("app");
  config.setAttempt(2);
  config.setSpecHash("h1");
  config.setImage("busybox");
  auto command = config.initCommand(2);
  command.set(0, "sh");
  command.set(1, "-c");
  config.initArgs(1).set(0, "echo \"hi\"");
  auto env = config.initEnv(1);
  env[0].setKey("A");
  env[0].setValue("1=2");
  config.setWorkingDir("/tmp");
  config.setMemoryLimitBytes(67108864);
  config.setNanoCpus(500000000);
  config.setGracePeriodSeconds(5);
  CHECK(container_create_body("sb1", config.asReader()) ==
        R"({"Image":"busybox","Entrypoint":["sh","-c"],"Cmd":["echo \"hi\""],"Env":["A=1=2"],)"
        R"("WorkingDir":"/tmp","Labels":{"io.berth.container.attempt":"2",)"
        R"("io.berth.container.hash":"h1","io.berth.container.name":"app","io.berth.node":"n1",)"
        R"("io.berth.pod.grace-period":"5","io.berth.pod.name":"web",)"
        R"("io.berth.pod.namespace":"default","io.berth.pod.uid":"uid-1"},)"
        R"("HostConfig":{"NetworkMode":"container:sb1","IpcMode":"container:sb1",)"
        R"("Memory":67108864,"NanoCpus":500000000}})");
}

TEST_CASE("mapping: the agent's volume mounts become HostConfig.Mounts binds, read-only when asked") {
  capnp::MallocMessageBuilder message;
  auto config = message.initRoot<schema::ContainerConfig>();
  config.setImage("busybox");
  auto mounts = config.initMounts(2);
  mounts[0].setHostPath("/var/lib/berth-agent/nodes/n1/pods/u/volumes/empty-dir/data");
  mounts[0].setContainerPath("/data");
  mounts[1].setHostPath("/etc/a:b");
  mounts[1].setContainerPath("/conf");
  mounts[1].setReadOnly(true);
  auto body = container_create_body("sb1", config.asReader());
  CHECK(body.find(R"("HostConfig":{"NetworkMode":"container:sb1","IpcMode":"container:sb1",)"
                  R"("Mounts":[{"Type":"bind","Source":"/var/lib/berth-agent/nodes/n1/pods/u/volumes/empty-dir/data",)"
                  R"("Target":"/data","ReadOnly":false},)"
                  R"({"Type":"bind","Source":"/etc/a:b","Target":"/conf","ReadOnly":true}]}})") != std::string::npos);
}

TEST_CASE("mapping: a container started after a back-off carries the delay as a label") {
  capnp::MallocMessageBuilder message;
  auto config = message.initRoot<schema::ContainerConfig>();
  config.setName("app");
  config.setAttempt(3);
  CHECK(container_labels(config.asReader()).count("io.berth.container.backoff-delay-ns") == 0);
  config.setBackoffDelayNs(20'000'000'000);
  CHECK(container_labels(config.asReader()).at("io.berth.container.backoff-delay-ns") == "20000000000");
}

TEST_CASE("mapping: list path always filters on berth containers and ANDs the pairs") {
  capnp::MallocMessageBuilder message;
  auto filter = message.initRoot<schema::LabelFilter>();
  auto labels = filter.initLabels(1);
  labels[0].setKey("io.berth.node");
  labels[0].setValue("n 1");
  CHECK(list_path(filter.asReader()) ==
        "/containers/json?all=0&filters=%7B%22label%22%3A%5B%22io.berth.pod.uid%22%2C%22io."
        "berth.node%3Dn%201%22%5D%7D");
  filter.setIncludeExited(true);
  filter.initLabels(0);
  CHECK(list_path(filter.asReader()) ==
        "/containers/json?all=1&filters=%7B%22label%22%3A%5B%22io.berth.pod.uid%22%5D%7D");
}

TEST_CASE("mapping: Docker times, including the zero time and offsets") {
  CHECK(parse_docker_time("0001-01-01T00:00:00Z") == 0);
  CHECK(parse_docker_time("") == 0);
  CHECK(parse_docker_time("garbage") == 0);
  CHECK(parse_docker_time("1970-01-01T00:00:01Z") == 1'000'000'000);
  CHECK(parse_docker_time("2024-05-07T21:09:36.123456789Z") == 1715116176'123456789LL);
  CHECK(parse_docker_time("2024-05-07T21:09:36.5Z") == 1715116176'500000000LL);
  CHECK(parse_docker_time("2024-05-07T23:09:36.000000000+02:00") == 1715116176'000000000LL);
}

TEST_CASE("mapping: inspect JSON fills every ContainerInfo field") {
  json_doc doc(R"({"Id":"abc","Created":"2024-05-07T21:09:36.1Z","Image":"sha256:ff",)"
               R"("State":{"Status":"exited","Running":false,"Pid":0,"ExitCode":137,)"
               R"("OOMKilled":true,"Error":"","StartedAt":"2024-05-07T21:09:37Z",)"
               R"("FinishedAt":"2024-05-07T21:09:38Z"},)"
               R"("Config":{"Image":"busybox","Labels":{"io.berth.pod.uid":"u","b":"2"}},)"
               R"("NetworkSettings":{"IPAddress":"","Networks":{"bridge":{"IPAddress":"172.17.0.9"}}}})");
  capnp::MallocMessageBuilder message;
  auto info = message.initRoot<schema::ContainerInfo>();
  fill_container_info(doc.root(), info);
  CHECK(std::string(info.getId().cStr()) == "abc");
  REQUIRE(info.getLabels().size() == 2);
  CHECK(std::string(info.getLabels()[0].getKey().cStr()) == "b");
  CHECK(std::string(info.getLabels()[1].getValue().cStr()) == "u");
  CHECK(std::string(info.getImage().cStr()) == "busybox");
  CHECK(std::string(info.getImageId().cStr()) == "sha256:ff");
  CHECK(info.getState() == schema::ContainerStateKind::EXITED);
  CHECK(info.getExitCode() == 137);
  CHECK(info.getOomKilled());
  CHECK(info.getCreatedAt() == 1715116176'100000000LL);
  CHECK(info.getStartedAt() == 1715116177'000000000LL);
  CHECK(info.getFinishedAt() == 1715116178'000000000LL);
  CHECK(std::string(info.getIp().cStr()) == "172.17.0.9");
  CHECK(info.getPid() == 0);
}

TEST_CASE("mapping: events keep berth labels and drop exec_* and non-container events") {
  json_doc start(R"({"Type":"container","Action":"start","Actor":{"ID":"c1","Attributes":)"
                 R"({"io.berth.pod.uid":"u","image":"busybox","name":"x"}},"timeNano":1000000000})");
  auto event = parse_event(start.root());
  REQUIRE(event.has_value());
  CHECK(event->id == "c1");
  CHECK(event->action == "start");
  CHECK(event->labels == std::map<std::string, std::string>{{"io.berth.pod.uid", "u"}});
  CHECK(event->time_ns == 1000000000);
  CHECK_FALSE(parse_event(json_doc(R"({"Type":"container","Action":"exec_start: sh"})").root()));
  CHECK_FALSE(parse_event(json_doc(R"({"Type":"network","Action":"connect"})").root()));
  CHECK(docker_since(1715116176'000000042LL) == "1715116176.000000042");
}

TEST_CASE("json: strings are escaped; unicode escapes from dockerd decode to UTF-8") {
  // The writer quotes through text::json_quote (tests/text has the full table).
  CHECK(json_writer().begin_object().key("k\r").value("a\"b\\c\n\x01").end_object().str() ==
        R"({"k\r":"a\"b\\c\n\u0001"})");
  json_doc doc(R"({"message":"x \u003c\u003e y","n":null})");
  CHECK(json_string(doc.root(), {"message"}) == "x <> y");
  CHECK_FALSE(json_at(doc.root(), {"n"}).has_value());
  auto decoded = [](const char* json) { return json_string(json_doc(json).root(), {}); };
  CHECK(decoded(R"("\u00e9 \u20AC \ud83d\ude00")") == "\u00e9 \u20ac \U0001F600");
  CHECK(decoded(R"("q\u0022 b\u005c n\u000a")") == "q\" b\\ n\n");
  CHECK(decoded(R"("\u001f\u0007")") == "\x1f\x07");
  CHECK(decoded(R"("\\u0041")") == "\\u0041");  // an escaped backslash, then text
  CHECK(json_int(doc.root(), {"missing"}, -7) == -7);
}

TEST_CASE("client: dockerd errors carry the status and the message") {
  CHECK(docker_error({404, "{\"message\":\"No such container: x\"}\n"}) == "dockerd HTTP 404: No such container: x");
  CHECK(docker_error({500, "plain text\n"}) == "dockerd HTTP 500: plain text");
  CHECK(url_encode("berth/pause:latest", true) == "berth/pause:latest");
  CHECK(url_encode("a b/c", false) == "a%20b%2Fc");
}
