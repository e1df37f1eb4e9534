// The read side of the journal (actors/debug): points in time, the object
// index, history, why chains, diffs and verify, on journals built here with
// the journal API (and, for verify, damaged with RocksDB directly).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "actors/debug/points.hpp"
#include "actors/debug/queries.hpp"
#include "actors/debug/verify.hpp"
#include "actors/debug/words.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "journal/writer.hpp"
#include "tests/journal/journal_test_util.hpp"

namespace bj = berth::journal;
namespace bd = berth::debug;
namespace bm = berth::model;
using bj::test::raw_db;
using bj::test::temp_dir;

namespace {

bm::event make(const char* kind, std::string name, std::string principal, std::uint64_t cause, bm::event_payload p) {
  bm::event e;
  e.header.object = {kind, std::string(kind) == bm::k_kind_node ? "" : "default", std::move(name), ""};
  e.header.principal = std::move(principal);
  e.header.cause = cause;
  e.payload = std::move(p);
  return e;
}

bm::node node_named(const std::string& name) {
  bm::node n;
  n.metadata.name = name;
  n.metadata.uid = "uid-" + name;
  return n;
}

bm::pod pod_named(const std::string& name) {
  bm::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.uid = "uid-" + name;
  p.metadata.labels = {{"app", "web"}};
  bm::container c;
  c.name = "web";
  c.image = "busybox";
  p.spec.containers.push_back(c);
  return p;
}

bm::replication_controller rc_named(const std::string& name, std::int32_t replicas) {
  bm::replication_controller rc;
  rc.metadata.name = name;
  rc.metadata.namespace_ = "default";
  rc.metadata.uid = "uid-" + name;
  rc.spec.replicas = replicas;
  rc.spec.selector = {{"app", "web"}};
  return rc;
}

const std::string k_rc = "controller:replicationcontroller/web";

/// A small cluster story; the seqs are fixed by the order (comments).
std::vector<bm::event> story() {
  using namespace bm;
  return {
      make(k_kind_node, "n1", "node:n1", 0, node_registered{node_named("n1")}),     // 1
      make(k_kind_node, "n2", "node:n2", 0, node_registered{node_named("n2")}),     // 2
      make(k_kind_rc, "web", "user:admin", 0, object_created{rc_named("web", 2)}),  // 3
      make(k_kind_pod, "web-a", k_rc, 3, pod_created{pod_named("web-a")}),          // 4
      make(k_kind_pod, "web-b", k_rc, 3, pod_created{pod_named("web-b")}),          // 5
      make(k_kind_pod, "web-a", "controller:scheduler", 4, pod_bound{"n1"}),        // 6
      make(k_kind_pod, "web-b", "controller:scheduler", 5, pod_bound{"n2"}),        // 7
      make(k_kind_rc, "web", "user:admin", 0, rc_scaled{3}),                        // 8
      make(k_kind_pod, "web-c", k_rc, 8, pod_created{pod_named("web-c")}),          // 9
      make(k_kind_pod, "web-c", "controller:scheduler", 9, pod_bound{"n1"}),        // 10
      make(k_kind_node, "n2", "controller:node-lifecycle", 2,
           node_readiness_decided{{false, "NodeStatusUnknown", "no heartbeat for 2s", 1'000'000'000}}),  // 11
      make(k_kind_pod, "web-b", "controller:node-lifecycle", 11,
           pod_evicted{{"NodeLost", "node n2 is NotReady"}}),                                                   // 12
      make(k_kind_pod, "web-b", "controller:pod", 12, pod_removed{{"Terminated", "every container stopped"}}),  // 13
  };
}

/// A journal in `dir` holding `events` (and snapshots at `snapshot_at`).
void write_journal(const std::string& dir, const std::vector<bm::event>& events,
                   const std::vector<std::uint64_t>& snapshot_at = {}) {
  auto j = bj::journal::open(dir, {});
  REQUIRE(j.ok());
  {
    bj::writer w(*j.value());
    for (const auto& e : events) REQUIRE(w.append(bm::type_of(e), bm::encode_event(e)).get().ok());
  }
  for (auto seq : snapshot_at) {
    auto r = bm::replay(*j.value(), seq);
    REQUIRE(r.ok());
    REQUIRE(bm::write_snapshot(*j.value(), r.value().state).ok());
  }
}

std::unique_ptr<bd::local_source> open_source(const std::string& dir) {
  auto s = bd::local_source::open(dir);
  REQUIRE_MESSAGE(s.ok(), (s.ok() ? "" : s.err().message));
  return std::move(s.value());
}

bd::object_id pod_id(const std::string& name) { return {bm::k_kind_pod, "default", name}; }

}  // namespace

TEST_CASE("a_seq_point_resolves_to_itself_and_out_of_range_seqs_are_refused") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  CHECK(bd::resolve_point(s->journal(), "7").value() == 7);
  auto beyond = bd::resolve_point(s->journal(), "900");
  REQUIRE(!beyond.ok());
  CHECK(beyond.err().code == bj::error_code::invalid_argument);
  CHECK(beyond.err().message == "seq 900 is beyond the end of the journal (last seq 13)");
  CHECK(bd::resolve_point(s->journal(), "0").err().message == "seq 0 is before the first event (seq 1)");
}

TEST_CASE("a_malformed_time_is_refused_with_the_expected_form") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto r = bd::resolve_point(s->journal(), "2026-13-01T10:00:00Z");
  REQUIRE(!r.ok());
  CHECK(r.err().message ==
        "malformed point '2026-13-01T10:00:00Z': expected a sequence number or an RFC 3339 time like "
        "2026-11-26T10:15:00Z");
}

TEST_CASE("a_time_maps_to_the_last_event_at_or_before_it_and_a_time_before_the_first_event_is_refused") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  const auto t1 = s->journal().read(1).value().time_ns;
  const auto t13 = s->journal().read(13).value().time_ns;
  auto before = bd::resolve_point(s->journal(), "2000-01-01T00:00:00Z");
  REQUIRE(!before.ok());
  CHECK(before.err().message ==
        fmt::format("2000-01-01T00:00:00Z is before the first event (seq 1 at {})", bd::format_time(t1)));
  CHECK(bd::resolve_point(s->journal(), "2200-01-01T00:00:00.5+01:00").value() == 13);
  // The exact time of the last event names it (or a later one stamped in the same batch: none here).
  bd::point p{std::nullopt, t13, "t13"};
  CHECK(bd::resolve_point(s->journal(), p).value() == 13);
}

TEST_CASE("the_object_index_lists_the_seqs_of_one_object_and_of_a_kind") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  CHECK(s->object_seqs(pod_id("web-b")).value() == std::vector<std::uint64_t>{5, 7, 12, 13});
  CHECK(s->object_seqs({bm::k_kind_node, "", ""}).value() == std::vector<std::uint64_t>{1, 2, 11});
  CHECK(s->object_seqs(pod_id("nope")).value().empty());
}

TEST_CASE("history_lists_the_events_of_the_object_in_order_with_the_fields_they_changed") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto h = bd::history(*s, {bm::k_kind_rc, "default", "web"});
  REQUIRE(h.ok());
  REQUIRE(h.value().size() == 2);
  CHECK(h.value()[0].event.seq == 3);
  CHECK(!h.value()[0].existed_before);
  CHECK(h.value()[0].exists_after);
  CHECK(h.value()[1].event.seq == 8);
  std::vector<bd::field_change> expected{
      {"metadata.generation", "1", "2"}, {"metadata.resourceVersion", "3", "8"}, {"spec.replicas", "2", "3"}};
  auto changes = h.value()[1].changes;
  std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  CHECK(changes == expected);
}

TEST_CASE("history_folding_only_the_objects_events_matches_the_full_replay_at_every_step") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  for (const char* name : {"web-a", "web-b", "web-c"}) {
    auto h = bd::history(*s, pod_id(name));
    REQUIRE(h.ok());
    for (const auto& entry : h.value()) {
      auto full = bd::state_at(*s, entry.event.seq);
      REQUIRE(full.ok());
      auto expected = bd::object_json(full.value(), pod_id(name));
      CHECK(entry.exists_after == expected.has_value());
    }
  }
  // web-b was evicted while its node existed: Terminating, then removed.
  auto h = bd::history(*s, pod_id("web-b")).value();
  REQUIRE(h.size() == 4);
  CHECK(h[2].exists_after);
  CHECK(!h[3].exists_after);
}

TEST_CASE("history_of_an_unknown_object_is_not_found") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto h = bd::history(*s, pod_id("nope"));
  REQUIRE(!h.ok());
  CHECK(h.err().code == bj::error_code::not_found);
  CHECK(h.err().message == "no event in the journal names pod/nope");
}

TEST_CASE("why_an_evicted_pod_is_gone_leads_back_to_its_node_going_not_ready") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto chain = bd::why(*s, pod_id("web-b"), bd::k_to_end);
  REQUIRE(chain.ok());
  auto t = [&](std::uint64_t seq) { return bd::format_clock(s->journal().read(seq).value().time_ns); };
  CHECK(bd::chain_text(chain.value()) ==
        fmt::format("pod/web-b removed (Terminated: every container stopped) ← evicted by node controller (NodeLost: "
                    "node n2 is NotReady) ← node n2 NotReady since {} (last heartbeat 00:00:01) ← node n2 "
                    "registered at {}",
                    t(11), t(2)));
}

TEST_CASE("why_a_pod_exists_leads_back_to_the_scale_command") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto chain = bd::why(*s, pod_id("web-c"), 9);
  REQUIRE(chain.ok());
  const auto t8 = bd::format_clock(s->journal().read(8).value().time_ns);
  CHECK(bd::chain_text(chain.value()) ==
        fmt::format("pod/web-c created ← RC web reconciled to 3 replicas ← scaled to 3 by admin at {} "
                    "(command seq 8)",
                    t8));
  CHECK(!bd::why(*s, pod_id("web-c"), 8).ok());
}

TEST_CASE("why_a_replacement_pod_exists_names_the_eviction_it_replaces") {
  temp_dir dir;
  auto events = story();
  events.push_back(make(bm::k_kind_pod, "web-d", k_rc, 12, bm::pod_created{pod_named("web-d")}));  // 14
  write_journal(dir.path, events);
  auto s = open_source(dir.path);
  auto chain = bd::why(*s, pod_id("web-d"), bd::k_to_end);
  REQUIRE(chain.ok());
  auto t = [&](std::uint64_t seq) { return bd::format_clock(s->journal().read(seq).value().time_ns); };
  CHECK(bd::chain_text(chain.value()) ==
        fmt::format("pod/web-d created ← RC web reconciled ← pod/web-b evicted by node controller (NodeLost: node "
                    "n2 is NotReady) ← node n2 NotReady since {} (last heartbeat 00:00:01) ← node n2 registered at {}",
                    t(11), t(2)));
}

TEST_CASE("diff_between_two_points_lists_created_changed_and_deleted_objects") {
  temp_dir dir;
  write_journal(dir.path, story());
  auto s = open_source(dir.path);
  auto d = bd::diff_states(bd::state_at(*s, 7).value(), bd::state_at(*s, 13).value());
  std::vector<std::string> summary;
  for (const auto& o : d)
    summary.push_back(fmt::format("{} {}/{}", static_cast<int>(o.what), bd::short_kind(o.id.kind), o.id.name));
  // 0 created, 1 changed, 2 deleted; ordered by kind name, then namespace and name.
  CHECK(summary == std::vector<std::string>{"1 node/n2", "2 pod/web-b", "0 pod/web-c", "1 rc/web"});
}

TEST_CASE("verify_of_a_sound_journal_with_snapshots_finds_nothing") {
  temp_dir dir;
  write_journal(dir.path, story(), {5, 10});
  auto s = open_source(dir.path);
  auto r = bd::verify(*s);
  REQUIRE(r.ok());
  CHECK(r.value().problems.empty());
  CHECK(r.value().records_checked == 13);
  CHECK(r.value().events_folded == 13);
  CHECK(r.value().snapshots_checked == 2);
  CHECK(r.value().final_hash == bm::hash_state(bm::replay(s->journal(), 13).value().state).hex());
}

TEST_CASE("verify_detects_a_corrupted_record_and_keeps_checking_after_it") {
  temp_dir dir;
  write_journal(dir.path, story(), {10});
  std::string bad;
  {
    raw_db raw(dir.path);
    bad = bj::test::flipped(raw.get(raw_db::events, 6), 40);
    raw.put(raw_db::events, 6, bad);
    raw.put(raw_db::events, 9, bj::test::flipped(raw.get(raw_db::events, 9), 41));
  }
  auto s = open_source(dir.path);
  auto r = bd::verify(*s).value();
  REQUIRE(r.problems.size() == 2);
  CHECK(r.problems[0] == bd::verify_problem{6, bj::test::checksum_reason(bad)});
  CHECK(r.problems[1].seq == 9);
  CHECK(r.records_checked == 13);
  CHECK(r.notes == std::vector<std::string>{"the re-fold stopped at seq 6: 1 snapshot(s) after it not compared"});
}

TEST_CASE("verify_detects_a_missing_seq") {
  temp_dir dir;
  write_journal(dir.path, story());
  {
    raw_db raw(dir.path);
    raw.del(raw_db::events, 7);
  }
  auto s = open_source(dir.path);
  auto r = bd::verify(*s).value();
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] == bd::verify_problem{7, "seq 7 is missing (next stored seq is 8)"});
}

TEST_CASE("verify_detects_a_snapshot_whose_hash_does_not_match") {
  temp_dir dir;
  write_journal(dir.path, story());
  bm::cluster_state at10;
  {
    auto j = bj::journal::open(dir.path, {}).value();
    at10 = bm::replay(*j, 10).value().state;
    // A snapshot whose state is self-consistent but is not what the journal folds to.
    auto wrong = at10;
    wrong.ignored_events += 1;
    REQUIRE(j->put_snapshot({10, bm::hash_state(wrong).bytes(), bm::encode_snapshot(wrong)}).ok());
  }
  auto s = open_source(dir.path);
  auto r = bd::verify(*s).value();
  auto wrong = at10;
  wrong.ignored_events += 1;
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0] ==
        bd::verify_problem{10, fmt::format("snapshot: stored hash {} but the re-fold of the journal up to seq 10 "
                                           "hashes to {}",
                                           bm::hash_state(wrong).hex(), bm::hash_state(at10).hex())});
}

TEST_CASE("verify_detects_a_snapshot_whose_state_does_not_hash_to_its_stored_hash") {
  temp_dir dir;
  write_journal(dir.path, story());
  bm::cluster_state at5;
  {
    auto j = bj::journal::open(dir.path, {}).value();
    at5 = bm::replay(*j, 5).value().state;
    REQUIRE(j->put_snapshot({5, std::string(16, '\x07'), bm::encode_snapshot(at5)}).ok());
  }
  auto s = open_source(dir.path);
  auto r = bd::verify(*s).value();
  REQUIRE(r.problems.size() == 2);
  const std::string stored = bm::state_hash::from_bytes(std::string(16, '\x07'))->hex();
  CHECK(r.problems[0] == bd::verify_problem{5, fmt::format("snapshot: stored hash {} but its state hashes to {}",
                                                           stored, bm::hash_state(at5).hex())});
  CHECK(r.problems[1].seq == 5);
}
