// replay(): snapshot + tail equals the plain fold, through a real journal.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "journal/writer.hpp"
#include "tests/model/generators.hpp"

namespace berth::model {
namespace {

constexpr std::size_t k_events = 200;

/// A journal in a fresh temporary directory, removed afterwards.
class temp_journal {
 public:
  temp_journal() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "berth-model-replay-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir_ = tmpl;
    auto j = journal::journal::open(dir_ + "/journal", journal::open_options{});
    REQUIRE_MESSAGE(j.ok(), j.err().message);
    journal_ = std::move(j).value();
  }
  ~temp_journal() {
    journal_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  journal::journal& get() { return *journal_; }

 private:
  std::string dir_;
  std::unique_ptr<journal::journal> journal_;
};

/// Appends `events` through the writer; returns them as the journal stamped
/// them (seq and time from the record frames).
std::vector<event> append_all(journal::journal& j, std::vector<event> events) {
  {
    journal::writer w(j);
    for (const event& e : events) {
      auto ack = w.append(type_of(e), encode_event(e)).get();
      REQUIRE_MESSAGE(ack.ok(), ack.err().message);
    }
  }
  auto cursor = j.read_from(1);
  for (event& e : events) {
    auto rec = cursor->next();
    REQUIRE(rec.has_value());
    REQUIRE(rec->seq == e.seq);
    e.time = rec->time_ns;
  }
  return events;
}

cluster_state fold_first(const std::vector<event>& events, std::uint64_t n) {
  cluster_state s;
  for (std::uint64_t i = 0; i < n; ++i) apply(s, events[i]);
  return s;
}

void check_replay(const journal::journal& j, const std::vector<event>& events, std::uint64_t up_to,
                  std::uint64_t snapshot_seq) {
  CAPTURE(up_to);
  auto r = replay(j, up_to);
  REQUIRE_MESSAGE(r.ok(), r.err().message);
  std::uint64_t end = (up_to == 0 || up_to == k_replay_to_end) ? events.size() : up_to;
  cluster_state expected = fold_first(events, end);
  CHECK(r.value().state == expected);
  CHECK(hash_state(r.value().state) == hash_state(expected));
  CHECK(r.value().snapshot_seq == snapshot_seq);
  CHECK(r.value().events_folded == end - snapshot_seq);
}

}  // namespace

TEST_CASE("replay of an empty journal is the empty state") {
  temp_journal tj;
  auto r = replay(tj.get(), 0);
  REQUIRE(r.ok());
  CHECK(r.value().state == cluster_state{});
  CHECK(r.value().events_folded == 0);
  CHECK(r.value().snapshot_seq == 0);
}

TEST_CASE("replay without snapshots equals the fold of the first up_to events") {
  temp_journal tj;
  auto events = append_all(tj.get(), testing::random_stream(21, k_events));
  for (std::uint64_t up_to : {std::uint64_t{1}, std::uint64_t{37}, std::uint64_t{100}, std::uint64_t{k_events}}) {
    check_replay(tj.get(), events, up_to, 0);
  }
  check_replay(tj.get(), events, 0, 0);
  check_replay(tj.get(), events, k_replay_to_end, 0);
  CHECK(replay(tj.get(), 5).value().warnings.empty());
}

TEST_CASE("replay starts from the newest snapshot at or before up_to") {
  temp_journal tj;
  auto events = append_all(tj.get(), testing::random_stream(22, k_events));
  for (std::uint64_t at : {50, 120, 180}) {
    REQUIRE(write_snapshot(tj.get(), fold_first(events, at)).ok());
  }
  check_replay(tj.get(), events, 30, 0);
  check_replay(tj.get(), events, 50, 50);
  check_replay(tj.get(), events, 51, 50);
  check_replay(tj.get(), events, 130, 120);
  check_replay(tj.get(), events, 180, 180);
  check_replay(tj.get(), events, k_replay_to_end, 180);
  CHECK(replay(tj.get(), 0).value().warnings.empty());
}

TEST_CASE("a snapshot whose stored hash does not match is skipped with a warning") {
  temp_journal tj;
  auto events = append_all(tj.get(), testing::random_stream(23, k_events));
  REQUIRE(write_snapshot(tj.get(), fold_first(events, 120)).ok());
  cluster_state at150 = fold_first(events, 150);
  state_hash wrong{1, 2};
  REQUIRE(tj.get().put_snapshot({150, wrong.bytes(), encode_snapshot(at150)}).ok());
  auto r = replay(tj.get(), 160);
  REQUIRE(r.ok());
  CHECK(r.value().snapshot_seq == 120);
  CHECK(r.value().state == fold_first(events, 160));
  REQUIRE(r.value().warnings.size() == 1);
  CHECK(r.value().warnings[0] ==
        "snapshot at seq 150 skipped: stored hash 00000000000000010000000000000002 "
        "but the state hashes to " +
            hash_state(at150).hex());
}

TEST_CASE("snapshots that do not decode or hold another seq are skipped, newest first") {
  temp_journal tj;
  auto events = append_all(tj.get(), testing::random_stream(24, k_events));
  REQUIRE(tj.get().put_snapshot({100, state_hash{}.bytes(), "abc"}).ok());
  cluster_state at40 = fold_first(events, 40);
  REQUIRE(tj.get().put_snapshot({90, hash_state(at40).bytes(), encode_snapshot(at40)}).ok());
  REQUIRE(tj.get().put_snapshot({80, "short", encode_snapshot(fold_first(events, 80))}).ok());
  auto r = replay(tj.get(), 0);
  REQUIRE(r.ok());
  CHECK(r.value().snapshot_seq == 0);
  CHECK(r.value().state == fold_first(events, k_events));
  CHECK(r.value().warnings ==
        std::vector<std::string>{"snapshot at seq 100 skipped: snapshot size 3 is not a multiple of 8",
                                 "snapshot at seq 90 skipped: it holds the state at seq 40",
                                 "snapshot at seq 80 skipped: stored hash has 5 bytes, expected 16"});
}

TEST_CASE("replay beyond the last record is an invalid argument") {
  temp_journal tj;
  append_all(tj.get(), testing::random_stream(25, 10));
  auto r = replay(tj.get(), 11);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().code == journal::error_code::invalid_argument);
  CHECK(r.err().message == "replay to seq 11: the journal ends at seq 10");
}

TEST_CASE("a record that does not decode stops replay with its seq") {
  temp_journal tj;
  append_all(tj.get(), testing::random_stream(26, 10));
  {
    journal::writer w(tj.get());
    event e;
    e.payload = rc_scaled{3};
    REQUIRE(w.append(5, encode_event(e)).get().ok());
  }
  CHECK(replay(tj.get(), 10).ok());
  auto r = replay(tj.get(), 11);
  REQUIRE_FALSE(r.ok());
  CHECK(r.err().code == journal::error_code::corruption);
  CHECK(r.err().message == "seq 11: type 5 (podBound) in frame but payload holds 3 (rcScaled)");
}

TEST_CASE("write_snapshot stores the encoded state and its hash at state.seq") {
  temp_journal tj;
  auto events = append_all(tj.get(), testing::random_stream(27, 20));
  cluster_state s = fold_first(events, 15);
  REQUIRE(write_snapshot(tj.get(), s).ok());
  CHECK(tj.get().snapshot_seqs() == std::vector<std::uint64_t>{15});
  auto stored = tj.get().read_snapshot(15);
  REQUIRE(stored.ok());
  CHECK(stored.value().hash == hash_state(s).bytes());
  CHECK(decode_snapshot(stored.value().state) == s);
}

}  // namespace berth::model
