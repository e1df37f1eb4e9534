// Reading events and states from a source, and diffing two states.
#include "actors/debug/queries.hpp"

#include <set>

#include <fmt/format.h>

#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"

namespace berth::debug {

namespace {
journal::result<model::event> decode(const journal::record& r) {
  std::string why;
  auto e = model::decode_event(r.seq, r.time_ns, r.type, r.payload, &why);
  if (!e) return journal::error{journal::error_code::corruption, fmt::format("seq {}: {}", r.seq, why)};
  return std::move(*e);
}
}  // namespace

journal::result<model::event> read_event(const source& s, std::uint64_t seq) {
  auto r = s.journal().read(seq);
  if (!r.ok()) return r.err();
  return decode(r.value());
}

journal::status for_each_event(const source& s, std::uint64_t from, std::uint64_t to,
                               const std::function<bool(const model::event&, const journal::record&)>& visit) {
  const auto& j = s.journal();
  from = std::max(from, j.first_seq());
  to = std::min(to, j.last_seq());
  if (from == 0 || from > to) return {};
  auto cursor = j.read_from(from);
  for (std::uint64_t expected = from; expected <= to; ++expected) {
    auto r = cursor->next();
    if (!r) {
      if (cursor->err()) return *cursor->err();
      return journal::error{journal::error_code::corruption,
                            fmt::format("the journal ends at seq {}, before seq {}", expected - 1, to)};
    }
    auto e = decode(*r);
    if (!e.ok()) return e.err();
    if (!visit(e.value(), *r)) break;
  }
  return {};
}

journal::result<model::cluster_state> state_at(const source& s, std::uint64_t seq) {
  auto r = model::replay(s.journal(), seq);
  if (!r.ok()) return r.err();
  return std::move(r.value().state);
}

std::vector<object_diff> diff_states(const model::cluster_state& a, const model::cluster_state& b) {
  std::set<object_id> ids;
  for (auto& id : objects_in(a)) ids.insert(std::move(id));
  for (auto& id : objects_in(b)) ids.insert(std::move(id));
  std::vector<object_diff> out;
  for (const auto& id : ids) {
    auto before = object_json(a, id), after = object_json(b, id);
    if (before && after) {
      auto changes = diff_fields(flatten_json(*before), flatten_json(*after));
      if (!changes.empty()) out.push_back({id, object_diff::change::changed, std::move(changes)});
    } else if (after) {
      out.push_back({id, object_diff::change::created, diff_fields({}, flatten_json(*after))});
    } else {
      out.push_back({id, object_diff::change::deleted, diff_fields(flatten_json(*before), {})});
    }
  }
  return out;
}

}  // namespace berth::debug
