// One object's story: its history (every event naming it, with the fields
// each changed) and the causal chain behind its last change.
#include <algorithm>

#include <fmt/format.h>

#include "actors/debug/queries.hpp"
#include "actors/debug/words.hpp"

namespace berth::debug {
namespace {

/// The seqs to fold for `id`'s history: its own and those its rules read (state.cpp).
journal::result<std::vector<std::uint64_t>> lens_seqs(const source& s, const object_id& id,
                                                      const std::vector<std::uint64_t>& own) {
  std::vector<std::uint64_t> seqs = own;
  std::optional<object_id> dependency;
  if (id.kind == model::k_kind_pod) dependency = object_id{model::k_kind_node, "", ""};  // every node
  if (id.kind == model::k_kind_endpoints) dependency = object_id{model::k_kind_service, id.namespace_, id.name};
  // A binding needs both sides in the lens: a claim's rules read every volume, a volume's every claim.
  if (id.kind == model::k_kind_persistent_volume_claim)
    dependency = object_id{model::k_kind_persistent_volume, "", ""};
  if (id.kind == model::k_kind_persistent_volume)
    dependency = object_id{model::k_kind_persistent_volume_claim, "", ""};
  if (dependency) {
    auto more = s.object_seqs(*dependency);
    if (!more.ok()) return more.err();
    seqs.insert(seqs.end(), more.value().begin(), more.value().end());
    std::sort(seqs.begin(), seqs.end());
    seqs.erase(std::unique(seqs.begin(), seqs.end()), seqs.end());
  }
  return seqs;
}

bool names(const model::event& e, const object_id& id) { return object_of(e) == id; }

journal::error no_events(const object_id& id, std::uint64_t up_to) {
  return {journal::error_code::not_found,
          up_to == k_to_end ? fmt::format("no event in the journal names {}/{}", short_kind(id.kind), id.name)
                            : fmt::format("no event up to seq {} names {}/{}", up_to, short_kind(id.kind), id.name)};
}

}  // namespace

journal::result<std::vector<history_entry>> history(const source& s, const object_id& id, std::uint64_t up_to) {
  auto own = s.object_seqs(id);
  if (!own.ok()) return own.err();
  std::erase_if(own.value(), [&](std::uint64_t q) { return q > up_to; });
  if (own.value().empty()) return no_events(id, up_to);
  if (s.journal().first_seq() > 1)
    return journal::error{
        journal::error_code::not_found,
        fmt::format("history needs the journal from seq 1; it starts at seq {}", s.journal().first_seq())};
  auto seqs = lens_seqs(s, id, own.value());
  if (!seqs.ok()) return seqs.err();
  model::cluster_state lens;
  std::vector<history_entry> out;
  for (std::uint64_t seq : seqs.value()) {
    if (seq > own.value().back()) break;
    auto e = read_event(s, seq);
    if (!e.ok()) return e.err();
    if (!names(e.value(), id)) {
      model::apply(lens, e.value());
      continue;
    }
    history_entry h;
    auto before = object_json(lens, id);
    h.applied = model::apply(lens, e.value()) == model::apply_outcome::applied;
    auto after = object_json(lens, id);
    h.existed_before = before.has_value();
    h.exists_after = after.has_value();
    h.changes =
        diff_fields(before ? flatten_json(*before) : flat_fields{}, after ? flatten_json(*after) : flat_fields{});
    h.event = std::move(e.value());
    out.push_back(std::move(h));
  }
  return out;
}

journal::result<std::vector<why_step>> why(const source& s, const object_id& id, std::uint64_t at) {
  auto own = s.object_seqs(id);
  if (!own.ok()) return own.err();
  auto last = std::upper_bound(own.value().begin(), own.value().end(), at);
  if (last == own.value().begin()) return no_events(id, at);
  std::vector<model::event> events;
  auto e = read_event(s, *std::prev(last));
  if (!e.ok()) return e.err();
  events.push_back(std::move(e.value()));
  std::string end_note;
  const auto& j = s.journal();
  constexpr std::size_t k_max_steps = 64;  // causes always point back in time; this only bounds bad data
  while (events.back().header.cause != 0 && events.size() < k_max_steps) {
    const std::uint64_t cause = events.back().header.cause;
    if (cause >= events.back().seq) {
      end_note = fmt::format("(cause seq {} is not older than seq {}: the chain stops)", cause, events.back().seq);
      break;
    }
    if (cause < j.first_seq()) {
      end_note = fmt::format("(cause seq {} is no longer in the journal)", cause);
      break;
    }
    auto c = read_event(s, cause);
    if (!c.ok()) return c.err();
    events.push_back(std::move(c.value()));
  }
  std::vector<why_step> chain;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const model::event* effect = i == 0 ? nullptr : &events[i - 1];
    const model::event* cause = i + 1 < events.size() ? &events[i + 1] : nullptr;
    std::string phrase = chain_phrase(events[i], effect);
    if (auto rc = reconcile_phrase(events[i], cause); !rc.empty()) phrase += " ← " + rc;
    chain.push_back({events[i], std::move(phrase)});
  }
  if (!end_note.empty()) chain.back().phrase += " " + end_note;
  return chain;
}

std::string chain_text(const std::vector<why_step>& chain) {
  std::string out;
  for (const auto& step : chain) out += (out.empty() ? "" : " ← ") + step.phrase;
  return out;
}

}  // namespace berth::debug
