#include "actors/core/event_text.hpp"

#include <fmt/format.h>

#include "actors/reconcile/node_liveness.hpp"
#include "actors/reconcile/pod_facts.hpp"

namespace berth::actors {
namespace {

std::string object_kind_name(const model::api_object& o) {
  switch (o.index()) {
    case 0: return "pod";
    case 1: return "replication controller";
    default: return "service";
  }
}

std::string name_of(const model::api_object& o) {
  return std::visit([](const auto& x) { return x.metadata.name; }, o);
}

std::string because(const model::reason& r) {
  if (r.message.empty()) return r.reason;
  return fmt::format("{}: {}", r.reason, r.message);
}

std::size_t address_total(const model::endpoints& ep) {
  std::size_t n = 0;
  for (const auto& s : ep.subsets) n += s.addresses.size() + s.not_ready_addresses.size();
  return n;
}

}  // namespace

std::string event_message(const model::event& e) {
  return std::visit(
      [&](const auto& p) -> std::string {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, model::object_created>)
          return fmt::format("Created {} {}", object_kind_name(p.object), name_of(p.object));
        else if constexpr (std::is_same_v<T, model::object_replaced>)
          return fmt::format("Replaced {} {}", object_kind_name(p.object), name_of(p.object));
        else if constexpr (std::is_same_v<T, model::object_deleted>)
          return p.grace_period_seconds >= 0 ? fmt::format("Deleted (grace period {}s)", p.grace_period_seconds)
                                             : std::string("Deleted");
        else if constexpr (std::is_same_v<T, model::rc_scaled>)
          return fmt::format("Scaled to {} replicas", p.replicas);
        else if constexpr (std::is_same_v<T, model::pod_created>)
          return fmt::format("Created pod {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::pod_bound>)
          return fmt::format("Bound to node {}", p.node_name);
        else if constexpr (std::is_same_v<T, model::pod_unschedulable>)
          return "FailedScheduling: " + p.why.message;
        else if constexpr (std::is_same_v<T, model::pod_evicted>)
          return "Evicted: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_deleted>)
          return "Deleted by controller: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::endpoints_updated>) {
          std::size_t ready = 0, not_ready = 0;
          for (const auto& s : p.object.subsets) {
            ready += s.addresses.size();
            not_ready += s.not_ready_addresses.size();
          }
          return fmt::format("Endpoints: {} ready, {} not ready", ready, not_ready);
        } else if constexpr (std::is_same_v<T, model::node_readiness_decided> ||
                             std::is_same_v<T, model::node_readiness_observed>)
          return fmt::format("Node {}{}", p.readiness.ready ? "Ready" : "NotReady",
                             p.readiness.message.empty() ? "" : ": " + p.readiness.message);
        else if constexpr (std::is_same_v<T, model::node_registered>)
          return fmt::format("Node {} registered", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::node_heartbeat>)
          return "Heartbeat at " + reconcile::clock_text(p.time);
        else if constexpr (std::is_same_v<T, model::node_unschedulable>)
          return p.unschedulable ? "Node marked unschedulable (cordoned)" : "Node marked schedulable (uncordoned)";
        else if constexpr (std::is_same_v<T, model::namespace_created>)
          return fmt::format("Created namespace {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::namespace_replaced>)
          return fmt::format("Replaced namespace {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::namespace_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::secret_created>)
          return fmt::format("Created secret {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::secret_replaced>)
          return fmt::format("Replaced secret {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::secret_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::limit_range_created>)
          return fmt::format("Created limit range {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::limit_range_replaced>)
          return fmt::format("Replaced limit range {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::resource_quota_created>)
          return fmt::format("Created quota {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::resource_quota_replaced>)
          return fmt::format("Replaced quota {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::limit_range_removed> ||
                           std::is_same_v<T, model::resource_quota_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_create_refused>)
          return p.why.message;
        else if constexpr (std::is_same_v<T, model::persistent_volume_created>)
          return fmt::format("Created volume {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::persistent_volume_replaced>)
          return fmt::format("Replaced volume {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::persistent_volume_claim_created>)
          return fmt::format("Created claim {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::persistent_volume_claim_replaced>)
          return fmt::format("Replaced claim {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::persistent_volume_removed> ||
                           std::is_same_v<T, model::persistent_volume_claim_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_claim_bound>)
          return fmt::format("Bound to volume {}", p.volume_name);
        else if constexpr (std::is_same_v<T, model::pod_template_created>)
          return fmt::format("Created pod template {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::pod_template_replaced>)
          return fmt::format("Replaced pod template {}", p.object.metadata.name);
        else if constexpr (std::is_same_v<T, model::pod_template_removed>)
          return "Removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_recycled>)
          return "Recycled: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_reclaim_failed>)
          return "Reclaim failed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_event_observed>)
          return fmt::format("{}: {}", p.reason, p.message);  // events_json.cpp splits it again
        else if constexpr (std::is_same_v<T, model::endpoints_replaced>)
          return fmt::format("Endpoints written by {}: {} addresses", e.header.principal, address_total(p.object));
        else if constexpr (std::is_same_v<T, model::endpoints_removed>)
          return "Endpoints removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_status_observed>)
          return fmt::format("Status {}{}", model::phase_name(p.status.phase),
                             p.status.reason.empty() ? "" : " (" + p.status.reason + ")");
        else
          return "";
      },
      e.payload);
}

event_summary summarize(const model::event& e) {
  event_summary s;
  s.seq = e.seq;
  s.time_ns = e.time;
  s.family = std::string(model::family_name(model::family_of(model::type_of(e))));
  s.type = std::string(model::type_name(model::type_of(e)));
  s.principal = e.header.principal;
  s.cause = e.header.cause;
  s.message = event_message(e);
  return s;
}

}  // namespace berth::actors
