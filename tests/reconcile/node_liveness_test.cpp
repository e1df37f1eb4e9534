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
  flappy.grace_period = std::chrono::seconds(5);
  CHECK(check_config(flappy) == "grace_period 5000ms must be at least heartbeat_interval 10000ms");
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
