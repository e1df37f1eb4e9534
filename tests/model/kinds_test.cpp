// The kind vocabulary (actors/model/kinds.hpp): every kind round-trips
// through each of its spellings, and the spellings are the ones Kubernetes
// and berth's journal use, byte for byte.

#include "actors/model/kinds.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

#include "actors/model/objects.hpp"

namespace m = berth::model;

TEST_CASE("kinds: every kind round-trips through its kind name and its command-line names") {
  for (m::kind k : m::k_all_kinds) {
    CAPTURE(m::kind_name(k));
    CHECK(m::kind_from_name(m::kind_name(k)) == k);
    CHECK(m::parse_resource(m::resource_name(k)) == k);
    CHECK(m::parse_resource(m::singular_name(k)) == k);
    if (*m::short_name(k) != '\0') CHECK(m::parse_resource(m::short_name(k)) == k);  // secrets have none
  }
}

TEST_CASE("kinds: the spellings, exactly (the journal stores the kind names)") {
  struct row {
    m::kind k;
    const char* name;
    const char* resource;
    const char* singular;
    const char* short_name;
    const char* brief;
  };
  const row rows[] = {
      {m::kind::pod, "Pod", "pods", "pod", "po", "pod"},
      {m::kind::replication_controller, "ReplicationController", "replicationcontrollers", "replicationcontroller",
       "rc", "rc"},
      {m::kind::service, "Service", "services", "service", "svc", "svc"},
      {m::kind::endpoints, "Endpoints", "endpoints", "endpoints", "ep", "endpoints"},
      {m::kind::node, "Node", "nodes", "node", "no", "node"},
      {m::kind::namespace_, "Namespace", "namespaces", "namespace", "ns", "namespace"},
      {m::kind::secret, "Secret", "secrets", "secret", "", "secret"},
      {m::kind::limit_range, "LimitRange", "limitranges", "limitrange", "limits", "limitrange"},
      {m::kind::resource_quota, "ResourceQuota", "resourcequotas", "resourcequota", "quota", "quota"},
      {m::kind::persistent_volume, "PersistentVolume", "persistentvolumes", "persistentvolume", "pv", "pv"},
      {m::kind::persistent_volume_claim, "PersistentVolumeClaim", "persistentvolumeclaims", "persistentvolumeclaim",
       "pvc", "pvc"},
      {m::kind::pod_template, "PodTemplate", "podtemplates", "podtemplate", "", "podtemplate"},
  };
  REQUIRE(std::size(rows) == m::k_all_kinds.size());
  for (const auto& r : rows) {
    CAPTURE(r.name);
    CHECK(std::string(m::kind_name(r.k)) == r.name);
    CHECK(std::string(m::resource_name(r.k)) == r.resource);
    CHECK(std::string(m::singular_name(r.k)) == r.singular);
    CHECK(std::string(m::short_name(r.k)) == r.short_name);
    CHECK(std::string(m::brief_name(r.k)) == r.brief);
  }
  CHECK(std::string(m::kind_name(m::kind::pod)) == m::k_kind_pod);
  CHECK(std::string(m::kind_name(m::kind::replication_controller)) == m::k_kind_rc);
  CHECK(std::string(m::kind_name(m::kind::service)) == m::k_kind_service);
  CHECK(std::string(m::kind_name(m::kind::endpoints)) == m::k_kind_endpoints);
  CHECK(std::string(m::kind_name(m::kind::node)) == m::k_kind_node);
  CHECK(std::string(m::kind_name(m::kind::namespace_)) == m::k_kind_namespace);
  CHECK(m::is_cluster_scoped(m::kind::node));
  CHECK(m::is_cluster_scoped(m::kind::namespace_));
  CHECK(std::string(m::kind_name(m::kind::secret)) == m::k_kind_secret);
  CHECK_FALSE(m::is_cluster_scoped(m::kind::pod));
  CHECK_FALSE(m::is_cluster_scoped(m::kind::secret));
}

TEST_CASE("kinds: the enum keeps its order (actors::any_object's alternatives follow it)") {
  for (std::size_t i = 0; i < m::k_all_kinds.size(); ++i) CHECK(static_cast<std::size_t>(m::k_all_kinds[i]) == i);
}

TEST_CASE("kinds: no spelling names two kinds; node's old name still parses") {
  std::set<std::string> seen;
  for (m::kind k : m::k_all_kinds) {
    std::set<std::string> own = {m::resource_name(k), m::singular_name(k), m::short_name(k)};
    own.erase("");  // no short name
    for (const auto& s : own) CHECK_MESSAGE(seen.insert(s).second, s);
  }
  CHECK(m::parse_resource("minions") == m::kind::node);
  CHECK(m::parse_resource("minion") == m::kind::node);
}

TEST_CASE("kinds: unknown text is no kind") {
  for (const char* text : {"", "Pods", "pod ", "POD", "deployments", "List", "ReplicaSet"}) {
    CAPTURE(text);
    CHECK_FALSE(m::parse_resource(text).has_value());
  }
  CHECK_FALSE(m::kind_from_name("pod").has_value());  // kind names are case-sensitive
  CHECK_FALSE(m::kind_from_name("List").has_value());
}

TEST_CASE("phase_name: Kubernetes' spelling of every phase") {
  CHECK(std::string(m::phase_name(m::pod_phase::pending)) == "Pending");
  CHECK(std::string(m::phase_name(m::pod_phase::running)) == "Running");
  CHECK(std::string(m::phase_name(m::pod_phase::succeeded)) == "Succeeded");
  CHECK(std::string(m::phase_name(m::pod_phase::failed)) == "Failed");
  CHECK(std::string(m::phase_name(m::pod_phase::unknown)) == "Unknown");
}
