#include "actors/model/kinds.hpp"

#include <cstddef>
#include <iterator>

namespace berth::model {
namespace {

struct kind_words {
  const char* name;
  const char* resource;
  const char* singular;
  const char* short_name;
  const char* brief;
  const char* alias;  // another accepted spelling (plural and singular), or nullptr
  const char* alias_singular;
};

/// One row per kind, in the enum's order.
constexpr kind_words k_words[] = {
    {k_kind_pod, "pods", "pod", "po", "pod", nullptr, nullptr},
    {k_kind_rc, "replicationcontrollers", "replicationcontroller", "rc", "rc", nullptr, nullptr},
    {k_kind_service, "services", "service", "svc", "svc", nullptr, nullptr},
    {k_kind_endpoints, "endpoints", "endpoints", "ep", "endpoints", nullptr, nullptr},
    {k_kind_node, "nodes", "node", "no", "node", "minions", "minion"},
    {k_kind_namespace, "namespaces", "namespace", "ns", "namespace", nullptr, nullptr},
    {k_kind_secret, "secrets", "secret", "", "secret", nullptr, nullptr},
    {k_kind_limit_range, "limitranges", "limitrange", "limits", "limitrange", nullptr, nullptr},
    {k_kind_resource_quota, "resourcequotas", "resourcequota", "quota", "quota", nullptr, nullptr},
    {k_kind_persistent_volume, "persistentvolumes", "persistentvolume", "pv", "pv", nullptr, nullptr},
    {k_kind_persistent_volume_claim, "persistentvolumeclaims", "persistentvolumeclaim", "pvc", "pvc", nullptr,
     nullptr},
    {k_kind_pod_template, "podtemplates", "podtemplate", "", "podtemplate", nullptr, nullptr},
};
static_assert(std::size(k_words) == k_all_kinds.size());

const kind_words& words(kind k) {
  const auto i = static_cast<std::size_t>(k);
  return k_words[i < std::size(k_words) ? i : 0];
}

bool is(const char* word, std::string_view text) { return word != nullptr && *word != '\0' && text == word; }

}  // namespace

const char* kind_name(kind k) { return words(k).name; }
const char* resource_name(kind k) { return words(k).resource; }
const char* singular_name(kind k) { return words(k).singular; }
const char* short_name(kind k) { return words(k).short_name; }
const char* brief_name(kind k) { return words(k).brief; }

std::optional<kind> kind_from_name(std::string_view name) {
  for (kind k : k_all_kinds) {
    if (name == kind_name(k)) return k;
  }
  return std::nullopt;
}

std::optional<kind> parse_resource(std::string_view text) {
  for (kind k : k_all_kinds) {
    const auto& w = words(k);
    if (is(w.resource, text) || is(w.singular, text) || is(w.short_name, text) || is(w.alias, text) ||
        is(w.alias_singular, text))
      return k;
  }
  return std::nullopt;
}

}  // namespace berth::model
