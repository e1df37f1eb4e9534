// The Introspection API end to end: a real berthd and a real berth-agent
// (--hollow: in-memory runtime) reached over Cap'n Proto, as `berth console`
// reaches them.
#include <doctest/doctest.h>

#include <capnp/ez-rpc.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <thread>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "schema/api.capnp.h"
#include "tests/cli/run_process.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"
#include "tests/integration/tls_rpc_client.hpp"

using namespace berth;
using testing::berthd_process;
using testing::eventually;

namespace {

actors::any_object rc_object(const std::string& name, int replicas) {
  auto yaml = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
              "\nspec:\n  replicas: " + std::to_string(replicas) +
              "\n  template:\n    metadata:\n      labels:\n        app: " + name +
              "\n    spec:\n      containers:\n      - name: web\n        image: busybox\n";
  auto r = manifest::decode_manifests(yaml, "test.yaml");
  REQUIRE(r.objects.size() == 1);
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

/// Runs `f` with a CLI client on a thread of its own (a client owns a KJ
/// loop, and this thread runs the test's).
void with_client(const berthd_process& b, const std::function<void(cli::client&)>& f) {
  std::thread t([&] {
    cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
    f(c);
  });
  t.join();
}

/// berthd + `berth-agent --hollow 2 --introspect-listen 127.0.0.1:0`.
struct cluster {
  berthd_process berthd{testing::make_temp_dir("berth-introspect"), {"--heartbeat-interval", "200ms"}};
  std::unique_ptr<testing::background_process> agent;
  std::string agent_address;
  std::string metrics_address;

  cluster() {
    berthd.start();
    agent = std::make_unique<testing::background_process>(
        std::getenv("BERTH_AGENT"),
        std::vector<std::string>{"--server", berthd.rpc_address(), "--token-file", berthd.data_dir() + "/node.token",
                                 "--hollow", "2", "--heartbeat-interval", "200ms", "--introspect-listen", "127.0.0.1:0",
                                 "--metrics-listen", "127.0.0.1:0"});
    agent_address = logged_address("berth-agent: introspection on ");
    metrics_address = logged_address("berth-agent: metrics on http://");
  }

  /// What the agent logged after `mark`, up to the end of the line (or "/metrics").
  std::string logged_address(const std::string& mark) {
    REQUIRE_MESSAGE(eventually([&] { return agent->err().find(mark) != std::string::npos; }, 20), agent->err());
    auto err = agent->err();
    auto at = err.find(mark) + mark.size();
    auto end = std::min(err.find('\n', at), err.find("/metrics", at));
    return err.substr(at, end - at);
  }
};

/// The names of the actors in an ActorInfo list, and each one's owner.
std::map<std::string, std::string> owners(capnp::List<schema::ActorInfo>::Reader actors) {
  std::map<std::string, std::string> out;
  for (auto a : actors) out[a.getName()] = a.getOwner();
  return out;
}

std::string names_of(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [name, owner] : m) out += name + " ";
  return out;
}

std::size_t count_prefix(const std::map<std::string, std::string>& m, const std::string& prefix) {
  return std::count_if(m.begin(), m.end(), [&](const auto& kv) { return kv.first.rfind(prefix, 0) == 0; });
}

class collecting_sink final : public schema::TraceSink::Server {
 public:
  explicit collecting_sink(std::vector<std::pair<std::uint64_t, std::string>>& seen) : seen_(seen) {}

 protected:
  kj::Promise<void> event(EventContext c) override {
    auto e = c.getParams().getEvent();
    seen_.emplace_back(e.getSeq(), std::string(e.getDirection()) + " " + e.getType().cStr());
    return kj::READY_NOW;
  }

 private:
  std::vector<std::pair<std::uint64_t, std::string>>& seen_;
};

}  // namespace

TEST_CASE("berthd lists its actors, inspects a pod's phase, traces to a limit, and reaches the agents' actors") {
  cluster k;
  with_client(k.berthd, [](cli::client& c) {
    REQUIRE(c.create(rc_object("web", 3), false).result == actors::outcome::code::ok);
  });

  testing::tls_rpc_client rpc(k.berthd.rpc_address(), testing::security_of(k.berthd));
  auto& ws = rpc.getWaitScope();
  auto gateway = rpc.getMain<schema::Gateway>();
  auto login = gateway.loginRequest();
  login.setToken(k.berthd.admin_token());
  auto cluster = login.send().wait(ws).getCluster();  // capabilities outlive their response
  auto introspection = cluster.introspectionRequest().send().wait(ws).getIntrospection();

  // Every object's actor, with the RC's pods owned by it (the console's tree).
  std::map<std::string, std::string> actors;
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        actors = owners(introspection.actorsRequest().send().wait(ws).getActors());
                        return count_prefix(actors, "pod/default/web-") == 3 && actors.count("node/hollow-0001");
                      },
                      30),
                  names_of(actors));
  CHECK(actors.count("store") == 1);
  CHECK(actors.count("scheduler") == 1);
  CHECK(actors.count("rc/default/web") == 1);
  CHECK(actors.count("node/hollow-0000") == 1);
  for (const auto& [name, owner] : actors)
    if (name.rfind("pod/", 0) == 0) CHECK(owner == "rc/default/web");

  {  // the process and its busiest actor
    auto process = introspection.processRequest().send().wait(ws);
    auto info = process.getInfo();
    CHECK(std::string(info.getRole()) == "berthd");
    CHECK(info.getActors() == actors.size());
    auto store = introspection.inspectRequest();
    store.setActor("store");
    auto r = store.send().wait(ws);
    CHECK(std::string(r.getError()) == "");
    CHECK(r.getInfo().getHandled() > 0);
    CHECK(std::string(r.getStateJson()).find("\"replicationControllers\":1") != std::string::npos);
  }

  {  // a pod actor renders its pod, phase included
    std::string pod;
    for (const auto& [name, owner] : actors)
      if (name.rfind("pod/default/web-", 0) == 0) pod = name;
    CHECK(eventually(
        [&] {
          auto req = introspection.inspectRequest();
          req.setActor(pod);
          return std::string(req.send().wait(ws).getStateJson()).find("\"phase\":\"Running\"") != std::string::npos;
        },
        30));
    auto missing = introspection.inspectRequest();
    missing.setActor("pod/default/nope");
    CHECK(std::string(missing.send().wait(ws).getError()) == "no actor named pod/default/nope");
  }

  {  // a trace of the store stops at its limit, in order, while the RC scales
    std::vector<std::pair<std::uint64_t, std::string>> seen;
    auto trace = introspection.traceRequest();
    trace.setActor("store");
    trace.setForMs(20'000);
    trace.setMax(5);
    trace.setSink(kj::heap<collecting_sink>(seen));
    auto done = trace.send();
    with_client(k.berthd, [](cli::client& c) {
      REQUIRE(c.scale({actors::kind::replication_controller, "default", "web"}, 5).result == actors::outcome::code::ok);
    });
    auto r = done.wait(ws);
    CHECK(std::string(r.getStopped()) == "limit");
    CHECK(r.getEvents() == 5);
    REQUIRE(seen.size() == 5);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i].first == i + 1);
  }

  {  // nodes: berthd asks each agent connection for its actors
    std::map<std::string, std::size_t> pods_per_node;
    CHECK(eventually(
        [&] {
          pods_per_node.clear();
          auto answer = introspection.nodesRequest().send().wait(ws);  // owns what `nodes` reads
          auto nodes = answer.getNodes();
          std::size_t total = 0;
          for (auto n : nodes) {
            auto mine = owners(n.getActors());
            if (!std::string(n.getError()).empty() || !mine.count("node/" + std::string(n.getNode()))) return false;
            pods_per_node[n.getNode()] = count_prefix(mine, "pod/default/web-");
            total += pods_per_node[n.getNode()];
          }
          return nodes.size() == 2 && total == 5;
        },
        30));
    CHECK(pods_per_node.size() == 2);
  }
}

TEST_CASE("an agent's introspection listener wants the node token, then lists its own actors") {
  cluster k;
  capnp::EzRpcClient rpc(k.agent_address);
  auto& ws = rpc.getWaitScope();
  auto gateway = rpc.getMain<schema::AgentGateway>();

  auto wrong = gateway.loginRequest();
  wrong.setToken("not-the-token");
  CHECK_THROWS_WITH(wrong.send().wait(ws), doctest::Contains("invalid token"));

  auto login = gateway.loginRequest();
  login.setToken(k.berthd.node_token());
  auto introspection = login.send().wait(ws).getIntrospection();
  auto process = introspection.processRequest().send().wait(ws);
  auto info = process.getInfo();
  CHECK(std::string(info.getRole()) == "berth-agent");
  REQUIRE(info.getNodes().size() == 2);
  CHECK(std::string(info.getNodes()[0]) == "hollow-0000");
  auto actors = owners(introspection.actorsRequest().send().wait(ws).getActors());
  CHECK(actors.count("node/hollow-0000") == 1);
  CHECK(actors.count("node/hollow-0001") == 1);
}

TEST_CASE("an agent's /metrics wants the node token and passes promtool") {
  cluster k;
  auto url = "http://" + k.metrics_address + "/metrics";
  auto refused = testing::run_process("/usr/bin/curl", {"-s", "-o", "/dev/null", "-w", "%{http_code}", url});
  CHECK(refused.out == "401");
  std::string text;
  REQUIRE_MESSAGE(eventually(
                      [&] {
                        auto r = testing::run_process(
                            "/usr/bin/curl", {"-sf", "-H", "Authorization: Bearer " + k.berthd.node_token(), url});
                        text = r.out;
                        return r.exit_code == 0 && text.find("berth_actors{kind=\"node\"} 2\n") != std::string::npos;
                      },
                      20),
                  text);
  CHECK(text.find("# TYPE berth_actor_processing_seconds histogram") != std::string::npos);
  REQUIRE_MESSAGE(std::filesystem::exists("/usr/bin/promtool"), "promtool is missing: tools/install-deps installs it");
  auto lint = testing::run_process("/usr/bin/promtool", {"check", "metrics"}, {}, text);
  CHECK_MESSAGE(lint.exit_code == 0, lint.out << lint.err);
  CHECK(lint.out + lint.err == "");
}

TEST_CASE("without the admin token there is no Cluster, so no introspection") {
  berthd_process b(testing::make_temp_dir("berth-introspect"));
  b.start();
  testing::tls_rpc_client rpc(b.rpc_address(), testing::security_of(b));
  auto login = rpc.getMain<schema::Gateway>().loginRequest();
  login.setToken(b.node_token());  // a real token, but not a client's
  CHECK_THROWS_WITH(login.send().wait(rpc.getWaitScope()), doctest::Contains("token"));
}
