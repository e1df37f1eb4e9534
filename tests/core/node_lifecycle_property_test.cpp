// A property test of the node lifecycle at the store (issue 17): random
// sequences of heartbeats, losses and returns of two simulated agents, which
// run an RC's pods and report what they do, on a simulated clock that the
// journal writer and the node actors share. Whatever the sequence:
//   - no container runs without a pod object (berthd removes a pod only after
//     its node said its containers are gone);
//   - once its node is reachable, no pod stays Terminating longer than its
//     grace period plus one heartbeat interval (plus one simulated step);
//   - once every node is back and settled, exactly `replicas` pods remain,
//     all Running, with exactly their containers.
// The agents act like berth-agent does: nothing while lost (a stopped
// process), and reports made while NotReady are delivered.
#include <algorithm>
#include <random>
#include <set>

#include "actors/model/codec.hpp"
#include "tests/core/store_fixture.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::actors::test {
namespace {

using namespace std::chrono_literals;

constexpr model::time_ns k_second = 1'000'000'000;
constexpr model::time_ns k_step = k_second / 2;
constexpr std::int64_t k_pod_grace_s = 2;
constexpr std::int32_t k_replicas = 4;

struct sim_clock {
  model::time_ns now = 1'800'000'000LL * k_second;
};

store_config lifecycle_config(const std::shared_ptr<sim_clock>& c) {
  store_config cfg;
  cfg.liveness.heartbeat_interval = 1s;
  cfg.liveness.grace_period = 4s;
  cfg.liveness.eviction_timeout = 6s;
  cfg.clock = [c] { return c->now; };
  return cfg;
}

/// One simulated agent: what berthd pushed to it, and the containers it runs.
struct sim_node {
  std::string name;
  std::shared_ptr<recording_link> link = std::make_shared<recording_link>();
  bool reachable = true;
  model::time_ns reachable_since = 0;
  std::map<std::string, model::pod> containers;   // by pod uid
  std::map<std::string, model::time_ns> stop_at;  // by pod uid: when its kill completes
};

struct lifecycle_fixture : store_fixture {
  explicit lifecycle_fixture(std::shared_ptr<sim_clock> c)
      : store_fixture(nullptr, lifecycle_config(c)), clock(std::move(c)) {}
  lifecycle_fixture() : lifecycle_fixture(std::make_shared<sim_clock>()) {}

  std::shared_ptr<sim_clock> clock;
  std::vector<sim_node> nodes;
  std::mt19937_64 rng;

  void join(const std::string& name) {
    auto n = reconcile::test::make_node(name, "8", "16Gi", "110");
    n.metadata.uid.clear();
    sim_node s;
    s.name = name;
    s.reachable_since = clock->now;
    REQUIRE(ask(join_cmd{n, s.link}).result == outcome::code::ok);
    nodes.push_back(std::move(s));
  }

  /// What a running agent does in one step: kill what is deleted (taking up
  /// to the grace period), start what is wanted, report both.
  void act(sim_node& n) {
    auto desired = n.link->desired;  // a copy: reports fold and push while we go
    std::set<std::string> wanted;
    for (const auto& [name, p] : desired) {
      const auto& uid = p.metadata.uid;
      wanted.insert(uid);
      if (p.metadata.deletion_timestamp != 0) {
        if (n.containers.count(uid)) {
          if (!n.stop_at.count(uid))
            n.stop_at[uid] = clock->now + static_cast<model::time_ns>(rng() % (k_pod_grace_s * k_second));
          if (clock->now >= n.stop_at[uid]) {
            n.containers.erase(uid);
            n.stop_at.erase(uid);
          }
        }
        // Repeated every step until berthd stops listing the pod, as the agent's node actor does.
        if (!n.containers.count(uid)) tell(pod_terminated_report{n.name, p.metadata.namespace_, name, uid});
        continue;
      }
      if (!n.containers.count(uid)) n.containers[uid] = p;
      if (p.status.phase != model::pod_phase::running) {
        model::pod_status s;
        s.phase = model::pod_phase::running;
        tell(pod_status_report{n.name, p.metadata.namespace_, name, uid, s});
      }
    }
    // Containers of pods berthd no longer lists (the agent's orphan clean-up).
    std::erase_if(n.containers, [&](const auto& c) { return !wanted.count(c.first); });
  }

  void step(std::size_t i, int loss_pct, int return_pct) {
    clock->now += k_step;
    advance_time(std::chrono::nanoseconds(k_step));  // node actors' liveness ticks
    drain();
    for (auto& n : nodes) {
      if (n.reachable && static_cast<int>(rng() % 100) < loss_pct) {
        n.reachable = false;
      } else if (!n.reachable && static_cast<int>(rng() % 100) < return_pct) {
        n.reachable = true;
        n.reachable_since = clock->now;
      }
      if (!n.reachable) continue;
      if (i % 2 == 0) tell(heartbeat_msg{n.name});
      act(n);
    }
  }

  void check_invariants() {
    std::map<std::string, model::pod> by_uid;
    for (auto& p : pods()) by_uid[p.metadata.uid] = p;
    for (const auto& n : nodes) {
      for (const auto& [uid, p] : n.containers)
        CHECK_MESSAGE(by_uid.count(uid), "a container of removed pod ", p.metadata.name, " still runs on ", n.name);
    }
    const model::time_ns bound = k_pod_grace_s * k_second + k_second + k_step;
    for (const auto& [uid, p] : by_uid) {
      if (p.metadata.deletion_timestamp == 0) continue;
      auto node =
          std::find_if(nodes.begin(), nodes.end(), [&](const sim_node& n) { return n.name == p.spec.node_name; });
      if (node == nodes.end() || !node->reachable) continue;
      auto since = std::max(p.metadata.deletion_timestamp, node->reachable_since);
      CHECK_MESSAGE(clock->now - since <= bound, "pod ", p.metadata.name, " Terminating for ",
                    (clock->now - since) / 1'000'000, " ms on reachable node ", node->name);
    }
  }
};

}  // namespace

TEST_CASE("node lifecycle: random losses and returns leave no pod Terminating and no container without a pod") {
  std::size_t all_evictions = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    lifecycle_fixture f;
    f.rng.seed(seed);
    f.join("n1");
    f.join("n2");
    auto rc = reconcile::test::make_rc("web", k_replicas);
    rc.metadata.uid.clear();
    rc.spec.template_.spec.termination_grace_period_seconds = k_pod_grace_s;
    REQUIRE(f.ask(create_cmd{"user:test", any_object(rc), false, false}).result == outcome::code::ok);

    std::size_t i = 0;
    for (; i < 240; ++i) {  // 2 simulated minutes of losses and returns
      f.step(i, 4, 8);
      f.check_invariants();
    }
    for (auto& n : f.nodes)
      if (!n.reachable) {
        n.reachable = true;
        n.reachable_since = f.clock->now;
      }
    for (std::size_t end = i + 60; i < end; ++i) {  // 30 s with every node back
      f.step(i, 0, 100);
      f.check_invariants();
    }
    auto final_pods = f.pods();
    CHECK(final_pods.size() == static_cast<std::size_t>(k_replicas));
    std::set<std::string> uids;
    for (const auto& p : final_pods) {
      CHECK(p.metadata.deletion_timestamp == 0);
      CHECK(p.status.phase == model::pod_phase::running);
      uids.insert(p.metadata.uid);
    }
    std::set<std::string> running;
    for (const auto& n : f.nodes)
      for (const auto& [uid, _] : n.containers) running.insert(uid);
    CHECK(running == uids);
    std::size_t evictions = 0;
    for (std::uint64_t s = 1; s <= f.j->last_seq(); ++s) {
      auto r = f.j->read_from(s)->next();
      REQUIRE(r);
      auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
      if (e && std::holds_alternative<model::pod_evicted>(e->payload)) ++evictions;
    }
    MESSAGE("seed ", seed, ": ", evictions, " evictions, ", f.j->last_seq(), " events");
    all_evictions += evictions;
  }
  // The simulation did exercise losses: pods were evicted and replaced.
  CHECK(all_evictions >= 12);
}

}  // namespace berth::actors::test

namespace berth::actors::test {

TEST_CASE_FIXTURE(lifecycle_fixture, "a flapping node's NotReady decisions say so, with the timings in force") {
  join("n1");
  auto last_not_ready_message = [&] {
    auto n = std::get<model::node>(*ask(get_query{{kind::node, "", "n1"}}).object);
    const auto* c = model::find_condition(n.status.conditions, "Ready");
    return c && c->status != model::condition_status::is_true ? c->message : std::string();
  };
  std::vector<std::string> messages;
  for (std::size_t i = 0; i < 60 && messages.size() < 5; ++i) {
    // Silent for 5 s (NotReady after the 4 s grace), then one heartbeat (Ready again).
    for (int s = 0; s < 10; ++s) step(1, 0, 0);  // odd step: no heartbeat; nodes stay reachable
    if (auto m = last_not_ready_message(); !m.empty()) messages.push_back(m);
    tell(heartbeat_msg{"n1"});
  }
  REQUIRE(messages.size() == 5);
  // The k-th NotReady decision sees the 2k transitions before it: the fifth
  // (8 transitions, more than 6 within 10 minutes) calls the node flapping.
  CHECK(messages[0].find("berth-agent stopped posting node status (last heartbeat ") == 0);
  CHECK(messages[3].find("flapping") == std::string::npos);
  CHECK(messages[4].find("; flapping: 8 Ready/NotReady transitions in the last 10m (heartbeat every 1s, "
                         "grace period 4s)") != std::string::npos);
}

}  // namespace berth::actors::test
