// Node liveness: the grace and eviction boundaries, messages, evictions.
#include <doctest/doctest.h>

#include <chrono>

#include "actors/reconcile/node_liveness.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

using test::k_second;

// 10:13:21 UTC on day 19000 after the epoch (2022-01-08).
constexpr model::time_ns k_heartbeat = (19000LL * 86400 + 10 * 3600 + 13 * 60 + 21) * k_second;

model::node ready_node() { return test::make_node("n1"); }

model::node not_ready_since(model::time_ns t) {
  auto n = test::make_node("n1");
  n.status.conditions = {test::condition_of("Ready", false, t)};
  return n;
}

model::pod on(std::string name, std::string node, std::string ns = "default") {
  auto p = test::make_pod(std::move(name), std::move(ns));
  p.spec.node_name = std::move(node);
  return p;
}

}  // namespace

TEST_CASE("a_ready_node_stays_ready_exactly_at_the_grace_boundary") {
  const liveness_config cfg;
  const auto v = assess_node(ready_node(), k_heartbeat, k_heartbeat + 40 * k_second, cfg);
  CHECK(v == node_verdict{false, "", "", false, k_heartbeat + 40 * k_second + 1});
}

TEST_CASE("a_ready_node_goes_not_ready_one_nanosecond_after_the_grace_period") {
  const liveness_config cfg;
  const model::time_ns now = k_heartbeat + 40 * k_second + 1;
  const auto v = assess_node(ready_node(), k_heartbeat, now, cfg);
  CHECK(v.mark_not_ready);
  CHECK(v.reason == "NodeStatusUnknown");
  CHECK(v.message == "berth-agent stopped posting node status (last heartbeat 10:13:21)");
  CHECK_FALSE(v.evict);
  CHECK(v.recheck_at == now + 60 * k_second + 1);
}

TEST_CASE("a_fresh_heartbeat_keeps_a_node_ready") {
  const auto v = assess_node(ready_node(), k_heartbeat, k_heartbeat + 5 * k_second, liveness_config{});
  CHECK_FALSE(v.mark_not_ready);
  CHECK_FALSE(v.evict);
}

TEST_CASE("the_grace_period_is_configurable") {
  liveness_config cfg;
  cfg.grace_period = std::chrono::seconds(5);
  CHECK(assess_node(ready_node(), k_heartbeat, k_heartbeat + 6 * k_second, cfg).mark_not_ready);
}

TEST_CASE("a_not_ready_node_is_not_evicted_exactly_at_the_eviction_timeout") {
  const auto v = assess_node(not_ready_since(k_heartbeat), k_heartbeat, k_heartbeat + 60 * k_second, liveness_config{});
  CHECK(v == node_verdict{false, "", "", false, k_heartbeat + 60 * k_second + 1});
}

TEST_CASE("a_not_ready_node_is_evicted_one_nanosecond_after_the_eviction_timeout") {
  const auto v = assess_node(not_ready_since(k_heartbeat), 0, k_heartbeat + 60 * k_second + 1, liveness_config{});
  CHECK(v == node_verdict{false, "", "", true, 0});
}

TEST_CASE("an_unknown_ready_status_counts_as_not_ready") {
  auto n = not_ready_since(0);
  n.status.conditions[0].status = model::condition_status::unknown;
  CHECK(assess_node(n, 0, 61 * k_second, liveness_config{}).evict);
}

TEST_CASE("a_node_that_never_reported_readiness_is_left_alone") {
  auto n = ready_node();
  n.status.conditions.clear();
  CHECK(assess_node(n, 0, 1000 * k_second, liveness_config{}) == node_verdict{});
  CHECK(pods_to_evict(n, {on("a", "n1")}, 1000 * k_second, liveness_config{}).empty());
}

TEST_CASE("pods_of_a_lost_node_are_evicted_sorted_except_terminating_ones") {
  auto leaving = on("leaving", "n1");
  leaving.metadata.deletion_timestamp = 1;
  const auto evictions =
      pods_to_evict(not_ready_since(k_heartbeat),
                    {on("b", "n1"), leaving, on("a", "n1", "zeta"), on("elsewhere", "n2"), on("a", "n1")},
                    k_heartbeat + 75 * k_second, liveness_config{});
  const model::reason why{"NodeLost", "node n1 has been NotReady for 75s (eviction timeout 60s)"};
  CHECK(evictions == std::vector<pod_eviction>{{{"default", "a", "uid-a"}, why},
                                               {{"default", "b", "uid-b"}, why},
                                               {{"zeta", "a", "uid-a"}, why}});
}

TEST_CASE("no_evictions_at_the_eviction_boundary_or_from_a_ready_node") {
  CHECK(pods_to_evict(not_ready_since(k_heartbeat), {on("a", "n1")}, k_heartbeat + 60 * k_second, liveness_config{})
            .empty());
  CHECK(pods_to_evict(ready_node(), {on("a", "n1")}, k_heartbeat + 600 * k_second, liveness_config{}).empty());
}

TEST_CASE("liveness_config_defaults_and_checks") {
  const liveness_config cfg;
  CHECK(cfg.heartbeat_interval == std::chrono::seconds(10));
  CHECK(cfg.grace_period == std::chrono::seconds(40));
  CHECK(cfg.eviction_timeout == std::chrono::seconds(60));
  CHECK(check_config(cfg) == "");
  liveness_config flappy = cfg;
  flappy.grace_period = std::chrono::seconds(29);
  CHECK(check_config(flappy) == "heartbeat_interval 10000ms must be at most a third of grace_period 29000ms");
  flappy.grace_period = std::chrono::seconds(30);
  CHECK(check_config(flappy) == "");
  liveness_config zero = cfg;
  zero.eviction_timeout = std::chrono::seconds(0);
  CHECK(check_config(zero) ==
        "liveness durations must be positive: heartbeat_interval 10000ms, "
        "grace_period 40000ms, eviction_timeout 0ms");
}

TEST_CASE("clock_text_is_the_utc_time_of_day") {
  CHECK(clock_text(k_heartbeat) == "10:13:21");
  CHECK(clock_text(0) == "00:00:00");
  CHECK(clock_text(-1) == "23:59:59");
}

}  // namespace berth::reconcile

namespace berth::reconcile {

using namespace std::chrono_literals;

TEST_CASE("the heartbeat contract: berthd's interval unless the agent asks for one at most a third of the grace") {
  liveness_config cfg;
  cfg.heartbeat_interval = 1s;
  cfg.grace_period = 4s;
  cfg.eviction_timeout = 6s;
  struct row {
    std::chrono::nanoseconds asked;
    std::optional<std::chrono::nanoseconds> agreed;
    std::string error;
  };
  const std::vector<row> rows = {
      {0ns, 1s, ""},
      {500ms, 500ms, ""},
      {1333ms, 1333ms, ""},
      {1334ms, std::nullopt,
       "the agent's --heartbeat-interval 1.334s is more than a third of berthd's --grace-period 4s (a healthy node "
       "would flap); use at most 1.333s, or leave the flag out to get berthd's 1s"},
      {10s, std::nullopt,
       "the agent's --heartbeat-interval 10s is more than a third of berthd's --grace-period 4s (a healthy node "
       "would flap); use at most 1.333s, or leave the flag out to get berthd's 1s"},
      {-1s, std::nullopt, "heartbeat interval -1s must not be negative"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.asked.count());
    std::string error;
    auto c = negotiate_heartbeat(cfg, r.asked, error);
    CHECK(error == r.error);
    REQUIRE(c.has_value() == r.agreed.has_value());
    if (c) CHECK(*c == heartbeat_contract{*r.agreed, 4s, 6s});
  }
}

TEST_CASE("the contract travels in the node's annotations and comes back the same") {
  auto n = test::make_node("n1");
  CHECK_FALSE(contract_of(n));
  annotate(n, {1500ms, 4s, 1min});
  CHECK(n.metadata.annotations.at("berth.dev/heartbeat-interval-ms") == "1500");
  CHECK(n.metadata.annotations.at("berth.dev/grace-period-ms") == "4000");
  CHECK(n.metadata.annotations.at("berth.dev/eviction-timeout-ms") == "60000");
  CHECK(contract_of(n) == heartbeat_contract{1500ms, 4s, 1min});
  n.metadata.annotations["berth.dev/grace-period-ms"] = "4s";
  CHECK_FALSE(contract_of(n));  // not a number of milliseconds: no contract, berthd's defaults apply
}

TEST_CASE("duration_text writes durations as the flags take them") {
  CHECK(duration_text(250ms) == "250ms");
  CHECK(duration_text(1s) == "1s");
  CHECK(duration_text(1500ms) == "1.5s");
  CHECK(duration_text(2min) == "2m");
  CHECK(duration_text(90s) == "90s");
}

TEST_CASE("after a restart, a silent node keeps its deadline and a live one has time to reconnect") {
  const liveness_config cfg;  // 10s / 40s
  const model::time_ns restart = k_heartbeat + 100 * k_second;
  // Journaled 5 s before the restart: deadline 35 s after it, unchanged.
  CHECK(restored_heartbeat(restart - 5 * k_second, restart, cfg, 5s) == restart - 5 * k_second);
  // Journaled long ago: the node gets reconnect window + one interval (15 s), not 40 s.
  CHECK(restored_heartbeat(restart - 90 * k_second, restart, cfg, 5s) == restart - 25 * k_second);
  CHECK(restored_heartbeat(0, restart, cfg, 5s) == restart - 25 * k_second);
  // A grace period shorter than the allowance: a fresh grace period, as before.
  liveness_config fast = cfg;
  fast.heartbeat_interval = 1s;
  fast.grace_period = 4s;
  CHECK(restored_heartbeat(restart - 90 * k_second, restart, fast, 5s) == restart);
  // Never in the future.
  CHECK(restored_heartbeat(restart + k_second, restart, cfg, 5s) == restart);
}

TEST_CASE("heartbeats are journaled every grace/4, and only when a restart could use them") {
  const liveness_config cfg;  // 10s / 40s: due after 10 s
  CHECK_FALSE(heartbeat_due(k_heartbeat, k_heartbeat + 9 * k_second, cfg, 5s));
  CHECK(heartbeat_due(k_heartbeat, k_heartbeat + 10 * k_second, cfg, 5s));
  CHECK(heartbeat_due(0, k_heartbeat, cfg, 5s));
  liveness_config fast = cfg;
  fast.heartbeat_interval = 1s;
  fast.grace_period = 6s;  // not more than 5 s + 1 s: a restart gives a fresh grace period anyway
  CHECK_FALSE(heartbeat_due(0, k_heartbeat, fast, 5s));
  fast.grace_period = 8s;
  CHECK(heartbeat_due(k_heartbeat, k_heartbeat + 2 * k_second, fast, 5s));
}

TEST_CASE("flapping: more than `limit` transitions within the window") {
  const model::time_ns now = k_heartbeat;
  std::vector<model::time_ns> times;
  for (int i = 0; i < 7; ++i) times.push_back(now - i * 10 * k_second);
  CHECK(check_flapping(times, now, 10min, 6).flapping);
  CHECK(check_flapping(times, now, 10min, 6).transitions == 7);
  CHECK_FALSE(check_flapping(times, now, 10min, 7).flapping);
  CHECK(check_flapping(times, now, 30s, 6).transitions == 4);  // 0, 10, 20, 30 s ago
  CHECK(check_flapping({}, now, 10min, 6).transitions == 0);
  CHECK(check_flapping({now + k_second}, now, 10min, 0).transitions == 0);  // future times do not count
}

}  // namespace berth::reconcile
