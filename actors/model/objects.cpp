#include "actors/model/objects.hpp"

#include <algorithm>
#include <iterator>

namespace berth::model {

const condition* find_condition(const std::vector<condition>& conditions, std::string_view type) {
  auto it = std::find_if(conditions.begin(), conditions.end(), [type](const condition& c) { return c.type == type; });
  return it == conditions.end() ? nullptr : &*it;
}

const char* phase_name(namespace_phase phase) {
  return phase == namespace_phase::terminating ? "Terminating" : "Active";
}

const char* phase_name(volume_phase phase) {
  switch (phase) {
    case volume_phase::available: return "Available";
    case volume_phase::bound: return "Bound";
    case volume_phase::released: return "Released";
    case volume_phase::failed: return "Failed";
    case volume_phase::pending: return "Pending";
  }
  return "Available";
}

const char* phase_name(claim_phase phase) {
  switch (phase) {
    case claim_phase::pending: return "Pending";
    case claim_phase::bound: return "Bound";
    case claim_phase::lost: return "Lost";
  }
  return "Pending";
}

const char* reclaim_policy_name(reclaim_policy policy) {
  switch (policy) {
    case reclaim_policy::retain: return "Retain";
    case reclaim_policy::recycle: return "Recycle";
    case reclaim_policy::delete_: return "Delete";
  }
  return "Retain";
}

bool is_pod_ready(const pod& p) {
  const condition* c = find_condition(p.status.conditions, "Ready");
  return c != nullptr && c->status == condition_status::is_true;
}

bool is_node_ready(const node& n) {
  const condition* c = find_condition(n.status.conditions, "Ready");
  return c != nullptr && c->status == condition_status::is_true;
}

const char* phase_name(pod_phase phase) {
  switch (phase) {
    case pod_phase::pending: return "Pending";
    case pod_phase::running: return "Running";
    case pod_phase::succeeded: return "Succeeded";
    case pod_phase::failed: return "Failed";
    case pod_phase::unknown: break;
  }
  return "Unknown";
}

const char* volume_type_name(const volume_source& source) {
  // In variant order (objects.hpp, volume_source).
  static constexpr const char* names[] = {"emptyDir", "hostPath",          "secret", "persistentVolumeClaim",
                                          "nfs",      "gcePersistentDisk", "awsElasticBlockStore",
                                          "iscsi",    "rbd",               "glusterfs"};
  static_assert(std::size(names) == std::variant_size_v<volume_source>);
  return names[source.index()];
}

std::vector<std::string> referenced_secrets(const pod_spec& spec) {
  std::vector<std::string> names;
  for (const auto& v : spec.volumes)
    if (const auto* s = std::get_if<secret_volume>(&v.source)) names.push_back(s->secret_name);
  for (const auto& c : spec.containers)
    for (const auto& e : c.env)
      if (e.value_from && e.value_from->secret_key_ref) names.push_back(e.value_from->secret_key_ref->name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

}  // namespace berth::model
