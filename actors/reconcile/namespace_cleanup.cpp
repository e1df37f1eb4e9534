#include "actors/reconcile/namespace_cleanup.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "actors/reconcile/pod_facts.hpp"

namespace berth::reconcile {
namespace {

constexpr const char* k_terminating = "NamespaceTerminating";
constexpr const char* k_empty = "NamespaceEmpty";

template <class T>
void sort_by_name(std::vector<T>& objects) {
  std::sort(objects.begin(), objects.end(),
            [](const T& a, const T& b) { return a.metadata.name < b.metadata.name; });
}

template <class T>
object_deletion deletion_of(model::kind k, const T& o, const std::string& ns) {
  return {k,
          {model::kind_name(k), o.metadata.namespace_, o.metadata.name, o.metadata.uid},
          {k_terminating, fmt::format("namespace \"{}\" is being deleted", ns)}};
}

/// A pod that leaves by itself: already terminating (its node is stopping
/// it), or controlled by an RC (deleted with the RC by the garbage collector).
bool goes_by_itself(const model::pod& p) {
  if (p.metadata.deletion_timestamp != 0) return true;
  const auto* owner = controller_of(p);
  return owner && owner->kind == model::k_kind_rc;
}

void plan_one(terminating_namespace& t, namespace_plan& plan) {
  const auto& name = t.ns.metadata.name;
  if (t.pods.empty() && t.rcs.empty() && t.services.empty() && t.secrets.empty() && t.endpoints.empty() &&
      t.limit_ranges.empty() && t.resource_quotas.empty() && t.claims.empty() && t.pod_templates.empty()) {
    plan.removals.push_back({{model::k_kind_namespace, "", name, t.ns.metadata.uid},
                             {k_empty, fmt::format("nothing is left in namespace \"{}\"", name)}});
    return;
  }
  sort_by_name(t.rcs);
  sort_by_name(t.services);
  sort_by_name(t.pods);
  sort_by_name(t.secrets);
  sort_by_name(t.endpoints);
  for (const auto& rc : t.rcs) plan.deletions.push_back(deletion_of(model::kind::replication_controller, rc, name));
  for (const auto& svc : t.services) plan.deletions.push_back(deletion_of(model::kind::service, svc, name));
  for (const auto& p : t.pods)
    if (!goes_by_itself(p)) plan.deletions.push_back(deletion_of(model::kind::pod, p, name));
  for (const auto& x : t.secrets) plan.deletions.push_back(deletion_of(model::kind::secret, x, name));
  for (const auto& x : t.endpoints) plan.deletions.push_back(deletion_of(model::kind::endpoints, x, name));
  sort_by_name(t.limit_ranges);
  sort_by_name(t.resource_quotas);
  for (const auto& x : t.limit_ranges) plan.deletions.push_back(deletion_of(model::kind::limit_range, x, name));
  for (const auto& x : t.resource_quotas) plan.deletions.push_back(deletion_of(model::kind::resource_quota, x, name));
  sort_by_name(t.claims);
  for (const auto& x : t.claims)
    plan.deletions.push_back(deletion_of(model::kind::persistent_volume_claim, x, name));
  sort_by_name(t.pod_templates);
  for (const auto& x : t.pod_templates) plan.deletions.push_back(deletion_of(model::kind::pod_template, x, name));
}

}  // namespace

std::string namespace_plan::to_string() const {
  std::string out;
  for (const auto& d : deletions)
    out += fmt::format("delete {} {}/{}: {}: {}\n", d.object.kind, d.object.namespace_, d.object.name, d.why.reason,
                       d.why.message);
  for (const auto& r : removals)
    out += fmt::format("remove namespace {}: {}: {}\n", r.ns.name, r.why.reason, r.why.message);
  return out;
}

namespace_plan plan_namespace_cleanup(std::vector<terminating_namespace> namespaces) {
  std::sort(namespaces.begin(), namespaces.end(),
            [](const auto& a, const auto& b) { return a.ns.metadata.name < b.ns.metadata.name; });
  namespace_plan plan;
  for (auto& t : namespaces)
    if (t.ns.status.phase == model::namespace_phase::terminating) plan_one(t, plan);
  return plan;
}

}  // namespace berth::reconcile
