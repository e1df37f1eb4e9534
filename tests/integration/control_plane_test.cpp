// berthd end to end on a real journal, a real actor system and the real RPC
// protocol, with hollow nodes (simulated agents on the node protocol).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <thread>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/http_get.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;
using testing::berthd_process;
using testing::eventually;

namespace {

// Short timings so that liveness tests take seconds, not minutes.
const std::vector<std::string> k_fast = {"--heartbeat-interval", "200ms", "--grace-period", "1s",
                                         "--eviction-timeout",   "1s"};

actors::any_object decode_one(const std::string& yaml) {
  auto r = manifest::decode_manifests(yaml, "test.yaml");
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : r.errors[0].to_string()));
  REQUIRE(r.objects.size() == 1);
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

std::string rc_yaml(const std::string& name, int replicas, const std::string& cpu = "100m") {
  return "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
         "\nspec:\n  replicas: " + std::to_string(replicas) +
         "\n  template:\n    metadata:\n      labels:\n        app: " + name +
         "\n    spec:\n      containers:\n      - name: web\n        image: busybox\n        resources:\n"
         "          requests:\n            cpu: " +
         cpu + "\n";
}

agent::hollow_config fleet_of(const berthd_process& b, int n, const std::string& prefix = "n") {
  agent::hollow_config c;
  c.server = b.rpc_address();
  c.security = testing::security_of(b);
  c.token = b.node_token();
  c.heartbeat_interval = std::chrono::milliseconds(100);
  for (int i = 1; i <= n; ++i) c.nodes.push_back({prefix + std::to_string(i), "2", "4Gi", 110, {}});
  return c;
}

std::vector<model::pod> pods(cli::client& c, const std::string& labels = "") {
  std::vector<model::pod> out;
  for (auto& o : c.list(actors::kind::pod, "default", labels).items) out.push_back(std::get<model::pod>(o));
  return out;
}

/// Active (not terminating) pods bound to a node, and Running.
std::size_t running(const std::vector<model::pod>& ps) {
  return std::count_if(ps.begin(), ps.end(), [](const model::pod& p) {
    return !p.spec.node_name.empty() && p.metadata.deletion_timestamp == 0 &&
           p.status.phase == model::pod_phase::running;
  });
}

actors::object_key rc_key(const std::string& name) { return {actors::kind::replication_controller, "default", name}; }

}  // namespace

TEST_CASE("an RC of 5 gets 5 pods bound across nodes, and scaling to 2 deletes 3") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b, 3));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));

  auto created = c.create(decode_one(rc_yaml("web", 5)));
  REQUIRE(created.result == actors::outcome::code::ok);
  CHECK(created.action == "created");
  CHECK(created.seq > 0);

  REQUIRE(eventually([&] { return running(pods(c, "app=web")) == 5; }));
  auto ps = pods(c, "app=web");
  std::set<std::string> nodes, names;
  for (auto& p : ps) {
    nodes.insert(p.spec.node_name);
    names.insert(p.metadata.name);
    CHECK(p.metadata.name.rfind("web-", 0) == 0);
    CHECK(p.metadata.name.size() == std::string("web-").size() + 5);
    REQUIRE(p.metadata.owner_references.size() == 1);
    CHECK(p.metadata.owner_references[0].kind == "ReplicationController");
  }
  CHECK(names.size() == 5);
  CHECK(nodes.size() == 3);  // spread over every node

  auto scaled = c.scale(rc_key("web"), 2);
  REQUIRE(scaled.result == actors::outcome::code::ok);
  REQUIRE(eventually([&] { return pods(c, "app=web").size() == 2; }));
  CHECK(running(pods(c, "app=web")) == 2);
}

TEST_CASE("a node that stops heartbeating goes NotReady and its pods are replaced elsewhere") {
  berthd_process b(testing::make_temp_dir("berth-it"), k_fast);
  b.start();
  agent::hollow_fleet fleet(fleet_of(b, 3));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  REQUIRE(c.create(decode_one(rc_yaml("web", 6))).result == actors::outcome::code::ok);
  REQUIRE(eventually([&] { return running(pods(c, "app=web")) == 6; }));

  fleet.set_heartbeating("n2", false);
  REQUIRE(eventually([&] {
    auto n = c.get({actors::kind::node, "", "n2"});
    const auto& node = std::get<model::node>(*n.object);
    const auto* ready = model::find_condition(node.status.conditions, "Ready");
    return ready && ready->status == model::condition_status::is_false;
  }));
  // Evicted pods go Terminating (n2 is unreachable); the RC replaces them on n1 and n3.
  REQUIRE(eventually([&] {
    auto ps = pods(c, "app=web");
    std::size_t elsewhere = std::count_if(ps.begin(), ps.end(), [](const model::pod& p) {
      return p.metadata.deletion_timestamp == 0 && p.status.phase == model::pod_phase::running &&
             p.spec.node_name != "n2";
    });
    return elsewhere == 6;
  }));
  auto events = c.object_events({actors::kind::node, "", "n2"});
  REQUIRE(!events.empty());
  CHECK(std::any_of(events.begin(), events.end(), [](const auto& e) { return e.type == "nodeReadinessDecided"; }));

  // Heartbeats resume: Ready again, and the terminating pods finish.
  fleet.set_heartbeating("n2", true);
  REQUIRE(eventually([&] { return pods(c, "app=web").size() == 6; }));
}

TEST_CASE("after a restart, a node whose agent was already gone keeps its deadline, not a fresh grace period") {
  // Grace 16 s: long enough that berthd journals heartbeats (every 4 s).
  auto dir = testing::make_temp_dir("berth-it");
  berthd_process b(dir, {"--heartbeat-interval", "200ms", "--grace-period", "16s", "--eviction-timeout", "60s"});
  b.start();
  agent::hollow_fleet alive(fleet_of(b, 1, "live"));
  REQUIRE(alive.start() == "");
  auto gone = std::make_unique<agent::hollow_fleet>(fleet_of(b, 1, "gone"));
  REQUIRE(gone->start() == "");
  std::this_thread::sleep_for(std::chrono::seconds(5));  // a heartbeat of each gets journaled
  gone.reset();                                          // its agent dies
  const auto died = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::seconds(10));
  b.kill9();
  b.start();
  const auto restarted = std::chrono::steady_clock::now();
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  auto ready = [&](const std::string& name) {
    auto n = c.get({actors::kind::node, "", name});
    return n.object && model::is_node_ready(std::get<model::node>(*n.object));
  };
  REQUIRE(ready("gone1"));  // berthd has not decided yet: it was Ready when it stopped
  REQUIRE(eventually([&] { return !ready("gone1"); }, 30));
  const auto after_restart = std::chrono::duration<double>(std::chrono::steady_clock::now() - restarted).count();
  const auto after_death = std::chrono::duration<double>(std::chrono::steady_clock::now() - died).count();
  MESSAGE(fmt::format("NotReady {:.1f} s after the restart, {:.1f} s after its agent died (grace 16 s)", after_restart,
                      after_death));
  // A fresh grace period would have taken 16 s from the restart; the journaled
  // heartbeat leaves the reconnect allowance (5 s + one interval).
  CHECK(after_restart < 12);
  // The live node reconnected in time and never went NotReady.
  CHECK(ready("live1"));
  auto events = c.object_events({actors::kind::node, "", "live1"});
  CHECK(std::none_of(events.begin(), events.end(), [](const auto& e) { return e.type == "nodeReadinessDecided"; }));
  CHECK(std::none_of(events.begin(), events.end(), [](const auto& e) { return e.type == "nodeHeartbeat"; }));
}

TEST_CASE("a pod that fits nowhere stays Pending and says why") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b, 2));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  REQUIRE(c.create(decode_one(rc_yaml("big", 1, "16"))).result == actors::outcome::code::ok);
  REQUIRE(eventually([&] {
    auto ps = pods(c, "app=big");
    if (ps.size() != 1) return false;
    const auto* cond = model::find_condition(ps[0].status.conditions, "PodScheduled");
    return cond && cond->status == model::condition_status::is_false;
  }));
  auto p = pods(c, "app=big")[0];
  CHECK(p.spec.node_name.empty());
  CHECK(model::find_condition(p.status.conditions, "PodScheduled")->message ==
        "0/2 nodes are available: 2 Insufficient cpu.");
}

TEST_CASE("berthd killed with SIGKILL restarts with everything acknowledged and no duplicate pods") {
  auto dir = testing::make_temp_dir("berth-it");
  berthd_process b(dir, {"--snapshot-every", "7"});
  b.start();
  std::set<std::string> before;
  std::uint64_t acked = 0;
  {
    agent::hollow_fleet fleet(fleet_of(b, 2));
    REQUIRE(fleet.start() == "");
    cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
    for (int i = 0; i < 4; ++i) {
      auto o = c.create(decode_one(rc_yaml("rc" + std::to_string(i), 3)));
      REQUIRE(o.result == actors::outcome::code::ok);
      acked = std::max(acked, o.seq);
    }
    REQUIRE(eventually([&] { return running(pods(c)) == 12; }));
    for (auto& p : pods(c)) before.insert(p.metadata.name);
    b.kill9();
  }
  b.start();
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  CHECK(c.version().journal_seq >= acked);
  CHECK(c.list(actors::kind::replication_controller, "default").items.size() == 4);
  std::set<std::string> after;
  for (auto& p : pods(c)) after.insert(p.metadata.name);
  CHECK(after == before);  // same pods, none duplicated, none lost
  // The RCs do not create more pods after the restart.
  agent::hollow_fleet fleet(fleet_of(b, 2));
  REQUIRE(fleet.start() == "");
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(pods(c).size() == 12);
}

TEST_CASE("SIGTERM in the middle of a 2,000-pod scale-up: berthd exits at once and loses nothing acknowledged") {
  auto dir = testing::make_temp_dir("berth-it");
  berthd_process b(dir, {"--shutdown-timeout", "500ms"});
  b.start();
  std::uint64_t acked = 0;
  double exit_seconds = 0;
  int status = -1;
  {
    agent::hollow_fleet fleet(fleet_of(b, 40));
    REQUIRE(fleet.start() == "");
    cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
    auto created = c.create(decode_one(rc_yaml("big", 0, "10m")));
    REQUIRE(created.result == actors::outcome::code::ok);
    auto scaled = c.scale(rc_key("big"), 2000);
    REQUIRE(scaled.result == actors::outcome::code::ok);
    acked = scaled.seq;
    // Busy: pods are being created, bound and started when the signal comes.
    REQUIRE(eventually([&] { return pods(c, "app=big").size() >= 200; }, 60));
    const auto sent = std::chrono::steady_clock::now();
    status = b.terminate();
    exit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  }
  MESSAGE("berthd exited " << exit_seconds << " s after SIGTERM");
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  // Minutes without the deadline; seconds with it (a loaded CI machine included).
  CHECK(exit_seconds < 10);
  b.start();
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  CHECK(c.version().journal_seq >= acked);
  auto rc = c.get(rc_key("big"));
  REQUIRE(rc.result == actors::outcome::code::ok);
  CHECK(std::get<model::replication_controller>(*rc.object).spec.replicas == 2000);
  // The scale-up goes on from where the journal stands.
  agent::hollow_fleet fleet(fleet_of(b, 40));
  REQUIRE(fleet.start() == "");
  CHECK(eventually([&] { return pods(c, "app=big").size() == 2000; }, 120));
}

TEST_CASE("a journal without room to write: creates refused as journal full, reads served, nothing half-written") {
  // More free space than any disk has: every write is refused, as when the
  // journal's file system fills up (tests/journal/writer_test.cpp fills a real
  // tmpfs and frees it again).
  berthd_process b(testing::make_temp_dir("berth-it"), {"--journal-min-free", "1Pi"});
  b.start();
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  const auto seq_before = c.version().journal_seq;
  // The client reports an unavailable outcome as an error with berthd's words.
  std::string refusal;
  try {
    c.create(decode_one(rc_yaml("web", 3)));
  } catch (const std::exception& e) {
    refusal = e.what();
  }
  CHECK_MESSAGE(refusal.find("the journal refused the write: journal full: ") != std::string::npos, refusal);
  CHECK_MESSAGE(refusal.find("--journal-min-free") != std::string::npos, refusal);
  CHECK(c.list(actors::kind::replication_controller, "default").items.empty());
  CHECK(c.version().journal_seq == seq_before);
  CHECK(testing::http_get(b.http_address(), "/healthz").status_line == "HTTP/1.1 200 OK");
}

TEST_CASE("watch from a resourceVersion delivers every change in order") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b, 1));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  auto start_rv = c.version().journal_seq;
  REQUIRE(c.create(decode_one(rc_yaml("w", 2))).result == actors::outcome::code::ok);
  REQUIRE(eventually([&] { return running(pods(c, "app=w")) == 2; }));
  REQUIRE(c.scale(rc_key("w"), 0).result == actors::outcome::code::ok);
  REQUIRE(eventually([&] { return pods(c, "app=w").empty(); }));

  std::vector<actors::watch_event> seen;
  auto why = c.watch(
      actors::kind::pod, "default", "app=w", "", start_rv,
      [&](const actors::watch_event& e) {
        seen.push_back(e);
        return true;
      },
      500);
  CHECK(why == "timeout");
  REQUIRE(!seen.empty());
  std::map<std::string, std::vector<actors::watch_event_type>> per_pod;
  std::uint64_t last = 0;
  for (auto& e : seen) {
    CHECK(e.resource_version > last);  // journal order
    last = e.resource_version;
    per_pod[actors::meta_of(e.object).name].push_back(e.type);
  }
  CHECK(per_pod.size() == 2);
  for (auto& [name, types] : per_pod) {
    CHECK(types.front() == actors::watch_event_type::added);
    CHECK(types.back() == actors::watch_event_type::deleted);
    CHECK(types.size() >= 4);  // added, bound, running, terminating..., deleted
  }
}

TEST_CASE("invalid objects are rejected field by field and change nothing") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  auto seq = c.version().journal_seq;
  model::pod p;
  p.metadata.name = "Bad_Name";
  p.spec.containers.push_back({});
  auto o = c.create(p);
  REQUIRE(o.result == actors::outcome::code::invalid);
  std::set<std::string> fields;
  for (auto& e : o.errors) fields.insert(e.field);
  CHECK(fields.count("metadata.name"));
  CHECK(fields.count("spec.containers[0].name"));
  CHECK(fields.count("spec.containers[0].image"));
  CHECK(c.version().journal_seq == seq);
  CHECK(c.list(actors::kind::pod, "").items.empty());

  REQUIRE(c.create(decode_one(rc_yaml("dup", 0))).result == actors::outcome::code::ok);
  auto again = c.create(decode_one(rc_yaml("dup", 0)));
  CHECK(again.result == actors::outcome::code::already_exists);
  CHECK(again.message == "replicationcontrollers \"dup\" already exists");
  CHECK(c.get(rc_key("nope")).result == actors::outcome::code::not_found);
}

TEST_CASE("a wrong token is refused and changes nothing") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  auto seq = cli::client(b.rpc_address(), b.admin_token(), testing::security_of(b)).version().journal_seq;
  CHECK_THROWS_WITH_AS(cli::client(b.rpc_address(), "not-the-token", testing::security_of(b)),
                       doctest::Contains("login refused: the token is not valid for this cluster"), cli::client_error);
  auto cfg = fleet_of(b, 1);
  cfg.token = b.admin_token();  // the admin token is not a node token
  agent::hollow_fleet fleet(cfg);
  CHECK(fleet.start().find("join refused") != std::string::npos);
  CHECK(cli::client(b.rpc_address(), b.admin_token(), testing::security_of(b)).version().journal_seq == seq);
}

TEST_CASE("the RPC port speaks TLS: only a client pinning this cluster's CA gets in; --insecure-rpc is plain TCP") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  berthd_process other(testing::make_temp_dir("berth-it-other"));
  other.start();
  auto seq = cli::client(b.rpc_address(), b.admin_token(), testing::security_of(b)).version().journal_seq;

  // Another cluster's CA: the handshake fails before any token is sent.
  CHECK_THROWS_WITH_AS(cli::client(b.rpc_address(), b.admin_token(), testing::security_of(other)),
                       doctest::Contains("TLS handshake failed"), cli::client_error);
  CHECK_THROWS_WITH_AS(cli::client(b.rpc_address(), b.admin_token(), testing::security_of(other)),
                       doctest::Contains("certificate is not trusted"), cli::client_error);
  // Plain Cap'n Proto to the TLS port gets nothing done.
  rpc::rpc_security plain;
  plain.insecure = true;
  CHECK_THROWS_AS(cli::client(b.rpc_address(), b.admin_token(), plain), cli::client_error);
  // A hollow node pinning the wrong CA cannot join.
  auto cfg = fleet_of(b, 1);
  cfg.security = testing::security_of(other);
  agent::hollow_fleet fleet(cfg);
  CHECK(fleet.start().find("certificate is not trusted") != std::string::npos);
  CHECK(cli::client(b.rpc_address(), b.admin_token(), testing::security_of(b)).version().journal_seq == seq);

  // --insecure-rpc: plain TCP both ways, and TLS clients are told to match.
  berthd_process insecure(testing::make_temp_dir("berth-it-plain"), {"--insecure-rpc"});
  insecure.start();
  CHECK_NOTHROW(cli::client(insecure.rpc_address(), insecure.admin_token(), plain).version());
  CHECK_THROWS_WITH_AS(cli::client(insecure.rpc_address(), insecure.admin_token(), testing::security_of(insecure)),
                       doctest::Contains("--insecure-rpc"), cli::client_error);
}

TEST_CASE("HTTP serves /healthz and /version, and 404 for anything else") {
  berthd_process b(testing::make_temp_dir("berth-it"));
  b.start();
  auto health = testing::http_get(b.http_address(), "/healthz");
  CHECK(health.status_line == "HTTP/1.1 200 OK");
  CHECK(health.body == "ok\n");
  auto version = testing::http_get(b.http_address(), "/version");
  CHECK(version.status_line == "HTTP/1.1 200 OK");
  CHECK(version.body == "{\"version\":\"0.1.0\",\"journalSeq\":0}\n");
  CHECK(testing::http_get(b.http_address(), "/nope").status_line == "HTTP/1.1 404 Not Found");
}
