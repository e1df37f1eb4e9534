#include "actors/manifest/columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

namespace berth::manifest {
namespace {

constexpr std::int64_t k_second = 1'000'000'000;

/// "3m" when the remainder is zero, else "3m20s" (kubectl drops a zero second unit).
std::string two_units(std::int64_t big, const char* big_unit, std::int64_t small, const char* small_unit) {
  if (small == 0) return fmt::format("{}{}", big, big_unit);
  return fmt::format("{}{}{}{}", big, big_unit, small, small_unit);
}

}  // namespace

std::string human_duration(std::int64_t ns) {
  std::int64_t seconds = ns / k_second;
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return fmt::format("{}s", seconds);
  std::int64_t minutes = seconds / 60;
  if (minutes < 10) return two_units(minutes, "m", seconds % 60, "s");
  if (minutes < 60 * 3) return fmt::format("{}m", minutes);
  std::int64_t hours = minutes / 60;
  if (hours < 8) return two_units(hours, "h", minutes % 60, "m");
  if (hours < 48) return fmt::format("{}h", hours);
  if (hours < 24 * 8) return two_units(hours / 24, "d", hours % 24, "h");
  if (hours < 24 * 365 * 2) return fmt::format("{}d", hours / 24);
  if (hours < 24 * 365 * 8) return two_units(hours / 24 / 365, "y", (hours / 24) % 365, "d");
  return fmt::format("{}y", hours / 24 / 365);
}

std::string format_age(model::time_ns created, model::time_ns now) {
  if (created == 0) return "<unknown>";
  return human_duration(now - created);
}

const char* condition_status_name(model::condition_status s) {
  switch (s) {
    case model::condition_status::is_true: return "True";
    case model::condition_status::is_false: return "False";
    case model::condition_status::unknown: break;
  }
  return "Unknown";
}

pod_columns pod_summary(const model::pod& p) {
  std::string reason = p.status.reason.empty() ? model::phase_name(p.status.phase) : p.status.reason;
  std::int32_t restarts = 0;
  std::size_t ready = 0;
  bool has_running = false;
  const auto& statuses = p.status.container_statuses;
  // Backwards, like kubectl: the first container's reason wins.
  for (auto it = statuses.rbegin(); it != statuses.rend(); ++it) {
    restarts += it->restart_count;
    const auto* waiting = std::get_if<model::container_state_waiting>(&it->state);
    const auto* terminated = std::get_if<model::container_state_terminated>(&it->state);
    if (waiting != nullptr && !waiting->reason.empty()) {
      reason = waiting->reason;
    } else if (terminated != nullptr && !terminated->reason.empty()) {
      reason = terminated->reason;
    } else if (terminated != nullptr) {
      reason = terminated->signal != 0 ? fmt::format("Signal:{}", terminated->signal)
                                       : fmt::format("ExitCode:{}", terminated->exit_code);
    } else if (it->ready && std::holds_alternative<model::container_state_running>(it->state)) {
      has_running = true;
      ++ready;
    }
  }
  if (reason == "Completed" && has_running) reason = model::is_pod_ready(p) ? "Running" : "NotReady";
  if (p.metadata.deletion_timestamp != 0) reason = p.status.reason == "NodeLost" ? "Unknown" : "Terminating";
  return {fmt::format("{}/{}", ready, p.spec.containers.size()), reason, restarts};
}

std::string node_status(const model::node& n) {
  const auto* ready = model::find_condition(n.status.conditions, "Ready");
  std::string out = "Unknown";
  if (ready != nullptr && ready->status == model::condition_status::is_true) out = "Ready";
  if (ready != nullptr && ready->status == model::condition_status::is_false) out = "NotReady";
  if (n.spec.unschedulable) out += ",SchedulingDisabled";
  return out;
}

std::string service_ports(const model::service& s) {
  std::string out;
  for (const auto& p : s.spec.ports) {
    if (!out.empty()) out += ',';
    out += p.node_port != 0 ? fmt::format("{}:{}/{}", p.port, p.node_port, protocol_name(p.protocol_))
                            : fmt::format("{}/{}", p.port, protocol_name(p.protocol_));
  }
  return out.empty() ? "<none>" : out;
}

std::string service_cluster_ip(const model::service& s) {
  return s.spec.cluster_ip.empty() ? "<none>" : s.spec.cluster_ip;
}

const char* service_type_name(model::service_type t) {
  switch (t) {
    case model::service_type::node_port: return "NodePort";
    case model::service_type::load_balancer: return "LoadBalancer";
    case model::service_type::cluster_ip: break;
  }
  return "ClusterIP";
}

std::string endpoints_text(const model::endpoints& e, const std::string* port_name) {
  constexpr std::size_t max = 3;
  std::vector<std::string> shown;
  std::size_t count = 0;
  auto add = [&](std::string text) {
    if (shown.size() < max) shown.push_back(std::move(text));
    ++count;
  };
  for (const auto& subset : e.subsets) {
    if (subset.ports.empty()) {
      for (const auto& a : subset.addresses) add(a.ip);
    }
    for (const auto& port : subset.ports) {
      if (port_name != nullptr && port.name != *port_name) continue;
      for (const auto& a : subset.addresses) add(fmt::format("{}:{}", a.ip, port.port));
    }
  }
  if (shown.empty()) return "<none>";
  std::string out = fmt::format("{}", fmt::join(shown, ","));
  return count > max ? fmt::format("{} + {} more...", out, count - max) : out;
}

std::string labels_text(const model::string_map& m) {
  std::string out;
  for (const auto& [k, v] : m) out += fmt::format("{}{}={}", out.empty() ? "" : ",", k, v);
  return out.empty() ? "<none>" : out;
}

const char* protocol_name(model::protocol p) { return p == model::protocol::udp ? "UDP" : "TCP"; }

std::string node_roles(const model::node& n) {
  constexpr std::string_view role_prefix = "node-role.kubernetes.io/";
  std::vector<std::string> roles;  // from a std::map: already sorted by label key
  for (const auto& [key, value] : n.metadata.labels) {
    if (key.rfind(role_prefix, 0) == 0 && key.size() > role_prefix.size())
      roles.push_back(key.substr(role_prefix.size()));
    if (key == "kubernetes.io/role" && !value.empty()) roles.push_back(value);
  }
  std::sort(roles.begin(), roles.end());
  roles.erase(std::unique(roles.begin(), roles.end()), roles.end());
  if (roles.empty()) return "<none>";
  return fmt::format("{}", fmt::join(roles, ","));
}

std::string service_external_ip(const model::service& s) {
  return s.spec.type == model::service_type::load_balancer ? "<pending>" : "<none>";
}

std::optional<rc_counts> rc_counts_from_status(const model::replication_controller& rc) {
  if (rc.status.observed_generation == 0) return std::nullopt;
  return rc_counts{rc.status.replicas, rc.status.ready_replicas};
}

rc_counts rc_counts_from_pods(const model::replication_controller& rc, const std::vector<model::pod>& pods) {
  rc_counts out;
  for (const auto& p : pods) {
    if (p.metadata.deletion_timestamp != 0) continue;
    bool other_controller = false;
    for (const auto& ref : p.metadata.owner_references) {
      if (ref.controller && ref.uid != rc.metadata.uid) other_controller = true;
    }
    if (other_controller) continue;
    ++out.current;
    if (model::is_pod_ready(p)) ++out.ready;
  }
  return out;
}

std::string access_modes_text(const std::vector<std::string>& modes) {
  std::string out;
  for (const auto& m : modes) {
    const char* brief = m == model::k_access_read_write_once  ? "RWO"
                        : m == model::k_access_read_only_many  ? "ROX"
                        : m == model::k_access_read_write_many ? "RWX"
                                                               : m.c_str();
    out += (out.empty() ? "" : ",") + std::string(brief);
  }
  return out;
}

std::string storage_text(const model::resource_list& list) {
  auto it = list.find(model::k_resource_storage);
  return it == list.end() ? "" : model::to_string(it->second);
}

std::vector<std::string> volume_cells(const model::persistent_volume& v, model::time_ns now) {
  const auto& ref = v.spec.claim_ref;
  return {v.metadata.name,
          storage_text(v.spec.capacity),
          access_modes_text(v.spec.access_modes),
          model::reclaim_policy_name(v.spec.policy),
          model::phase_name(v.status.phase),
          ref.name.empty() ? "" : ref.namespace_ + "/" + ref.name,
          "",
          v.status.reason,
          format_age(v.metadata.creation_timestamp, now)};
}

std::vector<std::string> claim_cells(const model::persistent_volume_claim& c, model::time_ns now) {
  return {c.metadata.name,
          model::phase_name(c.status.phase),
          c.spec.volume_name,
          storage_text(c.status.capacity),
          access_modes_text(c.status.access_modes),
          "",
          format_age(c.metadata.creation_timestamp, now)};
}

std::vector<std::string> pod_template_cells(const model::pod_template& t) {
  std::string containers, images;
  for (const auto& c : t.template_.spec.containers) {
    containers += (containers.empty() ? "" : ",") + c.name;
    images += (images.empty() ? "" : ",") + c.image;
  }
  return {t.metadata.name, containers, images, labels_text(t.template_.metadata.labels)};
}

}  // namespace berth::manifest
