#include "cli/describe.hpp"

#include <set>

#include <fmt/format.h>

#include "actors/reconcile/node_liveness.hpp"
#include "actors/reconcile/pod_facts.hpp"
#include "cli/describe_internal.hpp"
#include "cli/format.hpp"
#include "cli/tables.hpp"

namespace berth::cli {
namespace detail {

void describe_lines::field(int indent, const std::string& key, const std::string& value) {
  lines_.push_back({std::string(static_cast<std::size_t>(indent), ' ') + key + ":", value.empty() ? "<none>" : value});
}

void describe_lines::text(int indent, const std::string& text) {
  lines_.push_back({std::string(static_cast<std::size_t>(indent), ' ') + text});
}

void describe_lines::map(int indent, const std::string& key, const model::string_map& m) {
  if (m.empty()) return field(indent, key, "<none>");
  bool first = true;
  for (const auto& [k, v] : m) {
    lines_.push_back({first ? std::string(static_cast<std::size_t>(indent), ' ') + key + ":" : "", k + "=" + v});
    first = false;
  }
}

void describe_lines::row(int indent, cell_line cells) {
  if (!cells.empty()) cells[0].insert(0, static_cast<std::size_t>(indent), ' ');
  lines_.push_back(std::move(cells));
}

void describe_lines::resources(int indent, const std::string& title, const model::resource_list& r) {
  if (r.empty()) return;
  text(indent, title + ":");
  for (const auto& [name, q] : r) field(indent + 2, name, model::to_string(q));
}

std::string describe_lines::str() const { return tab_layout(lines_, 0, 2); }

}  // namespace detail

namespace {

using detail::describe_lines;

void header(describe_lines& out, const model::object_meta& m, bool namespaced) {
  out.field(0, "Name", m.name);
  if (namespaced) out.field(0, "Namespace", m.namespace_);
}

void events(describe_lines& out, const describe_inputs& in) {
  if (in.events.empty()) return out.field(0, "Events", "<none>");
  out.text(0, "Events:");
  out.row(2, {"Seq", "Age", "From", "Type", "Message"});
  out.row(2, {"---", "---", "----", "----", "-------"});
  for (const auto& e : in.events) {
    out.row(2, {std::to_string(e.seq), format_age(e.time_ns, in.now), e.principal.empty() ? "<none>" : e.principal,
                e.type, e.message});
  }
}

/// kubectl's "Pods Status: 3 Running / 0 Waiting / 0 Succeeded / 0 Failed".
std::string pods_status(const model::replication_controller& rc, const std::vector<model::pod>& pods) {
  int counts[4] = {0, 0, 0, 0};
  for (const auto& p : pods) {
    if (p.metadata.deletion_timestamp != 0) continue;
    if (rc_counts_from_pods(rc, {p}).current == 0) continue;  // another controller's pod
    switch (p.status.phase) {
      case model::pod_phase::running: ++counts[0]; break;
      case model::pod_phase::pending: ++counts[1]; break;
      case model::pod_phase::succeeded: ++counts[2]; break;
      case model::pod_phase::failed: ++counts[3]; break;
      case model::pod_phase::unknown: break;
    }
  }
  return fmt::format("{} Running / {} Waiting / {} Succeeded / {} Failed", counts[0], counts[1], counts[2], counts[3]);
}

void describe_rc(describe_lines& out, const model::replication_controller& rc, const describe_inputs& in) {
  header(out, rc.metadata, true);
  out.field(0, "Selector", labels_text(rc.spec.selector));
  out.map(0, "Labels", rc.metadata.labels);
  out.map(0, "Annotations", rc.metadata.annotations);
  auto counts = rc_counts_from_status(rc).value_or(rc_counts_from_pods(rc, in.pods));
  out.field(0, "Replicas", fmt::format("{} current / {} desired", counts.current, rc.spec.replicas));
  out.field(0, "Pods Status", pods_status(rc, in.pods));
  out.text(0, "Pod Template:");
  out.map(2, "Labels", rc.spec.template_.metadata.labels);
  detail::describe_containers(out, 2, rc.spec.template_.spec, nullptr);
}

std::string target_port_text(const model::service_port& p) {
  if (const auto* n = std::get_if<std::int32_t>(&p.target_port.value)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&p.target_port.value)) return *s;
  return std::to_string(p.port);
}

void describe_service(describe_lines& out, const model::service& s, const describe_inputs& in) {
  header(out, s.metadata, true);
  out.map(0, "Labels", s.metadata.labels);
  out.map(0, "Annotations", s.metadata.annotations);
  out.field(0, "Selector", labels_text(s.spec.selector));
  out.field(0, "Type", service_type_name(s.spec.type));
  out.field(0, "IP", s.spec.cluster_ip);
  for (const auto& p : s.spec.ports) {
    const char* proto = protocol_name(p.protocol_);
    out.field(0, "Port", fmt::format("{}  {}/{}", p.name.empty() ? "<unset>" : p.name, p.port, proto));
    out.field(0, "TargetPort", fmt::format("{}/{}", target_port_text(p), proto));
    if (p.node_port != 0)
      out.field(0, "NodePort", fmt::format("{}  {}/{}", p.name.empty() ? "<unset>" : p.name, p.node_port, proto));
    out.field(0, "Endpoints", in.endpoints ? endpoints_text(*in.endpoints, &p.name) : "<none>");
  }
  out.field(0, "Session Affinity",
            s.spec.session_affinity_ == model::session_affinity::client_ip ? "ClientIP" : "None");
}

std::string ips(const std::vector<model::endpoint_address>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) out.push_back(a.ip);
  return fmt::format("{}", fmt::join(out, ","));
}

void describe_endpoints(describe_lines& out, const model::endpoints& e) {
  header(out, e.metadata, true);
  out.map(0, "Labels", e.metadata.labels);
  out.map(0, "Annotations", e.metadata.annotations);
  out.text(0, "Subsets:");
  for (const auto& s : e.subsets) {
    out.field(2, "Addresses", ips(s.addresses));
    out.field(2, "NotReadyAddresses", ips(s.not_ready_addresses));
    out.text(2, "Ports:");
    out.row(4, {"Name", "Port", "Protocol"});
    out.row(4, {"----", "----", "--------"});
    for (const auto& p : s.ports) {
      out.row(4, {p.name.empty() ? "<unset>" : p.name, std::to_string(p.port), protocol_name(p.protocol_)});
    }
    out.text(0, "");
  }
}

void node_conditions(describe_lines& out, const model::node& n) {
  out.text(0, "Conditions:");
  out.row(2, {"Type", "Status", "LastHeartbeatTime", "LastTransitionTime", "Reason", "Message"});
  out.row(2, {"----", "------", "-----------------", "------------------", "------", "-------"});
  for (const auto& c : n.status.conditions) {
    out.row(2, {c.type, condition_status_name(c.status), format_time(c.last_heartbeat_time),
                format_time(c.last_transition_time), c.reason, c.message});
  }
}

/// The heartbeat contract the node's agent agreed to at join, its last
/// journaled heartbeat, and whether it has been flapping: the readiness
/// transitions among its recent events (nodeReadinessDecided /
/// nodeReadinessObserved) within berthd's default flap window.
void node_heartbeat(describe_lines& out, const model::node& n, const describe_inputs& in) {
  const reconcile::liveness_config defaults;
  out.text(0, "Heartbeat:");
  if (auto c = reconcile::contract_of(n)) {
    out.field(2, "Interval", reconcile::duration_text(c->interval) + " (given by berthd at join)");
    out.field(2, "Grace Period", reconcile::duration_text(c->grace_period) + " (NotReady after that long without one)");
    out.field(2, "Eviction Timeout",
              reconcile::duration_text(c->eviction_timeout) + " (pods evicted after that long NotReady)");
  } else {
    out.field(2, "Interval", "<unknown: registered before berthd gave heartbeat contracts>");
  }
  const auto* ready = reconcile::node_ready_condition(n);
  if (ready && ready->last_heartbeat_time != 0)
    out.field(2, "Last Heartbeat",
              fmt::format("{} ({} ago)", format_time(ready->last_heartbeat_time),
                          format_age(ready->last_heartbeat_time, in.now)));
  else
    out.field(2, "Last Heartbeat", "<none>");
  std::vector<model::time_ns> transitions;
  for (const auto& e : in.events)
    if (e.type == "nodeReadinessDecided" || e.type == "nodeReadinessObserved") transitions.push_back(e.time_ns);
  auto f = reconcile::check_flapping(transitions, in.now, defaults.flap_window, defaults.flap_limit);
  out.field(2, "Flapping",
            f.flapping ? fmt::format("yes: {} Ready/NotReady transitions in the last {} (more than {})", f.transitions,
                                     reconcile::duration_text(defaults.flap_window), defaults.flap_limit)
                       : fmt::format("no ({} transitions in the last {})", f.transitions,
                                     reconcile::duration_text(defaults.flap_window)));
}

/// Sum of the containers' requests of `resource` ("0" when none).
std::string requests(const model::pod& p, const std::string& resource) {
  model::quantity sum;
  for (const auto& c : p.spec.containers) {
    auto it = c.resources.requests.find(resource);
    if (it != c.resources.requests.end()) {
      sum.milli += it->second.milli;
      sum.family = it->second.family;
    }
  }
  return model::to_string(sum);
}

void node_pods(describe_lines& out, const describe_inputs& in) {
  std::vector<const model::pod*> active;
  for (const auto& p : in.pods) {
    if (p.status.phase != model::pod_phase::succeeded && p.status.phase != model::pod_phase::failed)
      active.push_back(&p);
  }
  out.field(0, "Non-terminated Pods", fmt::format("({} in total)", active.size()));
  if (active.empty()) return;
  out.row(2, {"Namespace", "Name", "CPU Requests", "Memory Requests", "Age"});
  out.row(2, {"---------", "----", "------------", "---------------", "---"});
  for (const auto* p : active) {
    out.row(2, {p->metadata.namespace_, p->metadata.name, requests(*p, "cpu"), requests(*p, "memory"),
                format_age(p->metadata.creation_timestamp, in.now)});
  }
}

void describe_node(describe_lines& out, const model::node& n, const describe_inputs& in) {
  header(out, n.metadata, false);
  out.map(0, "Labels", n.metadata.labels);
  out.map(0, "Annotations", n.metadata.annotations);
  out.field(0, "CreationTimestamp", format_time(n.metadata.creation_timestamp));
  out.field(0, "Unschedulable", n.spec.unschedulable ? "true" : "false");
  node_conditions(out, n);
  node_heartbeat(out, n, in);
  out.text(0, "Addresses:");
  for (const auto& a : n.status.addresses) out.field(2, a.type, a.address);
  out.resources(0, "Capacity", n.status.capacity);
  out.resources(0, "Allocatable", n.status.allocatable);
  const auto& info = n.status.node_info;
  out.text(0, "System Info:");
  out.field(2, "Machine ID", info.machine_id);
  out.field(2, "Kernel Version", info.kernel_version);
  out.field(2, "OS Image", info.os_image);
  out.field(2, "Operating System", info.operating_system);
  out.field(2, "Architecture", info.architecture);
  out.field(2, "Container Runtime Version", info.container_runtime_version);
  out.field(2, "Kubelet Version", info.kubelet_version);
  out.field(0, "PodCIDR", n.spec.pod_cidr);
  node_pods(out, in);
}

/// As kubectl describe namespace shows one (berth has no quotas or limit ranges).
void describe_namespace(describe_lines& out, const model::namespace_object& n) {
  header(out, n.metadata, false);
  out.map(0, "Labels", n.metadata.labels);
  out.map(0, "Annotations", n.metadata.annotations);
  out.field(0, "Status", model::phase_name(n.status.phase));
}

/// As kubectl describe secret shows one: the keys and their sizes, never the values.
void describe_secret(describe_lines& out, const model::secret& x) {
  header(out, x.metadata, true);
  out.map(0, "Labels", x.metadata.labels);
  out.map(0, "Annotations", x.metadata.annotations);
  out.text(0, "");
  out.field(0, "Type", x.type);
  out.text(0, "");
  out.text(0, "Data");
  out.text(0, "====");
  for (const auto& [k, v] : x.data) out.field(0, k, std::to_string(v.size()) + " bytes");
}

std::string quantity_or_dash(const model::resource_list& r, const std::string& name) {
  auto it = r.find(name);
  return it == r.end() ? "-" : model::to_string(it->second);
}

/// As kubectl describe limits shows one: a row per (type, resource).
void describe_limit_range(describe_lines& out, const model::limit_range& x) {
  header(out, x.metadata, true);
  out.row(0, {"Type", "Resource", "Min", "Max", "Default Request", "Default Limit", "Max Limit/Request Ratio"});
  out.row(0, {"----", "--------", "---", "---", "---------------", "-------------", "-----------------------"});
  for (const auto& item : x.limits) {
    std::set<std::string> names;
    for (const auto* m : {&item.min, &item.max, &item.default_, &item.default_request, &item.max_limit_request_ratio})
      for (const auto& [name, _] : *m) names.insert(name);
    for (const auto& name : names)
      out.row(0, {item.type, name, quantity_or_dash(item.min, name), quantity_or_dash(item.max, name),
                  quantity_or_dash(item.default_request, name), quantity_or_dash(item.default_, name),
                  quantity_or_dash(item.max_limit_request_ratio, name)});
  }
}

/// As kubectl describe quota shows one: what is used of each hard limit.
void describe_resource_quota(describe_lines& out, const model::resource_quota& x) {
  header(out, x.metadata, true);
  out.row(0, {"Resource", "Used", "Hard"});
  out.row(0, {"--------", "----", "----"});
  for (const auto& [name, hard] : x.hard) {
    auto used = x.status.used.find(name);
    out.row(0, {name, used == x.status.used.end() ? "0" : model::to_string(used->second), model::to_string(hard)});
  }
}

/// kubectl's words for a volume source (describe pv's Source section).
void describe_source(describe_lines& out, const model::volume_source& s) {
  out.text(0, "Source:");
  if (const auto* h = std::get_if<model::host_path_volume>(&s)) {
    out.field(4, "Type", "HostPath (bare host directory volume)");
    out.field(4, "Path", h->path);
  } else if (const auto* n = std::get_if<model::nfs_volume>(&s)) {
    out.field(4, "Type", "NFS (an NFS mount that lasts the lifetime of a pod)");
    out.field(4, "Server", n->server);
    out.field(4, "Path", n->path);
    out.field(4, "ReadOnly", n->read_only ? "true" : "false");
  } else {
    out.field(4, "Type", model::volume_type_name(s));
    out.field(4, "Note", "no berth node can mount it");
  }
}

/// As kubectl describe pv shows one.
void describe_volume(describe_lines& out, const model::persistent_volume& x) {
  header(out, x.metadata, false);
  out.map(0, "Labels", x.metadata.labels);
  out.map(0, "Annotations", x.metadata.annotations);
  out.field(0, "StorageClass", "");
  out.field(0, "Status", model::phase_name(x.status.phase));
  const auto& ref = x.spec.claim_ref;
  out.field(0, "Claim", ref.name.empty() ? "" : ref.namespace_ + "/" + ref.name);
  out.field(0, "Reclaim Policy", model::reclaim_policy_name(x.spec.policy));
  out.field(0, "Access Modes", manifest::access_modes_text(x.spec.access_modes));
  out.field(0, "Capacity", manifest::storage_text(x.spec.capacity));
  out.field(0, "Message", x.status.message);
  describe_source(out, x.spec.source);
}

/// As kubectl describe pvc shows one.
void describe_claim(describe_lines& out, const model::persistent_volume_claim& x, const describe_inputs& in) {
  header(out, x.metadata, true);
  out.field(0, "StorageClass", "");
  out.field(0, "Status", model::phase_name(x.status.phase));
  out.field(0, "Volume", x.spec.volume_name);
  out.map(0, "Labels", x.metadata.labels);
  out.map(0, "Annotations", x.metadata.annotations);
  out.field(0, "Capacity", manifest::storage_text(x.status.capacity));
  out.field(0, "Access Modes", manifest::access_modes_text(x.status.access_modes));
  std::string users;
  for (const auto& p : in.pods) users += (users.empty() ? "" : ", ") + p.metadata.name;
  out.field(0, "Mounted By", users.empty() ? "<none>" : users);
}

/// As kubectl describe podtemplate shows one.
void describe_pod_template(describe_lines& out, const model::pod_template& x) {
  header(out, x.metadata, true);
  out.map(0, "Labels", x.metadata.labels);
  out.map(0, "Annotations", x.metadata.annotations);
  out.text(0, "Pod Template:");
  out.map(2, "Labels", x.template_.metadata.labels);
  detail::describe_containers(out, 2, x.template_.spec, nullptr);
}

}  // namespace

std::string describe_object(const actors::any_object& o, const describe_inputs& in) {
  describe_lines out;
  if (const auto* p = std::get_if<model::pod>(&o)) detail::describe_pod(out, *p);
  if (const auto* rc = std::get_if<model::replication_controller>(&o)) describe_rc(out, *rc, in);
  if (const auto* s = std::get_if<model::service>(&o)) describe_service(out, *s, in);
  if (const auto* e = std::get_if<model::endpoints>(&o)) describe_endpoints(out, *e);
  if (const auto* n = std::get_if<model::node>(&o)) describe_node(out, *n, in);
  if (const auto* ns = std::get_if<model::namespace_object>(&o)) describe_namespace(out, *ns);
  if (const auto* x = std::get_if<model::secret>(&o)) describe_secret(out, *x);
  if (const auto* x = std::get_if<model::limit_range>(&o)) describe_limit_range(out, *x);
  if (const auto* x = std::get_if<model::resource_quota>(&o)) describe_resource_quota(out, *x);
  if (const auto* x = std::get_if<model::persistent_volume>(&o)) describe_volume(out, *x);
  if (const auto* x = std::get_if<model::persistent_volume_claim>(&o)) describe_claim(out, *x, in);
  if (const auto* x = std::get_if<model::pod_template>(&o)) describe_pod_template(out, *x);
  events(out, in);
  return out.str();
}

}  // namespace berth::cli
