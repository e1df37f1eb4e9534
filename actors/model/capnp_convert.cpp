#include "actors/model/capnp_convert.hpp"

#include <utility>

#include "actors/model/capnp_convert_detail.hpp"

namespace berth::model {

// Enums map by value: both sides list the enumerants in the same order.
#define BERTH_SAME_ENUM(model_value, schema_value) \
  static_assert(static_cast<std::uint16_t>(model_value) == static_cast<std::uint16_t>(schema_value))
BERTH_SAME_ENUM(protocol::udp, schema::Protocol::UDP);
BERTH_SAME_ENUM(pull_policy::never, schema::PullPolicy::NEVER);
BERTH_SAME_ENUM(pull_policy::always, schema::PullPolicy::ALWAYS);
BERTH_SAME_ENUM(restart_policy::on_failure, schema::RestartPolicy::ON_FAILURE);
BERTH_SAME_ENUM(restart_policy::never, schema::RestartPolicy::NEVER);
BERTH_SAME_ENUM(pod_phase::running, schema::PodPhase::RUNNING);
BERTH_SAME_ENUM(pod_phase::unknown, schema::PodPhase::UNKNOWN);
BERTH_SAME_ENUM(condition_status::is_false, schema::ConditionStatus::STATUS_FALSE);
BERTH_SAME_ENUM(condition_status::unknown, schema::ConditionStatus::STATUS_UNKNOWN);
BERTH_SAME_ENUM(service_type::node_port, schema::ServiceType::NODE_PORT);
BERTH_SAME_ENUM(service_type::load_balancer, schema::ServiceType::LOAD_BALANCER);
BERTH_SAME_ENUM(session_affinity::client_ip, schema::SessionAffinity::CLIENT_I_P);
#undef BERTH_SAME_ENUM

using detail::enum_from;
using detail::enum_to;
using detail::get_strings;
using detail::int_or_string_from;
using detail::int_or_string_to;
using detail::list_from;
using detail::list_to;
using detail::pod_spec_from;
using detail::pod_spec_to;
using detail::resources_from;
using detail::resources_to;
using detail::set_strings;
using detail::str;
using detail::text;

// ------------------------------------------------------------------- helpers

namespace detail {

void throw_decode_error(std::string message) {
  kj::throwFatalException(
      kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::heapString(message.data(), message.size())));
}

void set_strings(const std::vector<std::string>& v, capnp::List<capnp::Text>::Builder b) {
  for (unsigned i = 0; i < v.size(); ++i) b.set(i, text(v[i]));
}

std::vector<std::string> get_strings(capnp::List<capnp::Text>::Reader r) { return list_from<std::string>(r, str); }

}  // namespace detail

void to_capnp(const string_map& m, schema::StringMap::Builder b) {
  auto entries = b.initEntries(static_cast<unsigned>(m.size()));
  unsigned i = 0;
  for (const auto& [k, v] : m) {  // std::map: already sorted by key
    entries[i].setKey(text(k));
    entries[i].setValue(text(v));
    ++i;
  }
}

string_map from_capnp(schema::StringMap::Reader r) {
  string_map m;
  for (auto kv : r.getEntries()) m.insert_or_assign(str(kv.getKey()), str(kv.getValue()));
  return m;
}

namespace detail {

void resources_to(const resource_list& m, schema::ResourceList::Builder b) {
  auto entries = b.initEntries(static_cast<unsigned>(m.size()));
  unsigned i = 0;
  for (const auto& [name, q] : m) {
    entries[i].setKey(text(name));
    entries[i].setValue(text(to_string(q)));
    ++i;
  }
}

resource_list resources_from(schema::ResourceList::Reader r) {
  resource_list m;
  for (auto kv : r.getEntries()) {
    std::string name = str(kv.getKey());
    std::string value = str(kv.getValue());
    std::string why;
    auto q = parse_quantity(value, &why);
    if (!q) detail::throw_decode_error("quantity \"" + value + "\" of " + name + ": " + why);
    m.insert_or_assign(std::move(name), *q);
  }
  return m;
}

void int_or_string_to(const int_or_string& v, schema::IntOrString::Builder b) {
  if (auto* n = std::get_if<std::int32_t>(&v.value)) {
    b.setNumber(*n);
  } else if (auto* s = std::get_if<std::string>(&v.value)) {
    b.setName(text(*s));
  } else {
    b.setUnset();
  }
}

int_or_string int_or_string_from(schema::IntOrString::Reader r) {
  switch (r.which()) {
    case schema::IntOrString::UNSET: return {};
    case schema::IntOrString::NUMBER: return {r.getNumber()};
    case schema::IntOrString::NAME: return {str(r.getName())};
  }
  detail::throw_decode_error("unknown IntOrString member " + std::to_string(r.which()));
}

}  // namespace detail

void to_capnp(const owner_reference& o, schema::OwnerReference::Builder b) {
  b.setApiVersion(text(o.api_version));
  b.setKind(text(o.kind));
  b.setName(text(o.name));
  b.setUid(text(o.uid));
  b.setController(o.controller);
}

owner_reference from_capnp(schema::OwnerReference::Reader r) {
  return {str(r.getApiVersion()), str(r.getKind()), str(r.getName()), str(r.getUid()), r.getController()};
}

void to_capnp(const object_meta& m, schema::ObjectMeta::Builder b) {
  b.setName(text(m.name));
  b.setNamespace(text(m.namespace_));
  b.setUid(text(m.uid));
  b.setResourceVersion(m.resource_version);
  b.setGeneration(m.generation);
  b.setCreationTimestamp(m.creation_timestamp);
  b.setDeletionTimestamp(m.deletion_timestamp);
  to_capnp(m.labels, b.initLabels());
  to_capnp(m.annotations, b.initAnnotations());
  list_to(m.owner_references, b.initOwnerReferences(static_cast<unsigned>(m.owner_references.size())));
  b.setGenerateName(text(m.generate_name));
  b.setDeletionGracePeriodSeconds(m.deletion_grace_period_seconds);
}

object_meta from_capnp(schema::ObjectMeta::Reader r) {
  object_meta m;
  m.name = str(r.getName());
  m.namespace_ = str(r.getNamespace());
  m.uid = str(r.getUid());
  m.resource_version = r.getResourceVersion();
  m.generation = r.getGeneration();
  m.creation_timestamp = r.getCreationTimestamp();
  m.deletion_timestamp = r.getDeletionTimestamp();
  m.labels = from_capnp(r.getLabels());
  m.annotations = from_capnp(r.getAnnotations());
  m.owner_references = list_from<owner_reference>(r.getOwnerReferences(), [](auto x) { return from_capnp(x); });
  m.generate_name = str(r.getGenerateName());
  m.deletion_grace_period_seconds = r.getDeletionGracePeriodSeconds();
  return m;
}

void to_capnp(const object_reference& o, schema::ObjectReference::Builder b) {
  b.setKind(text(o.kind));
  b.setNamespace(text(o.namespace_));
  b.setName(text(o.name));
  b.setUid(text(o.uid));
}

object_reference from_capnp(schema::ObjectReference::Reader r) {
  return {str(r.getKind()), str(r.getNamespace()), str(r.getName()), str(r.getUid())};
}

// --------------------------------------------------- replication controllers

void to_capnp(const replication_controller& rc, schema::ReplicationController::Builder b) {
  to_capnp(rc.metadata, b.initMetadata());
  auto spec = b.initSpec();
  spec.setReplicas(rc.spec.replicas);
  to_capnp(rc.spec.selector, spec.initSelector());
  auto tmpl = spec.initTemplate();
  to_capnp(rc.spec.template_.metadata, tmpl.initMetadata());
  pod_spec_to(rc.spec.template_.spec, tmpl.initSpec());
  auto status = b.initStatus();
  status.setReplicas(rc.status.replicas);
  status.setReadyReplicas(rc.status.ready_replicas);
  status.setObservedGeneration(rc.status.observed_generation);
}

replication_controller from_capnp(schema::ReplicationController::Reader r) {
  replication_controller rc;
  rc.metadata = from_capnp(r.getMetadata());
  auto spec = r.getSpec();
  rc.spec.replicas = spec.getReplicas();
  rc.spec.selector = from_capnp(spec.getSelector());
  auto tmpl = spec.getTemplate();
  rc.spec.template_.metadata = from_capnp(tmpl.getMetadata());
  rc.spec.template_.spec = pod_spec_from(tmpl.getSpec());
  auto status = r.getStatus();
  rc.status = {status.getReplicas(), status.getReadyReplicas(), status.getObservedGeneration()};
  return rc;
}

// ------------------------------------------------------------------ services

void to_capnp(const service& s, schema::Service::Builder b) {
  to_capnp(s.metadata, b.initMetadata());
  auto spec = b.initSpec();
  auto ports = spec.initPorts(static_cast<unsigned>(s.spec.ports.size()));
  for (unsigned i = 0; i < s.spec.ports.size(); ++i) {
    const service_port& p = s.spec.ports[i];
    ports[i].setName(text(p.name));
    ports[i].setProtocol(enum_to<schema::Protocol>(p.protocol_));
    ports[i].setPort(p.port);
    int_or_string_to(p.target_port, ports[i].initTargetPort());
    ports[i].setNodePort(p.node_port);
  }
  to_capnp(s.spec.selector, spec.initSelector());
  spec.setClusterIP(text(s.spec.cluster_ip));
  spec.setType(enum_to<schema::ServiceType>(s.spec.type));
  spec.setSessionAffinity(enum_to<schema::SessionAffinity>(s.spec.session_affinity_));
}

service from_capnp(schema::Service::Reader r) {
  service s;
  s.metadata = from_capnp(r.getMetadata());
  auto spec = r.getSpec();
  s.spec.ports = list_from<service_port>(spec.getPorts(), [](auto p) {
    return service_port{str(p.getName()), enum_from(p.getProtocol(), protocol::udp, "Protocol"), p.getPort(),
                        int_or_string_from(p.getTargetPort()), p.getNodePort()};
  });
  s.spec.selector = from_capnp(spec.getSelector());
  s.spec.cluster_ip = str(spec.getClusterIP());
  s.spec.type = enum_from(spec.getType(), service_type::load_balancer, "ServiceType");
  s.spec.session_affinity_ = enum_from(spec.getSessionAffinity(), session_affinity::client_ip, "SessionAffinity");
  return s;
}

namespace {

void addresses_to(const std::vector<endpoint_address>& v, capnp::List<schema::EndpointAddress>::Builder b) {
  for (unsigned i = 0; i < v.size(); ++i) {
    b[i].setIp(text(v[i].ip));
    b[i].setNodeName(text(v[i].node_name));
    to_capnp(v[i].target_ref, b[i].initTargetRef());
  }
}

std::vector<endpoint_address> addresses_from(capnp::List<schema::EndpointAddress>::Reader r) {
  return list_from<endpoint_address>(r, [](auto a) {
    return endpoint_address{str(a.getIp()), str(a.getNodeName()), from_capnp(a.getTargetRef())};
  });
}

}  // namespace

void to_capnp(const endpoints& e, schema::Endpoints::Builder b) {
  to_capnp(e.metadata, b.initMetadata());
  auto subsets = b.initSubsets(static_cast<unsigned>(e.subsets.size()));
  for (unsigned i = 0; i < e.subsets.size(); ++i) {
    const endpoint_subset& s = e.subsets[i];
    addresses_to(s.addresses, subsets[i].initAddresses(static_cast<unsigned>(s.addresses.size())));
    addresses_to(s.not_ready_addresses,
                 subsets[i].initNotReadyAddresses(static_cast<unsigned>(s.not_ready_addresses.size())));
    auto ports = subsets[i].initPorts(static_cast<unsigned>(s.ports.size()));
    for (unsigned j = 0; j < s.ports.size(); ++j) {
      ports[j].setName(text(s.ports[j].name));
      ports[j].setPort(s.ports[j].port);
      ports[j].setProtocol(enum_to<schema::Protocol>(s.ports[j].protocol_));
    }
  }
}

endpoints from_capnp(schema::Endpoints::Reader r) {
  endpoints e;
  e.metadata = from_capnp(r.getMetadata());
  e.subsets = list_from<endpoint_subset>(r.getSubsets(), [](auto s) {
    return endpoint_subset{
        addresses_from(s.getAddresses()), addresses_from(s.getNotReadyAddresses()),
        list_from<endpoint_port>(s.getPorts(), [](auto p) {
          return endpoint_port{str(p.getName()), p.getPort(), enum_from(p.getProtocol(), protocol::udp, "Protocol")};
        })};
  });
  return e;
}

// --------------------------------------------------------------------- nodes

void to_capnp(const node& n, schema::Node::Builder b) {
  to_capnp(n.metadata, b.initMetadata());
  auto spec = b.initSpec();
  spec.setUnschedulable(n.spec.unschedulable);
  spec.setPodCIDR(text(n.spec.pod_cidr));
  auto status = b.initStatus();
  resources_to(n.status.capacity, status.initCapacity());
  resources_to(n.status.allocatable, status.initAllocatable());
  list_to(n.status.conditions, status.initConditions(static_cast<unsigned>(n.status.conditions.size())));
  auto addrs = status.initAddresses(static_cast<unsigned>(n.status.addresses.size()));
  for (unsigned i = 0; i < n.status.addresses.size(); ++i) {
    addrs[i].setType(text(n.status.addresses[i].type));
    addrs[i].setAddress(text(n.status.addresses[i].address));
  }
  const node_system_info& ni = n.status.node_info;
  auto info = status.initNodeInfo();
  info.setMachineID(text(ni.machine_id));
  info.setKernelVersion(text(ni.kernel_version));
  info.setOsImage(text(ni.os_image));
  info.setContainerRuntimeVersion(text(ni.container_runtime_version));
  info.setKubeletVersion(text(ni.kubelet_version));
  info.setOperatingSystem(text(ni.operating_system));
  info.setArchitecture(text(ni.architecture));
}

node from_capnp(schema::Node::Reader r) {
  node n;
  n.metadata = from_capnp(r.getMetadata());
  auto spec = r.getSpec();
  n.spec = {spec.getUnschedulable(), str(spec.getPodCIDR())};
  auto status = r.getStatus();
  n.status.capacity = resources_from(status.getCapacity());
  n.status.allocatable = resources_from(status.getAllocatable());
  n.status.conditions = list_from<condition>(status.getConditions(), [](auto c) { return from_capnp(c); });
  n.status.addresses = list_from<node_address>(status.getAddresses(), [](auto a) {
    return node_address{str(a.getType()), str(a.getAddress())};
  });
  auto info = status.getNodeInfo();
  n.status.node_info = {str(info.getMachineID()),      str(info.getKernelVersion()),
                        str(info.getOsImage()),        str(info.getContainerRuntimeVersion()),
                        str(info.getKubeletVersion()), str(info.getOperatingSystem()),
                        str(info.getArchitecture())};
  return n;
}

// ---------------------------------------------------------------- namespaces

void to_capnp(const namespace_object& n, schema::Namespace::Builder b) {
  to_capnp(n.metadata, b.initMetadata());
  b.initStatus().setPhase(detail::enum_to<schema::NamespacePhase>(n.status.phase));
}

namespace_object from_capnp(schema::Namespace::Reader r) {
  namespace_object n;
  n.metadata = from_capnp(r.getMetadata());
  n.status.phase = detail::enum_from(r.getStatus().getPhase(), namespace_phase::terminating, "NamespacePhase");
  return n;
}

// ------------------------------------------------------------------- secrets

namespace {
capnp::Data::Reader bytes(const std::string& s) {
  return capnp::Data::Reader(reinterpret_cast<const capnp::byte*>(s.data()), s.size());
}
std::string bytes_from(capnp::Data::Reader d) { return std::string(reinterpret_cast<const char*>(d.begin()), d.size()); }
}  // namespace

void to_capnp(const secret& x, schema::Secret::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  b.setType(detail::text(x.type));
  if (!x.data.empty()) {
    auto list = b.initData(static_cast<unsigned>(x.data.size()));
    unsigned i = 0;
    for (const auto& [k, v] : x.data) {
      list[i].setKey(detail::text(k));
      list[i].setValue(bytes(v));
      ++i;
    }
  }
  if (!x.sealed.empty()) {
    auto sb = b.initSealed();
    sb.setKeyId(detail::text(x.sealed.key_id));
    sb.setNonce(bytes(x.sealed.nonce));
    sb.setCiphertext(bytes(x.sealed.ciphertext));
  }
}

secret from_capnp(schema::Secret::Reader r) {
  secret x;
  x.metadata = from_capnp(r.getMetadata());
  x.type = detail::str(r.getType());
  for (auto e : r.getData()) x.data[detail::str(e.getKey())] = bytes_from(e.getValue());
  if (r.hasSealed()) {
    auto sr = r.getSealed();
    x.sealed.key_id = detail::str(sr.getKeyId());
    x.sealed.nonce = bytes_from(sr.getNonce());
    x.sealed.ciphertext = bytes_from(sr.getCiphertext());
  }
  return x;
}

// ------------------------------------------------- limit ranges and quotas

void to_capnp(const limit_range& x, schema::LimitRange::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  auto list = b.initSpec().initLimits(static_cast<unsigned>(x.limits.size()));
  for (unsigned i = 0; i < x.limits.size(); ++i) {
    const auto& item = x.limits[i];
    auto ib = list[i];
    ib.setType(detail::text(item.type));
    resources_to(item.max, ib.initMax());
    resources_to(item.min, ib.initMin());
    resources_to(item.default_, ib.initDefault());
    resources_to(item.default_request, ib.initDefaultRequest());
    resources_to(item.max_limit_request_ratio, ib.initMaxLimitRequestRatio());
  }
}

limit_range from_capnp(schema::LimitRange::Reader r) {
  limit_range x;
  x.metadata = from_capnp(r.getMetadata());
  for (auto ir : r.getSpec().getLimits()) {
    limit_range_item item;
    item.type = detail::str(ir.getType());
    item.max = resources_from(ir.getMax());
    item.min = resources_from(ir.getMin());
    item.default_ = resources_from(ir.getDefault());
    item.default_request = resources_from(ir.getDefaultRequest());
    item.max_limit_request_ratio = resources_from(ir.getMaxLimitRequestRatio());
    x.limits.push_back(std::move(item));
  }
  return x;
}

void to_capnp(const resource_quota& x, schema::ResourceQuota::Builder b) {
  to_capnp(x.metadata, b.initMetadata());
  resources_to(x.hard, b.initSpec().initHard());
  // Only what the API hands out has a status (the fold keeps none).
  if (!x.status.hard.empty() || !x.status.used.empty()) {
    auto st = b.initStatus();
    resources_to(x.status.hard, st.initHard());
    resources_to(x.status.used, st.initUsed());
  }
}

resource_quota from_capnp(schema::ResourceQuota::Reader r) {
  resource_quota x;
  x.metadata = from_capnp(r.getMetadata());
  x.hard = resources_from(r.getSpec().getHard());
  if (r.hasStatus()) {
    x.status.hard = resources_from(r.getStatus().getHard());
    x.status.used = resources_from(r.getStatus().getUsed());
  }
  return x;
}

}  // namespace berth::model
