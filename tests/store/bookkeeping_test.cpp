// The store's small bookkeeping classes: recent events, waiters, the plan
// loop, the garbage collector, node reports.
#include <doctest/doctest.h>

#include "actors/store/garbage.hpp"
#include "actors/store/node_reports.hpp"
#include "actors/store/plan_loop.hpp"
#include "actors/store/recent_events.hpp"
#include "actors/store/seq_waiters.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::store {
namespace {

using namespace model::testing;

TEST_CASE("recent events keep the newest per object, and go with the object") {
  recent_events r(3);
  for (std::uint64_t s = 1; s <= 5; ++s) r.record("pods/default/a", s);
  CHECK(r.last("pods/default/a", 10) == std::vector<std::uint64_t>{3, 4, 5});
  CHECK(r.last("pods/default/a", 2) == std::vector<std::uint64_t>{4, 5});
  CHECK(r.last("pods/default/b", 2).empty());
  r.forget("pods/default/a");
  CHECK(r.objects() == 0);
}

TEST_CASE("waiters run in seq order once folded, and may wait again") {
  seq_waiters w;
  std::vector<std::uint64_t> ran;
  w.wait(5, [&](std::uint64_t f) { ran.push_back(50 + f); });
  w.wait(2, [&](std::uint64_t) {
    ran.push_back(2);
    w.wait(3, [&](std::uint64_t) { ran.push_back(3); });
  });
  w.release(1);
  CHECK(ran.empty());
  w.release(4);
  CHECK(ran == std::vector<std::uint64_t>{2, 3});
  w.release(9);
  CHECK(ran == std::vector<std::uint64_t>{2, 3, 59});
  CHECK(w.size() == 0);
}

TEST_CASE("plan loop: one plan in flight; changes meanwhile run it again, a refusal does not") {
  plan_loop l;
  CHECK(l.start());
  CHECK_FALSE(l.start());  // busy: marked dirty
  CHECK(l.dirty());
  CHECK(l.finish(true));  // dirty: run again
  CHECK_FALSE(l.busy());
  CHECK(l.start());
  CHECK_FALSE(l.finish(true));  // nothing changed meanwhile
  CHECK(l.start());
  CHECK_FALSE(l.start());
  CHECK_FALSE(l.finish(false));  // the journal refused: do not loop
}

TEST_CASE("garbage collector: orphans deleted, pods of missing nodes removed, never asked twice") {
  model::cluster_state s;
  auto orphan = make_pod("orphan", "n1");
  orphan.metadata.owner_references = {{"v1", model::k_kind_rc, "gone", "gone-uid", true}};
  s.pods.emplace(model::object_key{"default", "orphan"}, orphan);
  s.pods.emplace(model::object_key{"default", "lost"}, make_pod("lost", "n9"));
  s.pods.emplace(model::object_key{"default", "fine"}, make_pod("fine", "n1"));
  s.nodes.emplace("n1", make_node("n1"));
  garbage_collector gc;
  auto pass = gc.plan(s, 7);
  REQUIRE(pass.events.size() == 2);
  CHECK(std::holds_alternative<model::pod_deleted>(pass.events[0].payload));
  CHECK(pass.events[0].header.object.name == "orphan");
  CHECK(pass.events[0].header.cause == 7);
  CHECK(pass.events[0].header.principal == "controller:garbage-collector");
  CHECK(std::holds_alternative<model::pod_removed>(pass.events[1].payload));
  CHECK(gc.pending() == 2);
  CHECK(gc.plan(s, 8).empty());  // already asked
  gc.done(pass);
  CHECK(gc.plan(s, 9).events.size() == 2);
}

TEST_CASE("a join registers a Ready node, keeps its uid, refuses a nameless node") {
  model::cluster_state s;
  actors::api_field_error error;
  auto n = make_node("n1");
  n.metadata.uid.clear();
  auto e = registration_event(s, n, "fresh", 100, error);
  REQUIRE(e);
  const auto& reg = std::get<model::node_registered>(e->payload).object;
  CHECK(reg.metadata.uid == "fresh");
  CHECK(model::is_node_ready(reg));
  CHECK(e->header.principal == "node:n1");
  s.nodes.emplace("n1", reg);
  auto again = registration_event(s, n, "other", 200, error);
  CHECK(std::get<model::node_registered>(again->payload).object.metadata.uid == "fresh");
  n.metadata.name.clear();
  CHECK_FALSE(registration_event(s, n, "x", 300, error));
  CHECK(error.field == "metadata.name");
}

TEST_CASE("status reports: transitions only, from the pod's own node, once while in flight") {
  model::cluster_state s;
  auto p = make_pod("p", "n1");
  s.pods.emplace(model::object_key{"default", "p"}, p);
  status_reports r;
  model::pod_status running;
  running.phase = model::pod_phase::running;
  actors::pod_status_report report{"n1", "default", "p", p.metadata.uid, running};
  CHECK(r.observe(s, report));
  CHECK_FALSE(r.observe(s, report));  // in flight
  r.settled({"default", "p"});
  CHECK(r.observe(s, report));
  auto from_other = report;
  from_other.node_name = "n2";
  CHECK_FALSE(r.observe(s, from_other));
  auto wrong_uid = report;
  wrong_uid.uid = "x";
  CHECK_FALSE(r.observe(s, wrong_uid));
  auto same = report;
  same.status = p.status;
  CHECK_FALSE(r.observe(s, same));  // not a transition
}

TEST_CASE("pod events: only from the pod's own node, about that very pod") {
  model::cluster_state s;
  auto p = make_pod("p", "n1");
  s.pods.emplace(model::object_key{"default", "p"}, p);
  actors::pod_event_report report{"n1", "default", "p", p.metadata.uid, "Unhealthy",
                                  "Liveness probe failed: refused", "web"};
  auto e = pod_event_of(s, report);
  REQUIRE(e);
  CHECK(e->header.object.kind == model::k_kind_pod);
  CHECK(e->header.object.uid == p.metadata.uid);
  CHECK(e->header.principal == "node:n1");
  const auto& observed = std::get<model::pod_event_observed>(e->payload);
  CHECK(observed.reason == "Unhealthy");
  CHECK(observed.message == "Liveness probe failed: refused");
  CHECK(observed.container == "web");
  auto from_other = report;
  from_other.node_name = "n2";
  CHECK_FALSE(pod_event_of(s, from_other));
  auto wrong_uid = report;
  wrong_uid.uid = "x";
  CHECK_FALSE(pod_event_of(s, wrong_uid));
  auto gone = report;
  gone.name = "q";
  CHECK_FALSE(pod_event_of(s, gone));
}

}  // namespace
}  // namespace berth::store
