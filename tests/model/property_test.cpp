// Property tests over random event streams (generators.hpp): determinism,
// snapshot equivalence, invariants after every event, hash sensitivity.

#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <set>

#include "actors/model/codec.hpp"
#include "tests/model/generators.hpp"

namespace berth::model {
namespace {

constexpr std::uint64_t k_streams = 40;
constexpr std::size_t k_events = 300;

cluster_state fold_all(const std::vector<event>& events, std::size_t from = 0, cluster_state s = {}) {
  for (std::size_t i = from; i < events.size(); ++i) apply(s, events[i]);
  return s;
}

/// The model's invariants; `before` is the state before `e` was folded.
void check_invariants(const cluster_state& before, const cluster_state& s, const event& e) {
  REQUIRE(s.seq == e.seq);
  REQUIRE(s.ignored_events <= s.seq);
  auto check_meta = [&](const object_meta& m) {
    REQUIRE(m.resource_version >= 1);
    REQUIRE(m.resource_version <= s.seq);
    REQUIRE(m.generation >= 1);
    REQUIRE(m.creation_timestamp > 0);
    REQUIRE(m.creation_timestamp <= e.time);
  };
  for (const auto& [key, p] : s.pods) {
    check_meta(p.metadata);
    REQUIRE(key == object_key{p.metadata.namespace_, p.metadata.name});
    const condition* scheduled = find_condition(p.status.conditions, "PodScheduled");
    bool bound = !p.spec.node_name.empty();
    // Bound <=> PodScheduled=True: only the fold writes that condition.
    REQUIRE(bound == (scheduled != nullptr && scheduled->status == condition_status::is_true));
    REQUIRE(std::count_if(p.status.conditions.begin(), p.status.conditions.end(),
                          [](const condition& c) { return c.type == "PodScheduled"; }) <= 1);
    if (p.metadata.deletion_timestamp != 0) {
      REQUIRE(bound);
      auto was = before.pods.find(key);
      bool newly_terminating = was == before.pods.end() || was->second.metadata.deletion_timestamp == 0;
      if (newly_terminating) REQUIRE(s.nodes.contains(p.spec.node_name));
    }
  }
  for (const auto& [key, rc] : s.rcs) check_meta(rc.metadata);
  for (const auto& [key, svc] : s.services) check_meta(svc.metadata);
  for (const auto& [key, ep] : s.endpoints_) {
    check_meta(ep.metadata);
    // A controller's endpoints live beside their service; a user's
    // (endpointsReplaced) need none, so only the key is checked.
    REQUIRE(key == object_key{ep.metadata.namespace_, ep.metadata.name});
  }
  for (const auto& [name, n] : s.namespaces) {
    check_meta(n.metadata);
    REQUIRE(name == n.metadata.name);
    REQUIRE(n.metadata.namespace_.empty());
    REQUIRE((n.status.phase == namespace_phase::terminating) == (n.metadata.deletion_timestamp != 0));
  }
  for (const auto& [key, x] : s.secrets) {
    check_meta(x.metadata);
    REQUIRE(key == object_key{x.metadata.namespace_, x.metadata.name});
    REQUIRE(x.data.empty());  // the fold keeps ciphertext only
  }
  for (const auto& [key, x] : s.limit_ranges) {
    check_meta(x.metadata);
    REQUIRE(key == object_key{x.metadata.namespace_, x.metadata.name});
  }
  for (const auto& [key, x] : s.resource_quotas) {
    check_meta(x.metadata);
    REQUIRE(key == object_key{x.metadata.namespace_, x.metadata.name});
    REQUIRE(x.status == resource_quota::status_t{});  // counted when asked, never folded
  }
  // Volumes and claims: a binding is seen from both sides, or from neither.
  for (const auto& [name, v] : s.volumes) {
    check_meta(v.metadata);
    REQUIRE(name == v.metadata.name);
    REQUIRE(v.metadata.namespace_.empty());
    const auto& ref = v.spec.claim_ref;
    auto claim = s.claims.find({ref.namespace_, ref.name});
    const bool claim_there = claim != s.claims.end() && !ref.uid.empty() && claim->second.metadata.uid == ref.uid;
    if (v.status.phase == volume_phase::bound) {
      REQUIRE(claim_there);
      REQUIRE(claim->second.status.phase == claim_phase::bound);
      REQUIRE(claim->second.spec.volume_name == name);
    }
    if (v.status.phase == volume_phase::released || v.status.phase == volume_phase::failed) REQUIRE_FALSE(claim_there);
    REQUIRE(v.status.phase != volume_phase::pending);
  }
  for (const auto& [key, c] : s.claims) {
    check_meta(c.metadata);
    REQUIRE(key == object_key{c.metadata.namespace_, c.metadata.name});
    if (c.status.phase == claim_phase::bound) {
      auto v = s.volumes.find(c.spec.volume_name);
      REQUIRE(v != s.volumes.end());
      REQUIRE(v->second.status.phase == volume_phase::bound);
      REQUIRE(v->second.spec.claim_ref.uid == c.metadata.uid);
      REQUIRE(c.status.capacity == v->second.spec.capacity);
    } else if (c.status.phase == claim_phase::pending) {
      REQUIRE(c.status.capacity.empty());
    }
  }
  for (const auto& [name, n] : s.nodes) {
    check_meta(n.metadata);
    REQUIRE(name == n.metadata.name);
    REQUIRE(n.metadata.namespace_.empty());
  }
}

}  // namespace

TEST_CASE("invariants hold after every event of random streams") {
  std::set<std::uint16_t> kinds_applied, kinds_ignored;
  std::uint64_t applied = 0, ignored = 0;
  for (std::uint64_t seed = 1; seed <= k_streams; ++seed) {
    CAPTURE(seed);
    auto events = testing::random_stream(seed, k_events);
    cluster_state s;
    std::uint64_t ignored_here = 0;
    for (const event& e : events) {
      CAPTURE(e.seq);
      cluster_state before = s;
      if (apply(s, e) == apply_outcome::applied) {
        kinds_applied.insert(type_of(e));
        ++applied;
      } else {
        kinds_ignored.insert(type_of(e));
        ++ignored_here;
      }
      check_invariants(before, s, e);
    }
    CHECK(s.ignored_events == ignored_here);
    ignored += ignored_here;
  }
  // The generator is worth something only if both outcomes of every kind occur.
  // Type 25 (schema reserved26) is a placeholder: never generated.
  std::string never_applied;
  for (std::uint16_t t = 0; t < k_event_type_count; ++t)
    if (t != 25 && !kinds_applied.count(t)) never_applied += std::string(type_name(t)) + " ";
  CHECK_MESSAGE(kinds_applied.size() == k_event_type_count - 1, "never applied: " << never_applied);  // type 25 (reserved26) is never generated
  CHECK(kinds_ignored.size() == k_event_type_count - 1 - 1);  // nodeRegistered always applies; 25 is never generated
  CHECK(applied > 1000);
  CHECK(ignored > 1000);
}

TEST_CASE("the same stream folded twice gives equal states and equal hashes") {
  for (std::uint64_t seed = 1; seed <= k_streams; ++seed) {
    CAPTURE(seed);
    auto events = testing::random_stream(seed, k_events);
    cluster_state a = fold_all(events);
    cluster_state b = fold_all(testing::random_stream(seed, k_events));
    CHECK(a == b);
    CHECK(hash_state(a) == hash_state(b));
  }
}

TEST_CASE("events of random streams survive encode_event and decode_event unchanged") {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    for (const event& e : testing::random_stream(seed, k_events)) {
      std::string error;
      auto back = decode_event(e.seq, e.time, type_of(e), encode_event(e), &error);
      REQUIRE_MESSAGE(back.has_value(), error);
      REQUIRE(*back == e);
    }
  }
}

TEST_CASE("snapshots round-trip: equal state, equal hash") {
  for (std::uint64_t seed = 1; seed <= k_streams; ++seed) {
    CAPTURE(seed);
    cluster_state s = fold_all(testing::random_stream(seed, k_events));
    std::string error;
    auto back = decode_snapshot(encode_snapshot(s), &error);
    REQUIRE_MESSAGE(back.has_value(), error);
    CHECK(*back == s);
    CHECK(hash_state(*back) == hash_state(s));
  }
}

TEST_CASE("a prefix, a snapshot of it, then the rest folds to the same hash as everything") {
  for (std::uint64_t seed = 1; seed <= k_streams; ++seed) {
    auto events = testing::random_stream(seed, k_events);
    cluster_state full = fold_all(events);
    for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{57}, k_events / 2, k_events}) {
      CAPTURE(seed);
      CAPTURE(cut);
      cluster_state prefix = fold_all({events.begin(), events.begin() + static_cast<std::ptrdiff_t>(cut)});
      auto restored = decode_snapshot(encode_snapshot(prefix));
      REQUIRE(restored.has_value());
      cluster_state resumed = fold_all(events, cut, *restored);
      CHECK(resumed == full);
      CHECK(hash_state(resumed) == hash_state(full));
    }
  }
}

TEST_CASE("the hash changes when any single object changes") {
  // The first stream (by seed) that leaves pods and nodes standing.
  cluster_state s;
  for (std::uint64_t seed = 5; seed < 50 && (s.pods.empty() || s.nodes.empty()); ++seed)
    s = fold_all(testing::random_stream(seed, k_events));
  REQUIRE(!s.pods.empty());
  REQUIRE(!s.nodes.empty());
  const state_hash original = hash_state(s);
  std::size_t flipped = 0;
  auto flip = [&](object_meta& m) {
    std::string saved = m.labels["flip"];
    m.labels["flip"] = saved + "!";
    CHECK(hash_state(s) != original);
    m.labels["flip"] = saved;
    if (saved.empty()) m.labels.erase("flip");
    CHECK(hash_state(s) == original);
    ++flipped;
  };
  for (auto& [k, p] : s.pods) flip(p.metadata);
  for (auto& [k, rc] : s.rcs) flip(rc.metadata);
  for (auto& [k, svc] : s.services) flip(svc.metadata);
  for (auto& [k, ep] : s.endpoints_) flip(ep.metadata);
  for (auto& [k, n] : s.nodes) flip(n.metadata);
  CHECK(flipped == s.pods.size() + s.rcs.size() + s.services.size() + s.endpoints_.size() + s.nodes.size());
  cluster_state counted = s;
  ++counted.ignored_events;
  CHECK(hash_state(counted) != original);
  cluster_state later = s;
  ++later.seq;
  CHECK(hash_state(later) != original);
}

TEST_CASE("the hash does not depend on the order objects were inserted in") {
  testing::rng g(99);
  std::vector<pod> pods;
  std::vector<node> nodes;
  for (int i = 0; i < 12; ++i) {
    pods.push_back(testing::full_pod(g));
    pods.back().metadata.namespace_ = i % 2 ? "default" : "prod";
    pods.back().metadata.name = "p" + std::to_string(i);
    nodes.push_back(testing::full_node(g));
    nodes.back().metadata.name = "n" + std::to_string(i);
  }
  auto build = [&](const std::vector<std::size_t>& order) {
    cluster_state s;
    s.seq = 12;
    for (std::size_t i : order) {
      s.pods.emplace(object_key{pods[i].metadata.namespace_, pods[i].metadata.name}, pods[i]);
      s.nodes.emplace(nodes[i].metadata.name, nodes[i]);
    }
    return s;
  };
  std::vector<std::size_t> order(12);
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const state_hash forward = hash_state(build(order));
  std::reverse(order.begin(), order.end());
  CHECK(hash_state(build(order)) == forward);
  testing::rng shuffler(7);
  for (int round = 0; round < 20; ++round) {
    for (std::size_t i = order.size() - 1; i > 0; --i) {
      std::swap(order[i], order[static_cast<std::size_t>(shuffler.range(0, static_cast<std::int64_t>(i)))]);
    }
    CHECK(hash_state(build(order)) == forward);
  }
}

TEST_CASE("the hash of the empty state is frozen") {
  // A change here means the canonical encoding of ClusterSnapshot changed,
  // which invalidates every snapshot hash already stored in a journal.
  CHECK(hash_state(cluster_state{}).hex() == "040ae52c5792c224edcfd9d0aecd90e5");
  cluster_state one;
  one.seq = 1;
  CHECK(hash_state(cluster_state{}) != hash_state(one));
}

}  // namespace berth::model
