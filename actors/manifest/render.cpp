#include "actors/manifest/render.hpp"

#include <fmt/format.h>

#include "actors/manifest/base64.hpp"
#include "actors/manifest/emit.hpp"
#include "actors/manifest/timestamp.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest {
namespace {

using detail::doc;
using namespace model;

// ------------------------------------------------------------- enum names

const char* name_of(protocol p) { return p == protocol::udp ? "UDP" : "TCP"; }

const char* name_of(pull_policy p) {
  switch (p) {
    case pull_policy::always: return "Always";
    case pull_policy::never: return "Never";
    default: return "IfNotPresent";
  }
}

const char* name_of(restart_policy p) {
  switch (p) {
    case restart_policy::on_failure: return "OnFailure";
    case restart_policy::never: return "Never";
    default: return "Always";
  }
}

const char* name_of(service_type t) {
  switch (t) {
    case service_type::node_port: return "NodePort";
    case service_type::load_balancer: return "LoadBalancer";
    default: return "ClusterIP";
  }
}

const char* name_of(session_affinity a) { return a == session_affinity::client_ip ? "ClientIP" : "None"; }

const char* name_of(condition_status s) {
  static constexpr const char* names[] = {"True", "False", "Unknown"};
  return names[static_cast<int>(s)];
}

// ------------------------------------------------------------- pieces

doc str(std::string s) { return doc::str(std::move(s)); }

doc strings(const std::vector<std::string>& v) {
  doc d = doc::list();
  for (const auto& s : v) d.push(str(s));
  return d;
}

doc string_map_doc(const string_map& m) {
  doc d = doc::map();
  for (const auto& [k, v] : m) d.set(k, str(v));
  return d;
}

doc resources_doc(const resource_list& r) {
  doc d = doc::map();
  for (const auto& [k, q] : r) d.set(k, str(to_string(q)));
  return d;
}

void set_time(doc& d, const char* key, time_ns t) {
  if (t != 0) d.set(key, str(format_rfc3339(t)));
}

void set_port(doc& d, const char* key, const int_or_string& port) {
  if (const auto* n = std::get_if<std::int32_t>(&port.value)) d.set(key, doc::integer(*n));
  if (const auto* s = std::get_if<std::string>(&port.value)) d.set(key, str(*s));
}

doc metadata_doc(const object_meta& m) {
  doc d = doc::map();
  d.set_nonempty("name", m.name);
  d.set_nonempty("generateName", m.generate_name);
  d.set_nonempty("namespace", m.namespace_);
  d.set_nonempty("uid", m.uid);
  if (m.resource_version != 0) d.set("resourceVersion", str(std::to_string(m.resource_version)));
  d.set_nonzero("generation", m.generation);
  set_time(d, "creationTimestamp", m.creation_timestamp);
  set_time(d, "deletionTimestamp", m.deletion_timestamp);
  d.set_nonzero("deletionGracePeriodSeconds", m.deletion_grace_period_seconds);
  d.set_nonempty("labels", string_map_doc(m.labels));
  d.set_nonempty("annotations", string_map_doc(m.annotations));
  doc refs = doc::list();
  for (const auto& r : m.owner_references) {
    doc ref = doc::map();
    ref.set_nonempty("apiVersion", r.api_version).set_nonempty("kind", r.kind);
    ref.set_nonempty("name", r.name).set_nonempty("uid", r.uid).set_true("controller", r.controller);
    refs.push(std::move(ref));
  }
  d.set_nonempty("ownerReferences", std::move(refs));
  return d;
}

/// The action of a probe or a lifecycle hook into `d`.
void handler_into(doc& d, const lifecycle_handler& h) {
  if (const auto* e = std::get_if<exec_action>(&h)) {
    d.set("exec", doc::map().set_nonempty("command", strings(e->command)));
  } else if (const auto* hg = std::get_if<http_get_action>(&h)) {
    doc http = doc::map();
    http.set_nonempty("path", hg->path);
    set_port(http, "port", hg->port);
    http.set_nonempty("host", hg->host).set_nonempty("scheme", hg->scheme);
    doc headers = doc::list();
    for (const auto& header : hg->http_headers)
      headers.push(doc::map().set("name", str(header.name)).set("value", str(header.value)));
    http.set_nonempty("httpHeaders", std::move(headers));
    d.set("httpGet", std::move(http));
  } else if (const auto* t = std::get_if<tcp_socket_action>(&h)) {
    doc tcp = doc::map();
    set_port(tcp, "port", t->port);
    d.set("tcpSocket", std::move(tcp));
  }
}

doc lifecycle_doc(const lifecycle& lc) {
  doc d = doc::map();
  for (auto [key, hook] : {std::pair{"postStart", &lc.post_start}, std::pair{"preStop", &lc.pre_stop}}) {
    if (!*hook) continue;
    doc h = doc::map();
    handler_into(h, **hook);
    d.set(key, std::move(h));
  }
  return d;
}

doc probe_doc(const probe& p) {
  doc d = doc::map();
  handler_into(d, p.handler);
  d.set_nonzero("initialDelaySeconds", p.initial_delay_seconds);
  d.set("timeoutSeconds", doc::integer(p.timeout_seconds));
  d.set("periodSeconds", doc::integer(p.period_seconds));
  d.set("successThreshold", doc::integer(p.success_threshold));
  d.set("failureThreshold", doc::integer(p.failure_threshold));
  return d;
}

// ---- Kubernetes 1.0 container fields: env valueFrom, securityContext.

doc env_doc(const env_var& e) {
  doc d = doc::map().set("name", str(e.name)).set_nonempty("value", e.value);
  if (!e.value_from) return d;
  doc from = doc::map();
  if (const auto& f = e.value_from->field_ref)
    from.set("fieldRef", doc::map().set("apiVersion", str(f->api_version)).set("fieldPath", str(f->field_path)));
  if (const auto& k = e.value_from->secret_key_ref)
    from.set("secretKeyRef", doc::map().set("key", str(k->key)).set("name", str(k->name)));
  return d.set("valueFrom", std::move(from));
}

doc security_context_doc(const security_context& sc) {
  doc d = doc::map();
  if (const auto& caps = sc.capabilities_) {
    d.set("capabilities", doc::map().set_nonempty("add", strings(caps->add)).set_nonempty("drop", strings(caps->drop)));
  }
  if (sc.privileged) d.set("privileged", doc::boolean(true));
  if (const auto& se = sc.se_linux_options_) {
    d.set("seLinuxOptions", doc::map()
                                .set_nonempty("user", se->user)
                                .set_nonempty("role", se->role)
                                .set_nonempty("type", se->type)
                                .set_nonempty("level", se->level));
  }
  if (sc.run_as_user) d.set("runAsUser", doc::integer(*sc.run_as_user));
  if (sc.run_as_non_root) d.set("runAsNonRoot", doc::boolean(true));
  if (sc.read_only_root_filesystem) d.set("readOnlyRootFilesystem", doc::boolean(true));
  return d;
}

doc container_doc(const container& c) {
  doc d = doc::map();
  d.set("name", str(c.name)).set_nonempty("image", c.image);
  d.set_nonempty("command", strings(c.command)).set_nonempty("args", strings(c.args));
  d.set_nonempty("workingDir", c.working_dir);
  doc ports = doc::list();
  for (const auto& p : c.ports) {
    doc port = doc::map();
    port.set_nonempty("name", p.name).set_nonzero("hostPort", p.host_port);
    port.set("containerPort", doc::integer(p.container_port)).set("protocol", str(name_of(p.protocol_)));
    ports.push(std::move(port.set_nonempty("hostIP", p.host_ip)));
  }
  d.set_nonempty("ports", std::move(ports));
  doc env = doc::list();
  for (const auto& e : c.env) env.push(env_doc(e));
  d.set_nonempty("env", std::move(env));
  doc resources = doc::map();
  resources.set_nonempty("limits", resources_doc(c.resources.limits));
  resources.set_nonempty("requests", resources_doc(c.resources.requests));
  d.set_nonempty("resources", std::move(resources));
  if (c.liveness_probe) d.set("livenessProbe", probe_doc(*c.liveness_probe));
  if (c.readiness_probe) d.set("readinessProbe", probe_doc(*c.readiness_probe));
  d.set_nonempty("volumeMounts", detail::volume_mounts_doc(c.volume_mounts));
  d.set("imagePullPolicy", str(name_of(c.image_pull_policy)));
  if (c.security_context_) d.set("securityContext", security_context_doc(*c.security_context_));
  if (c.stdin) d.set("stdin", doc::boolean(true));
  if (c.stdin_once) d.set("stdinOnce", doc::boolean(true));
  if (c.tty) d.set("tty", doc::boolean(true));
  if (c.lifecycle_) d.set("lifecycle", lifecycle_doc(*c.lifecycle_));
  // The API server always shows these two (their defaults included).
  d.set("terminationMessagePath", str(c.termination_message_path));
  d.set("terminationMessagePolicy",
        str(c.termination_message_policy_ == termination_message_policy::fallback_to_logs_on_error
                ? "FallbackToLogsOnError"
                : "File"));
  return d;
}

doc pod_spec_doc(const pod_spec& s) {
  doc d = doc::map();
  doc containers = doc::list();
  for (const auto& c : s.containers) containers.push(container_doc(c));
  d.set("containers", std::move(containers));
  d.set_nonempty("volumes", detail::volumes_doc(s.volumes));
  d.set("restartPolicy", str(name_of(s.restart_policy_)));
  d.set("terminationGracePeriodSeconds", doc::integer(s.termination_grace_period_seconds));
  d.set_nonempty("nodeSelector", string_map_doc(s.node_selector));
  d.set_nonempty("nodeName", s.node_name).set_true("hostNetwork", s.host_network);
  if (s.active_deadline_seconds != 0) d.set("activeDeadlineSeconds", doc::integer(s.active_deadline_seconds));
  if (!s.image_pull_secrets.empty()) {
    doc secrets = doc::list();
    for (const auto& x : s.image_pull_secrets) secrets.push(doc::map().set("name", str(x.name)));
    d.set("imagePullSecrets", std::move(secrets));
  }
  return d;
}

doc conditions_doc(const std::vector<condition>& conditions) {
  doc list = doc::list();
  for (const auto& c : conditions) {
    doc d = doc::map();
    d.set("type", str(c.type)).set("status", str(name_of(c.status)));
    set_time(d, "lastHeartbeatTime", c.last_heartbeat_time);
    set_time(d, "lastProbeTime", c.last_probe_time);
    set_time(d, "lastTransitionTime", c.last_transition_time);
    list.push(std::move(d.set_nonempty("reason", c.reason).set_nonempty("message", c.message)));
  }
  return list;
}

doc container_state_doc(const container_state& s) {
  doc d = doc::map();
  if (const auto* w = std::get_if<container_state_waiting>(&s)) {
    d.set("waiting", doc::map().set_nonempty("reason", w->reason).set_nonempty("message", w->message));
  } else if (const auto* r = std::get_if<container_state_running>(&s)) {
    doc running = doc::map();
    set_time(running, "startedAt", r->started_at);
    d.set("running", std::move(running));
  } else if (const auto* t = std::get_if<container_state_terminated>(&s)) {
    doc term = doc::map();
    term.set("exitCode", doc::integer(t->exit_code)).set_nonzero("signal", t->signal);
    term.set_nonempty("reason", t->reason).set_nonempty("message", t->message);
    set_time(term, "startedAt", t->started_at);
    set_time(term, "finishedAt", t->finished_at);
    d.set("terminated", std::move(term.set_nonempty("containerID", t->container_id)));
  }
  return d;
}

doc pod_status_doc(const pod_status& s) {
  doc d = doc::map();
  d.set("phase", str(phase_name(s.phase))).set_nonempty("conditions", conditions_doc(s.conditions));
  d.set_nonempty("message", s.message).set_nonempty("reason", s.reason);
  d.set_nonempty("hostIP", s.host_ip).set_nonempty("podIP", s.pod_ip);
  set_time(d, "startTime", s.start_time);
  doc statuses = doc::list();
  for (const auto& c : s.container_statuses) {
    doc cs = doc::map();
    cs.set("name", str(c.name)).set_nonempty("state", container_state_doc(c.state));
    cs.set_nonempty("lastState", container_state_doc(c.last_state));
    cs.set("ready", doc::boolean(c.ready)).set("restartCount", doc::integer(c.restart_count));
    cs.set_nonempty("image", c.image).set_nonempty("imageID", c.image_id).set_nonempty("containerID", c.container_id);
    statuses.push(std::move(cs));
  }
  return d.set_nonempty("containerStatuses", std::move(statuses));
}

doc object_doc(const char* kind, const object_meta& meta) {
  return doc::map().set("apiVersion", str("v1")).set("kind", str(kind)).set("metadata", metadata_doc(meta));
}

doc to_doc(const pod& p) {
  return object_doc(k_kind_pod, p.metadata).set("spec", pod_spec_doc(p.spec)).set("status", pod_status_doc(p.status));
}

doc to_doc(const replication_controller& rc) {
  doc spec = doc::map();
  spec.set("replicas", doc::integer(rc.spec.replicas)).set_nonempty("selector", string_map_doc(rc.spec.selector));
  doc tmpl = doc::map();
  tmpl.set_nonempty("metadata", metadata_doc(rc.spec.template_.metadata));
  spec.set("template", std::move(tmpl.set("spec", pod_spec_doc(rc.spec.template_.spec))));
  doc status = doc::map();
  status.set("replicas", doc::integer(rc.status.replicas)).set_nonzero("readyReplicas", rc.status.ready_replicas);
  status.set_nonzero("observedGeneration", rc.status.observed_generation);
  return object_doc(k_kind_rc, rc.metadata).set("spec", std::move(spec)).set("status", std::move(status));
}

doc to_doc(const service& s) {
  doc ports = doc::list();
  for (const auto& p : s.spec.ports) {
    doc port = doc::map();
    port.set_nonempty("name", p.name).set("protocol", str(name_of(p.protocol_))).set("port", doc::integer(p.port));
    set_port(port, "targetPort", p.target_port);
    ports.push(std::move(port.set_nonzero("nodePort", p.node_port)));
  }
  doc spec = doc::map();
  spec.set_nonempty("ports", std::move(ports)).set_nonempty("selector", string_map_doc(s.spec.selector));
  spec.set_nonempty("clusterIP", s.spec.cluster_ip).set("type", str(name_of(s.spec.type)));
  spec.set("sessionAffinity", str(name_of(s.spec.session_affinity_)));
  return object_doc(k_kind_service, s.metadata).set("spec", std::move(spec));
}

doc to_doc(const api_object& o) {
  return std::visit([](const auto& x) { return to_doc(x); }, o);
}

doc to_doc(const node& n) {
  doc spec = doc::map();
  spec.set_nonempty("podCIDR", n.spec.pod_cidr).set_true("unschedulable", n.spec.unschedulable);
  doc status = doc::map();
  status.set_nonempty("capacity", resources_doc(n.status.capacity));
  status.set_nonempty("allocatable", resources_doc(n.status.allocatable));
  status.set_nonempty("conditions", conditions_doc(n.status.conditions));
  doc addresses = doc::list();
  for (const auto& a : n.status.addresses)
    addresses.push(doc::map().set("type", str(a.type)).set("address", str(a.address)));
  status.set_nonempty("addresses", std::move(addresses));
  const auto& i = n.status.node_info;
  doc info = doc::map();
  info.set_nonempty("machineID", i.machine_id).set_nonempty("kernelVersion", i.kernel_version);
  info.set_nonempty("osImage", i.os_image).set_nonempty("containerRuntimeVersion", i.container_runtime_version);
  info.set_nonempty("kubeletVersion", i.kubelet_version).set_nonempty("operatingSystem", i.operating_system);
  status.set_nonempty("nodeInfo", std::move(info.set_nonempty("architecture", i.architecture)));
  return object_doc(k_kind_node, n.metadata).set("spec", std::move(spec)).set("status", std::move(status));
}

doc addresses_doc(const std::vector<endpoint_address>& addresses) {
  doc list = doc::list();
  for (const auto& a : addresses) {
    doc d = doc::map();
    d.set("ip", str(a.ip)).set_nonempty("nodeName", a.node_name);
    doc ref = doc::map();
    ref.set_nonempty("kind", a.target_ref.kind).set_nonempty("namespace", a.target_ref.namespace_);
    ref.set_nonempty("name", a.target_ref.name).set_nonempty("uid", a.target_ref.uid);
    list.push(std::move(d.set_nonempty("targetRef", std::move(ref))));
  }
  return list;
}

doc to_doc(const endpoints& e) {
  doc subsets = doc::list();
  for (const auto& s : e.subsets) {
    doc d = doc::map();
    d.set_nonempty("addresses", addresses_doc(s.addresses));
    d.set_nonempty("notReadyAddresses", addresses_doc(s.not_ready_addresses));
    doc ports = doc::list();
    for (const auto& p : s.ports) {
      doc port = doc::map();
      port.set_nonempty("name", p.name).set("port", doc::integer(p.port)).set("protocol", str(name_of(p.protocol_)));
      ports.push(std::move(port));
    }
    subsets.push(std::move(d.set_nonempty("ports", std::move(ports))));
  }
  return object_doc(k_kind_endpoints, e.metadata).set_nonempty("subsets", std::move(subsets));
}

doc to_doc(const namespace_object& n) {
  doc spec = doc::map().set("finalizers", doc::list().push(str("kubernetes")));
  doc status = doc::map().set("phase", str(phase_name(n.status.phase)));
  return object_doc(k_kind_namespace, n.metadata).set("spec", std::move(spec)).set("status", std::move(status));
}

doc to_doc(const secret& x) {
  doc d = object_doc(k_kind_secret, x.metadata);
  if (!x.sealed.empty()) {
    // Not opened (a journal dump, debug JSON): never the plaintext, only its size.
    const std::size_t n = x.sealed.ciphertext.size() >= 16 ? x.sealed.ciphertext.size() - 16 : 0;
    d.set("data", str(fmt::format("<encrypted, {} bytes>", n)));
  } else if (!x.data.empty()) {
    doc data = doc::map();
    for (const auto& [k, v] : x.data) data.set(k, str(base64_encode(v)));
    d.set("data", std::move(data));
  }
  return d.set("type", str(x.type));
}

doc to_doc(const limit_range& x) {
  doc limits = doc::list();
  for (const auto& item : x.limits) {
    doc d = doc::map().set("type", str(item.type));
    d.set_nonempty("max", resources_doc(item.max));
    d.set_nonempty("min", resources_doc(item.min));
    d.set_nonempty("default", resources_doc(item.default_));
    d.set_nonempty("defaultRequest", resources_doc(item.default_request));
    d.set_nonempty("maxLimitRequestRatio", resources_doc(item.max_limit_request_ratio));
    limits.push(std::move(d));
  }
  return object_doc(k_kind_limit_range, x.metadata).set("spec", doc::map().set("limits", std::move(limits)));
}

doc to_doc(const resource_quota& x) {
  doc d = object_doc(k_kind_resource_quota, x.metadata).set("spec", doc::map().set("hard", resources_doc(x.hard)));
  if (!x.status.hard.empty() || !x.status.used.empty())
    d.set("status", doc::map().set("hard", resources_doc(x.status.hard)).set("used", resources_doc(x.status.used)));
  return d;
}

doc to_doc(const persistent_volume& x) {
  doc spec = doc::map();
  spec.set("capacity", resources_doc(x.spec.capacity));
  spec.set(volume_type_name(x.spec.source), detail::volume_source_doc(x.spec.source));
  spec.set_nonempty("accessModes", strings(x.spec.access_modes));
  if (!x.spec.claim_ref.name.empty()) {
    doc ref = doc::map().set("kind", str(x.spec.claim_ref.kind)).set("namespace", str(x.spec.claim_ref.namespace_));
    spec.set("claimRef", std::move(ref.set("name", str(x.spec.claim_ref.name)).set_nonempty("uid", x.spec.claim_ref.uid)));
  }
  spec.set("persistentVolumeReclaimPolicy", str(reclaim_policy_name(x.spec.policy)));
  doc status = doc::map().set("phase", str(phase_name(x.status.phase)));
  status.set_nonempty("message", x.status.message).set_nonempty("reason", x.status.reason);
  return object_doc(k_kind_persistent_volume, x.metadata).set("spec", std::move(spec)).set("status", std::move(status));
}

doc to_doc(const persistent_volume_claim& x) {
  doc spec = doc::map().set_nonempty("accessModes", strings(x.spec.access_modes));
  doc resources = doc::map().set_nonempty("requests", resources_doc(x.spec.resources.requests));
  spec.set("resources", std::move(resources.set_nonempty("limits", resources_doc(x.spec.resources.limits))));
  spec.set_nonempty("volumeName", x.spec.volume_name);
  doc status = doc::map().set("phase", str(phase_name(x.status.phase)));
  status.set_nonempty("accessModes", strings(x.status.access_modes));
  status.set_nonempty("capacity", resources_doc(x.status.capacity));
  return object_doc(k_kind_persistent_volume_claim, x.metadata)
      .set("spec", std::move(spec))
      .set("status", std::move(status));
}

doc to_doc(const pod_template& x) {
  doc tmpl = doc::map();
  tmpl.set_nonempty("metadata", metadata_doc(x.template_.metadata));
  return object_doc(k_kind_pod_template, x.metadata).set("template", std::move(tmpl.set("spec", pod_spec_doc(x.template_.spec))));
}

doc list_doc(const std::vector<api_object>& objects) {
  doc items = doc::list();
  for (const auto& o : objects) items.push(to_doc(o));
  return doc::map().set("apiVersion", str("v1")).set("kind", str("List")).set("items", std::move(items));
}

}  // namespace

std::string to_yaml(const api_object& o) { return detail::write_yaml(to_doc(o)); }
std::string to_json(const api_object& o) { return detail::write_json(to_doc(o)); }
std::string to_yaml(const node& n) { return detail::write_yaml(to_doc(n)); }
std::string to_json(const node& n) { return detail::write_json(to_doc(n)); }
std::string to_yaml(const endpoints& e) { return detail::write_yaml(to_doc(e)); }
std::string to_json(const endpoints& e) { return detail::write_json(to_doc(e)); }
std::string to_json_compact(const api_object& o) { return detail::write_json_compact(to_doc(o)); }
std::string to_json_compact(const node& n) { return detail::write_json_compact(to_doc(n)); }
std::string to_json_compact(const endpoints& e) { return detail::write_json_compact(to_doc(e)); }
std::string to_yaml(const namespace_object& n) { return detail::write_yaml(to_doc(n)); }
std::string to_json(const namespace_object& n) { return detail::write_json(to_doc(n)); }
std::string to_json_compact(const namespace_object& n) { return detail::write_json_compact(to_doc(n)); }
std::string to_yaml(const secret& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const secret& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const secret& x) { return detail::write_json_compact(to_doc(x)); }
std::string to_yaml(const limit_range& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const limit_range& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const limit_range& x) { return detail::write_json_compact(to_doc(x)); }
std::string to_yaml(const resource_quota& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const resource_quota& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const resource_quota& x) { return detail::write_json_compact(to_doc(x)); }
std::string to_yaml(const persistent_volume& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const persistent_volume& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const persistent_volume& x) { return detail::write_json_compact(to_doc(x)); }
std::string to_yaml(const persistent_volume_claim& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const persistent_volume_claim& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const persistent_volume_claim& x) { return detail::write_json_compact(to_doc(x)); }
std::string to_yaml(const pod_template& x) { return detail::write_yaml(to_doc(x)); }
std::string to_json(const pod_template& x) { return detail::write_json(to_doc(x)); }
std::string to_json_compact(const pod_template& x) { return detail::write_json_compact(to_doc(x)); }
std::string metadata_json_compact(const object_meta& m) { return detail::write_json_compact(metadata_doc(m)); }
std::string to_yaml(const std::vector<api_object>& objects) { return detail::write_yaml(list_doc(objects)); }
std::string to_json(const std::vector<api_object>& objects) { return detail::write_json(list_doc(objects)); }

}  // namespace berth::manifest
