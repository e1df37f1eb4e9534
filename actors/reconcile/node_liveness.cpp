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
  if (cfg.heartbeat_interval * 3 > cfg.grace_period) {
    return fmt::format("heartbeat_interval {}ms must be at most a third of grace_period {}ms",
                       ms(cfg.heartbeat_interval), ms(cfg.grace_period));
  }
  return {};
}

namespace {

constexpr const char* k_interval_key = "berth.dev/heartbeat-interval-ms";
constexpr const char* k_grace_key = "berth.dev/grace-period-ms";
constexpr const char* k_eviction_key = "berth.dev/eviction-timeout-ms";

std::optional<std::chrono::nanoseconds> annotated_ms(const model::node& n, const char* key) {
  auto it = n.metadata.annotations.find(key);
  if (it == n.metadata.annotations.end() || it->second.empty() || it->second.size() > 15) return std::nullopt;
  std::int64_t v = 0;
  for (char ch : it->second) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + (ch - '0');
  }
  return std::chrono::milliseconds(v);
}

}  // namespace

void annotate(model::node& n, const heartbeat_contract& c) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  auto& a = n.metadata.annotations;
  a[k_interval_key] = std::to_string(duration_cast<milliseconds>(c.interval).count());
  a[k_grace_key] = std::to_string(duration_cast<milliseconds>(c.grace_period).count());
  a[k_eviction_key] = std::to_string(duration_cast<milliseconds>(c.eviction_timeout).count());
}

std::optional<heartbeat_contract> contract_of(const model::node& n) {
  auto i = annotated_ms(n, k_interval_key), g = annotated_ms(n, k_grace_key), e = annotated_ms(n, k_eviction_key);
  if (!i || !g || !e) return std::nullopt;
  return heartbeat_contract{*i, *g, *e};
}

std::string duration_text(std::chrono::nanoseconds d) {
  using namespace std::chrono;
  auto ms = duration_cast<milliseconds>(d).count();
  if (ms % 60'000 == 0 && ms >= 60'000) return fmt::format("{}m", ms / 60'000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  if (ms < 1000) return fmt::format("{}ms", ms);
  return fmt::format("{}s", static_cast<double>(ms) / 1000.0);
}

std::optional<heartbeat_contract> negotiate_heartbeat(const liveness_config& cfg, std::chrono::nanoseconds requested,
                                                      std::string& error) {
  heartbeat_contract c{cfg.heartbeat_interval, cfg.grace_period, cfg.eviction_timeout};
  if (requested.count() < 0) {
    error = fmt::format("heartbeat interval {} must not be negative", duration_text(requested));
    return std::nullopt;
  }
  if (requested.count() == 0) return c;
  if (requested * 3 > cfg.grace_period) {
    error = fmt::format(
        "the agent's --heartbeat-interval {} is more than a third of berthd's --grace-period {} "
        "(a healthy node would flap); use at most {}, or leave the flag out to get berthd's {}",
        duration_text(requested), duration_text(cfg.grace_period), duration_text(cfg.grace_period / 3),
        duration_text(cfg.heartbeat_interval));
    return std::nullopt;
  }
  c.interval = requested;
  return c;
}

model::time_ns restored_heartbeat(model::time_ns journaled, model::time_ns restart, const liveness_config& cfg,
                                  std::chrono::nanoseconds reconnect_window) {
  auto allowance = std::min(cfg.grace_period, reconnect_window + cfg.heartbeat_interval);
  model::time_ns earliest = restart - cfg.grace_period.count() + allowance.count();
  return std::min(restart, std::max(journaled, earliest));
}

bool heartbeat_due(model::time_ns journaled, model::time_ns now, const liveness_config& cfg,
                   std::chrono::nanoseconds reconnect_window) {
  if (cfg.grace_period <= reconnect_window + cfg.heartbeat_interval) return false;
  return now - journaled >= cfg.grace_period.count() / 4;
}

flap_check check_flapping(const std::vector<model::time_ns>& transition_times, model::time_ns now,
                          std::chrono::nanoseconds window, std::size_t limit) {
  flap_check f;
  for (auto t : transition_times)
    if (t <= now && now - t <= window.count()) ++f.transitions;
  f.flapping = f.transitions > limit;
  return f;
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
