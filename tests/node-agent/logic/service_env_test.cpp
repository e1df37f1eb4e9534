// Service environment variables as Kubernetes 1.x set them.
#include <doctest/doctest.h>

#include <algorithm>

#include "node-agent/logic/service_env.hpp"

using namespace berth;
using berth::agent::service_env;

namespace {

model::service svc(const std::string& ns, const std::string& name, const std::string& ip,
                   std::vector<model::service_port> ports) {
  model::service s;
  s.metadata.namespace_ = ns;
  s.metadata.name = name;
  s.spec.cluster_ip = ip;
  s.spec.ports = std::move(ports);
  return s;
}

std::vector<std::pair<std::string, std::string>> pairs(const std::vector<model::env_var>& env) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : env) out.emplace_back(e.name, e.value);
  return out;
}

}  // namespace

TEST_CASE("one service: the SERVICE_HOST/PORT pair and the Docker-links variables, as kubelet wrote them") {
  auto env =
      service_env({svc("default", "redis-master", "10.96.0.5", {{"", model::protocol::tcp, 6379, {}, 0}})}, "default");
  CHECK(pairs(env) == std::vector<std::pair<std::string, std::string>>{
                          {"REDIS_MASTER_SERVICE_HOST", "10.96.0.5"},
                          {"REDIS_MASTER_SERVICE_PORT", "6379"},
                          {"REDIS_MASTER_PORT", "tcp://10.96.0.5:6379"},
                          {"REDIS_MASTER_PORT_6379_TCP", "tcp://10.96.0.5:6379"},
                          {"REDIS_MASTER_PORT_6379_TCP_PROTO", "tcp"},
                          {"REDIS_MASTER_PORT_6379_TCP_PORT", "6379"},
                          {"REDIS_MASTER_PORT_6379_TCP_ADDR", "10.96.0.5"},
                      });
}

TEST_CASE("named ports get SERVICE_PORT_<NAME>; the first port is the service's port") {
  auto env = service_env({svc("default", "web", "10.96.0.9",
                              {{"http", model::protocol::tcp, 80, {}, 0}, {"dns", model::protocol::udp, 53, {}, 0}})},
                         "default");
  auto p = pairs(env);
  CHECK(p[0] == std::pair<std::string, std::string>{"WEB_SERVICE_HOST", "10.96.0.9"});
  CHECK(p[1] == std::pair<std::string, std::string>{"WEB_SERVICE_PORT", "80"});
  CHECK(p[2] == std::pair<std::string, std::string>{"WEB_SERVICE_PORT_HTTP", "80"});
  CHECK(p[3] == std::pair<std::string, std::string>{"WEB_SERVICE_PORT_DNS", "53"});
  CHECK(std::find(p.begin(), p.end(), std::pair<std::string, std::string>{"WEB_PORT_53_UDP", "udp://10.96.0.9:53"}) !=
        p.end());
}

TEST_CASE("only the pod's namespace, only services with a cluster IP, sorted by name") {
  auto env = service_env({svc("default", "b", "10.96.0.2", {{"", model::protocol::tcp, 1, {}, 0}}),
                          svc("other", "x", "10.96.0.3", {{"", model::protocol::tcp, 1, {}, 0}}),
                          svc("default", "headless", "None", {{"", model::protocol::tcp, 1, {}, 0}}),
                          svc("default", "a", "10.96.0.1", {{"", model::protocol::tcp, 1, {}, 0}})},
                         "default");
  REQUIRE(env.size() == 14);
  CHECK(env[0].name == "A_SERVICE_HOST");
  CHECK(env[7].name == "B_SERVICE_HOST");
  CHECK(service_env({}, "default").empty());
}
