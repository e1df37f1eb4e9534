#include "actors/model/limit_ranges.hpp"

#include <map>
#include <optional>

#include <fmt/format.h>

namespace berth::model {
namespace {

/// A resource's request and limit as admission sees them: a missing request
/// is the limit (what Kubernetes' defaulting makes of it).
struct observed {
  std::optional<quantity> request;
  std::optional<quantity> limit;
};

observed observe(const resource_requirements& r, const std::string& name) {
  observed o;
  if (auto it = r.limits.find(name); it != r.limits.end()) o.limit = it->second;
  if (auto it = r.requests.find(name); it != r.requests.end()) o.request = it->second;
  if (!o.request) o.request = o.limit;
  return o;
}

/// The pod's total: the sum over its containers; a part missing in any
/// container leaves the total missing (it cannot be bounded).
observed observe_pod(const pod& p, const std::string& name) {
  observed total{quantity{}, quantity{}};
  bool first = true;
  for (const auto& c : p.spec.containers) {
    auto o = observe(c.resources, name);
    auto add = [&](std::optional<quantity>& sum, const std::optional<quantity>& part) {
      if (!sum) return;
      if (!part) return sum.reset();
      if (first) sum->family = part->family;
      sum->milli += part->milli;
    };
    add(total.request, o.request);
    add(total.limit, o.limit);
    first = false;
  }
  if (p.spec.containers.empty()) return {};
  return total;
}

void check(const limit_range_item& item, const observed& o, const std::string& name, std::vector<std::string>& out) {
  const auto& type = item.type;
  if (auto it = item.min.find(name); it != item.min.end()) {
    const auto& min = it->second;
    if (!o.request)
      out.push_back(fmt::format("minimum {} usage per {} is {}.  No request is specified", name, type, to_string(min)));
    else if (o.request->milli < min.milli)
      out.push_back(fmt::format("minimum {} usage per {} is {}, but request is {}", name, type, to_string(min),
                                to_string(*o.request)));
    else if (o.limit && o.limit->milli < min.milli)
      out.push_back(fmt::format("minimum {} usage per {} is {}, but limit is {}", name, type, to_string(min),
                                to_string(*o.limit)));
  }
  if (auto it = item.max.find(name); it != item.max.end()) {
    const auto& max = it->second;
    if (!o.limit)
      out.push_back(fmt::format("maximum {} usage per {} is {}.  No limit is specified", name, type, to_string(max)));
    else if (o.limit->milli > max.milli)
      out.push_back(fmt::format("maximum {} usage per {} is {}, but limit is {}", name, type, to_string(max),
                                to_string(*o.limit)));
    else if (o.request && o.request->milli > max.milli)
      out.push_back(fmt::format("maximum {} usage per {} is {}, but request is {}", name, type, to_string(max),
                                to_string(*o.request)));
  }
  if (auto it = item.max_limit_request_ratio.find(name); it != item.max_limit_request_ratio.end()) {
    const auto& ratio = it->second;
    if (!o.limit || !o.request || o.request->milli == 0) {
      out.push_back(fmt::format("maximum {} limit to request ratio per {} is {}, but no {} is specified", name, type,
                                to_string(ratio), o.limit ? "request" : "limit"));
    } else {
      // limit/request > ratio, in integers: limit*1000 > ratio.milli*request.
      const auto lhs = static_cast<__int128>(o.limit->milli) * 1000;
      const auto rhs = static_cast<__int128>(ratio.milli) * o.request->milli;
      if (lhs > rhs)
        out.push_back(fmt::format("maximum {} limit to request ratio per {} is {}, but provided ratio is {:.6f}", name,
                                  type, to_string(ratio),
                                  static_cast<double>(o.limit->milli) / static_cast<double>(o.request->milli)));
    }
  }
}

/// The resources an item bounds, each once, in name order.
std::vector<std::string> bounded(const limit_range_item& item) {
  std::map<std::string, bool> names;
  for (const auto* m : {&item.min, &item.max, &item.max_limit_request_ratio})
    for (const auto& [name, _] : *m) names[name] = true;
  std::vector<std::string> out;
  for (const auto& [name, _] : names) out.push_back(name);
  return out;
}

}  // namespace

void apply_limit_defaults(const std::vector<limit_range>& ranges, pod& p) {
  for (const auto& range : ranges)
    for (const auto& item : range.limits) {
      if (item.type != k_limit_type_container) continue;
      for (auto& c : p.spec.containers) {
        for (const auto& [name, q] : item.default_) c.resources.limits.try_emplace(name, q);
        for (const auto& [name, q] : item.default_request) c.resources.requests.try_emplace(name, q);
      }
    }
}

std::vector<std::string> limit_violations(const std::vector<limit_range>& ranges, const pod& p) {
  std::vector<std::string> out;
  for (const auto& range : ranges)
    for (const auto& item : range.limits) {
      if (item.type == k_limit_type_container) {
        for (const auto& c : p.spec.containers)
          for (const auto& name : bounded(item)) check(item, observe(c.resources, name), name, out);
      } else if (item.type == k_limit_type_pod) {
        for (const auto& name : bounded(item)) check(item, observe_pod(p, name), name, out);
      }
    }
  return out;
}

std::string admit_limits(const std::vector<limit_range>& ranges, pod& p) {
  apply_limit_defaults(ranges, p);
  auto why = limit_violations(ranges, p);
  if (why.empty()) return "";
  if (why.size() == 1) return why.front();
  std::string joined = "[";
  for (std::size_t i = 0; i < why.size(); ++i) joined += (i ? ", " : "") + why[i];
  return joined + "]";
}

std::string forbidden(const std::string& resource, const std::string& name, const std::string& why) {
  return fmt::format("{} \"{}\" is forbidden: {}", resource, name, why);
}

}  // namespace berth::model
