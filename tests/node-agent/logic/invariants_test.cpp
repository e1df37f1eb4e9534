// Randomized invariant tests of pod_actions and pod_status_of (Nomad style):
// observed pods from fixed seeds, properties that hold for every one of them.
// On failure the seed is printed, so the case can be replayed.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "node-agent/logic/pod_actions.hpp"
#include "tests/node-agent/logic/fixtures.hpp"

namespace berth::agent {
namespace {

using namespace test;
using st = observed_container::state;

constexpr int k_rounds = 2000;

/// std:: distributions differ between library versions; modulo keeps runs identical.
struct rng {
  std::mt19937_64 gen;
  explicit rng(std::uint64_t seed) : gen(seed) {}
  std::uint64_t below(std::uint64_t n) { return gen() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  model::time_ns time() { return static_cast<model::time_ns>(below(1000)) * k_second; }
};

const std::vector<st> k_states = {st::created, st::running, st::running, st::exited, st::exited, st::unknown};
const std::vector<model::restart_policy> k_policies = {model::restart_policy::always, model::restart_policy::on_failure,
                                                       model::restart_policy::never};

struct sample {
  model::pod pod;
  observed_pod observed;
  pod_context context;
  backoff_table backoff;
};

observed_container random_container(rng& r, const model::pod& pod, const std::string& name, int index) {
  observed_container c;
  c.id = name + "-" + std::to_string(index);
  c.name = name;
  c.attempt = static_cast<std::uint32_t>(r.below(5));
  c.state_ = k_states[r.below(k_states.size())];
  c.spec_hash = r.chance(85) ? container_spec_hash(spec_of(pod, name)) : "stale";
  c.exit_code = r.chance(50) ? 0 : static_cast<std::int32_t>(r.below(140));
  c.created_at = r.time();
  c.started_at = c.state_ == st::created ? 0 : c.created_at + k_second;
  c.finished_at = c.state_ == st::exited ? c.started_at + r.time() : 0;
  c.ip = "10.1.0." + std::to_string(index);
  return c;
}

sample random_sample(rng& r) {
  sample s;
  std::vector<std::string> names = {"a"};
  if (r.chance(60)) names.push_back("b");
  if (r.chance(30)) names.push_back("c");
  s.pod = make_pod(names, k_policies[r.below(k_policies.size())]);
  if (r.chance(20)) s.pod.metadata.deletion_timestamp = 1;
  if (r.chance(20)) s.pod.spec.containers[0].image = "missing";
  const int sandboxes = static_cast<int>(r.below(4));
  for (int i = 0; i < sandboxes; ++i) {
    auto sb = random_container(r, s.pod, "a", i);
    sb.name = "POD";
    sb.id = "sandbox-" + std::to_string(i);
    sb.attempt = 0;
    s.observed.sandboxes.push_back(sb);
  }
  const int containers = static_cast<int>(r.below(8));
  const std::vector<std::string> pool = {"a", "b", "c", "x"};  // x: never in the spec
  for (int i = 0; i < containers; ++i) {
    s.observed.containers.push_back(random_container(r, s.pod, pool[r.below(pool.size())], i));
  }
  s.context.now = 500 * k_second + r.time();
  if (r.chance(30)) s.context.liveness_failed.push_back(names[r.below(names.size())]);
  if (r.chance(50))
    s.context.image_errors["missing"] = "image \"missing\" not present on node and no registry configured";
  for (const auto& n : names) {
    if (r.chance(40)) {
      s.backoff[n] = backoff_entry{static_cast<model::time_ns>(r.below(300)) * k_second, r.time() * 2,
                                   static_cast<std::uint32_t>(r.below(5))};
    }
  }
  return s;
}

const observed_container* find_id(const std::vector<observed_container>& v, const std::string& id) {
  auto it = std::find_if(v.begin(), v.end(), [&](const auto& c) { return c.id == id; });
  return it == v.end() ? nullptr : &*it;
}

void check_plan(const sample& s, const pod_plan& plan) {
  std::set<std::string> started;
  for (const auto& start : plan.starts) {
    CHECK_MESSAGE(started.insert(start.name).second, "started twice: ", start.name);
    CHECK(plan.waiting.count(start.name) == 0);
    for (const auto& c : s.observed.containers) {
      if (c.name == start.name) CHECK_MESSAGE(start.attempt > c.attempt, start.name, " attempt ", start.attempt);
    }
  }
  std::set<std::string> killed;
  for (const auto& k : plan.kills) {
    CHECK_MESSAGE(killed.insert(k.id).second, "killed twice: ", k.id);
    const auto* c = find_id(s.observed.containers, k.id);
    REQUIRE(c != nullptr);
    CHECK(c->state_ == st::running);
    CHECK_FALSE(k.reason.empty());
  }
  std::set<std::string> removed;
  for (const auto& id : plan.removals) {
    CHECK_MESSAGE(removed.insert(id).second, "removed twice: ", id);
    const auto* c = find_id(s.observed.containers, id);
    if (c == nullptr) c = find_id(s.observed.sandboxes, id);
    REQUIRE(c != nullptr);
    CHECK_MESSAGE(c->state_ != st::running, "removes running ", id);
    CHECK(c->state_ != st::unknown);
  }
  std::set<std::string> killed_sandboxes;
  for (const auto& id : plan.kill_sandboxes) {
    CHECK(killed_sandboxes.insert(id).second);
    const auto* sb = find_id(s.observed.sandboxes, id);
    REQUIRE(sb != nullptr);
    CHECK(sb->state_ == st::running);
  }
  if (s.pod.metadata.deletion_timestamp != 0) {
    CHECK(plan.starts.empty());
    CHECK_FALSE(plan.create_sandbox);
  }
  if (plan.pod_finished) {
    CHECK(plan.starts.empty());
    CHECK_FALSE(plan.create_sandbox);
  }
  if (plan.create_sandbox) {
    CHECK(std::none_of(s.observed.sandboxes.begin(), s.observed.sandboxes.end(),
                       [](const auto& sb) { return sb.state_ == st::running; }));
  }
}

void check_status(const sample& s, const pod_plan& plan) {
  const auto status = pod_status_of(s.pod, s.observed, plan, s.context, "10.0.0.1");
  REQUIRE(status.container_statuses.size() == s.pod.spec.containers.size());
  for (std::size_t i = 0; i < status.container_statuses.size(); ++i) {
    CHECK(status.container_statuses[i].name == s.pod.spec.containers[i].name);
    CHECK(status.container_statuses[i].restart_count >= 0);
    CHECK_FALSE(std::holds_alternative<std::monostate>(status.container_statuses[i].state));
  }
  if (status.phase == model::pod_phase::succeeded || status.phase == model::pod_phase::failed) {
    CHECK(plan.starts.empty());
    CHECK_FALSE(plan.create_sandbox);
  }
  REQUIRE(status.conditions.size() == 1);
  if (model::is_pod_ready(model::pod{s.pod.metadata, s.pod.spec, status})) {
    CHECK(status.phase == model::pod_phase::running);
  }
}

TEST_CASE("random_observed_pods_never_get_a_contradictory_plan") {
  for (int seed = 0; seed < k_rounds; ++seed) {
    CAPTURE(seed);
    rng r(static_cast<std::uint64_t>(seed));
    auto s = random_sample(r);
    auto backoff = s.backoff;
    const auto plan = pod_actions(s.pod, s.observed, s.context, backoff);
    check_plan(s, plan);
    check_status(s, plan);
  }
}

/// Applies a plan the way a perfect runtime would, at `now`.
void apply(sample& s, const pod_plan& plan, model::time_ns now, int& next_id) {
  for (const auto& k : plan.kills) {
    for (auto& c : s.observed.containers) {
      if (c.id == k.id) {
        c.state_ = st::exited;
        c.exit_code = 137;
        c.finished_at = now;
      }
    }
  }
  for (auto& sb : s.observed.sandboxes) {
    if (std::count(plan.kill_sandboxes.begin(), plan.kill_sandboxes.end(), sb.id) != 0) sb.state_ = st::exited;
  }
  if (plan.create_sandbox) {
    s.observed.sandboxes.push_back(sandbox("sandbox-new-" + std::to_string(next_id++), st::running, now));
  }
  for (const auto& start : plan.starts) {
    auto c = running(s.pod, start.name, start.attempt, now);
    c.id = start.name + "-new-" + std::to_string(next_id++);
    s.observed.containers.push_back(c);
  }
  auto gone = [&](const observed_container& c) {
    return std::count(plan.removals.begin(), plan.removals.end(), c.id) != 0;
  };
  std::erase_if(s.observed.containers, gone);
  std::erase_if(s.observed.sandboxes, gone);
}

TEST_CASE("applying_plans_converges_to_a_quiet_plan") {
  for (int seed = 0; seed < k_rounds / 4; ++seed) {
    CAPTURE(seed);
    rng r(static_cast<std::uint64_t>(seed) + 1'000'000);
    auto s = random_sample(r);
    // Unknown containers are left alone by design: they would never settle.
    std::erase_if(s.observed.containers, [](const auto& c) { return c.state_ == st::unknown; });
    std::erase_if(s.observed.sandboxes, [](const auto& c) { return c.state_ == st::unknown; });
    int next_id = 0;
    bool quiet = false;
    for (int round = 0; round < 40 && !quiet; ++round) {
      auto plan = pod_actions(s.pod, s.observed, s.context, s.backoff);
      check_plan(s, plan);
      quiet = plan.kills.empty() && plan.starts.empty() && !plan.create_sandbox && plan.kill_sandboxes.empty() &&
              plan.removals.empty() && plan.wake_at == 0;
      apply(s, plan, s.context.now, next_id);
      s.context.liveness_failed.clear();  // probes pass after the restart
      s.context.now = std::max(s.context.now + k_second, plan.wake_at);
    }
    CHECK(quiet);
  }
}

}  // namespace
}  // namespace berth::agent
