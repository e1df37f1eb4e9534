// The volume controller's decision (actors/reconcile/volume_binder.hpp):
// table tests of the fit and the plan, and a randomized invariant.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "actors/reconcile/volume_binder.hpp"

using namespace berth;
using namespace berth::reconcile;

namespace {

model::quantity gi(std::int64_t n) {
  return {n * 1024 * 1024 * 1024 * 1000, model::quantity::suffix_family::binary};
}

model::persistent_volume volume(const std::string& name, std::int64_t gib, std::vector<std::string> modes = {"ReadWriteOnce"},
                                model::reclaim_policy policy = model::reclaim_policy::retain) {
  model::persistent_volume v;
  v.metadata.name = name;
  v.metadata.uid = "uid-" + name;
  v.spec.capacity[model::k_resource_storage] = gi(gib);
  v.spec.access_modes = std::move(modes);
  v.spec.policy = policy;
  v.spec.source = model::host_path_volume{"/tmp/" + name};
  return v;
}

model::persistent_volume_claim claim(const std::string& name, std::int64_t gib,
                                     std::vector<std::string> modes = {"ReadWriteOnce"}) {
  model::persistent_volume_claim c;
  c.metadata.namespace_ = "default";
  c.metadata.name = name;
  c.metadata.uid = "uid-" + name;
  c.spec.access_modes = std::move(modes);
  c.spec.resources.requests[model::k_resource_storage] = gi(gib);
  return c;
}

std::map<std::string, std::string> bindings_of(const volume_plan& p) {
  std::map<std::string, std::string> out;
  for (const auto& b : p.bindings) out[b.claim.name] = b.volume;
  return out;
}

model::persistent_volume released(model::persistent_volume v) {
  v.status.phase = model::volume_phase::released;
  v.spec.claim_ref = {model::k_kind_persistent_volume_claim, "default", "gone", "uid-gone"};
  return v;
}

}  // namespace

TEST_CASE("volume_fits: modes offered, capacity enough, reservations kept") {
  struct row {
    const char* what;
    model::persistent_volume v;
    model::persistent_volume_claim c;
    bool fits;
  };
  auto reserved = volume("r", 10);
  reserved.spec.claim_ref = {model::k_kind_persistent_volume_claim, "default", "other", ""};
  auto bound = volume("b", 10);
  bound.status.phase = model::volume_phase::bound;
  auto named = claim("n", 1);
  named.spec.volume_name = "elsewhere";
  const row rows[] = {
      {"bigger volume", volume("v", 10), claim("c", 3), true},
      {"equal capacity", volume("v", 3), claim("c", 3), true},
      {"too small", volume("v", 2), claim("c", 3), false},
      {"mode missing", volume("v", 10), claim("c", 1, {"ReadWriteMany"}), false},
      {"all modes offered", volume("v", 10, {"ReadWriteOnce", "ReadOnlyMany"}), claim("c", 1, {"ReadOnlyMany", "ReadWriteOnce"}),
       true},
      {"reserved for another claim", reserved, claim("c", 1), false},
      {"reserved for this claim", reserved, claim("other", 1), true},
      {"already bound", bound, claim("c", 1), false},
      {"claim names another volume", volume("v", 10), named, false},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    CHECK(volume_fits(r.v, r.c) == r.fits);
  }
}

TEST_CASE("plan_volumes binds each claim to the smallest volume that fits, each volume once") {
  name_generator names{1};
  volume_inputs in;
  in.volumes = {volume("pv0001", 10), volume("pv0002", 8), volume("pv0003", 5)};
  in.claims = {claim("myclaim-1", 3), claim("myclaim-2", 8), claim("myclaim-3", 20)};
  auto plan = plan_volumes(in, names);
  INFO(plan.to_string());
  // myclaim-1 takes the smallest that fits (5Gi); myclaim-2 the 8Gi; nothing holds 20Gi.
  CHECK(bindings_of(plan) == std::map<std::string, std::string>{{"myclaim-1", "pv0003"}, {"myclaim-2", "pv0002"}});
  CHECK(plan.recyclers_to_create.empty());
  CHECK(plan.bindings[0].claim.uid == "uid-myclaim-1");
}

TEST_CASE("plan_volumes: a volume reserved for a claim goes to it even when a smaller one fits") {
  name_generator names{1};
  volume_inputs in;
  auto reserved = volume("big", 100);
  reserved.spec.claim_ref = {model::k_kind_persistent_volume_claim, "default", "mine", ""};
  in.volumes = {volume("small", 2), reserved};
  in.claims = {claim("mine", 1), claim("yours", 1)};
  auto plan = plan_volumes(in, names);
  CHECK(bindings_of(plan) == std::map<std::string, std::string>{{"mine", "big"}, {"yours", "small"}});
}

TEST_CASE("reclaiming a Released volume: Retain keeps it, Recycle and Delete start a recycler pod") {
  name_generator names{7};
  volume_inputs in;
  in.volumes = {released(volume("keep", 1)), released(volume("scrub", 1, {"ReadWriteOnce"}, model::reclaim_policy::recycle)),
                released(volume("drop", 1, {"ReadWriteOnce"}, model::reclaim_policy::delete_))};
  auto plan = plan_volumes(in, names);
  INFO(plan.to_string());
  REQUIRE(plan.recyclers_to_create.size() == 2);
  const auto& pod = plan.recyclers_to_create[1];  // volumes in name order: drop, keep, scrub
  CHECK(plan.recyclers_to_create[0].metadata.name == "recycler-for-drop");
  CHECK(pod.metadata.name == "recycler-for-scrub");
  CHECK(pod.metadata.namespace_ == k_recycler_namespace);
  CHECK(pod.metadata.labels.at(k_recycler_label) == "scrub");
  CHECK(pod.metadata.annotations.at(k_recycler_label) == "uid-scrub");
  CHECK(pod.spec.restart_policy_ == model::restart_policy::never);
  REQUIRE(pod.spec.volumes.size() == 1);
  CHECK(std::get<model::host_path_volume>(pod.spec.volumes[0].source).path == "/tmp/scrub");
  CHECK(pod.spec.containers.at(0).volume_mounts.at(0).mount_path == "/scrub");
  CHECK_FALSE(pod.metadata.uid.empty());
  CHECK(plan.reclaims.empty());
}

TEST_CASE("a finished recycler pod decides the volume's fate and is deleted") {
  name_generator names{7};
  auto scrub = released(volume("scrub", 1, {"ReadWriteOnce"}, model::reclaim_policy::recycle));
  auto drop = released(volume("drop", 1, {"ReadWriteOnce"}, model::reclaim_policy::delete_));
  auto failing = released(volume("bad", 1, {"ReadWriteOnce"}, model::reclaim_policy::recycle));
  auto done = [&](const model::persistent_volume& v, model::pod_phase phase) {
    auto p = recycler_pod(v, names);
    p.status.phase = phase;
    return p;
  };
  volume_inputs in;
  in.volumes = {scrub, drop, failing};
  in.recyclers = {done(scrub, model::pod_phase::succeeded), done(drop, model::pod_phase::succeeded),
                  done(failing, model::pod_phase::failed)};
  auto plan = plan_volumes(in, names);
  INFO(plan.to_string());
  REQUIRE(plan.reclaims.size() == 3);
  CHECK(plan.reclaims[0].volume.name == "bad");
  CHECK(plan.reclaims[0].what == volume_reclaim::step::failed);
  CHECK(plan.reclaims[1].volume.name == "drop");
  CHECK(plan.reclaims[1].what == volume_reclaim::step::deleted);
  CHECK(plan.reclaims[2].volume.name == "scrub");
  CHECK(plan.reclaims[2].what == volume_reclaim::step::recycled);
  CHECK(plan.recyclers_to_delete.size() == 3);
  CHECK(plan.recyclers_to_create.empty());
}

TEST_CASE("a running recycler is waited for; one of an earlier volume of the same name is not this volume's") {
  name_generator names{7};
  auto scrub = released(volume("scrub", 1, {"ReadWriteOnce"}, model::reclaim_policy::recycle));
  auto running = recycler_pod(scrub, names);
  running.status.phase = model::pod_phase::running;
  volume_inputs in;
  in.volumes = {scrub};
  in.recyclers = {running};
  CHECK(plan_volumes(in, names).empty());

  // A pod left by an earlier pv "scrub" (another uid), still going away: wait for its name.
  auto old = running;
  old.metadata.annotations[k_recycler_label] = "uid-earlier";
  old.metadata.deletion_timestamp = 5;
  in.recyclers = {old};
  CHECK(plan_volumes(in, names).empty());
  in.recyclers = {};
  CHECK(plan_volumes(in, names).recyclers_to_create.size() == 1);
}

TEST_CASE("a source no pod can mount cannot be reclaimed: Failed at once, with why") {
  name_generator names{7};
  auto gce = released(volume("gce", 1, {"ReadWriteOnce"}, model::reclaim_policy::delete_));
  gce.spec.source = model::gce_persistent_disk_volume{"disk", "ext4", 0, false};
  volume_inputs in;
  in.volumes = {gce};
  auto plan = plan_volumes(in, names);
  REQUIRE(plan.reclaims.size() == 1);
  CHECK(plan.reclaims[0].what == volume_reclaim::step::failed);
  CHECK(plan.reclaims[0].why.message ==
        "volume type gcePersistentDisk cannot be deleted by berth (only hostPath and nfs can)");
  CHECK(plan.recyclers_to_create.empty());
}

TEST_CASE("randomized: every binding fits, no volume is bound twice, and a fitting volume is never left idle") {
  std::mt19937_64 rng(20261206);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  const std::vector<std::vector<std::string>> mode_sets = {
      {"ReadWriteOnce"}, {"ReadOnlyMany"}, {"ReadWriteOnce", "ReadOnlyMany"}, {"ReadWriteMany"}};
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    volume_inputs in;
    for (int i = 0, n = pick(6); i < n; ++i)
      in.volumes.push_back(volume("v" + std::to_string(i), 1 + pick(10), mode_sets[pick(4)]));
    for (int i = 0, n = pick(6); i < n; ++i)
      in.claims.push_back(claim("c" + std::to_string(i), 1 + pick(10), {mode_sets[pick(4)][0]}));
    name_generator names{static_cast<std::uint64_t>(round)};
    auto plan = plan_volumes(in, names);
    std::set<std::string> used;
    for (const auto& b : plan.bindings) {
      CHECK(used.insert(b.volume).second);
      const auto* v = &*std::find_if(in.volumes.begin(), in.volumes.end(),
                                     [&](const auto& x) { return x.metadata.name == b.volume; });
      const auto* c = &*std::find_if(in.claims.begin(), in.claims.end(),
                                     [&](const auto& x) { return x.metadata.name == b.claim.name; });
      CHECK(volume_fits(*v, *c));
    }
    // A claim left unbound has no fitting volume among those left over.
    auto bound = bindings_of(plan);
    for (const auto& c : in.claims) {
      if (bound.count(c.metadata.name)) continue;
      for (const auto& v : in.volumes)
        if (!used.count(v.metadata.name)) CHECK_FALSE(volume_fits(v, c));
    }
    // Deterministic: the same inputs give the same plan.
    name_generator again{static_cast<std::uint64_t>(round)};
    CHECK(plan_volumes(in, again) == plan);
  }
}
