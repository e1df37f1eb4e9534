// reconcile_rc and delete_orphans: table tests.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "actors/reconcile/reconcile_rc.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

using test::k_second;

std::vector<std::string> deleted_names(const rc_plan& plan) {
  std::vector<std::string> out;
  for (const auto& d : plan.remove) out.push_back(d.pod.name);
  return out;
}

}  // namespace

TEST_CASE("creates_missing_replicas_from_the_template_with_owner_references") {
  auto rc = test::make_rc("web", 3);
  rc.spec.template_.metadata.annotations = {{"note", "x"}};
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {}, 1000 * k_second, names);

  // The generator is called suffix, uid, suffix, uid, ...: replay it to predict.
  name_generator expect(1);
  std::set<std::pair<std::string, std::string>> expected;  // (name, uid)
  for (int i = 0; i < 3; ++i) {
    auto name = "web-" + expect.next_suffix();
    expected.insert({name, expect.next_uid()});
  }
  REQUIRE(plan.create.size() == 3);
  std::set<std::pair<std::string, std::string>> got;
  for (const auto& c : plan.create) {
    const auto& m = c.pod.metadata;
    got.insert({m.name, m.uid});
    CHECK(m.name.size() == 9);
    CHECK(m.generate_name == "web-");
    CHECK(m.namespace_ == "default");
    CHECK(m.creation_timestamp == 1000 * k_second);
    CHECK(m.labels == model::string_map{{"app", "web"}});
    CHECK(m.annotations == model::string_map{{"note", "x"}});
    CHECK(m.owner_references ==
          std::vector<model::owner_reference>{{"v1", "ReplicationController", "web", "rc-uid", true}});
    CHECK(c.pod.spec == rc.spec.template_.spec);
    CHECK(c.pod.status == model::pod_status{});
    CHECK(c.why == model::reason{"ScaleUp", "0 < 3 replicas"});
  }
  CHECK(got == expected);
  CHECK(plan.create[0].pod.metadata.name < plan.create[1].pod.metadata.name);
  CHECK(plan.create[1].pod.metadata.name < plan.create[2].pod.metadata.name);
  CHECK(plan.remove.empty());
  CHECK(plan.status == model::replication_controller_status{0, 0, 1});
  CHECK(plan.status_changed);  // observedGeneration 0 -> 1
}

TEST_CASE("the_same_seed_gives_the_same_plan") {
  const auto rc = test::make_rc("web", 4);
  name_generator a(42), b(42), c(43);
  const auto pa = reconcile_rc(rc, {}, 5, a);
  CHECK(pa == reconcile_rc(rc, {}, 5, b));
  CHECK_FALSE(pa == reconcile_rc(rc, {}, 5, c));
}

TEST_CASE("never_reuses_a_pod_name_taken_in_the_namespace") {
  auto rc = test::make_rc("web", 1);
  name_generator probe(7);
  const auto first = probe.next_suffix();
  const auto second = probe.next_suffix();
  auto squatter = test::make_pod("web-" + first);  // unowned, same namespace
  name_generator names(7);
  const auto plan = reconcile_rc(rc, {squatter}, 0, names);
  REQUIRE(plan.create.size() == 1);
  CHECK(plan.create[0].pod.metadata.name == "web-" + second);
}

TEST_CASE("a_name_taken_in_another_namespace_does_not_collide") {
  auto rc = test::make_rc("web", 1);
  name_generator probe(7);
  auto elsewhere = test::make_pod("web-" + probe.next_suffix(), "other");
  name_generator names(7);
  const auto plan = reconcile_rc(rc, {elsewhere}, 0, names);
  REQUIRE(plan.create.size() == 1);
  CHECK(plan.create[0].pod.metadata.name == elsewhere.metadata.name);
}

TEST_CASE("creates_only_the_difference_and_says_how_many_were_active") {
  const auto rc = test::make_rc("web", 3);
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a")}, 0, names);
  REQUIRE(plan.create.size() == 2);
  CHECK(plan.create[0].why == model::reason{"ScaleUp", "1 < 3 replicas"});
}

TEST_CASE("nothing_to_do_when_active_pods_equal_replicas") {
  auto rc = test::make_rc("web", 2);
  rc.status = {2, 2, 1};
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a"), test::rc_pod(rc, "web-b")}, 0, names);
  CHECK(plan.empty());
  CHECK(plan.status == model::replication_controller_status{2, 2, 1});
  CHECK_FALSE(plan.status_changed);
  CHECK(plan.to_string() == "rc default/web: 2 active, 2 ready, observedGeneration 1");
}

TEST_CASE("scale_down_deletes_unscheduled_then_pending_then_unknown_then_not_ready_then_newest") {
  const auto rc = test::make_rc("web", 1);
  auto old_ready = test::rc_pod(rc, "a-running-old", 100);
  auto new_ready = test::rc_pod(rc, "b-running-new", 200);
  auto not_ready = test::rc_pod(rc, "c-not-ready", 50);
  test::set_ready(not_ready, false);
  auto unscheduled = test::rc_pod(rc, "d-unscheduled", 10);
  unscheduled.spec.node_name.clear();
  unscheduled.status.phase = model::pod_phase::pending;
  auto pending = test::rc_pod(rc, "e-pending", 20);
  pending.status.phase = model::pod_phase::pending;
  auto unknown = test::rc_pod(rc, "f-unknown", 30);
  unknown.status.phase = model::pod_phase::unknown;
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {old_ready, new_ready, not_ready, unscheduled, pending, unknown}, 0, names);
  CHECK(plan.create.empty());
  CHECK(deleted_names(plan) ==
        std::vector<std::string>{"d-unscheduled", "e-pending", "f-unknown", "c-not-ready", "b-running-new"});
  for (const auto& d : plan.remove) CHECK(d.why == model::reason{"ScaleDown", "6 > 1 replicas"});
  CHECK(plan.remove[0].pod == pod_ref{"default", "d-unscheduled", "uid-d-unscheduled"});
  CHECK(plan.status == model::replication_controller_status{6, 5, 1});
}

TEST_CASE("scale_down_ties_on_creation_time_break_by_name") {
  const auto rc = test::make_rc("web", 1);
  name_generator names(1);
  const auto plan = reconcile_rc(
      rc, {test::rc_pod(rc, "web-c", 5), test::rc_pod(rc, "web-a", 5), test::rc_pod(rc, "web-b", 5)}, 0, names);
  CHECK(deleted_names(plan) == std::vector<std::string>{"web-a", "web-b"});
}

TEST_CASE("scale_to_zero_deletes_every_active_pod") {
  const auto rc = test::make_rc("web", 0);
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a", 1), test::rc_pod(rc, "web-b", 2)}, 0, names);
  CHECK(deleted_names(plan) == std::vector<std::string>{"web-b", "web-a"});
  CHECK(plan.to_string() ==
        "rc default/web: 2 active, 2 ready, observedGeneration 1 (status changed)\n"
        "  delete default/web-b: ScaleDown: 2 > 0 replicas\n"
        "  delete default/web-a: ScaleDown: 2 > 0 replicas");
}

TEST_CASE("negative_replicas_count_as_zero") {
  const auto rc = test::make_rc("web", -3);
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a")}, 0, names);
  CHECK(plan.create.empty());
  REQUIRE(plan.remove.size() == 1);
  CHECK(plan.remove[0].why == model::reason{"ScaleDown", "1 > 0 replicas"});
}

TEST_CASE("ignores_terminating_finished_foreign_unowned_and_other_namespace_pods") {
  const auto rc = test::make_rc("web", 2);
  auto terminating = test::rc_pod(rc, "web-term");
  terminating.metadata.deletion_timestamp = 9;
  auto succeeded = test::rc_pod(rc, "web-ok");
  succeeded.status.phase = model::pod_phase::succeeded;
  auto failed = test::rc_pod(rc, "web-bad");
  failed.status.phase = model::pod_phase::failed;
  auto foreign = test::rc_pod(rc, "web-foreign");
  test::set_owner(foreign, "web", "another-uid");
  auto unowned = test::rc_pod(rc, "web-unowned");
  unowned.metadata.owner_references.clear();
  auto not_controller = test::rc_pod(rc, "web-not-controller");
  not_controller.metadata.owner_references[0].controller = false;
  auto other_ns = test::rc_pod(rc, "web-other-ns");
  other_ns.metadata.namespace_ = "other";
  name_generator names(1);
  const auto plan =
      reconcile_rc(rc, {terminating, succeeded, failed, foreign, unowned, not_controller, other_ns}, 0, names);
  CHECK(plan.create.size() == 2);
  CHECK(plan.create[0].why == model::reason{"ScaleUp", "0 < 2 replicas"});
  CHECK(plan.remove.empty());
  CHECK(plan.status == model::replication_controller_status{0, 0, 1});
}

TEST_CASE("status_counts_ready_pods_and_observes_the_generation") {
  auto rc = test::make_rc("web", 3);
  rc.metadata.generation = 4;
  auto unready = test::rc_pod(rc, "web-c");
  test::set_ready(unready, false);
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a"), test::rc_pod(rc, "web-b"), unready}, 0, names);
  CHECK(plan.empty());
  CHECK(plan.status == model::replication_controller_status{3, 2, 4});
  CHECK(plan.status_changed);
}

TEST_CASE("a_terminating_rc_creates_nothing_and_deletes_its_active_pods") {
  auto rc = test::make_rc("web", 3);
  rc.metadata.deletion_timestamp = 77;
  auto already = test::rc_pod(rc, "web-b");
  already.metadata.deletion_timestamp = 70;
  name_generator names(1);
  const auto plan = reconcile_rc(rc, {test::rc_pod(rc, "web-a"), already}, 0, names);
  CHECK(plan.create.empty());
  REQUIRE(plan.remove.size() == 1);
  CHECK(plan.remove[0].pod.name == "web-a");
  CHECK(plan.remove[0].why == model::reason{"OwnerDeleted", "replication controller web is being deleted"});
}

TEST_CASE("delete_before_orders_by_schedule_phase_readiness_age_name") {
  const auto rc = test::make_rc("web", 1);
  auto a = test::rc_pod(rc, "a", 1);
  auto b = test::rc_pod(rc, "b", 2);
  CHECK(delete_before(b, a));  // newer first
  CHECK_FALSE(delete_before(a, b));
  CHECK_FALSE(delete_before(a, a));
  test::set_ready(a, false);
  CHECK(delete_before(a, b));  // not ready before ready, whatever the age
}

TEST_CASE("orphans_of_deleted_rcs_are_deleted_with_reason_owner_deleted") {
  auto live = test::make_pod("live");
  test::set_owner(live, "web", "live-uid");
  auto orphan_b = test::make_pod("orphan-b");
  test::set_owner(orphan_b, "old", "dead-uid");
  auto orphan_a = test::make_pod("orphan-a", "zzz");
  test::set_owner(orphan_a, "old", "dead-uid");
  auto orphan_c = test::make_pod("orphan-c");
  test::set_owner(orphan_c, "older", "gone-uid");
  auto terminating = test::make_pod("terminating");
  test::set_owner(terminating, "old", "dead-uid");
  terminating.metadata.deletion_timestamp = 5;
  auto unowned = test::make_pod("unowned");
  auto other_kind = test::make_pod("other-kind");
  test::set_owner(other_kind, "job", "dead-uid", "Job");

  const auto plan =
      delete_orphans({orphan_a, live, terminating, orphan_c, unowned, orphan_b, other_kind}, {"live-uid"});
  REQUIRE(plan.size() == 3);
  CHECK(plan[0] == pod_deletion{{"default", "orphan-b", "uid-orphan-b"},
                                {"OwnerDeleted", "replication controller old (uid dead-uid) no longer exists"}});
  CHECK(plan[1] == pod_deletion{{"default", "orphan-c", "uid-orphan-c"},
                                {"OwnerDeleted", "replication controller older (uid gone-uid) no longer exists"}});
  CHECK(plan[2].pod == pod_ref{"zzz", "orphan-a", "uid-orphan-a"});
}

TEST_CASE("name_generator_suffixes_are_five_lowercase_alphanumerics_and_uids_are_v4") {
  name_generator g(123);
  for (int i = 0; i < 100; ++i) {
    const auto s = g.next_suffix();
    REQUIRE(s.size() == 5);
    for (char c : s) CHECK(((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')));
    const auto uid = g.next_uid();
    REQUIRE(uid.size() == 36);
    CHECK(uid[8] == '-');
    CHECK(uid[14] == '4');
    CHECK(std::string("89ab").find(uid[19]) != std::string::npos);
  }
}

}  // namespace berth::reconcile
