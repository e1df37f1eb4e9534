// Node lifecycle at the store: the heartbeat contract at join, and reports of
// a node that is NotReady (folded, not dropped), on CAF's deterministic
// scheduler with a real journal (store_fixture.hpp).
#include "actors/model/codec.hpp"
#include "actors/reconcile/node_liveness.hpp"
#include "tests/core/store_fixture.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::actors::test {
namespace {

using code = outcome::code;
using namespace std::chrono_literals;

model::node reported_node(const std::string& name) {
  auto n = reconcile::test::make_node(name, "8", "16Gi", "110");
  n.metadata.uid.clear();
  return n;
}

/// Appends `payload` about node `name` as if a controller had decided it, and folds it.
void append_about_node(store_fixture& f, const std::string& name, model::event_payload payload) {
  model::event e;
  e.header.object = {model::k_kind_node, "", name,
                     std::get<model::node>(*f.ask(get_query{{kind::node, "", name}}).object).metadata.uid};
  e.header.principal = "controller:node-lifecycle";
  e.payload = std::move(payload);
  f.w->append(model::type_of(e), model::encode_event(e), [](const auto&) {});
  f.drain();
}

model::pod one_bound_pod(store_fixture& f) {
  auto rc = reconcile::test::make_rc("web", 1);
  rc.metadata.uid.clear();
  REQUIRE(f.ask(create_cmd{"user:test", any_object(rc), false, false}).result == code::ok);
  auto bound = f.pods("spec.nodeName=n1");
  REQUIRE(bound.size() == 1);
  return bound[0];
}

}  // namespace

TEST_CASE_FIXTURE(store_fixture, "a join is given berthd's heartbeat contract, journaled in the node's annotations") {
  auto joined = ask(join_cmd{reported_node("n1"), std::make_shared<recording_link>()});
  REQUIRE(joined.result == code::ok);
  auto contract = reconcile::contract_of(std::get<model::node>(*joined.object));
  REQUIRE(contract);
  CHECK(*contract == reconcile::heartbeat_contract{10s, 40s, 60s});  // berthd's defaults

  auto faster = ask(join_cmd{reported_node("n2"), std::make_shared<recording_link>(), 5s});
  REQUIRE(faster.result == code::ok);
  CHECK(reconcile::contract_of(std::get<model::node>(*faster.object))->interval == 5s);
}

TEST_CASE_FIXTURE(store_fixture,
                  "an agent's interval above a third of the grace period is refused; nothing is registered") {
  const auto before = j->last_seq();
  auto refused = ask(join_cmd{reported_node("n1"), std::make_shared<recording_link>(), 14s});
  CHECK(refused.result == code::invalid);
  CHECK(refused.message ==
        "the agent's --heartbeat-interval 14s is more than a third of berthd's --grace-period 40s (a healthy node "
        "would flap); use at most 13.333s, or leave the flag out to get berthd's 10s");
  REQUIRE(refused.errors.size() == 1);
  CHECK(refused.errors[0].field == "heartbeatInterval");
  CHECK(j->last_seq() == before);
  CHECK(ask(get_query{{kind::node, "", "n1"}}).result == code::not_found);
}

TEST_CASE_FIXTURE(store_fixture, "reports from a NotReady node are folded, and its terminated pods removed") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{reported_node("n1"), link}).result == code::ok);
  auto pod = one_bound_pod(*this);
  append_about_node(*this, "n1", model::node_readiness_decided{{false, "NodeStatusUnknown", "silent", 1}});
  REQUIRE_FALSE(model::is_node_ready(std::get<model::node>(*ask(get_query{{kind::node, "", "n1"}}).object)));

  model::pod_status running;
  running.phase = model::pod_phase::running;
  running.pod_ip = "10.0.0.9";
  tell(pod_status_report{"n1", "default", pod.metadata.name, pod.metadata.uid, running});
  auto now = std::get<model::pod>(*ask(get_query{{kind::pod, "default", pod.metadata.name}}).object);
  CHECK(now.status.phase == model::pod_phase::running);
  CHECK(now.status.pod_ip == "10.0.0.9");

  REQUIRE(ask(delete_cmd{"user:test", {kind::pod, "default", pod.metadata.name}, 30}).result == code::ok);
  tell(pod_terminated_report{"n1", "default", pod.metadata.name, pod.metadata.uid});
  CHECK(ask(get_query{{kind::pod, "default", pod.metadata.name}}).result == code::not_found);
}

TEST_CASE_FIXTURE(store_fixture, "a repeated terminated report is harmless: one podRemoved") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{reported_node("n1"), link}).result == code::ok);
  auto pod = one_bound_pod(*this);
  REQUIRE(ask(delete_cmd{"user:test", {kind::pod, "default", pod.metadata.name}, 30}).result == code::ok);
  const pod_terminated_report report{"n1", "default", pod.metadata.name, pod.metadata.uid};
  self->send(store, report);
  self->send(store, report);
  drain();
  tell(report);  // after the removal: names a pod that is gone
  std::size_t removals = 0;
  for (std::uint64_t seq = 1; seq <= j->last_seq(); ++seq) {
    auto cursor = j->read_from(seq);
    auto r = cursor->next();
    REQUIRE(r);
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
    REQUIRE(e);
    if (std::holds_alternative<model::pod_removed>(e->payload) && e->header.object.name == pod.metadata.name)
      ++removals;
  }
  CHECK(removals == 1);
}

}  // namespace berth::actors::test
