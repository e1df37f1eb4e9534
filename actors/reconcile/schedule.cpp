#include "actors/reconcile/schedule.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

namespace berth::reconcile {
namespace {

// Kubernetes' defaults for scoring pods that request nothing, so that
// best-effort pods still spread instead of piling onto the first node by name.
constexpr std::int64_t k_default_milli_cpu = 100;
constexpr std::int64_t k_default_memory = 200LL * 1024 * 1024;
constexpr std::int64_t k_max_score = 100;

constexpr const char* k_not_ready = "node(s) were not ready";
constexpr const char* k_unschedulable = "node(s) were unschedulable";
constexpr const char* k_selector = "node(s) didn't match node selector";
constexpr const char* k_ports = "node(s) didn't have free ports for the requested pod ports";

/// A resource of the node: allocatable first, capacity when allocatable lacks it.
const model::quantity* node_resource(const model::node& n, const std::string& name) {
  if (auto it = n.status.allocatable.find(name); it != n.status.allocatable.end()) return &it->second;
  if (auto it = n.status.capacity.find(name); it != n.status.capacity.end()) return &it->second;
  return nullptr;
}

std::vector<host_port> wanted_ports(const model::pod& p) {
  std::vector<host_port> out;
  for (const auto& c : p.spec.containers) {
    for (const auto& port : c.ports) {
      // With hostNetwork every container port is a host port (Kubernetes defaults them so).
      const auto number = port.host_port != 0 ? port.host_port : (p.spec.host_network ? port.container_port : 0);
      if (number != 0) out.push_back({port.protocol_, port.host_ip, number});
    }
  }
  return out;
}

bool wildcard(const std::string& ip) { return ip.empty() || ip == "0.0.0.0"; }

bool port_conflict(const std::set<host_port>& used, const host_port& want) {
  return std::any_of(used.begin(), used.end(), [&](const host_port& u) {
    return u.port == want.port && u.protocol_ == want.protocol_ &&
           (u.ip == want.ip || wildcard(u.ip) || wildcard(want.ip));
  });
}

bool selector_matches(const model::string_map& selector, const model::string_map& labels) {
  return std::all_of(selector.begin(), selector.end(), [&](const auto& kv) {
    auto it = labels.find(kv.first);
    return it != labels.end() && it->second == kv.second;
  });
}

resource_amounts non_zero_requests(const model::pod& p) {
  resource_amounts out;
  for (const auto& c : p.spec.containers) {
    const auto& r = c.resources.requests;
    auto cpu = r.find("cpu");
    auto mem = r.find("memory");
    out.milli_cpu += cpu != r.end() ? cpu->second.milli : k_default_milli_cpu;
    out.memory += mem != r.end() ? mem->second.value() : k_default_memory;
  }
  return out;
}

/// 0..100: the share of `allocatable` still free once `used` is taken.
std::int64_t free_share(std::int64_t allocatable, std::int64_t used) {
  if (allocatable <= 0 || used >= allocatable) return 0;
  return (allocatable - used) * k_max_score / allocatable;
}

std::int64_t least_requested_score(const model::pod& p, const node_info& info) {
  const auto want = non_zero_requests(p);
  const auto cpu = free_share(info.allocatable.milli_cpu, info.non_zero_requested.milli_cpu + want.milli_cpu);
  const auto mem = free_share(info.allocatable.memory, info.non_zero_requested.memory + want.memory);
  return (cpu + mem) / 2;
}

/// Smaller is better: (same-controller pods, -free share, name).
auto rank(const model::pod& p, const node_info& info) {
  std::int64_t siblings = 0;
  if (const auto* owner = controller_of(p)) {
    if (auto it = info.pods_per_owner.find(owner->uid); it != info.pods_per_owner.end()) {
      siblings = it->second;
    }
  }
  return std::make_tuple(siblings, -least_requested_score(p, info), std::cref(info.node.metadata.name));
}

std::string unavailable_message(const std::map<std::string, std::int64_t>& counts, std::size_t node_count) {
  if (node_count == 0) return "0/0 nodes are available: no nodes registered.";
  std::vector<std::pair<std::string, std::int64_t>> sorted(counts.begin(), counts.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  std::vector<std::string> parts;
  for (const auto& [text, n] : sorted) parts.push_back(fmt::format("{} {}", n, text));
  return fmt::format("0/{} nodes are available: {}.", node_count, fmt::join(parts, ", "));
}

}  // namespace

resource_amounts pod_requests(const model::pod& p) {
  resource_amounts out;
  for (const auto& c : p.spec.containers) {
    const auto& r = c.resources.requests;
    if (auto it = r.find("cpu"); it != r.end()) out.milli_cpu += it->second.milli;
    if (auto it = r.find("memory"); it != r.end()) out.memory += it->second.value();
  }
  return out;
}

void add_pod(node_info& info, const model::pod& p) {
  if (is_finished(p)) return;  // its containers are gone: it holds nothing
  const auto req = pod_requests(p);
  const auto nz = non_zero_requests(p);
  info.requested.milli_cpu += req.milli_cpu;
  info.requested.memory += req.memory;
  info.non_zero_requested.milli_cpu += nz.milli_cpu;
  info.non_zero_requested.memory += nz.memory;
  ++info.pod_count;
  for (const auto& port : wanted_ports(p)) info.used_ports.insert(port);
  if (const auto* owner = controller_of(p)) ++info.pods_per_owner[owner->uid];
}

std::vector<node_info> build_node_infos(const std::vector<model::node>& nodes, const std::vector<model::pod>& pods) {
  std::vector<node_info> infos;
  infos.reserve(nodes.size());
  for (const auto& n : nodes) {
    node_info info;
    info.node = n;
    if (const auto* q = node_resource(n, "cpu")) info.allocatable.milli_cpu = q->milli;
    if (const auto* q = node_resource(n, "memory")) info.allocatable.memory = q->value();
    if (const auto* q = node_resource(n, "pods")) info.allowed_pods = q->value();
    infos.push_back(std::move(info));
  }
  std::sort(infos.begin(), infos.end(),
            [](const auto& a, const auto& b) { return a.node.metadata.name < b.node.metadata.name; });
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < infos.size(); ++i) index[infos[i].node.metadata.name] = i;
  for (const auto& p : pods) {
    if (auto it = index.find(p.spec.node_name); it != index.end()) add_pod(infos[it->second], p);
  }
  return infos;
}

std::vector<std::string> check_fit(const model::pod& p, const node_info& info) {
  if (!model::is_node_ready(info.node)) return {k_not_ready};
  if (info.node.spec.unschedulable) return {k_unschedulable};
  if (!selector_matches(p.spec.node_selector, info.node.metadata.labels)) return {k_selector};
  for (const auto& port : wanted_ports(p)) {
    if (port_conflict(info.used_ports, port)) return {k_ports};
  }
  std::vector<std::string> out;
  if (info.pod_count + 1 > info.allowed_pods) out.emplace_back("Too many pods");
  const auto req = pod_requests(p);
  if (req.milli_cpu > 0 && info.requested.milli_cpu + req.milli_cpu > info.allocatable.milli_cpu) {
    out.emplace_back("Insufficient cpu");
  }
  if (req.memory > 0 && info.requested.memory + req.memory > info.allocatable.memory) {
    out.emplace_back("Insufficient memory");
  }
  return out;
}

placement schedule_one(const model::pod& p, const std::vector<node_info>& infos) {
  const node_info* best = nullptr;
  std::map<std::string, std::int64_t> reasons;
  for (const auto& info : infos) {
    const auto why = check_fit(p, info);
    for (const auto& r : why) ++reasons[r];
    if (!why.empty()) continue;
    if (best == nullptr || rank(p, info) < rank(p, *best)) best = &info;
  }
  if (best != nullptr) return {best->node.metadata.name, {}};
  return {{}, unavailable_message(reasons, infos.size())};
}

batch_plan schedule_batch(const std::vector<model::pod>& pods, std::vector<node_info> infos) {
  std::vector<const model::pod*> queue;
  for (const auto& p : pods) {
    if (p.spec.node_name.empty() && is_active(p)) queue.push_back(&p);
  }
  std::sort(queue.begin(), queue.end(), [](const auto* a, const auto* b) {
    return std::tie(a->metadata.creation_timestamp, a->metadata.namespace_, a->metadata.name) <
           std::tie(b->metadata.creation_timestamp, b->metadata.namespace_, b->metadata.name);
  });
  std::sort(infos.begin(), infos.end(),
            [](const auto& a, const auto& b) { return a.node.metadata.name < b.node.metadata.name; });
  batch_plan plan;
  for (const auto* p : queue) {
    auto where = schedule_one(*p, infos);
    if (!where.ok()) {
      plan.failures.push_back({ref_of(*p), {"Unschedulable", std::move(where.why)}});
      continue;
    }
    auto it = std::find_if(infos.begin(), infos.end(),
                           [&](const auto& i) { return i.node.metadata.name == where.node_name; });
    add_pod(*it, *p);
    plan.bindings.push_back({ref_of(*p), std::move(where.node_name)});
  }
  std::sort(plan.bindings.begin(), plan.bindings.end(), [](const auto& a, const auto& b) { return a.pod < b.pod; });
  std::sort(plan.failures.begin(), plan.failures.end(), [](const auto& a, const auto& b) { return a.pod < b.pod; });
  plan.nodes = std::move(infos);
  return plan;
}

std::string batch_plan::to_string() const {
  std::string out = fmt::format("{} bound, {} unschedulable", bindings.size(), failures.size());
  for (const auto& b : bindings) out += fmt::format("\n  bind {} -> {}", reconcile::to_string(b.pod), b.node_name);
  for (const auto& f : failures) {
    out += fmt::format("\n  pending {}: {}", reconcile::to_string(f.pod), reconcile::to_string(f.why));
  }
  return out;
}

}  // namespace berth::reconcile
