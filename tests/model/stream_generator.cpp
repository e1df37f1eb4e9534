// random_stream(): plausible and implausible event streams for the property
// tests (declared in generators.hpp).

#include <iterator>

#include "tests/model/generators.hpp"

namespace berth::model::testing {
namespace {

// Small pools, so that creates collide, deletes hit and miss, binds name nodes
// that exist and nodes that do not.
const std::vector<std::string> k_namespaces = {"default", "prod"};
const std::vector<std::string> k_names = {"a", "b", "c", "d"};
const std::vector<std::string> k_nodes = {"n1", "n2", "n3"};
const std::vector<std::string> k_kinds = {k_kind_pod,       k_kind_rc, k_kind_service,  k_kind_node,
                                          k_kind_endpoints, "Widget",  k_kind_namespace};
// Namespaces to create: two that objects live in, two nothing ever lives in
// (so that they can be emptied and removed), and a built-in one.
const std::vector<std::string> k_namespace_names = {"prod", "team", "empty", "default"};

class stream_builder {
 public:
  explicit stream_builder(std::uint64_t seed) : g_(seed) {}

  event next(std::uint64_t seq) {
    now_ += g_.range(1, 5'000'000'000LL);
    event e;
    e.seq = seq;
    e.time = now_;
    e.header.principal = g_.pick<std::string>({"user:admin", "controller:rc", "scheduler", "node:n1"});
    e.header.cause = static_cast<std::uint64_t>(g_.range(0, static_cast<std::int64_t>(seq) - 1));
    e.payload = payload(static_cast<std::uint16_t>(g_.range(0, k_event_type_count - 1)), e);
    apply(shadow_, e);  // so that later events can name what exists now
    return e;
  }

 private:
  rng g_;
  cluster_state shadow_;
  time_ns now_ = 1'700'000'000'000'000'000LL;

  object_key pooled_key() { return {g_.pick(k_namespaces), g_.pick(k_names)}; }

  template <class Map>
  const typename Map::mapped_type* existing(const Map& m) {
    if (m.empty() || g_.chance(30)) return nullptr;
    auto it = m.begin();
    std::advance(it, g_.range(0, static_cast<std::int64_t>(m.size()) - 1));
    return &it->second;
  }

  /// Points the header at an existing object of `kind` (mostly) or at a name
  /// from the pools; sometimes with the wrong kind or a stale uid.
  void target(event& e, const std::string& kind) {
    const object_meta* m = nullptr;
    if (kind == k_kind_pod) m = meta_of(existing(shadow_.pods));
    if (kind == k_kind_rc) m = meta_of(existing(shadow_.rcs));
    if (kind == k_kind_service) m = meta_of(existing(shadow_.services));
    if (kind == k_kind_node) m = meta_of(existing(shadow_.nodes));
    if (kind == k_kind_namespace) m = meta_of(existing(shadow_.namespaces));
    if (kind == k_kind_secret) m = meta_of(existing(shadow_.secrets));
    if (kind == k_kind_limit_range) m = meta_of(existing(shadow_.limit_ranges));
    if (kind == k_kind_resource_quota) m = meta_of(existing(shadow_.resource_quotas));
    if (kind == k_kind_endpoints) m = meta_of(existing(shadow_.endpoints_));
    if (kind == k_kind_persistent_volume) m = meta_of(existing(shadow_.volumes));
    if (kind == k_kind_persistent_volume_claim) m = meta_of(existing(shadow_.claims));
    if (kind == k_kind_pod_template) m = meta_of(existing(shadow_.pod_templates));
    object_reference& ref = e.header.object;
    ref.kind = g_.chance(10) ? g_.pick(k_kinds) : kind;
    if (m) {
      ref.namespace_ = m->namespace_;
      ref.name = m->name;
      int roll = static_cast<int>(g_.range(0, 9));
      ref.uid = roll < 6 ? m->uid : roll < 9 ? "" : "stale-uid";
    } else if (kind == k_kind_node) {
      ref.name = g_.pick(k_nodes);
    } else if (kind == k_kind_namespace) {
      ref.namespace_.clear();
      ref.name = g_.pick(k_namespace_names);
    } else if (kind == k_kind_persistent_volume) {
      ref.namespace_.clear();
      ref.name = g_.pick(k_names);
    } else {
      object_key k = pooled_key();
      ref.namespace_ = k.namespace_;
      ref.name = k.name;
    }
  }

  template <class T>
  static const object_meta* meta_of(const T* obj) {
    return obj ? &obj->metadata : nullptr;
  }

  void name(object_meta& m, std::uint64_t seq) {
    object_key k = pooled_key();
    m.namespace_ = k.namespace_;
    m.name = k.name;
    m.uid = "uid-" + std::to_string(seq);
  }

  pod new_pod(std::uint64_t seq) {
    pod p = full_pod(g_);
    name(p.metadata, seq);
    p.spec.node_name = g_.chance(25) ? g_.pick(k_nodes) : "";
    return p;
  }

  api_object new_object(std::uint64_t seq) {
    switch (g_.range(0, 2)) {
      case 0: return new_pod(seq);
      case 1: {
        replication_controller rc = full_rc(g_);
        name(rc.metadata, seq);
        return rc;
      }
      default: {
        service s = full_service(g_);
        name(s.metadata, seq);
        return s;
      }
    }
  }

  /// An existing object with new labels and maybe a new spec, or a new one.
  api_object replacement(std::uint64_t seq) {
    bool change_spec = g_.chance(50);
    switch (g_.range(0, 2)) {
      case 0:
        if (const pod* p = existing(shadow_.pods)) {
          pod r = *p;
          r.metadata.labels[g_.text(3)] = g_.text(3);
          if (change_spec) r.spec.containers.at(0).image = g_.text();
          r.spec.node_name = g_.pick(k_nodes);  // must not move the pod
          return r;
        }
        break;
      case 1:
        if (const replication_controller* rc = existing(shadow_.rcs)) {
          replication_controller r = *rc;
          r.metadata.annotations[g_.text(3)] = g_.text(3);
          if (change_spec) r.spec.replicas = static_cast<std::int32_t>(g_.range(0, 5));
          return r;
        }
        break;
      default:
        if (const service* s = existing(shadow_.services)) {
          service r = *s;
          r.metadata.labels = {};
          if (change_spec) r.spec.cluster_ip = g_.text();
          return r;
        }
    }
    return new_object(seq);
  }

  event_payload payload(std::uint16_t type, event& e) {
    switch (type) {
      case 0: return object_created{new_object(e.seq)};
      case 1: return object_replaced{replacement(e.seq)};
      case 2: target(e, g_.pick(k_kinds)); return object_deleted{g_.chance(50) ? -1 : g_.range(0, 60)};
      case 3: target(e, k_kind_rc); return rc_scaled{static_cast<std::int32_t>(g_.range(0, 5))};
      case 4: return pod_created{new_pod(e.seq)};
      case 5: target(e, k_kind_pod); return pod_bound{g_.pick(k_nodes)};
      case 6: target(e, k_kind_pod); return pod_unschedulable{{"Unschedulable", g_.text()}};
      case 7: target(e, k_kind_pod); return pod_evicted{{"NodeLost", g_.text()}};
      case 8: target(e, k_kind_pod); return pod_removed{{"Terminated", g_.text()}};
      case 14: target(e, k_kind_pod); return pod_deleted{{"ScaleDown", g_.text()}};
      case 9: return endpoints_updated{new_endpoints(e.seq)};
      case 10: target(e, k_kind_node); return node_readiness_decided{readiness()};
      case 12: target(e, k_kind_node); return node_readiness_observed{readiness()};
      case 11: return node_registered{new_node(e.seq)};
      case 15: target(e, k_kind_node); return node_heartbeat{static_cast<time_ns>(g_.range(0, 1'000'000'000))};
      case 16: target(e, k_kind_node); return node_unschedulable{g_.range(0, 1) == 1};
      case 17: {
        namespace_object n;
        n.metadata.name = g_.pick(k_namespace_names);
        n.metadata.uid = "ns-uid-" + std::to_string(e.seq);
        e.header.object = {k_kind_namespace, "", n.metadata.name, n.metadata.uid};
        return namespace_created{n};
      }
      case 18: {
        target(e, k_kind_namespace);
        namespace_object n;
        n.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_namespace_names);
        n.metadata.labels[g_.text(3)] = g_.text(3);
        return namespace_replaced{n};
      }
      case 19: target(e, k_kind_namespace); return namespace_removed{{"NamespaceEmpty", g_.text()}};
      case 20: {
        secret x;
        name(x.metadata, e.seq);
        x.sealed = {"k1", g_.text(12), g_.text(20)};  // stands for ciphertext: the fold never opens it
        e.header.object = {k_kind_secret, x.metadata.namespace_, x.metadata.name, x.metadata.uid};
        return secret_created{x};
      }
      case 21: {
        target(e, k_kind_secret);
        secret x;
        x.metadata.namespace_ = e.header.object.namespace_;
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        x.type = g_.pick<std::string>({"Opaque", "kubernetes.io/service-account-token"});
        x.sealed = {"k1", g_.text(12), g_.text(20)};
        return secret_replaced{x};
      }
      case 22: target(e, k_kind_secret); return secret_removed{{"Deleted", g_.text()}};
      case 23: {
        // A user's endpoints: of an existing service, of existing endpoints
        // (a replace), or of a name nothing has.
        endpoints ep = new_endpoints(e.seq);
        if (g_.chance(30))
          if (const endpoints* have = existing(shadow_.endpoints_)) ep.metadata = have->metadata;
        e.header.object = {k_kind_endpoints, ep.metadata.namespace_, ep.metadata.name, ep.metadata.uid};
        if (g_.chance(10)) e.header.object.uid = "stale-uid";
        return endpoints_replaced{ep};
      }
      case 24: target(e, k_kind_endpoints); return endpoints_removed{{"Deleted", g_.text()}};
      // 25: reserved (schema reserved26), never generated (the default below).
      case 26: {
        limit_range x;
        name(x.metadata, e.seq);
        x.limits.push_back({k_limit_type_container, full_pod(g_).spec.containers.at(0).resources.limits, {}, {}, {}, {}});
        e.header.object = {k_kind_limit_range, x.metadata.namespace_, x.metadata.name, x.metadata.uid};
        return limit_range_created{x};
      }
      case 27: {
        target(e, k_kind_limit_range);
        limit_range x;
        x.metadata.namespace_ = e.header.object.namespace_;
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        x.limits.push_back({k_limit_type_pod, {}, {}, {}, {}, {}});
        return limit_range_replaced{x};
      }
      case 28: target(e, k_kind_limit_range); return limit_range_removed{{"Deleted", g_.text()}};
      case 29: {
        resource_quota x;
        name(x.metadata, e.seq);
        x.hard["pods"] = quantity{g_.range(0, 20) * 1000};
        e.header.object = {k_kind_resource_quota, x.metadata.namespace_, x.metadata.name, x.metadata.uid};
        return resource_quota_created{x};
      }
      case 30: {
        target(e, k_kind_resource_quota);
        resource_quota x;
        x.metadata.namespace_ = e.header.object.namespace_;
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        x.hard["services"] = quantity{g_.range(0, 20) * 1000};
        return resource_quota_replaced{x};
      }
      case 31: target(e, k_kind_resource_quota); return resource_quota_removed{{"Deleted", g_.text()}};
      case 32: target(e, k_kind_rc); return pod_create_refused{{"FailedCreate", g_.text()}};
      case 33: target(e, k_kind_pod); return pod_event_observed{"Unhealthy", g_.text(), g_.text()};
      case 34: {
        persistent_volume x = new_volume(e.seq);
        e.header.object = {k_kind_persistent_volume, "", x.metadata.name, x.metadata.uid};
        return persistent_volume_created{x};
      }
      case 35: {
        target(e, k_kind_persistent_volume);
        persistent_volume x = new_volume(e.seq);
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        return persistent_volume_replaced{x};
      }
      case 36: target(e, k_kind_persistent_volume); return persistent_volume_removed{{"Deleted", g_.text()}};
      case 37: {
        persistent_volume_claim x;
        name(x.metadata, e.seq);
        x.spec.access_modes = {g_.pick<std::string>({k_access_read_write_once, k_access_read_only_many})};
        x.spec.resources.requests[k_resource_storage] = quantity{g_.range(1, 20) * 1000};
        if (g_.chance(20)) x.spec.volume_name = g_.pick(k_names);
        if (g_.chance(10)) x.status.phase = claim_phase::bound;  // a status the fold must not keep
        e.header.object = {k_kind_persistent_volume_claim, x.metadata.namespace_, x.metadata.name, x.metadata.uid};
        return persistent_volume_claim_created{x};
      }
      case 38: {
        target(e, k_kind_persistent_volume_claim);
        persistent_volume_claim x;
        x.metadata.namespace_ = e.header.object.namespace_;
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        x.metadata.labels["tier"] = g_.text();
        return persistent_volume_claim_replaced{x};
      }
      case 39:
        target(e, k_kind_persistent_volume_claim);
        return persistent_volume_claim_removed{{"Deleted", g_.text()}};
      case 40: target(e, k_kind_persistent_volume_claim); return volume_claim_bound{g_.pick(k_names)};
      case 41: target_released(e); return volume_recycled{{"VolumeRecycled", g_.text()}};
      case 42: target_released(e); return volume_reclaim_failed{{"VolumeFailedRecycle", g_.text()}};
      case 43: {
        pod_template x;
        name(x.metadata, e.seq);
        x.template_.spec = full_pod(g_).spec;
        e.header.object = {k_kind_pod_template, x.metadata.namespace_, x.metadata.name, x.metadata.uid};
        return pod_template_created{x};
      }
      case 44: {
        target(e, k_kind_pod_template);
        pod_template x;
        x.metadata.namespace_ = e.header.object.namespace_;
        x.metadata.name = g_.chance(90) ? e.header.object.name : g_.pick(k_names);
        x.template_.metadata.labels["app"] = g_.text();
        return pod_template_replaced{x};
      }
      case 45: target(e, k_kind_pod_template); return pod_template_removed{{"Deleted", g_.text()}};
      default: target(e, k_kind_pod); return pod_status_observed{full_pod(g_).status};
    }
  }

  /// Reclaiming needs a Released volume: mostly one of those, when there is one.
  void target_released(event& e) {
    target(e, k_kind_persistent_volume);
    if (g_.chance(30)) return;
    for (const auto& [name, v] : shadow_.volumes)
      if (v.status.phase == volume_phase::released) {
        e.header.object = {k_kind_persistent_volume, "", name, v.metadata.uid};
        return;
      }
  }

  persistent_volume new_volume(std::uint64_t seq) {
    persistent_volume x;
    x.metadata.name = g_.pick(k_names);
    x.metadata.uid = "pv-uid-" + std::to_string(seq);
    x.spec.capacity[k_resource_storage] = quantity{g_.range(1, 20) * 1000};
    x.spec.access_modes = {k_access_read_write_once};
    if (g_.chance(50)) x.spec.access_modes.push_back(k_access_read_only_many);
    x.spec.policy = static_cast<reclaim_policy>(g_.range(0, 2));
    x.spec.source = host_path_volume{"/tmp/" + g_.text()};
    if (g_.chance(10)) x.spec.claim_ref = {k_kind_persistent_volume_claim, "default", g_.pick(k_names), ""};
    if (g_.chance(10)) x.status.phase = volume_phase::released;  // a status the fold must not keep
    return x;
  }

  endpoints new_endpoints(std::uint64_t seq) {
    endpoints ep = full_endpoints(g_);
    name(ep.metadata, seq);
    if (const service* s = existing(shadow_.services)) {
      ep.metadata.namespace_ = s->metadata.namespace_;
      ep.metadata.name = s->metadata.name;
    }
    return ep;
  }

  node new_node(std::uint64_t seq) {
    node n = full_node(g_);
    n.metadata.name = g_.pick(k_nodes);
    n.metadata.namespace_ = g_.chance(10) ? "stray-namespace" : "";
    n.metadata.uid = "node-uid-" + std::to_string(seq);
    if (g_.chance(50)) n.spec.unschedulable = false;
    return n;
  }

  node_readiness readiness() { return {g_.chance(60), "KubeletReady", g_.text(), now_ - 1000}; }
};

}  // namespace

std::vector<event> random_stream(std::uint64_t seed, std::size_t count) {
  stream_builder b(seed);
  std::vector<event> out;
  out.reserve(count);
  for (std::size_t i = 1; i <= count; ++i) out.push_back(b.next(i));
  return out;
}

}  // namespace berth::model::testing
