#include "actors/introspect/registry.hpp"

#include <algorithm>
#include <charconv>

namespace berth::introspect {

std::int64_t unix_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

/// Unix ns of a steady-clock time, through an offset taken once: the message
/// path reads one clock, not two.
std::int64_t unix_ns_of(std::chrono::steady_clock::time_point t) {
  static const std::int64_t offset =
      unix_now_ns() -
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count() + offset;
}

/// +by on a counter that only one thread writes.
template <class T>
void bump(std::atomic<T>& a, T by = 1) {
  a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

/// Bucket bounds in ns, so that observing needs no floating point.
constexpr auto k_bounds_ns = [] {
  std::array<std::int64_t, k_bucket_bounds.size()> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int64_t>(k_bucket_bounds[i] * 1e9 + 0.5);
  return out;
}();

}  // namespace

// ---------------------------------------------------------------- histogram

void histogram::observe(std::chrono::nanoseconds d) {
  std::size_t i = 0;
  while (i < k_bounds_ns.size() && d.count() > k_bounds_ns[i]) ++i;
  bump(counts_[i]);
  bump(sum_ns_, static_cast<std::uint64_t>(d.count()));
}

histogram_snapshot histogram::snapshot() const {
  histogram_snapshot s;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    s.counts[i] = counts_[i].load(std::memory_order_relaxed);
    s.count += s.counts[i];
  }
  s.sum_seconds = static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9;
  return s;
}

// ---------------------------------------------------------------- actor_stats

void actor_stats::on_handled(const char* type, std::chrono::steady_clock::time_point started,
                             std::chrono::steady_clock::time_point finished) {
  auto now = unix_ns_of(finished);
  auto second = now / 1'000'000'000;
  auto slot = static_cast<std::size_t>(second % static_cast<std::int64_t>(per_second.size()));
  if (slot_second[slot].load(std::memory_order_relaxed) != second) {
    // Only this actor's thread writes slots: reset, then claim.
    per_second[slot].store(0, std::memory_order_relaxed);
    slot_second[slot].store(second, std::memory_order_relaxed);
  }
  bump(per_second[slot]);
  processing.observe(std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started));
  last_type.store(type, std::memory_order_relaxed);
  last_ns.store(now, std::memory_order_relaxed);
  handled.store(handled.load(std::memory_order_relaxed) + 1, std::memory_order_release);
}

double actor_stats::rate_10s(std::int64_t now_second) const {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < per_second.size(); ++i) {
    auto s = slot_second[i].load(std::memory_order_relaxed);
    if (s < now_second && s >= now_second - 10) sum += per_second[i].load(std::memory_order_relaxed);
  }
  return static_cast<double>(sum) / 10.0;
}

// ---------------------------------------------------------------- trace_session

trace_session::trace_session(std::uint64_t actor, trace_limits limits, std::shared_ptr<std::atomic<int>> running,
                             std::shared_ptr<std::atomic<int>> traces)
    : actor_(actor), running_(std::move(running)), traces_(std::move(traces)) {
  limits_.duration = std::clamp(limits.duration, std::chrono::milliseconds(1), k_max_trace_duration);
  limits_.max_events = std::clamp<std::uint32_t>(limits.max_events, 1, k_max_trace_events);
  deadline_ = std::chrono::steady_clock::now() + limits_.duration;
  running_->fetch_add(1);
  traces_->fetch_add(1);
}

trace_session::~trace_session() {
  std::lock_guard lock(mutex_);
  finish_locked("client gone");
}

void trace_session::finish_locked(const std::string& reason) {
  if (!stopped_.empty()) return;
  stopped_ = reason;
  running_->fetch_sub(1);
  traces_->fetch_sub(1);
}

bool trace_session::record(trace_event e) {
  std::lock_guard lock(mutex_);
  if (!stopped_.empty()) return false;
  if (std::chrono::steady_clock::now() >= deadline_) {
    finish_locked("time");
    return false;
  }
  e.seq = events_.size() + 1;
  events_.push_back(std::move(e));
  if (events_.size() >= limits_.max_events) finish_locked("limit");
  return true;
}

std::vector<trace_event> trace_session::take(std::uint64_t after_seq, std::size_t max) const {
  std::lock_guard lock(mutex_);
  std::vector<trace_event> out;
  for (auto i = after_seq; i < events_.size() && out.size() < max; ++i) out.push_back(events_[i]);
  return out;
}

std::string trace_session::stopped_reason() {
  std::lock_guard lock(mutex_);
  if (stopped_.empty() && std::chrono::steady_clock::now() >= deadline_) finish_locked("time");
  return stopped_;
}

void trace_session::stop(const std::string& reason) {
  std::lock_guard lock(mutex_);
  finish_locked(reason);
}

std::uint64_t trace_session::events() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

// ---------------------------------------------------------------- registry

std::shared_ptr<actor_stats> registry::add(std::uint64_t id, std::uint64_t parent) {
  auto s = std::make_shared<actor_stats>();
  s->id = id;
  s->parent = parent;
  s->spawned_ns = unix_now_ns();
  std::lock_guard lock(mutex_);
  entries_[id].stats = s;
  return s;
}

void registry::enroll(std::uint64_t id, std::string kind, std::string object, std::string owner, state_asker ask) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;  // already exited
  auto& e = it->second;
  if (!e.name.empty()) by_name_.erase(e.name);
  e.name = object.empty() ? kind : kind + "/" + object;
  e.kind = std::move(kind);
  e.object = std::move(object);
  e.owner = std::move(owner);
  e.ask = std::move(ask);
  by_name_[e.name] = id;
}

void registry::end_traces_locked(entry& e, const std::string& reason) {
  for (auto& t : e.traces) t->stop(reason);
  e.traces.clear();
}

void registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  auto& e = it->second;
  end_traces_locked(e, "actor exited");
  if (!e.name.empty()) {
    auto& totals = exited_[e.kind];
    totals.handled += e.stats->handled.load(std::memory_order_relaxed);
    auto h = e.stats->processing.snapshot();
    for (std::size_t i = 0; i < h.counts.size(); ++i) totals.processing.counts[i] += h.counts[i];
    totals.processing.sum_seconds += h.sum_seconds;
    totals.processing.count += h.count;
    if (auto n = by_name_.find(e.name); n != by_name_.end() && n->second == id) by_name_.erase(n);
  }
  entries_.erase(it);
}

const registry::entry* registry::find_locked(const std::string& key) const {
  if (auto n = by_name_.find(key); n != by_name_.end()) return &entries_.at(n->second);
  std::string_view digits = key;
  if (!digits.empty() && digits.front() == '#') digits.remove_prefix(1);
  std::uint64_t id = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return nullptr;
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second.name.empty()) return nullptr;
  return &it->second;
}

actor_info registry::info_locked(const entry& e, std::int64_t now_second) const {
  const auto& s = *e.stats;
  actor_info i;
  i.id = s.id;
  i.name = e.name;
  i.kind = e.kind;
  i.object = e.object;
  i.parent = s.parent;
  if (auto p = entries_.find(s.parent); p != entries_.end()) i.parent_name = p->second.name;
  i.owner = e.owner;
  i.spawned_ns = s.spawned_ns;
  i.handled = s.handled.load(std::memory_order_acquire);
  auto enqueued = s.enqueued.load(std::memory_order_acquire);
  i.mailbox = enqueued > i.handled ? enqueued - i.handled : 0;
  i.rate_per_second = s.rate_10s(now_second);
  i.processing = s.processing.snapshot();
  if (auto* t = s.last_type.load(std::memory_order_relaxed)) i.last_message = t;
  i.last_message_ns = s.last_ns.load(std::memory_order_relaxed);
  i.tracing = s.traced();
  return i;
}

std::vector<actor_info> registry::list() const {
  auto now_second = unix_now_ns() / 1'000'000'000;
  std::lock_guard lock(mutex_);
  std::vector<actor_info> out;
  out.reserve(entries_.size());
  for (const auto& [id, e] : entries_)
    if (!e.name.empty()) out.push_back(info_locked(e, now_second));
  return out;
}

std::optional<actor_info> registry::find(const std::string& id_or_name) const {
  auto now_second = unix_now_ns() / 1'000'000'000;
  std::lock_guard lock(mutex_);
  const auto* e = find_locked(id_or_name);
  if (!e) return std::nullopt;
  return info_locked(*e, now_second);
}

std::size_t registry::size() const {
  std::lock_guard lock(mutex_);
  return by_name_.size();
}

void registry::inspect(const std::string& id_or_name, state_callback done) const {
  state_asker ask;
  {
    std::lock_guard lock(mutex_);
    if (const auto* e = find_locked(id_or_name)) ask = e->ask;
  }
  if (!ask) return done(std::nullopt, "no actor named " + id_or_name);
  ask(std::move(done));  // outside the lock: it sends a message
}

std::shared_ptr<trace_session> registry::trace(const std::string& id_or_name, trace_limits limits) {
  std::lock_guard lock(mutex_);
  const auto* found = find_locked(id_or_name);
  if (!found) return nullptr;
  auto& e = entries_.at(found->stats->id);
  // Ended sessions are dropped here and on the message path.
  std::erase_if(e.traces, [](const auto& t) { return !t->stopped_reason().empty(); });
  auto t = std::make_shared<trace_session>(e.stats->id, limits, traces_running_, e.stats->traces);
  e.traces.push_back(t);
  return t;
}

void registry::record(std::uint64_t actor, const std::function<trace_event()>& make) {
  std::vector<std::shared_ptr<trace_session>> traces;
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(actor);
    if (it == entries_.end() || it->second.traces.empty()) return;
    auto& list = it->second.traces;
    std::erase_if(list, [](const auto& t) { return !t->stopped_reason().empty(); });
    if (list.empty()) return;
    traces = list;
  }
  auto e = make();
  for (auto& t : traces) t->record(e);
}

std::string registry::name_of(std::uint64_t id) const {
  std::lock_guard lock(mutex_);
  if (auto it = entries_.find(id); it != entries_.end() && !it->second.name.empty()) return it->second.name;
  std::string out = "#";  // appended, not "#" + ...: g++ 12 -O3 warns falsely (-Wrestrict) on that
  out += std::to_string(id);
  return out;
}

std::map<std::string, std::uint64_t> registry::handled_by_exited() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::uint64_t> out;
  for (const auto& [kind, totals] : exited_) out[kind] = totals.handled;
  return out;
}

registry_snapshot registry::snapshot() const {
  auto now_second = unix_now_ns() / 1'000'000'000;
  registry_snapshot s;
  std::lock_guard lock(mutex_);
  s.actors.reserve(entries_.size());
  for (const auto& [id, e] : entries_)
    if (!e.name.empty()) s.actors.push_back(info_locked(e, now_second));
  s.exited = exited_;
  return s;
}

}  // namespace berth::introspect
