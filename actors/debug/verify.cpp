#include "actors/debug/verify.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "actors/model/codec.hpp"
#include "journal/record.hpp"

namespace berth::debug {
namespace {

/// What the snapshots recorded: hash per seq, and whether they were readable.
struct snapshot_facts {
  std::map<std::uint64_t, model::state_hash> recorded;  // readable snapshots only
};

/// Checks each snapshot on its own: frame, decoding, and its state's hash
/// against the hash stored beside it.
snapshot_facts check_snapshots(const source& s, verify_report& report) {
  snapshot_facts facts;
  for (std::uint64_t seq : s.journal().snapshot_seqs()) {
    ++report.snapshots_checked;
    auto stored = s.journal().read_snapshot(seq);
    if (!stored.ok()) {
      report.problems.push_back({seq, stored.err().message});
      continue;
    }
    auto hash = model::state_hash::from_bytes(stored.value().hash);
    if (!hash) {
      report.problems.push_back(
          {seq, fmt::format("snapshot: stored hash has {} bytes, expected 16", stored.value().hash.size())});
      continue;
    }
    std::string why;
    auto state = model::decode_snapshot(stored.value().state, &why);
    if (!state) {
      report.problems.push_back({seq, "snapshot: state does not decode: " + why});
      continue;
    }
    if (auto actual = model::hash_state(*state); actual != *hash)
      report.problems.push_back(
          {seq, fmt::format("snapshot: stored hash {} but its state hashes to {}", hash->hex(), actual.hex())});
    if (state->seq != seq)
      report.problems.push_back({seq, fmt::format("snapshot: holds the state at seq {}", state->seq)});
    facts.recorded.emplace(seq, *hash);
  }
  return facts;
}

/// The re-fold across the stored records, comparing with the snapshots' hashes.
class refold {
 public:
  refold(verify_report& report, const snapshot_facts& snaps) : report_(report), snaps_(snaps) {}

  void record(const journal::frame_view& f) {
    if (broken_at_ != 0) return;
    std::string why;
    auto e = model::decode_event(f.seq, f.time_ns, f.type, f.payload, &why);
    if (!e) {
      report_.problems.push_back({f.seq, "payload: " + why});
      return broken(f.seq);
    }
    model::apply(state_, *e);
    ++report_.events_folded;
    if (auto it = snaps_.recorded.find(f.seq); it != snaps_.recorded.end()) {
      if (auto actual = model::hash_state(state_); actual != it->second)
        report_.problems.push_back({f.seq, fmt::format("snapshot: stored hash {} but the re-fold of the journal "
                                                       "up to seq {} hashes to {}",
                                                       it->second.hex(), f.seq, actual.hex())});
    }
  }
  void broken(std::uint64_t seq) {
    if (broken_at_ == 0) broken_at_ = seq;
  }
  void finish() {
    if (broken_at_ == 0) {
      report_.final_hash = model::hash_state(state_).hex();
      return;
    }
    std::size_t unchecked = 0;
    for (const auto& [seq, _] : snaps_.recorded) unchecked += seq >= broken_at_;
    report_.notes.push_back(
        fmt::format("the re-fold stopped at seq {}: {} snapshot(s) after it not compared", broken_at_, unchecked));
  }

 private:
  verify_report& report_;
  const snapshot_facts& snaps_;
  model::cluster_state state_;
  std::uint64_t broken_at_ = 0;
};

}  // namespace

journal::result<verify_report> verify(const source& s) {
  verify_report report;
  const auto snaps = check_snapshots(s, report);
  refold fold(report, snaps);
  constexpr std::size_t k_batch = 4096;
  std::uint64_t expected = 0;  // 0: take the first stored key
  std::uint64_t from = 0;
  while (true) {
    auto batch = s.read_stored(from, k_batch);
    if (!batch.ok()) return batch.err();
    const auto& values = batch.value();
    for (std::size_t i = 0; i < values.size(); ++i) {
      ++report.records_checked;
      const bool last_value = values.size() < k_batch && i + 1 == values.size();
      auto key = journal::decode_key(values[i].key);
      if (!key) {
        report.problems.push_back(
            {expected, fmt::format("key of {} bytes is not an 8-byte seq", values[i].key.size())});
        fold.broken(expected);
        continue;
      }
      if (report.first_seq == 0) report.first_seq = expected = *key;
      report.last_seq = *key;
      if (*key > expected) {
        report.problems.push_back(
            {expected, *key == expected + 1
                           ? fmt::format("seq {} is missing (next stored seq is {})", expected, *key)
                           : fmt::format("seqs {}..{} are missing (next stored seq is {})", expected, *key - 1, *key)});
        fold.broken(expected);
      }
      expected = *key + 1;
      auto frame = journal::decode_event_frame(*key, values[i].value);
      if (!frame) {
        if (frame.err().kind == journal::damage::torn && last_value) {
          report.notes.push_back(
              fmt::format("seq {}: torn tail ({}): the clean end of the log", *key, frame.err().reason));
        } else {
          report.problems.push_back({*key, frame.err().reason});
          fold.broken(*key);
        }
        continue;
      }
      fold.record(frame.value());
    }
    if (values.size() < k_batch) break;
    from = report.last_seq + 1;
  }
  for (const auto& [seq, _] : snaps.recorded)
    if (seq > report.last_seq)
      report.problems.push_back({seq, fmt::format("snapshot: past the last record, seq {}", report.last_seq)});
  fold.finish();
  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const verify_problem& a, const verify_problem& b) { return a.seq < b.seq; });
  return report;
}

}  // namespace berth::debug
