// rc_causes: which event each RC decision cites. Table tests, then a
// randomized invariant over sequences of losses, status changes, scales and
// plans (fixed seeds; a failure prints the seed).
#include <doctest/doctest.h>

#include <deque>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "actors/reconcile/rc_causes.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

using seqs = std::vector<std::uint64_t>;

/// An RC's owned pods as its actor sees them: folded, keyed by name.
struct owned_pods {
  std::map<std::string, model::pod> by_name;

  std::vector<model::pod> list() const {
    std::vector<model::pod> out;
    for (const auto& [_, p] : by_name) out.push_back(p);
    return out;
  }
  /// Applies a change and tells `causes` about it, as the RC actor does.
  void change(rc_causes& causes, std::uint64_t seq, const std::string& name, std::optional<model::pod> after) {
    auto it = by_name.find(name);
    causes.pod_changed(seq, it == by_name.end() ? nullptr : &it->second, after ? &*after : nullptr);
    if (after)
      by_name[name] = std::move(*after);
    else if (it != by_name.end())
      by_name.erase(it);
  }
};

model::pod with_phase(model::pod p, model::pod_phase phase) {
  p.status.phase = phase;
  return p;
}

model::pod terminating(model::pod p) {
  p.metadata.deletion_timestamp = 1;
  return p;
}

model::pod not_ready(model::pod p) {
  test::set_ready(p, false);
  return p;
}

rc_plan plan_of(const model::replication_controller& rc, const owned_pods& pods, std::uint64_t seed = 1) {
  name_generator names(seed);
  return reconcile_rc(rc, pods.list(), 0, names);
}

/// An RC of `replicas` with pods web-0 .. web-(n-1), all active.
struct rc_world {
  model::replication_controller rc;
  owned_pods pods;
  rc_causes causes;
  rc_world(std::int32_t replicas, int n, std::uint64_t spawned_at)
      : rc(test::make_rc("web", replicas)), causes(spawned_at, rc) {
    for (int i = 0; i < n; ++i) {
      auto name = "web-" + std::to_string(i);
      pods.by_name[name] = test::rc_pod(rc, name);
    }
  }
  const model::pod& pod(int i) const { return pods.by_name.at("web-" + std::to_string(i)); }
  void lose(std::uint64_t seq, int i, std::optional<model::pod> after) {
    pods.change(causes, seq, "web-" + std::to_string(i), std::move(after));
  }
  void scale(std::uint64_t seq, std::int32_t replicas) {
    rc.spec.replicas = replicas;
    causes.rc_changed(seq, rc);
  }
  plan_causes plan() { return causes.cite(plan_of(rc, pods)); }
};

}  // namespace

TEST_CASE("a_replacement_cites_the_loss_not_a_later_status_change") {
  rc_world w(2, 2, 10);
  w.lose(30, 0, terminating(w.pod(0)));  // deleted by a user
  w.lose(31, 1, not_ready(w.pod(1)));    // the other pod's status: no loss
  const auto got = w.plan();
  CHECK(got.create == seqs{30});
  CHECK(got.remove.empty());
  CHECK(w.causes.queued().empty());
}

TEST_CASE("every_way_an_active_pod_stops_counting_is_a_loss") {
  struct row {
    const char* what;
    std::optional<model::pod> after;
  };
  const auto p = test::rc_pod(test::make_rc("web", 1), "web-0");
  const std::vector<row> rows = {
      {"deleted (terminating)", terminating(p)},
      {"evicted or crashed (Failed)", with_phase(p, model::pod_phase::failed)},
      {"completed (Succeeded)", with_phase(p, model::pod_phase::succeeded)},
      {"removed while active", std::nullopt},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    rc_world w(1, 1, 10);
    w.lose(40, 0, r.after);
    CHECK(w.causes.queued() == seqs{40});
    CHECK(w.plan().create == seqs{40});
  }
}

TEST_CASE("changes_that_leave_the_count_alone_are_not_losses") {
  struct row {
    const char* what;
    std::optional<model::pod> before;
    std::optional<model::pod> after;
  };
  const auto p = test::rc_pod(test::make_rc("web", 1), "web-0");
  const std::vector<row> rows = {
      {"status change of an active pod", p, not_ready(p)},
      {"a new pod (the RC's own creation)", std::nullopt, p},
      {"a terminating pod removed", terminating(p), std::nullopt},
      {"a finished pod deleted", with_phase(p, model::pod_phase::failed),
       terminating(with_phase(p, model::pod_phase::failed))},
      {"a terminating pod failing", terminating(p), terminating(with_phase(p, model::pod_phase::failed))},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    rc_causes causes(10, test::make_rc("web", 1));
    causes.pod_changed(40, r.before ? &*r.before : nullptr, r.after ? &*r.after : nullptr);
    CHECK(causes.queued().empty());
  }
}

TEST_CASE("several_losses_before_one_plan_are_cited_one_each_oldest_first") {
  rc_world w(3, 3, 10);
  w.lose(30, 2, with_phase(w.pod(2), model::pod_phase::failed));
  w.lose(31, 1, not_ready(w.pod(1)));
  w.lose(32, 0, std::nullopt);
  w.lose(33, 1, terminating(w.pod(1)));
  CHECK(w.plan().create == seqs{30, 32, 33});
}

TEST_CASE("a_scale_up_is_the_cause_of_what_the_losses_do_not_explain") {
  rc_world w(2, 2, 10);
  w.lose(30, 0, terminating(w.pod(0)));
  w.scale(31, 4);
  CHECK(w.causes.queued() == seqs{30, 31});
  CHECK(w.plan().create == seqs{30, 31, 31});
}

TEST_CASE("a_new_rc_and_a_restarted_actor_cite_the_seq_they_started_from") {
  rc_world created(3, 0, 7);  // spawned for the RC's objectCreated at seq 7
  CHECK(created.plan().create == seqs{7, 7, 7});
  // After a restart the losses before it are not remembered: the deficit is
  // cited as the seq the actor was spawned with.
  rc_world restarted(2, 1, 500);
  CHECK(restarted.plan().create == seqs{500});
}

TEST_CASE("a_loss_then_a_scale_down_leaves_no_cause_behind") {
  rc_world w(3, 3, 10);
  w.lose(30, 0, terminating(w.pod(0)));
  w.scale(31, 2);
  const auto got = w.plan();  // two active, two wanted: nothing to do
  CHECK(got.create.empty());
  CHECK(w.causes.queued().empty());
  // A later scale-up is its own cause, not the forgotten loss.
  w.scale(40, 3);
  CHECK(w.plan().create == seqs{40});
}

TEST_CASE("losses_beyond_a_scale_down_keep_the_oldest_and_drop_the_rest") {
  rc_world w(3, 3, 10);
  w.lose(30, 0, terminating(w.pod(0)));
  w.lose(31, 1, terminating(w.pod(1)));
  w.scale(32, 2);
  CHECK(w.plan().create == seqs{30});
  CHECK(w.causes.queued().empty());
}

TEST_CASE("scale_down_deletions_cite_the_lowering_and_landing_is_not_a_loss") {
  rc_world w(3, 3, 10);
  w.scale(40, 5);
  w.scale(41, 1);  // lowered below the pods there are
  w.scale(42, 2);  // raised again, still below
  const auto plan = plan_of(w.rc, w.pods);
  const auto got = w.causes.cite(plan);
  REQUIRE(plan.remove.size() == 1);
  CHECK(got.remove == seqs{41});
  CHECK(got.create.empty());
  CHECK(w.causes.awaited_deletions() == 1);
  // The deletion folds: the pod goes Terminating, which is the RC's doing.
  const auto name = plan.remove[0].pod.name;
  w.pods.change(w.causes, 43, name, terminating(w.pods.by_name.at(name)));
  CHECK(w.causes.awaited_deletions() == 0);
  CHECK(w.causes.queued().empty());
  CHECK(w.plan().create.empty());
}

TEST_CASE("a_pod_the_rc_is_deleting_that_fails_first_is_not_a_loss") {
  rc_world w(2, 2, 10);
  w.scale(20, 1);
  const auto plan = plan_of(w.rc, w.pods);
  w.causes.cite(plan);
  REQUIRE(plan.remove.size() == 1);
  const auto name = plan.remove[0].pod.name;
  w.pods.change(w.causes, 21, name, with_phase(w.pods.by_name.at(name), model::pod_phase::failed));
  w.pods.change(w.causes, 22, name, terminating(w.pods.by_name.at(name)));  // the deletion lands late
  CHECK(w.causes.queued().empty());
  CHECK(w.causes.awaited_deletions() == 0);
}

TEST_CASE("a_terminating_rc_cites_the_event_that_set_its_deletion_timestamp") {
  rc_world w(2, 2, 10);
  w.rc.metadata.deletion_timestamp = 5;
  w.causes.rc_changed(50, w.rc);
  const auto got = w.plan();
  CHECK(got.remove == seqs{50, 50});
}

// ------------------------------------------------------------------ invariant

namespace {

/// std:: distributions differ between library versions; modulo keeps runs identical.
struct rng {
  std::mt19937_64 gen;
  explicit rng(std::uint64_t seed) : gen(seed) {}
  std::uint64_t below(std::uint64_t n) { return gen() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
};

/// One RC actor's life: events are folded one at a time, and a plan is made
/// only once the previous plan's events are all folded (store::plan_loop).
struct simulation {
  rng r;
  std::uint64_t seq;
  model::replication_controller rc = test::make_rc("web", 3);
  owned_pods pods;
  rc_causes causes;
  // A plan's events, not folded yet: the pod to create, or nullopt to delete.
  std::deque<std::pair<std::string, std::optional<model::pod>>> in_flight;
  std::set<std::string> deleting;                             // the RC deleted these
  std::set<std::uint64_t> losses, raises, lowerings, others;  // seqs by what they were
  std::set<std::uint64_t> cited_losses;
  seqs losses_since_plan;
  bool rc_changed_since_plan = true;  // the first plan also fills the start's deficit

  explicit simulation(std::uint64_t s) : r(s), seq(100 + r.below(50)), causes(seq, rc) {
    raises.insert(seq);
    lowerings.insert(seq);
    const auto n = r.below(5);
    for (std::uint64_t i = 0; i < n; ++i) {
      auto name = "start-" + std::to_string(i);
      pods.by_name[name] = test::rc_pod(rc, name);
    }
  }

  std::vector<std::string> names(bool active) const {
    std::vector<std::string> out;
    for (const auto& [n, p] : pods.by_name)
      if (is_active(p) == active) out.push_back(n);
    return out;
  }

  /// Folds the plan's next event: a creation adds its pod; a deletion makes
  /// the pod as it is now Terminating, or is ignored when the pod is gone.
  void fold_in_flight() {
    auto [name, created] = std::move(in_flight.front());
    in_flight.pop_front();
    auto it = pods.by_name.find(name);
    if (!created && it == pods.by_name.end()) return;
    others.insert(++seq);
    pods.change(causes, seq, name, created ? std::move(created) : terminating(it->second));
    if (!created) deleting.erase(name);
  }

  void lose_one() {
    auto active = names(true);
    if (active.empty()) return;
    const auto name = active[r.below(active.size())];
    const auto& p = pods.by_name.at(name);
    std::optional<model::pod> after;
    switch (r.below(4)) {
      case 0: after = terminating(p); break;
      case 1: after = with_phase(p, model::pod_phase::failed); break;
      case 2: after = with_phase(p, model::pod_phase::succeeded); break;
      default: break;  // removed
    }
    ++seq;
    if (deleting.erase(name) != 0) {
      others.insert(seq);  // the RC wanted it gone anyway
    } else {
      losses.insert(seq);
      losses_since_plan.push_back(seq);
    }
    pods.change(causes, seq, name, std::move(after));
  }

  void status_change() {
    auto active = names(true);
    if (active.empty()) return;
    const auto name = active[r.below(active.size())];
    auto p = pods.by_name.at(name);
    test::set_ready(p, !model::is_pod_ready(p));
    others.insert(++seq);
    pods.change(causes, seq, name, p);
  }

  void remove_finished() {
    auto gone = names(false);
    if (gone.empty()) return;
    others.insert(++seq);
    pods.change(causes, seq, gone[r.below(gone.size())], std::nullopt);
  }

  void scale() {
    const auto before = rc.spec.replicas;
    rc.spec.replicas = static_cast<std::int32_t>(r.below(7));
    ++seq;
    auto& kind = rc.spec.replicas > before ? raises : rc.spec.replicas < before ? lowerings : others;
    kind.insert(seq);
    rc_changed_since_plan = rc_changed_since_plan || rc.spec.replicas != before;
    causes.rc_changed(seq, rc);
  }

  void plan(std::uint64_t seed) {
    const auto p = plan_of(rc, pods, r.gen());
    const auto got = causes.cite(p);
    INFO("seed ", seed, " at seq ", seq, "\n", p.to_string());
    REQUIRE(got.create.size() == p.create.size());
    REQUIRE(got.remove.size() == p.remove.size());
    for (auto c : got.create) {
      CHECK(c <= seq);  // seen before the decision
      CHECK((losses.count(c) + raises.count(c)) == 1);
      CHECK(others.count(c) == 0);
      if (losses.count(c)) CHECK(cited_losses.insert(c).second);  // one replacement per loss
    }
    for (auto c : got.remove) CHECK(lowerings.count(c) == 1);
    // With the replicas unchanged, the deficit is exactly the losses: each
    // replacement cites its own, in order.
    if (!rc_changed_since_plan) CHECK(got.create == losses_since_plan);
    CHECK(causes.queued().empty());  // nothing outlives the plan
    losses_since_plan.clear();
    rc_changed_since_plan = false;
    for (const auto& c : p.create) in_flight.emplace_back(c.pod.metadata.name, c.pod);
    for (const auto& d : p.remove) {
      deleting.insert(d.pod.name);
      in_flight.emplace_back(d.pod.name, std::nullopt);
    }
  }
};

}  // namespace

TEST_CASE("invariant_creations_cite_a_loss_or_a_raise_seen_before_never_anything_else") {
  for (std::uint64_t seed = 1; seed <= 300; ++seed) {
    simulation s(seed);
    for (int step = 0; step < 80; ++step) {
      const auto roll = s.r.below(100);
      if (!s.in_flight.empty() && roll < 35) {
        s.fold_in_flight();
      } else if (roll < 55) {
        s.lose_one();
      } else if (roll < 70) {
        s.status_change();
      } else if (roll < 78) {
        s.remove_finished();
      } else if (roll < 86) {
        s.scale();
      } else if (s.in_flight.empty()) {
        s.plan(seed);
      }
    }
    CHECK(s.causes.awaited_deletions() <= s.deleting.size());
  }
}

}  // namespace berth::reconcile
