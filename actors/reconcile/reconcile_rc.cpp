#include "actors/reconcile/reconcile_rc.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

using pod_list = std::vector<const model::pod*>;

bool owned_by(const model::pod& p, const model::replication_controller& rc) {
  const auto* c = controller_of(p);
  return c != nullptr && c->uid == rc.metadata.uid;
}

/// The RC's pods that count as replicas.
pod_list active_owned(const model::replication_controller& rc, const std::vector<model::pod>& pods) {
  pod_list out;
  for (const auto& p : pods) {
    if (p.metadata.namespace_ == rc.metadata.namespace_ && owned_by(p, rc) && is_active(p)) {
      out.push_back(&p);
    }
  }
  return out;
}

std::set<std::string> taken_names(const std::string& ns, const std::vector<model::pod>& pods) {
  std::set<std::string> out;
  for (const auto& p : pods) {
    if (p.metadata.namespace_ == ns) out.insert(p.metadata.name);
  }
  return out;
}

model::replication_controller_status count_status(const model::replication_controller& rc, const pod_list& active) {
  model::replication_controller_status s;
  s.replicas = static_cast<std::int32_t>(active.size());
  s.ready_replicas = static_cast<std::int32_t>(
      std::count_if(active.begin(), active.end(), [](const auto* p) { return model::is_pod_ready(*p); }));
  s.observed_generation = rc.metadata.generation;
  return s;
}

/// A pod from the RC's template, named `<rc>-<suffix>` with a name not in `taken`.
model::pod pod_from_template(const model::replication_controller& rc, model::time_ns now, name_generator& names,
                             std::set<std::string>& taken) {
  model::pod p;
  const auto& tmpl = rc.spec.template_;
  p.metadata.generate_name = rc.metadata.name + "-";
  do {
    p.metadata.name = p.metadata.generate_name + names.next_suffix();
  } while (!taken.insert(p.metadata.name).second);
  p.metadata.namespace_ = rc.metadata.namespace_;
  p.metadata.uid = names.next_uid();
  p.metadata.creation_timestamp = now;
  p.metadata.labels = tmpl.metadata.labels;
  p.metadata.annotations = tmpl.metadata.annotations;
  p.metadata.owner_references.push_back({"v1", model::k_kind_rc, rc.metadata.name, rc.metadata.uid, true});
  p.spec = tmpl.spec;
  return p;
}

std::vector<pod_creation> plan_creations(const model::replication_controller& rc, const std::vector<model::pod>& pods,
                                         std::size_t active, std::size_t wanted, model::time_ns now,
                                         name_generator& names) {
  std::vector<pod_creation> out;
  if (active >= wanted) return out;
  auto taken = taken_names(rc.metadata.namespace_, pods);
  const model::reason why{"ScaleUp", fmt::format("{} < {} replicas", active, wanted)};
  for (std::size_t i = active; i < wanted; ++i) {
    out.push_back({pod_from_template(rc, now, names, taken), why});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.pod.metadata.name < b.pod.metadata.name; });
  return out;
}

std::vector<pod_deletion> plan_deletions(pod_list active, std::size_t count, const model::reason& why) {
  std::sort(active.begin(), active.end(), [](const auto* a, const auto* b) { return delete_before(*a, *b); });
  std::vector<pod_deletion> out;
  for (std::size_t i = 0; i < count && i < active.size(); ++i) {
    out.push_back({ref_of(*active[i]), why});
  }
  return out;
}

int phase_rank(model::pod_phase phase) {
  switch (phase) {
    case model::pod_phase::pending: return 0;
    case model::pod_phase::unknown: return 1;
    case model::pod_phase::running: return 2;
    default: return 3;  // finished pods are never active; rank them last anyway
  }
}

}  // namespace

bool delete_before(const model::pod& a, const model::pod& b) {
  auto key = [](const model::pod& p) {
    // Negated timestamp: the newest pod sorts first.
    return std::make_tuple(!p.spec.node_name.empty(), phase_rank(p.status.phase), model::is_pod_ready(p),
                           -p.metadata.creation_timestamp, std::cref(p.metadata.name));
  };
  return key(a) < key(b);
}

rc_plan reconcile_rc(const model::replication_controller& rc, const std::vector<model::pod>& pods, model::time_ns now,
                     name_generator& names) {
  rc_plan plan;
  plan.rc = {model::k_kind_rc, rc.metadata.namespace_, rc.metadata.name, rc.metadata.uid};
  const pod_list active = active_owned(rc, pods);
  plan.status = count_status(rc, active);
  plan.status_changed = plan.status != rc.status;

  if (rc.metadata.deletion_timestamp != 0) {
    const model::reason why{"OwnerDeleted",
                            fmt::format("replication controller {} is being deleted", rc.metadata.name)};
    plan.remove = plan_deletions(active, active.size(), why);
    return plan;
  }
  const std::size_t wanted = static_cast<std::size_t>(std::max(rc.spec.replicas, 0));
  plan.create = plan_creations(rc, pods, active.size(), wanted, now, names);
  if (active.size() > wanted) {
    const model::reason why{"ScaleDown", fmt::format("{} > {} replicas", active.size(), wanted)};
    plan.remove = plan_deletions(active, active.size() - wanted, why);
  }
  return plan;
}

std::vector<pod_deletion> delete_orphans(const std::vector<model::pod>& pods,
                                         const std::set<std::string>& live_rc_uids) {
  std::vector<pod_deletion> out;
  for (const auto& p : pods) {
    const auto* c = controller_of(p);
    if (c == nullptr || c->kind != model::k_kind_rc || is_terminating(p)) continue;
    if (live_rc_uids.count(c->uid) != 0) continue;
    out.push_back({ref_of(p),
                   {"OwnerDeleted", fmt::format("replication controller {} (uid {}) no "
                                                "longer exists",
                                                c->name, c->uid)}});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.pod < b.pod; });
  return out;
}

std::string rc_plan::to_string() const {
  std::string out =
      fmt::format("rc {}/{}: {} active, {} ready, observedGeneration {}{}", rc.namespace_, rc.name, status.replicas,
                  status.ready_replicas, status.observed_generation, status_changed ? " (status changed)" : "");
  for (const auto& c : create) {
    out += fmt::format("\n  create {}/{} uid {}: {}", c.pod.metadata.namespace_, c.pod.metadata.name,
                       c.pod.metadata.uid, reconcile::to_string(c.why));
  }
  for (const auto& d : remove) {
    out += fmt::format("\n  delete {}: {}", reconcile::to_string(d.pod), reconcile::to_string(d.why));
  }
  return out;
}

}  // namespace berth::reconcile
