#include "actors/debug/words.hpp"

#include <fmt/format.h>

#include <optional>

#include "actors/debug/object_index.hpp"
#include "actors/debug/points.hpp"

namespace berth::debug {
namespace {

/// "<encrypted, N bytes>" of a secret's sealed data (N: the sealed entries' bytes).
std::string secret_size(const model::sealed_data& sealed) {
  const auto n = sealed.ciphertext.size();
  return fmt::format("<encrypted, {} bytes>", n >= 16 ? n - 16 : 0);
}

/// "N ready, M not ready": the addresses of all subsets.
std::string address_count(const model::endpoints& ep) {
  std::size_t ready = 0, not_ready = 0;
  for (const auto& s : ep.subsets) {
    ready += s.addresses.size();
    not_ready += s.not_ready_addresses.size();
  }
  return fmt::format("{} ready, {} not ready", ready, not_ready);
}

std::string because(const model::reason& r) {
  if (r.message.empty()) return r.reason;
  if (r.reason.empty()) return r.message;
  return fmt::format("{}: {}", r.reason, r.message);
}

std::string api_object_text(const model::api_object& o) {
  return std::visit(
      [](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        const model::kind k = std::is_same_v<T, model::pod>                      ? model::kind::pod
                              : std::is_same_v<T, model::replication_controller> ? model::kind::replication_controller
                                                                                 : model::kind::service;
        return fmt::format("{}/{}", model::brief_name(k), x.metadata.name);
      },
      o);
}

std::string readiness_text(const model::node_readiness& r) {
  return fmt::format("{}{}", r.ready ? "Ready" : "NotReady", r.reason.empty() ? "" : " (" + r.reason + ")");
}

/// "by admin at 10:02:11 (command seq 4711)": how a root command is credited.
std::string credited(const model::event& e) {
  return fmt::format("by {} at {} ({} seq {})", who(e.header.principal), format_clock(e.time),
                     model::family_name(model::family_of(model::type_of(e))), e.seq);
}

/// An RC's replicas as a command set them (scale, create, replace); nullopt for other events.
std::optional<std::int32_t> replicas_set_by(const model::event& e) {
  if (const auto* s = std::get_if<model::rc_scaled>(&e.payload)) return s->replicas;
  const model::api_object* o = nullptr;
  if (const auto* c = std::get_if<model::object_created>(&e.payload)) o = &c->object;
  if (const auto* r = std::get_if<model::object_replaced>(&e.payload)) o = &r->object;
  if (o == nullptr) return std::nullopt;
  if (const auto* rc = std::get_if<model::replication_controller>(o)) return rc->spec.replicas;
  return std::nullopt;
}

}  // namespace

std::string short_kind(const std::string& kind) {
  const auto k = model::kind_from_name(kind);
  return k ? model::brief_name(*k) : kind;
}

std::string object_text(const model::object_reference& ref) { return short_kind(ref.kind) + "/" + ref.name; }

std::string object_text(const model::event& e) {
  const auto id = object_of(e);
  return short_kind(id.kind) + "/" + id.name;
}

std::string who(const std::string& principal) {
  auto rest = [&](std::string_view prefix) { return principal.substr(prefix.size()); };
  if (principal.rfind("user:", 0) == 0) return rest("user:");
  if (principal == "controller:node-lifecycle") return "node controller";
  if (principal.rfind("controller:replicationcontroller/", 0) == 0)
    return "RC " + rest("controller:replicationcontroller/");
  if (principal == "controller:garbage-collector") return "garbage collector";
  if (principal == "controller:namespace") return "namespace controller";
  if (principal.rfind("controller:", 0) == 0) return rest("controller:");
  if (principal.rfind("node:", 0) == 0) return "node " + rest("node:");
  return principal;
}

std::string summary(const model::event& e) {
  return std::visit(
      [&](const auto& p) -> std::string {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, model::object_created>)
          return "created " + api_object_text(p.object);
        else if constexpr (std::is_same_v<T, model::object_replaced>)
          return "replaced " + api_object_text(p.object);
        else if constexpr (std::is_same_v<T, model::object_deleted>)
          return p.grace_period_seconds >= 0 ? fmt::format("deleted (grace period {}s)", p.grace_period_seconds)
                                             : std::string("deleted");
        else if constexpr (std::is_same_v<T, model::rc_scaled>)
          return fmt::format("scaled to {} replicas", p.replicas);
        else if constexpr (std::is_same_v<T, model::pod_created>)
          return "created pod/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::pod_bound>)
          return "bound to node " + p.node_name;
        else if constexpr (std::is_same_v<T, model::pod_unschedulable>)
          return "unschedulable: " + p.why.message;
        else if constexpr (std::is_same_v<T, model::pod_evicted>)
          return "evicted: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_deleted>)
          return "deleted: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::endpoints_updated>)
          return "endpoints: " + address_count(p.object);
        else if constexpr (std::is_same_v<T, model::node_readiness_decided> ||
                             std::is_same_v<T, model::node_readiness_observed>)
          return readiness_text(p.readiness) + (p.readiness.message.empty() ? "" : ": " + p.readiness.message);
        else if constexpr (std::is_same_v<T, model::node_registered>)
          return "registered";
        else if constexpr (std::is_same_v<T, model::node_heartbeat>)
          return "heartbeat at " + format_clock(p.time);
        else if constexpr (std::is_same_v<T, model::node_unschedulable>)
          return p.unschedulable ? "cordoned (unschedulable)" : "uncordoned (schedulable)";
        else if constexpr (std::is_same_v<T, model::namespace_created>)
          return "created namespace/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::namespace_replaced>)
          return "replaced namespace/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::namespace_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::secret_created>)
          return fmt::format("created secret/{} (data {})", p.object.metadata.name,
                             secret_size(p.object.sealed));
        else if constexpr (std::is_same_v<T, model::secret_replaced>)
          return fmt::format("replaced secret/{} (data {})", p.object.metadata.name,
                             secret_size(p.object.sealed));
        else if constexpr (std::is_same_v<T, model::secret_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::limit_range_created>)
          return "created limitrange/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::limit_range_replaced>)
          return "replaced limitrange/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::resource_quota_created>)
          return "created quota/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::resource_quota_replaced>)
          return "replaced quota/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::limit_range_removed> ||
                           std::is_same_v<T, model::resource_quota_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_create_refused>)
          return "could not create a pod: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::persistent_volume_created>)
          return "created pv/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::persistent_volume_replaced>)
          return "replaced pv/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::persistent_volume_claim_created>)
          return "created pvc/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::persistent_volume_claim_replaced>)
          return "replaced pvc/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::persistent_volume_removed> ||
                           std::is_same_v<T, model::persistent_volume_claim_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_claim_bound>)
          return "bound to pv/" + p.volume_name;
        else if constexpr (std::is_same_v<T, model::pod_template_created>)
          return "created podtemplate/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::pod_template_replaced>)
          return "replaced podtemplate/" + p.object.metadata.name;
        else if constexpr (std::is_same_v<T, model::pod_template_removed>)
          return "removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_recycled>)
          return "recycled: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::volume_reclaim_failed>)
          return "reclaim failed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_event_observed>)
          return fmt::format("{}{}: {}", p.reason, p.container.empty() ? "" : " (container " + p.container + ")",
                             p.message);
        else if constexpr (std::is_same_v<T, model::endpoints_replaced>)
          return fmt::format("endpoints written by hand: {}", address_count(p.object));
        else if constexpr (std::is_same_v<T, model::endpoints_removed>)
          return "endpoints removed: " + because(p.why);
        else if constexpr (std::is_same_v<T, model::pod_status_observed>)
          return fmt::format("status {}{}", model::phase_name(p.status.phase),
                             p.status.reason.empty() ? "" : " (" + p.status.reason + ")");
        else
          return "";
      },
      e.payload);
}

std::string chain_phrase(const model::event& e, const model::event* effect) {
  const auto id = object_of(e);
  const std::string self = object_text(e);
  const bool first = effect == nullptr;
  // An eviction is named when it is of another object than its effect (an
  // RC's replacement pod, caused by the eviction of the pod it replaces).
  const bool named = first || object_of(*effect) != id;
  return std::visit(
      [&](const auto& p) -> std::string {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, model::object_created>)
          return fmt::format("{} created{} {}", api_object_text(p.object),
                             replicas_set_by(e) ? fmt::format(" with {} replicas", *replicas_set_by(e)) : "",
                             credited(e));
        else if constexpr (std::is_same_v<T, model::object_replaced>)
          return fmt::format("{} replaced {}", api_object_text(p.object), credited(e));
        else if constexpr (std::is_same_v<T, model::object_deleted>)
          return fmt::format("{} deleted {}", self, credited(e));
        else if constexpr (std::is_same_v<T, model::rc_scaled>)
          return fmt::format("{}scaled to {} {}", first ? self + " " : "", p.replicas, credited(e));
        else if constexpr (std::is_same_v<T, model::pod_created>)
          return fmt::format("{} created", self);
        else if constexpr (std::is_same_v<T, model::pod_deleted>)
          return fmt::format("{} deleted by {} ({})", self, who(e.header.principal), because(p.why));
        else if constexpr (std::is_same_v<T, model::pod_removed>)
          return fmt::format("{} removed ({})", self, because(p.why));
        else if constexpr (std::is_same_v<T, model::pod_evicted>)
          return fmt::format("{}evicted by {} ({})", named ? self + " " : "", who(e.header.principal), because(p.why));
        else if constexpr (std::is_same_v<T, model::pod_bound>)
          return fmt::format("{} bound to node {} by {}", self, p.node_name, who(e.header.principal));
        else if constexpr (std::is_same_v<T, model::node_readiness_decided> ||
                           std::is_same_v<T, model::node_readiness_observed>) {
          if (p.readiness.ready)
            return fmt::format("node {} Ready again at {} ({})", id.name, format_clock(e.time),
                               who(e.header.principal));
          return fmt::format("node {} NotReady since {} (last heartbeat {})", id.name, format_clock(e.time),
                             format_clock(p.readiness.last_heartbeat_time));
        } else if constexpr (std::is_same_v<T, model::node_registered>)
          return fmt::format("node {} registered at {}", id.name, format_clock(e.time));
        else if constexpr (std::is_same_v<T, model::node_heartbeat>)
          return fmt::format("node {} heartbeat at {}", id.name, format_clock(p.time));
        else
          return fmt::format("{} {} by {} at {}", self, summary(e), who(e.header.principal), format_clock(e.time));
      },
      e.payload);
}

std::string reconcile_phrase(const model::event& decision, const model::event* cause) {
  const std::string rc = who(decision.header.principal);
  if (rc.rfind("RC ", 0) != 0) return "";
  auto replicas = cause ? replicas_set_by(*cause) : std::nullopt;
  return replicas ? fmt::format("{} reconciled to {} replicas", rc, *replicas) : rc + " reconciled";
}

}  // namespace berth::debug
