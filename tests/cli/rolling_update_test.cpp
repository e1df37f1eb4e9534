// `berth rolling-update`'s decisions (cli/rolling_update.hpp): the next step
// from the counts, the successor checks, --image's naming and labels, and
// how pods are counted.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include <fmt/format.h>

#include "cli/rolling_update.hpp"

using namespace berth;
using namespace berth::cli::rollout;

namespace {

model::replication_controller rc_named(const std::string& name, model::string_map selector,
                                       std::vector<std::string> images = {"busybox"}) {
  model::replication_controller rc;
  rc.metadata.name = name;
  rc.metadata.namespace_ = "default";
  rc.metadata.uid = "uid-" + name;
  rc.metadata.resource_version = 7;
  rc.spec.replicas = 2;
  rc.spec.selector = selector;
  rc.spec.template_.metadata.labels = selector;
  for (std::size_t i = 0; i < images.size(); ++i) {
    model::container c;
    c.name = images.size() == 1 ? name : "c" + std::to_string(i);
    c.image = images[i];
    rc.spec.template_.spec.containers.push_back(c);
  }
  return rc;
}

model::pod pod_of(const std::string& name, const std::string& owner_uid, bool ready, bool terminating = false,
                  model::pod_phase phase = model::pod_phase::running) {
  model::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  if (!owner_uid.empty()) p.metadata.owner_references.push_back({"v1", "ReplicationController", "x", owner_uid, true});
  if (terminating) p.metadata.deletion_timestamp = 1;
  p.status.phase = phase;
  model::condition c;
  c.type = "Ready";
  c.status = ready ? model::condition_status::is_true : model::condition_status::is_false;
  p.status.conditions.push_back(c);
  return p;
}

}  // namespace

TEST_CASE("next_step: one up, one down, as kubectl 1.0; a resumed surge first comes down") {
  struct row {
    counts now;
    step want;
    const char* why;
  };
  const row rows[] = {
      {{2, 0, 2}, {step_kind::update, 1, 1}, "the start: NEW +1, OLD -1"},
      {{1, 1, 2}, {step_kind::update, 2, 0}, "the middle"},
      {{0, 2, 2}, {step_kind::done, 2, 0}, "the end"},
      {{2, 1, 2}, {step_kind::update, 1, 1}, "stopped between NEW's scale-up and OLD's scale-down: OLD first"},
      {{5, 0, 2}, {step_kind::update, 0, 2}, "OLD larger than the goal: down to it first"},
      {{2, 0, 2}, {step_kind::update, 1, 1}, "then as usual"},
      {{1, 0, 3}, {step_kind::update, 1, 0}, "OLD smaller than the goal: swap one"},
      {{0, 1, 3}, {step_kind::resize_new, 3, 0}, "then NEW the rest of the way"},
      {{1, 3, 3}, {step_kind::stop_old, 3, 0}, "NEW complete, OLD left over"},
      {{0, 4, 3}, {step_kind::resize_new, 3, 0}, "NEW above the goal"},
      {{3, 0, 0}, {step_kind::stop_old, 0, 0}, "a goal of 0: OLD stops"},
      {{0, 0, 0}, {step_kind::done, 0, 0}, "nothing to do"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.why);
    CHECK(next_step(r.now) == r.want);
  }
}

TEST_CASE("next_step converges from any counts, one pod at a time, never above desired+1 once surging stops") {
  std::mt19937 random(16);
  for (int round = 0; round < 2000; ++round) {
    std::uniform_int_distribution<std::int32_t> n(0, 8);
    counts now{n(random), n(random), n(random)};
    CAPTURE(now.old_replicas);
    CAPTURE(now.new_replicas);
    CAPTURE(now.desired);
    const bool started_within = now.old_replicas + now.new_replicas <= now.desired + 1;
    int steps = 0;
    for (;; ++steps) {
      REQUIRE(steps < 40);
      auto s = next_step(now);
      if (s.kind == step_kind::done) break;
      CHECK(s.new_replicas >= 0);
      CHECK(s.old_replicas >= 0);
      CHECK(s.old_replicas <= now.old_replicas);  // OLD only ever shrinks
      if (s.kind == step_kind::update) {
        CHECK(s.new_replicas - now.new_replicas <= 1);
        if (started_within) CHECK(s.new_replicas + now.old_replicas <= now.desired + 1);
      }
      now.new_replicas = s.new_replicas;
      now.old_replicas = s.old_replicas;
    }
    CHECK(now.old_replicas == 0);
    CHECK(now.new_replicas == now.desired);
  }
}

TEST_CASE("step_line prints kubectl 1.0's progress lines") {
  CHECK(step_line({step_kind::update, 1, 1}, {2, 0, 2}, "frontend", "frontend-v2") ==
        "Updating frontend replicas: 1, frontend-v2 replicas: 1");
  CHECK(step_line({step_kind::stop_old, 3, 0}, {1, 3, 3}, "a", "b") == "Stopping a replicas: 1 -> 0");
  CHECK(step_line({step_kind::resize_new, 3, 0}, {0, 1, 3}, "a", "b") == "Resizing b replicas: 1 -> 3");
  CHECK(step_line({step_kind::done, 2, 0}, {0, 2, 2}, "a", "b") == "");
}

TEST_CASE("check_successor: another name, one namespace, a selector that gives one of OLD's keys another value") {
  auto old = rc_named("web", {{"app", "web"}, {"version", "v1"}});
  CHECK(check_successor(old, rc_named("web-v2", {{"app", "web"}, {"version", "v2"}}), "n.yaml") == std::nullopt);
  CHECK(check_successor(old, rc_named("web-v2", {{"version", "v2"}}), "n.yaml") == std::nullopt);

  CHECK(check_successor(old, rc_named("web", {{"version", "v2"}}), "n.yaml") ==
        "n.yaml cannot have the same name as the existing replication controller web");
  auto elsewhere = rc_named("web-v2", {{"version", "v2"}});
  elsewhere.metadata.namespace_ = "prod";
  CHECK(check_successor(old, elsewhere, "n.yaml") ==
        "n.yaml: web-v2 is in namespace \"prod\" but web in \"default\": both controllers must be in one namespace");
  const char* same =
      "n.yaml must specify a matching key with non-equal value in Selector for web (selector of web: "
      "app=web,version=v1; "
      "of web-v2: {}), or both controllers would claim the same pods";
  CHECK(check_successor(old, rc_named("web-v2", {{"app", "web"}, {"version", "v1"}}), "n.yaml") ==
        fmt::format(fmt::runtime(same), "app=web,version=v1"));
  // A new key alone does not separate them: OLD's selector still matches NEW's pods.
  CHECK(check_successor(old, rc_named("web-v2", {{"app", "web"}, {"version", "v1"}, {"track", "x"}}), "n.yaml") ==
        fmt::format(fmt::runtime(same), "app=web,track=x,version=v1"));
}

TEST_CASE("plan_image_successor: OLD with the image, named OLD-HASH, selector and template labelled with the hash") {
  auto old = rc_named("web", {{"app", "web"}});
  auto plan = plan_image_successor(old, "busybox:1.36", "", "");
  REQUIRE(plan.error == "");
  const std::string hash = short_hash("uid-web:7:web:busybox:1.36");
  CHECK(hash.size() == 8);
  CHECK(plan.next.metadata.name == "web-" + hash);
  CHECK(plan.next.spec.selector == model::string_map{{"app", "web"}, {"deployment", hash}});
  CHECK(plan.next.spec.template_.metadata.labels == plan.next.spec.selector);
  CHECK(plan.next.spec.template_.spec.containers.at(0).image == "busybox:1.36");
  CHECK(plan.old_hash == short_hash("uid-web:7"));
  CHECK(plan.old_hash != hash);
  // Same inputs, same plan (the name is a function of OLD as read and the change).
  CHECK(plan_image_successor(old, "busybox:1.36", "", "").next == plan.next);

  SUBCASE("a name given is kept") {
    CHECK(plan_image_successor(old, "busybox:1.36", "", "web-next").next.metadata.name == "web-next");
  }
  SUBCASE("OLD made by an earlier --image update: its hash is replaced, not appended to") {
    auto earlier = rc_named("web-1a2b3c4d", {{"app", "web"}, {"deployment", "1a2b3c4d"}});
    auto again = plan_image_successor(earlier, "busybox:1.37", "", "");
    REQUIRE(again.error == "");
    CHECK(again.old_hash == "1a2b3c4d");
    const std::string h = short_hash("uid-web-1a2b3c4d:7:web-1a2b3c4d:busybox:1.37");
    CHECK(again.next.metadata.name == "web-" + h);
    CHECK(again.next.spec.selector.at("deployment") == h);
  }
  SUBCASE("the container: the only one, or the one named") {
    auto two = rc_named("web", {{"app", "web"}}, {"busybox", "nginx"});
    CHECK(plan_image_successor(two, "x", "", "").error ==
          "--container: the pod template of web has 2 containers (c0, c1); name the one to update");
    CHECK(plan_image_successor(two, "x", "c2", "").error ==
          "--container: the pod template of web has no container \"c2\" (it has c0, c1)");
    auto picked = plan_image_successor(two, "x", "c1", "");
    REQUIRE(picked.error == "");
    CHECK(picked.next.spec.template_.spec.containers.at(0).image == "busybox");
    CHECK(picked.next.spec.template_.spec.containers.at(1).image == "x");
  }
  SUBCASE("the image it already runs is refused") {
    CHECK(plan_image_successor(old, "busybox", "", "").error ==
          "--image: container \"web\" of web already runs busybox; name a different image");
  }
}

TEST_CASE("as_successor: 0 replicas, the rollout annotations, nothing the server sets") {
  auto old = rc_named("web", {{"app", "web"}});
  old.metadata.annotations = {{k_next_controller, "web-v2"}, {k_original_replicas, "2"}, {"team", "a"}};
  auto next = old;
  next.metadata.name = "web-v2";
  next.metadata.creation_timestamp = 5;
  next.status.replicas = 2;
  auto made = as_successor(next, old, 3);
  CHECK(made.spec.replicas == 0);
  CHECK(made.metadata.uid == "");
  CHECK(made.metadata.resource_version == 0);
  CHECK(made.metadata.creation_timestamp == 0);
  CHECK(made.status == model::replication_controller_status{});
  CHECK(made.metadata.annotations ==
        model::string_map{{k_desired_replicas, "3"}, {k_source_id, "web:uid-web"}, {"team", "a"}});
  CHECK(replicas_annotation(made.metadata, k_desired_replicas) == 3);
}

TEST_CASE("replicas_annotation reads whole numbers >= 0 only") {
  model::object_meta m;
  m.annotations = {{"a", "2"}, {"b", "-1"}, {"c", "2x"}, {"d", ""}};
  CHECK(replicas_annotation(m, "a") == 2);
  CHECK(replicas_annotation(m, "b") == std::nullopt);
  CHECK(replicas_annotation(m, "c") == std::nullopt);
  CHECK(replicas_annotation(m, "d") == std::nullopt);
  CHECK(replicas_annotation(m, "missing") == std::nullopt);
}

TEST_CASE("count_pods: the RC's own active pods, and of them the ready ones") {
  auto rc = rc_named("web", {{"app", "web"}});
  std::vector<model::pod> pods = {
      pod_of("a", "uid-web", true),
      pod_of("b", "uid-web", false),
      pod_of("c", "uid-web", true, true),                                 // terminating: not a replica
      pod_of("d", "uid-web", false, false, model::pod_phase::succeeded),  // finished
      pod_of("e", "uid-other", true),                                     // another controller's
      pod_of("f", "", true),                                              // nobody's
  };
  CHECK(count_pods(rc, pods) == pod_counts{2, 1});
}
