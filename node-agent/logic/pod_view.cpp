#include "node-agent/logic/pod_view.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace berth::agent {
namespace {

using obs_state = observed_container::state;

void sort_newest_first(std::vector<const observed_container*>& v) {
  std::sort(v.begin(), v.end(),
            [](const observed_container* a, const observed_container* b) { return is_newer(*a, *b); });
}

/// Sandboxes: the newest running one is "the" sandbox; other running ones are extra.
void classify_sandboxes(const observed_pod& observed, pod_view& view) {
  for (const auto& s : observed.sandboxes) view.sandbox_history.push_back(&s);
  std::sort(view.sandbox_history.begin(), view.sandbox_history.end(),
            [](const observed_container* a, const observed_container* b) {
              // Sandboxes all carry attempt 0 in practice: creation time decides.
              if (a->created_at != b->created_at) return a->created_at > b->created_at;
              return is_newer(*a, *b);
            });
  for (const auto* s : view.sandbox_history) {
    if (s->state_ != obs_state::running) continue;
    if (view.sandbox == nullptr) {
      view.sandbox = s;
    } else {
      view.extra_sandboxes.push_back(s);
    }
  }
}

}  // namespace

bool is_newer(const observed_container& a, const observed_container& b) {
  if (a.attempt != b.attempt) return a.attempt > b.attempt;
  if (a.created_at != b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

bool is_dead(const observed_container& c) { return c.state_ == obs_state::exited || c.state_ == obs_state::created; }

bool ever_started(const container_slot& slot) {
  return std::any_of(slot.history.begin(), slot.history.end(), [](const observed_container* c) {
    return c->state_ == obs_state::running || c->state_ == obs_state::exited || c->started_at != 0;
  });
}

pod_view view_of(const model::pod& desired, const observed_pod& observed) {
  pod_view view;
  view.desired = &desired;
  view.deleted = desired.metadata.deletion_timestamp != 0;
  classify_sandboxes(observed, view);

  std::map<std::string, std::size_t> slot_of;
  for (const auto& c : desired.spec.containers) {
    slot_of.emplace(c.name, view.slots.size());
    view.slots.push_back(container_slot{&c, {}});
  }
  std::map<std::string, std::vector<const observed_container*>> strays;
  for (const auto& c : observed.containers) {
    auto it = slot_of.find(c.name);
    if (it != slot_of.end()) {
      view.slots[it->second].history.push_back(&c);
    } else {
      strays[c.name].push_back(&c);
    }
  }
  for (auto& slot : view.slots) sort_newest_first(slot.history);
  for (auto& [name, history] : strays) {
    sort_newest_first(history);
    view.strays.push_back(stray_group{name, std::move(history)});
  }

  // App containers exist only inside a sandbox: seeing one means a sandbox
  // existed, even when its container was removed behind our back.
  view.sandbox_lost_for_good = desired.spec.restart_policy_ == model::restart_policy::never &&
                               view.sandbox == nullptr && !observed.containers.empty();
  return view;
}

bool policy_restarts(model::restart_policy policy, std::int32_t exit_code) {
  switch (policy) {
    case model::restart_policy::always: return true;
    case model::restart_policy::on_failure: return exit_code != 0;
    case model::restart_policy::never: return false;
  }
  return false;
}

bool will_restart(const pod_view& view, const container_slot& slot) {
  if (view.deleted || view.sandbox_lost_for_good) return false;
  const auto* c = slot.newest();
  if (c == nullptr) return true;  // never made: it starts (or waits for its image)
  switch (c->state_) {
    case obs_state::created: return true;  // a failed start is retried whatever the policy, as kubelet does
    case obs_state::exited: return policy_restarts(view.desired->spec.restart_policy_, c->exit_code);
    case obs_state::running:
    case obs_state::unknown: return false;
  }
  return false;
}

bool is_terminal(const pod_view& view, const container_slot& slot) {
  const auto* c = slot.newest();
  return c != nullptr && c->state_ == obs_state::exited && !will_restart(view, slot);
}

bool all_terminal(const pod_view& view) {
  return !view.slots.empty() &&
         std::all_of(view.slots.begin(), view.slots.end(), [&](const auto& s) { return is_terminal(view, s); });
}

bool any_app_running(const observed_pod& observed) {
  auto running = [](const observed_container& c) { return c.state_ == obs_state::running; };
  return std::any_of(observed.containers.begin(), observed.containers.end(), running) ||
         std::any_of(observed.sandboxes.begin(), observed.sandboxes.end(), running);
}

std::string go_duration(model::time_ns d) {
  if (d == 0) return "0s";
  std::string sign = d < 0 ? "-" : "";
  // Unsigned so that the most negative value does not overflow on negation.
  const std::uint64_t u = d < 0 ? 0 - static_cast<std::uint64_t>(d) : static_cast<std::uint64_t>(d);
  // A whole number and a fraction of `unit`, trailing zeros of the fraction dropped.
  auto decimal = [](std::uint64_t v, std::uint64_t unit, int digits) {
    std::string s = std::to_string(v / unit);
    if (v % unit == 0) return s;
    std::string frac = fmt::format("{:0{}}", v % unit, digits);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    return s + "." + frac;
  };
  if (u < 1'000) return sign + std::to_string(u) + "ns";
  if (u < 1'000'000) return sign + decimal(u, 1'000, 3) + "µs";
  if (u < 1'000'000'000) return sign + decimal(u, 1'000'000, 6) + "ms";
  constexpr std::uint64_t minute = 60'000'000'000ULL;
  constexpr std::uint64_t hour = 60 * minute;
  const std::uint64_t h = u / hour;
  const std::uint64_t m = (u % hour) / minute;
  const std::string s = decimal(u % minute, 1'000'000'000ULL, 9) + "s";
  if (h > 0) return sign + fmt::format("{}h{}m{}", h, m, s);
  if (m > 0) return sign + fmt::format("{}m{}", m, s);
  return sign + s;
}

}  // namespace berth::agent
