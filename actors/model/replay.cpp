#include "actors/model/replay.hpp"

#include <optional>
#include <utility>

#include <fmt/format.h>

#include "actors/model/codec.hpp"

namespace berth::model {
namespace {

using journal::error;
using journal::error_code;

/// The state stored in snapshot `seq`, or nullopt with the reason it cannot be
/// trusted appended to `warnings`.
std::optional<cluster_state> load_snapshot(const journal::journal& j, std::uint64_t seq,
                                           std::vector<std::string>& warnings) {
  auto skip = [&](const std::string& why) -> std::optional<cluster_state> {
    warnings.push_back(fmt::format("snapshot at seq {} skipped: {}", seq, why));
    return std::nullopt;
  };
  auto stored = j.read_snapshot(seq);
  if (!stored) return skip(fmt::format("{}: {}", journal::to_string(stored.err().code), stored.err().message));
  std::string why;
  auto state = decode_snapshot(stored.value().state, &why);
  if (!state) return skip(why);
  if (state->seq != seq) return skip(fmt::format("it holds the state at seq {}", state->seq));
  auto expected = state_hash::from_bytes(stored.value().hash);
  if (!expected) {
    return skip(fmt::format("stored hash has {} bytes, expected 16", stored.value().hash.size()));
  }
  state_hash actual = hash_state(*state);
  if (actual != *expected) {
    return skip(fmt::format("stored hash {} but the state hashes to {}", expected->hex(), actual.hex()));
  }
  return state;
}

/// The newest trustworthy snapshot at or before `up_to` that the retained
/// events can continue from (its seq >= first_seq - 1).
std::optional<cluster_state> newest_snapshot(const journal::journal& j, std::uint64_t up_to,
                                             std::vector<std::string>& warnings) {
  std::vector<std::uint64_t> seqs = j.snapshot_seqs();
  std::uint64_t first = j.first_seq();
  for (auto it = seqs.rbegin(); it != seqs.rend(); ++it) {
    if (*it > up_to) continue;
    if (first > 1 && *it + 1 < first) {
      warnings.push_back(fmt::format("snapshot at seq {} skipped: events before seq {} are gone", *it, first));
      continue;
    }
    if (auto s = load_snapshot(j, *it, warnings)) return s;
  }
  return std::nullopt;
}

/// Folds records from.seq+1 .. up_to into `r`.
journal::status fold_events(const journal::journal& j, std::uint64_t up_to, replay_result& r) {
  std::uint64_t expected = r.state.seq + 1;
  if (expected > up_to) return {};
  std::unique_ptr<journal::cursor> cursor = j.read_from(expected);
  for (; expected <= up_to; ++expected) {
    std::optional<journal::record> rec = cursor->next();
    if (!rec) {
      if (cursor->err()) return *cursor->err();
      return error{error_code::corruption,
                   fmt::format("replay to seq {}: the journal ends before seq {}", up_to, expected)};
    }
    if (rec->seq != expected) {
      return error{error_code::corruption, fmt::format("replay: expected seq {}, read seq {}", expected, rec->seq)};
    }
    std::string why;
    auto e = decode_event(rec->seq, rec->time_ns, rec->type, rec->payload, &why);
    if (!e) return error{error_code::corruption, fmt::format("seq {}: {}", rec->seq, why)};
    apply(r.state, *e);
    ++r.events_folded;
  }
  return {};
}

}  // namespace

journal::result<replay_result> replay(const journal::journal& j, std::uint64_t up_to_seq) {
  std::uint64_t last = j.last_seq();
  std::uint64_t up_to = (up_to_seq == 0 || up_to_seq == k_replay_to_end) ? last : up_to_seq;
  if (up_to > last) {
    return error{error_code::invalid_argument,
                 fmt::format("replay to seq {}: the journal ends at seq {}", up_to, last)};
  }
  replay_result r;
  if (auto s = newest_snapshot(j, up_to, r.warnings)) {
    r.state = std::move(*s);
    r.snapshot_seq = r.state.seq;
  } else if (j.first_seq() > 1) {
    return error{error_code::not_found,
                 fmt::format("replay to seq {}: events before seq {} are gone and no valid snapshot "
                             "covers them",
                             up_to, j.first_seq())};
  }
  if (journal::status st = fold_events(j, up_to, r); !st) return st.err();
  return r;
}

journal::status write_snapshot(journal::journal& j, const cluster_state& s) {
  return j.put_snapshot(journal::snapshot{s.seq, hash_state(s).bytes(), encode_snapshot(s)});
}

}  // namespace berth::model
