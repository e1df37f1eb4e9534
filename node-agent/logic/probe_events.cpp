#include "node-agent/logic/probe_events.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace berth::agent {

std::string exec_failure_message(std::int32_t exit_code, std::string_view output) {
  constexpr std::size_t k_max = 1024;
  auto end = output.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos) return fmt::format("command exited with {}", exit_code);
  output = output.substr(0, std::min(end + 1, k_max));
  return std::string(output);
}

std::vector<model::pod_event_observed> probe_events(const probe_outcome& o) {
  std::vector<model::pod_event_observed> out;
  if (o.success) return out;
  const bool liveness = o.kind == probe_kind::liveness;
  if (liveness || o.consecutive_failures == 1)
    out.push_back({"Unhealthy", fmt::format("{} probe failed: {}", liveness ? "Liveness" : "Readiness", o.message),
                   o.container});
  if (liveness && o.passing_before && !o.passing_after)
    out.push_back(
        {"Killing", fmt::format("Container {} failed liveness probe, will be restarted", o.container), o.container});
  return out;
}

}  // namespace berth::agent
