#include "actors/model/quota.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

namespace berth::model {
namespace {

const char* resource_of(kind k) {
  switch (k) {
    case kind::pod: return "pods";
    case kind::replication_controller: return "replicationcontrollers";
    case kind::service: return "services";
    case kind::secret: return "secrets";
    case kind::resource_quota: return "resourcequotas";
    case kind::persistent_volume_claim: return "persistentvolumeclaims";
    default: return nullptr;
  }
}

bool active(const pod& p) { return p.status.phase != pod_phase::succeeded && p.status.phase != pod_phase::failed; }

template <class Map>
std::int64_t count_in(const Map& m, const std::string& ns) {
  std::int64_t n = 0;
  for (auto it = m.lower_bound({ns, ""}); it != m.end() && it->first.namespace_ == ns; ++it) ++n;
  return n;
}

quantity count(std::int64_t n) { return quantity{n * 1000, quantity::suffix_family::decimal}; }

/// "pods=1,cpu=2" over `names`, values from `values` (0 when missing).
std::string listed(const std::vector<std::string>& names, const resource_list& values) {
  std::string out;
  for (const auto& name : names) {
    auto it = values.find(name);
    out += fmt::format("{}{}={}", out.empty() ? "" : ",", name, it == values.end() ? "0" : to_string(it->second));
  }
  return out;
}

}  // namespace

bool is_quota_resource(std::string_view name) {
  return std::find(std::begin(k_quota_resources), std::end(k_quota_resources), name) != std::end(k_quota_resources);
}

void add_usage(resource_list& a, const resource_list& b) {
  for (const auto& [name, q] : b) {
    auto [it, fresh] = a.try_emplace(name, q);
    if (!fresh) it->second.milli += q.milli;
  }
}

resource_list namespace_usage(const cluster_state& s, const std::string& ns) {
  resource_list used;
  std::int64_t pods = 0;
  quantity cpu{}, memory{0, quantity::suffix_family::binary};
  for (auto it = s.pods.lower_bound({ns, ""}); it != s.pods.end() && it->first.namespace_ == ns; ++it) {
    if (!active(it->second)) continue;
    ++pods;
    auto u = usage_of(it->second);
    if (auto c = u.find("cpu"); c != u.end()) cpu.milli += c->second.milli;
    if (auto m = u.find("memory"); m != u.end()) memory.milli += m->second.milli;
  }
  used["pods"] = count(pods);
  used["cpu"] = cpu;
  used["memory"] = memory;
  used["persistentvolumeclaims"] = count(count_in(s.claims, ns));
  used["replicationcontrollers"] = count(count_in(s.rcs, ns));
  used["resourcequotas"] = count(count_in(s.resource_quotas, ns));
  used["secrets"] = count(count_in(s.secrets, ns));
  used["services"] = count(count_in(s.services, ns));
  return used;
}

resource_quota with_status(const cluster_state& s, resource_quota q) {
  auto used = namespace_usage(s, q.metadata.namespace_);
  q.status.hard = q.hard;
  q.status.used.clear();
  for (const auto& [name, _] : q.hard)
    if (auto it = used.find(name); it != used.end()) q.status.used[name] = it->second;
  return q;
}

resource_list usage_of(kind k) {
  resource_list out;
  if (const char* name = resource_of(k)) out[name] = count(1);
  return out;
}

resource_list usage_of(const pod& p) {
  resource_list out;
  out["pods"] = count(1);
  for (const char* name : {"cpu", "memory"}) {
    quantity sum{};
    bool all = !p.spec.containers.empty();
    for (const auto& c : p.spec.containers) {
      auto it = c.resources.limits.find(name);
      if (it == c.resources.limits.end()) {
        all = false;
        break;
      }
      if (sum.milli == 0) sum.family = it->second.family;
      sum.milli += it->second.milli;
    }
    if (all) out[name] = sum;
  }
  return out;
}

std::string quota_refusal(const cluster_state& s, const std::string& ns, kind k, const pod* p) {
  return quota_refusal(s, ns, k, p, {});
}

std::string quota_refusal(const cluster_state& s, const std::string& ns, kind k, const pod* p,
                          const resource_list& pending) {
  auto first = s.resource_quotas.lower_bound({ns, ""});
  if (first == s.resource_quotas.end() || first->first.namespace_ != ns) return "";
  const auto requested = p ? usage_of(*p) : usage_of(k);
  if (requested.empty()) return "";
  auto used = namespace_usage(s, ns);
  add_usage(used, pending);
  for (auto it = first; it != s.resource_quotas.end() && it->first.namespace_ == ns; ++it) {
    const auto& q = it->second;
    if (p) {
      std::string missing;
      for (const char* name : {"cpu", "memory"})
        if (q.hard.contains(name) && !requested.contains(name)) missing += (missing.empty() ? "" : ",") + std::string(name);
      if (!missing.empty()) return fmt::format("failed quota: {}: must specify {}", q.metadata.name, missing);
    }
    std::vector<std::string> exceeded;
    for (const auto& [name, amount] : requested) {
      auto hard = q.hard.find(name);
      if (hard == q.hard.end()) continue;
      auto u = used.find(name);
      const std::int64_t now = u == used.end() ? 0 : u->second.milli;
      if (now + amount.milli > hard->second.milli) exceeded.push_back(name);
    }
    if (!exceeded.empty())
      return fmt::format("exceeded quota: {}, requested: {}, used: {}, limited: {}", q.metadata.name,
                         listed(exceeded, requested), listed(exceeded, used), listed(exceeded, q.hard));
  }
  return "";
}

std::vector<limit_range> limit_ranges_in(const cluster_state& s, const std::string& ns) {
  std::vector<limit_range> out;
  for (auto it = s.limit_ranges.lower_bound({ns, ""}); it != s.limit_ranges.end() && it->first.namespace_ == ns; ++it)
    out.push_back(it->second);
  return out;
}

}  // namespace berth::model
