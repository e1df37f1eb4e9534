#include "actors/store/pod_admission.hpp"

#include <set>

#include "actors/model/kinds.hpp"
#include "actors/model/limit_ranges.hpp"
#include "actors/model/quota.hpp"

namespace berth::store {

std::vector<model::event> admit_controller_pods(const model::cluster_state& s, std::vector<model::event> batch) {
  std::vector<model::event> out;
  std::map<std::string, model::resource_list> pending;  // namespace -> usage admitted in this batch
  std::set<std::string> refused;                        // controllers already given their refusal
  for (auto& e : batch) {
    auto* created = std::get_if<model::pod_created>(&e.payload);
    if (!created) {
      out.push_back(std::move(e));
      continue;
    }
    auto& p = created->object;
    const auto& ns = p.metadata.namespace_;
    auto why = model::admit_limits(model::limit_ranges_in(s, ns), p);
    if (why.empty()) why = model::quota_refusal(s, ns, model::kind::pod, &p, pending[ns]);
    if (why.empty()) {
      model::add_usage(pending[ns], model::usage_of(p));
      out.push_back(std::move(e));
      continue;
    }
    const model::owner_reference* owner = nullptr;
    for (const auto& r : p.metadata.owner_references)
      if (r.controller) owner = &r;
    if (!owner || !refused.insert(owner->uid).second) continue;
    model::event refusal;
    refusal.header.object = {owner->kind, ns, owner->name, owner->uid};
    refusal.header.principal = e.header.principal;
    refusal.header.cause = e.header.cause;
    refusal.payload = model::pod_create_refused{
        {"FailedCreate", "Error creating: " + model::forbidden("pods", p.metadata.name, why)}};
    out.push_back(std::move(refusal));
  }
  return out;
}

}  // namespace berth::store
