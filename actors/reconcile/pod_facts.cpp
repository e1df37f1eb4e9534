#include "actors/reconcile/pod_facts.hpp"

#include <fmt/format.h>

namespace berth::reconcile {

pod_ref ref_of(const model::pod& p) { return {p.metadata.namespace_, p.metadata.name, p.metadata.uid}; }

std::string to_string(const pod_ref& r) { return r.namespace_ + "/" + r.name; }

std::string to_string(const model::reason& r) {
  if (r.message.empty()) return r.reason;
  return r.reason + ": " + r.message;
}

bool is_terminating(const model::pod& p) { return p.metadata.deletion_timestamp != 0; }

bool is_finished(const model::pod& p) {
  return p.status.phase == model::pod_phase::succeeded || p.status.phase == model::pod_phase::failed;
}

bool is_active(const model::pod& p) { return !is_terminating(p) && !is_finished(p); }

const model::condition* node_ready_condition(const model::node& n) {
  return model::find_condition(n.status.conditions, "Ready");
}

const model::owner_reference* controller_of(const model::pod& p) {
  for (const auto& o : p.metadata.owner_references) {
    if (o.controller) return &o;
  }
  return nullptr;
}

std::string seconds_text(std::int64_t ns) { return fmt::format("{}s", ns / 1'000'000'000); }

}  // namespace berth::reconcile
