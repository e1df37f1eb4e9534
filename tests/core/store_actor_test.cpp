// The store and the object actors on CAF's deterministic scheduler: every
// message runs on the test thread, in order, until nothing is left to do.
#include "tests/core/store_fixture.hpp"

#include "actors/model/codec.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::actors::test {
namespace {

using code = outcome::code;

any_object web_rc(std::int32_t replicas) {
  auto rc = reconcile::test::make_rc("web", replicas);
  rc.metadata.uid.clear();
  return any_object(rc);
}

model::node capacity_node(const std::string& name) {
  auto n = reconcile::test::make_node(name, "8", "16Gi", "110");
  n.metadata.uid.clear();
  return n;
}

TEST_CASE_FIXTURE(store_fixture, "a create is answered once durable and folded, and read back") {
  auto p = reconcile::test::make_pod("solo");
  p.metadata.uid.clear();
  auto created = ask(create_cmd{"user:test", any_object(p), false, false});
  REQUIRE(created.result == code::ok);
  CHECK(created.action == "created");
  CHECK(created.seq == 1);
  // The scheduler decided too: no node to run it on (podUnschedulable).
  auto seq = j->last_seq();
  CHECK(seq == 2);
  auto got = ask(get_query{{kind::pod, "default", "solo"}});
  REQUIRE(got.result == code::ok);
  CHECK(meta_of(*got.object).uid == meta_of(*created.object).uid);
  auto again = ask(create_cmd{"user:test", any_object(p), false, false});
  CHECK(again.result == code::already_exists);
  CHECK(j->last_seq() == seq);  // nothing appended for a refusal
}

TEST_CASE_FIXTURE(store_fixture, "an RC's actor creates its pods; the scheduler binds them once a node joins") {
  REQUIRE(ask(create_cmd{"user:test", web_rc(3), false, false}).result == code::ok);
  auto pending = pods();
  REQUIRE(pending.size() == 3);
  for (const auto& p : pending) CHECK(p.spec.node_name.empty());

  auto link = std::make_shared<recording_link>();
  auto joined = ask(join_cmd{capacity_node("n1"), link});
  REQUIRE(joined.result == code::ok);
  CHECK(joined.action == "registered");
  CHECK(pods("spec.nodeName=n1").size() == 3);
  CHECK(link->desired.size() == 3);  // the node actor pushed them to the agent

  REQUIRE(ask(scale_cmd{"user:test", {kind::replication_controller, "default", "web"}, 1}).result == code::ok);
  // Scaling down deletes two pods (gracefully: they are Terminating on n1).
  std::size_t terminating = 0;
  for (const auto& p : pods()) terminating += p.metadata.deletion_timestamp != 0 ? 1 : 0;
  CHECK(terminating == 2);
}

TEST_CASE_FIXTURE(store_fixture, "a pod whose node reports its containers gone is removed by its actor") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n1"), link}).result == code::ok);
  REQUIRE(ask(create_cmd{"user:test", web_rc(1), false, false}).result == code::ok);
  auto bound = pods("spec.nodeName=n1");
  REQUIRE(bound.size() == 1);
  const auto& m = bound[0].metadata;
  REQUIRE(ask(delete_cmd{"user:test", {kind::pod, "default", m.name}, 30}).result == code::ok);
  tell(pod_terminated_report{"n1", "default", m.name, m.uid});
  for (const auto& p : pods()) CHECK(p.metadata.name != m.name);  // removed; the RC made a replacement
  CHECK(pods().size() == 1);
}

TEST_CASE_FIXTURE(store_fixture, "the store hands each fold to its feed once, and a cached watch sees each change in order") {
  REQUIRE(ask(create_cmd{"user:test", any_object(reconcile::test::make_pod("a")), false, false}).result == code::ok);
  auto feed = std::make_shared<recording_feed>();
  tell(feed_cmd{feed});
  REQUIRE(feed->started_at == j->last_seq());
  auto sink = std::make_shared<recording_sink>();
  std::string error;
  auto w = store::make_watcher(kind::pod, "", "", "", error);
  REQUIRE(w);
  feed->cache.add(1, *w, *feed->started_at, sink);
  const auto before = j->last_seq();
  REQUIRE(ask(create_cmd{"user:test", any_object(reconcile::test::make_pod("b")), false, false}).result == code::ok);
  REQUIRE(ask(delete_cmd{"user:test", {kind::pod, "default", "b"}, 0}).result == code::ok);
  // One batch per journal record folded, whatever the number of watches.
  CHECK(feed->batches == j->last_seq() - before);
  CHECK(feed->cache.seq() == j->last_seq());
  using t = watch_event_type;
  REQUIRE(sink->events.size() >= 2);
  CHECK(sink->events[0] == std::pair{t::added, std::string("b")});
  CHECK(sink->events.back() == std::pair{t::deleted, std::string("b")});
  for (const auto& e : sink->events) CHECK(e.second == "b");  // "a" did not change
  CHECK_FALSE(sink->closed);
}

/// Every event in the journal, in order.
std::vector<model::event> journal_events(const journal::journal& j) {
  std::vector<model::event> out;
  auto cursor = j.read_from(1);
  while (auto r = cursor->next()) {
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
    REQUIRE(e.has_value());
    out.push_back(std::move(*e));
  }
  return out;
}

/// The headers of the RC's decisions of type T, in journal order.
template <class T>
std::vector<model::event_header> rc_decisions(const journal::journal& j) {
  std::vector<model::event_header> out;
  for (const auto& e : journal_events(j))
    if (e.header.principal == "controller:replicationcontroller/web" && std::holds_alternative<T>(e.payload))
      out.push_back(e.header);
  return out;
}

/// The seq of the pod status observation of `pod`, after `after`.
std::uint64_t status_seq(const journal::journal& j, const std::string& pod, std::uint64_t after) {
  for (const auto& e : journal_events(j))
    if (e.seq > after && e.header.object.name == pod && std::holds_alternative<model::pod_status_observed>(e.payload))
      return e.seq;
  return 0;
}

model::pod_status running_and_ready() {
  model::pod_status s;
  s.phase = model::pod_phase::running;
  s.conditions = {reconcile::test::condition_of("Ready", true)};
  return s;
}

/// The next command answer in the test's mailbox (sent without ask()).
outcome next_answer(caf::scoped_actor& self) {
  std::optional<outcome> out;
  self->receive([&](outcome& o) { out = std::move(o); }, caf::after(std::chrono::seconds(0)) >> [] {});
  REQUIRE_MESSAGE(out.has_value(), "the store did not answer");
  return std::move(*out);
}

TEST_CASE_FIXTURE(store_fixture, "an RC's replacement pod cites the deletion it replaces, not a later status update") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n1"), link}).result == code::ok);
  auto rc = ask(create_cmd{"user:test", web_rc(2), false, false});
  REQUIRE(rc.result == code::ok);
  auto first = rc_decisions<model::pod_created>(*j);
  REQUIRE(first.size() == 2);
  for (const auto& h : first) CHECK(h.cause == rc.seq);  // the RC's creation
  auto bound = pods("spec.nodeName=n1");
  REQUIRE(bound.size() == 2);
  const auto& a = bound[0].metadata;
  const auto& b = bound[1].metadata;

  // Both reach the store before either is folded: the status update folds
  // right after the deletion, before the replacement is decided.
  self->send(store, delete_cmd{"user:test", {kind::pod, "default", a.name}, 30});
  self->send(store, pod_status_report{"n1", "default", b.name, b.uid, running_and_ready()});
  drain();
  auto deleted = next_answer(self);
  REQUIRE(deleted.result == code::ok);
  const auto x = deleted.seq;
  const auto y = status_seq(*j, b.name, x);
  CHECK(y > x);

  auto all = rc_decisions<model::pod_created>(*j);
  REQUIRE(all.size() == 3);
  CHECK(all[2].cause == x);
}

TEST_CASE_FIXTURE(store_fixture, "a loss while an RC's plan is in flight is cited by the replacement after it") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n1"), link}).result == code::ok);
  REQUIRE(ask(create_cmd{"user:test", web_rc(2), false, false}).result == code::ok);
  auto bound = pods("spec.nodeName=n1");
  REQUIRE(bound.size() == 2);
  const auto& a = bound[0].metadata;
  const auto& b = bound[1].metadata;

  // The scale-up is decided on first; the deletion and the status update
  // fold while that plan is in flight, and the RC's own creation folds after
  // them: only the deletion explains the second creation.
  self->send(store, scale_cmd{"user:test", {kind::replication_controller, "default", "web"}, 3});
  self->send(store, delete_cmd{"user:test", {kind::pod, "default", a.name}, 30});
  self->send(store, pod_status_report{"n1", "default", b.name, b.uid, running_and_ready()});
  drain();
  auto scaled = next_answer(self);
  auto deleted = next_answer(self);
  REQUIRE(scaled.action == "scaled");
  REQUIRE(deleted.action == "deleted");
  CHECK(status_seq(*j, b.name, deleted.seq) > deleted.seq);

  auto all = rc_decisions<model::pod_created>(*j);
  REQUIRE(all.size() == 4);
  CHECK(all[2].cause == scaled.seq);
  CHECK(all[3].cause == deleted.seq);
}

TEST_CASE_FIXTURE(store_fixture, "an RC's scale-down deletions cite the scale") {
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n1"), link}).result == code::ok);
  REQUIRE(ask(create_cmd{"user:test", web_rc(3), false, false}).result == code::ok);
  auto scaled = ask(scale_cmd{"user:test", {kind::replication_controller, "default", "web"}, 1});
  REQUIRE(scaled.result == code::ok);
  auto deletions = rc_decisions<model::pod_deleted>(*j);
  REQUIRE(deletions.size() == 2);
  for (const auto& h : deletions) CHECK(h.cause == scaled.seq);
  // The deletions landing is the RC's own doing: nothing is created for them.
  CHECK(rc_decisions<model::pod_created>(*j).size() == 3);
}

namespace bj = berth::journal;

/// A journal that refuses every append (reads find nothing), to see the reason travel.
class refusing_journal final : public bj::journal {
 public:
  std::uint64_t last_seq() const override { return 0; }
  std::uint64_t first_seq() const override { return 0; }
  std::unique_ptr<bj::cursor> read_from(std::uint64_t) const override { return nullptr; }
  bj::result<bj::record> read(std::uint64_t) const override { return bj::error{bj::error_code::not_found, "empty"}; }
  bj::status put_snapshot(const bj::snapshot&) override { return {}; }
  std::vector<std::uint64_t> snapshot_seqs() const override { return {}; }
  bj::result<bj::snapshot> read_snapshot(std::uint64_t) const override {
    return bj::error{bj::error_code::not_found, "empty"};
  }
  bj::status catch_up() override { return {}; }
  const std::string& dir() const override { return dir_; }

 protected:
  bj::status append_batch(const std::vector<pending>&, std::int64_t) override {
    return bj::error{bj::error_code::io, "No space left on device (test)"};
  }

 private:
  std::string dir_ = "/nonexistent";
};

struct refusing_fixture : store_fixture {
  refusing_fixture() : store_fixture(std::make_unique<refusing_journal>()) {}
};

TEST_CASE_FIXTURE(refusing_fixture, "a refused write is answered with the journal's reason, not a bool") {
  auto o = ask(create_cmd{"user:test", any_object(reconcile::test::make_pod("p")), false, false});
  CHECK(o.result == code::unavailable);
  CHECK(o.message.find("the journal refused the write") != std::string::npos);
  CHECK(o.message.find("No space left on device (test)") != std::string::npos);
}

}  // namespace
}  // namespace berth::actors::test
