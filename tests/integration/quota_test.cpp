// The limitrange and resourcequota examples of Kubernetes v1.0 on a real
// berthd (real journal, actor system and RPC), with hollow nodes: the
// refusals their READMEs show, the defaults a limit range gives, and an RC
// whose pods a quota refuses telling so in its events, then creating them
// once a limit range supplies the limits the quota needs.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;
using testing::berthd_process;
using testing::eventually;
using code = actors::outcome::code;

namespace {

std::string example(const std::string& relative) {
  const char* root = std::getenv("BERTH_EXAMPLES");
  REQUIRE_MESSAGE(root != nullptr, "BERTH_EXAMPLES is not set (run through meson test)");
  std::ifstream in(std::filesystem::path(root) / "kubernetes-v1.0.0" / relative);
  REQUIRE_MESSAGE(in.good(), relative);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// The one object of an example file, put in namespace `ns` (kubectl --namespace).
actors::any_object from_example(const std::string& relative, const std::string& ns = "") {
  auto r = manifest::decode_manifests(example(relative), relative);
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : r.errors[0].to_string()));
  REQUIRE(r.objects.size() == 1);
  auto o = std::visit([](const auto& x) { return actors::any_object(x); }, r.objects[0].object);
  if (!ns.empty()) std::visit([&](auto& x) { x.metadata.namespace_ = ns; }, o);
  return o;
}

agent::hollow_config fleet_of(const berthd_process& b) {
  agent::hollow_config c;
  c.server = b.rpc_address();
  c.security = testing::security_of(b);
  c.token = b.node_token();
  c.heartbeat_interval = std::chrono::milliseconds(100);
  c.nodes.push_back({"n1", "8", "16Gi", 110, {}});
  return c;
}

actors::any_object nginx_rc(const std::string& ns) {
  auto r = manifest::decode_manifests(
      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: nginx\n  namespace: " + ns +
          "\nspec:\n  replicas: 1\n  selector:\n    run: nginx\n  template:\n    metadata:\n      labels:\n"
          "        run: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n",
      "rc.yaml");
  REQUIRE(r.ok());
  return std::visit([](const auto& x) { return actors::any_object(x); }, r.objects[0].object);
}

std::vector<model::pod> pods_in(cli::client& c, const std::string& ns) {
  std::vector<model::pod> out;
  for (auto& o : c.list(actors::kind::pod, ns).items) out.push_back(std::get<model::pod>(o));
  return out;
}

}  // namespace

TEST_CASE("limitrange example: defaults applied to an RC's pod, invalid-pod refused, valid-pod kept as written") {
  berthd_process b(testing::make_temp_dir("berth-quota"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  const std::string ns = "limit-example";

  REQUIRE(c.create(from_example("limitrange/namespace.yaml")).result == code::ok);
  auto lr = c.create(from_example("limitrange/limits.yaml", ns));
  REQUIRE_MESSAGE(lr.result == code::ok, lr.message);
  auto got = c.get({actors::kind::limit_range, ns, "mylimits"});
  REQUIRE(got.result == code::ok);
  CHECK(std::get<model::limit_range>(*got.object).limits.size() == 2);

  REQUIRE(c.create(nginx_rc(ns)).result == code::ok);
  REQUIRE(eventually([&] { return pods_in(c, ns).size() == 1; }));
  auto limits = pods_in(c, ns)[0].spec.containers[0].resources.limits;
  CHECK(model::to_string(limits.at("cpu")) == "250m");
  CHECK(model::to_string(limits.at("memory")) == "100Mi");

  auto invalid = c.create(from_example("limitrange/invalid-pod.yaml", ns));
  CHECK(invalid.result == code::forbidden);
  CHECK(invalid.message ==
        "[maximum cpu usage per Pod is 2, but limit is 3, maximum cpu usage per Container is 2, but limit is 3]");
  CHECK(c.get({actors::kind::pod, ns, "invalid-pod"}).result == code::not_found);

  auto valid = c.create(from_example("limitrange/valid-pod.yaml", ns));
  REQUIRE_MESSAGE(valid.result == code::ok, valid.message);
  auto vl = std::get<model::pod>(*valid.object).spec.containers[0].resources.limits;
  CHECK(model::to_string(vl.at("cpu")) == "1");
  CHECK(model::to_string(vl.at("memory")) == "512Mi");

  // Deleting the namespace deletes its limit range with it.
  REQUIRE(c.remove({actors::kind::namespace_, "", ns}).result == code::ok);
  REQUIRE(eventually([&] { return c.get({actors::kind::namespace_, "", ns}).result == code::not_found; }));
  CHECK(c.get({actors::kind::limit_range, ns, "mylimits"}).result == code::not_found);
}

TEST_CASE("resourcequota example: usage counted, the RC's pod refused in its events, admitted once limits default") {
  berthd_process b(testing::make_temp_dir("berth-quota"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  const std::string ns = "quota-example";

  REQUIRE(c.create(from_example("resourcequota/namespace.yaml")).result == code::ok);
  auto q = c.create(from_example("resourcequota/quota.yaml", ns));
  REQUIRE_MESSAGE(q.result == code::ok, q.message);
  auto shown = std::get<model::resource_quota>(*c.get({actors::kind::resource_quota, ns, "quota"}).object);
  CHECK(model::to_string(shown.status.used.at("resourcequotas")) == "1");
  CHECK(model::to_string(shown.status.used.at("pods")) == "0");
  CHECK(model::to_string(shown.status.hard.at("memory")) == "1Gi");

  // A second quota would exceed resourcequotas: 1.
  auto second = from_example("resourcequota/quota.yaml", ns);
  std::get<model::resource_quota>(second).metadata.name = "second";
  auto refused_quota = c.create(second);
  CHECK(refused_quota.result == code::forbidden);
  CHECK(refused_quota.message ==
        "exceeded quota: quota, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1");

  REQUIRE(c.create(nginx_rc(ns)).result == code::ok);
  actors::object_key rc{actors::kind::replication_controller, ns, "nginx"};
  auto refusal = [&] {
    for (const auto& e : c.object_events(rc))
      if (e.type == "podCreateRefused") return e.message;
    return std::string{};
  };
  REQUIRE(eventually([&] { return !refusal().empty(); }));
  CHECK(refusal().find("is forbidden: failed quota: quota: must specify cpu,memory") != std::string::npos);
  CHECK(refusal().rfind("Error creating: pods \"nginx-", 0) == 0);
  CHECK(pods_in(c, ns).empty());
  // One refusal, not a loop of them: nothing changed, so the RC does not try again.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::size_t refusals = 0;
  for (const auto& e : c.object_events(rc)) refusals += e.type == "podCreateRefused";
  CHECK(refusals == 1);

  REQUIRE(c.create(from_example("resourcequota/limits.yaml", ns)).result == code::ok);
  REQUIRE(eventually([&] { return pods_in(c, ns).size() == 1; }));
  auto used = std::get<model::resource_quota>(*c.get({actors::kind::resource_quota, ns, "quota"}).object).status.used;
  CHECK(model::to_string(used.at("pods")) == "1");
  CHECK(model::to_string(used.at("cpu")) == "100m");
  CHECK(model::to_string(used.at("memory")) == "512Mi");
  CHECK(model::to_string(used.at("replicationcontrollers")) == "1");
}
