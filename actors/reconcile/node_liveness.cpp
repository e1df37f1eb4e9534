#include "actors/reconcile/node_liveness.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

constexpr std::int64_t k_ns_per_s = 1'000'000'000;
constexpr std::int64_t k_s_per_day = 86'400;

/// The node's Ready condition when it is not True (NotReady or Unknown), else nullptr.
const model::condition* not_ready_condition(const model::node& n) {
  const auto* c = node_ready_condition(n);
  if (c == nullptr || c->status == model::condition_status::is_true) return nullptr;
  return c;
}

/// True when the node has been NotReady for longer than the eviction timeout.
bool eviction_due(const model::condition& not_ready, model::time_ns now, const liveness_config& cfg) {
  return now - not_ready.last_transition_time > cfg.eviction_timeout.count();
}

}  // namespace

std::string clock_text(model::time_ns t) {
  std::int64_t s = t / k_ns_per_s;
  if (t < 0 && t % k_ns_per_s != 0) --s;  // floor, so times before 1970 still print a time of day
  s = ((s % k_s_per_day) + k_s_per_day) % k_s_per_day;
  return fmt::format("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
}

std::string check_config(const liveness_config& cfg) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  auto ms = [](std::chrono::nanoseconds d) { return duration_cast<milliseconds>(d).count(); };
  if (cfg.heartbeat_interval.count() <= 0 || cfg.grace_period.count() <= 0 || cfg.eviction_timeout.count() <= 0) {
    return fmt::format(
        "liveness durations must be positive: heartbeat_interval {}ms, "
        "grace_period {}ms, eviction_timeout {}ms",
        ms(cfg.heartbeat_interval), ms(cfg.grace_period), ms(cfg.eviction_timeout));
  }
  if (cfg.grace_period < cfg.heartbeat_interval) {
    return fmt::format("grace_period {}ms must be at least heartbeat_interval {}ms", ms(cfg.grace_period),
                       ms(cfg.heartbeat_interval));
  }
  return {};
}

node_verdict assess_node(const model::node& n, model::time_ns last_heartbeat, model::time_ns now,
                         const liveness_config& cfg) {
  node_verdict v;
  const auto* ready = node_ready_condition(n);
  if (ready == nullptr) return v;
  if (ready->status == model::condition_status::is_true) {
    const model::time_ns deadline = last_heartbeat + cfg.grace_period.count();
    if (now > deadline) {
      v.mark_not_ready = true;
      v.reason = "NodeStatusUnknown";
      v.message =
          fmt::format("berth-agent stopped posting node status (last heartbeat {})", clock_text(last_heartbeat));
      // Once marked, the transition happens now: eviction comes after the timeout.
      v.recheck_at = now + cfg.eviction_timeout.count() + 1;
    } else {
      v.recheck_at = deadline + 1;
    }
    return v;
  }
  v.evict = eviction_due(*ready, now, cfg);
  if (!v.evict) v.recheck_at = ready->last_transition_time + cfg.eviction_timeout.count() + 1;
  return v;
}

std::vector<pod_eviction> pods_to_evict(const model::node& n, const std::vector<model::pod>& pods_on_node,
                                        model::time_ns now, const liveness_config& cfg) {
  std::vector<pod_eviction> out;
  const auto* not_ready = not_ready_condition(n);
  if (not_ready == nullptr || !eviction_due(*not_ready, now, cfg)) return out;
  const model::reason why{"NodeLost", fmt::format("node {} has been NotReady for {} (eviction timeout {})",
                                                  n.metadata.name, seconds_text(now - not_ready->last_transition_time),
                                                  seconds_text(cfg.eviction_timeout.count()))};
  for (const auto& p : pods_on_node) {
    if (p.spec.node_name == n.metadata.name && !is_terminating(p)) out.push_back({ref_of(p), why});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pod < b.pod; });
  return out;
}

}  // namespace berth::reconcile
