#include "actors/store/watch_cache.hpp"

#include <fmt/format.h>

namespace berth::store {
namespace {

std::size_t strings_bytes(const std::map<std::string, std::string>& m) {
  std::size_t n = 0;
  for (const auto& [k, v] : m) n += k.size() + v.size() + 64;  // + a map node
  return n;
}

std::size_t type_index(actors::watch_event_type t) { return static_cast<std::size_t>(t) % 3; }

}  // namespace

std::size_t estimated_bytes(const actors::any_object& o) {
  const auto& m = actors::meta_of(o);
  // The fixed part covers the object's scalars, spec and status; pods with
  // many containers or large annotations weigh more.
  return 1024 + m.name.size() + m.namespace_.size() + strings_bytes(m.labels) + strings_bytes(m.annotations);
}

void watch_cache::start(std::uint64_t seq) {
  started_ = true;
  seq_ = window_start_ = seq;
  window_.clear();
  changes_ = bytes_ = 0;
}

void watch_cache::fold(std::shared_ptr<const fold_batch> batch) {
  if (!started_ || !batch || batch->seq <= seq_) return;
  seq_ = batch->seq;
  entry e;
  e.batch = std::move(batch);
  e.object_memos.resize(e.batch->touched.size());
  for (const auto& t : e.batch->touched) {
    if (t.before) e.bytes += estimated_bytes(*t.before);
    if (t.after) e.bytes += estimated_bytes(*t.after);
  }
  changes_ += e.batch->touched.size();
  bytes_ += e.bytes;
  window_.push_back(std::move(e));
  auto& added = window_.back();
  std::vector<std::uint64_t> slow;
  for (const auto& [id, w] : watchers_)
    if (added.batch->seq > w.from && !hand(added, w)) slow.push_back(id);
  for (auto id : slow) close_slow(id);
  evict();
}

void watch_cache::evict() {
  // The newest batch stays even when it alone is over the bounds.
  while (window_.size() > 1 && (changes_ > limits_.max_changes || bytes_ > limits_.max_bytes)) {
    const auto& oldest = window_.front();
    changes_ -= oldest.batch->touched.size();
    bytes_ -= oldest.bytes;
    window_start_ = oldest.batch->seq;
    window_.pop_front();
  }
}

void watch_cache::make_rows(entry& e) {
  if (e.rows_made) return;
  e.rows_made = true;
  const auto& b = *e.batch;
  e.rows.resize(b.touched.size());
  e.row_memos.resize(b.touched.size());
  if (!b.event) return;
  for (std::size_t i = 0; i < b.touched.size(); ++i) e.rows[i] = row_of(*b.event, b.touched[i]);
}

bool watch_cache::hand(entry& e, const watcher_state& w) {
  const auto& b = *e.batch;
  bool any = false;
  select(
      w.spec, b,
      [&](std::size_t i) -> const event_row* {
        make_rows(e);
        return e.rows[i] ? &*e.rows[i] : nullptr;
      },
      [&](const selected& s) {
        any = true;
        delivery d;
        d.seq = b.seq;
        d.type = s.type;
        if (s.is_event) {
          d.event = &*e.rows[s.change];
          d.memo = &e.row_memos[s.change];
        } else {
          const auto& t = b.touched[s.change];
          d.object = s.type == actors::watch_event_type::deleted ? &*t.before : &*t.after;
          d.memo = &e.object_memos[s.change][type_index(s.type)];
        }
        w.sink->deliver(d);
      });
  return !any || w.sink->backlog_bytes() <= limits_.watcher_backlog_bytes;
}

void watch_cache::close_slow(std::uint64_t id) {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return;
  auto sink = std::move(it->second.sink);
  auto backlog = sink->backlog_bytes();
  watchers_.erase(it);
  sink->close(close_code::too_slow,
              fmt::format("the client reads too slowly: {} bytes not taken (limit {}); list and watch again", backlog,
                          limits_.watcher_backlog_bytes));
}

void watch_cache::add(std::uint64_t id, watch_spec spec, std::uint64_t from, std::shared_ptr<cache_sink> sink) {
  if (!covers(from)) {
    sink->close(close_code::expired, fmt::format("too old resource version: {} ({})", from, window_start_));
    return;
  }
  auto& w = watchers_[id] = watcher_state{std::move(spec), from, std::move(sink)};
  for (auto& e : window_) {
    if (e.batch->seq <= from) continue;
    if (!hand(e, w)) return close_slow(id);
  }
}

std::optional<std::uint64_t> watch_cache::bookmark(std::uint64_t id) const {
  auto it = watchers_.find(id);
  if (it == watchers_.end()) return std::nullopt;
  return std::max(it->second.from, seq_);
}

}  // namespace berth::store
