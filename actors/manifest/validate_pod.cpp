// Pod spec validation: containers, their ports, env, resources and probes.
#include <algorithm>
#include <map>
#include <set>

#include "actors/manifest/validate_internal.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest::detail {
namespace {

using model::container;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void validate_nonnegative(std::int64_t value, const std::string& path, field_errors& errors) {
  if (value < 0) errors.push_back(invalid(path, value, "must be greater than or equal to 0"));
}

/// httpGet header names: Kubernetes' IsHTTPHeaderName.
void validate_http_headers(const model::lifecycle_handler& h, const std::string& path, field_errors& errors) {
  if (const auto* http = std::get_if<model::http_get_action>(&h)) {
    for (std::size_t i = 0; i < http->http_headers.size(); ++i) {
      const auto& header = http->http_headers[i];
      std::string name_path = child_path(index_path(child_path(path, "httpGet.httpHeaders"), i), "name");
      if (header.name.empty()) {
        errors.push_back(required(name_path));
      } else if (!std::all_of(header.name.begin(), header.name.end(), [](char ch) {
                   return ch == '-' || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
                 })) {
        errors.push_back(invalid(name_path, header.name,
                                 "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. "
                                 "'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
      }
    }
  }
}

/// The action of a probe or a hook: exec needs a command, ports a number in
/// range or a port name.
void validate_handler(const model::lifecycle_handler& h, const std::string& path, field_errors& errors) {
  if (const auto* exec = std::get_if<model::exec_action>(&h)) {
    if (exec->command.empty()) errors.push_back(required(child_path(path, "exec.command")));
  } else if (const auto* http = std::get_if<model::http_get_action>(&h)) {
    validate_port_num_or_name(http->port, child_path(path, "httpGet.port"), errors);
    if (http->scheme != "HTTP" && http->scheme != "HTTPS")
      errors.push_back(unsupported(child_path(path, "httpGet.scheme"), http->scheme, {"HTTP", "HTTPS"}));
  } else if (const auto* tcp = std::get_if<model::tcp_socket_action>(&h)) {
    validate_port_num_or_name(tcp->port, child_path(path, "tcpSocket.port"), errors);
  }
  validate_http_headers(h, path, errors);
}

void validate_probe(const std::optional<model::probe>& p, const std::string& path, bool liveness,
                    field_errors& errors) {
  if (!p) return;
  validate_nonnegative(p->initial_delay_seconds, child_path(path, "initialDelaySeconds"), errors);
  validate_nonnegative(p->timeout_seconds, child_path(path, "timeoutSeconds"), errors);
  validate_nonnegative(p->period_seconds, child_path(path, "periodSeconds"), errors);
  validate_nonnegative(p->success_threshold, child_path(path, "successThreshold"), errors);
  validate_nonnegative(p->failure_threshold, child_path(path, "failureThreshold"), errors);
  // A liveness probe that needs several successes makes no sense: one failure restarts.
  if (liveness && p->success_threshold != 1)
    errors.push_back(invalid(child_path(path, "successThreshold"), p->success_threshold, "must be 1"));
  validate_handler(p->handler, path, errors);
}

void validate_hook(const std::optional<model::lifecycle_handler>& h, const std::string& path, field_errors& errors) {
  if (h) validate_handler(*h, path, errors);
}

void validate_lifecycle(const container& c, const std::string& path, field_errors& errors) {
  if (c.lifecycle_) {
    std::string lc = child_path(path, "lifecycle");
    validate_hook(c.lifecycle_->post_start, child_path(lc, "postStart"), errors);
    validate_hook(c.lifecycle_->pre_stop, child_path(lc, "preStop"), errors);
  }
  std::string tmp = child_path(path, "terminationMessagePath");
  if (c.termination_message_path.empty()) {
    errors.push_back(required(tmp));
  } else if (c.termination_message_path.front() != '/') {
    errors.push_back(invalid(tmp, c.termination_message_path, "must be an absolute path"));
  }
}

// ---- Kubernetes 1.0 container fields: env valueFrom, securityContext.

/// The downward API's fields (Kubernetes' validEnvDownwardAPIFieldPathExpressions
/// of v1.0, plus those later versions added that berth can answer).
const std::vector<std::string_view>& supported_field_paths() {
  static const std::vector<std::string_view> paths = {
      "metadata.annotations", "metadata.labels",   "metadata.name",
      "metadata.namespace",   "spec.nodeName",     "spec.serviceAccountName",
      "status.podIP"};
  return paths;
}

void validate_env_var(const model::env_var& e, const std::string& path, field_errors& errors) {
  std::string name_path = child_path(path, "name");
  if (e.name.empty()) {
    errors.push_back(required(name_path));
  } else {
    add_invalid(errors, name_path, e.name, check_env_var_name(e.name));
  }
  if (!e.value_from) return;
  std::string from = child_path(path, "valueFrom");
  if (!e.value.empty())
    errors.push_back(invalid(from, std::string_view(), "may not be specified when `value` is not empty"));
  const auto& src = *e.value_from;
  int sources = (src.field_ref ? 1 : 0) + (src.secret_key_ref ? 1 : 0);
  if (sources == 0) errors.push_back(invalid(from, std::string_view(), "must specify one of: `fieldRef` or `secretKeyRef`"));
  if (sources > 1)
    errors.push_back(invalid(from, std::string_view(), "may not have more than one field specified at a time"));
  if (const auto& f = src.field_ref) {
    std::string fp = child_path(child_path(from, "fieldRef"), "fieldPath");
    if (f->api_version != "v1")
      errors.push_back(unsupported(child_path(child_path(from, "fieldRef"), "apiVersion"), f->api_version, {"v1"}));
    if (f->field_path.empty()) {
      errors.push_back(required(fp));
    } else {
      const auto& ok = supported_field_paths();
      if (std::find(ok.begin(), ok.end(), f->field_path) == ok.end())
        errors.push_back(unsupported(fp, f->field_path, ok));
    }
  }
  if (const auto& k = src.secret_key_ref) {
    std::string kp = child_path(from, "secretKeyRef");
    if (k->name.empty()) errors.push_back(required(child_path(kp, "name")));
    if (k->key.empty()) errors.push_back(required(child_path(kp, "key")));
  }
}

/// Kubernetes capability names: upper case, digits and underscores, no CAP_ prefix needed.
void validate_capability_names(const std::vector<std::string>& names, const std::string& path,
                               field_errors& errors) {
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto& n = names[i];
    bool ok = !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!ok) errors.push_back(invalid(index_path(path, i), n, "must be a capability name such as NET_ADMIN"));
  }
}

void validate_security_context(const std::optional<model::security_context>& sc, const std::string& path,
                               field_errors& errors) {
  if (!sc) return;
  if (sc->run_as_user && *sc->run_as_user < 0)
    errors.push_back(invalid(child_path(path, "runAsUser"), *sc->run_as_user, "must be greater than or equal to 0"));
  if (sc->run_as_non_root && sc->run_as_user && *sc->run_as_user == 0)
    errors.push_back(invalid(child_path(path, "runAsNonRoot"), "true", "must not be true when `runAsUser` is 0"));
  if (const auto& caps = sc->capabilities_) {
    validate_capability_names(caps->add, child_path(child_path(path, "capabilities"), "add"), errors);
    validate_capability_names(caps->drop, child_path(child_path(path, "capabilities"), "drop"), errors);
  }
}

bool is_standard_container_resource(const std::string& name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" ||
         (name.find('/') != std::string::npos && check_label_key(name).empty());
}

void validate_resource_list(const model::resource_list& list, const std::string& path, field_errors& errors) {
  for (const auto& [name, q] : list) {
    std::string p = key_path(path, name);
    if (!is_standard_container_resource(name))
      errors.push_back(invalid(p, name, "must be a standard resource for containers"));
    if (q.milli < 0) errors.push_back(invalid(p, model::to_string(q), "must be greater than or equal to 0"));
  }
}

void validate_resources(const model::resource_requirements& r, const std::string& path, field_errors& errors) {
  std::string requests_path = child_path(path, "requests");
  validate_resource_list(r.limits, child_path(path, "limits"), errors);
  validate_resource_list(r.requests, requests_path, errors);
  for (const auto& [name, request] : r.requests) {
    auto limit = r.limits.find(name);
    if (limit != r.limits.end() && request.milli > limit->second.milli) {
      errors.push_back(
          invalid(requests_path, model::to_string(request), "must be less than or equal to " + name + " limit"));
    }
  }
}

/// Port names must be unique in the whole pod (probes and services refer to them).
struct pod_port_names {
  std::set<std::string> names;
  std::set<std::pair<std::int32_t, model::protocol>> host_ports;
};

void validate_ports(const container& c, const std::string& path, bool host_network, pod_port_names& seen,
                    field_errors& errors) {
  for (std::size_t i = 0; i < c.ports.size(); ++i) {
    const auto& port = c.ports[i];
    std::string p = index_path(path, i);
    if (!port.name.empty()) {
      add_invalid(errors, child_path(p, "name"), port.name, check_port_name(port.name));
      if (!seen.names.insert(port.name).second) errors.push_back(duplicate(child_path(p, "name"), port.name));
    }
    if (port.container_port == 0) {
      errors.push_back(required(child_path(p, "containerPort")));
    } else if (!check_port_number(port.container_port).empty()) {
      errors.push_back(
          invalid(child_path(p, "containerPort"), port.container_port, check_port_number(port.container_port)[0]));
    }
    std::string host_port_path = child_path(p, "hostPort");
    if (port.host_port != 0) {
      if (!check_port_number(port.host_port).empty())
        errors.push_back(invalid(host_port_path, port.host_port, check_port_number(port.host_port)[0]));
      if (host_network && port.host_port != port.container_port)
        errors.push_back(
            invalid(host_port_path, port.host_port, "must match `containerPort` when `hostNetwork` is true"));
      if (!seen.host_ports.insert({port.host_port, port.protocol_}).second) {
        const char* proto = port.protocol_ == model::protocol::tcp ? "TCP" : "UDP";
        errors.push_back(duplicate(host_port_path, std::to_string(port.host_port) + "/" + proto));
      }
    }
    if (!port.host_ip.empty() && !is_ipv4_address(port.host_ip))
      errors.push_back(invalid(child_path(p, "hostIP"), port.host_ip, "must be a valid IP address"));
  }
}

void validate_container(const container& c, const std::string& path, bool host_network, pod_port_names& seen,
                        field_errors& errors) {
  std::string name_path = child_path(path, "name");
  if (c.name.empty()) {
    errors.push_back(required(name_path));
  } else {
    add_invalid(errors, name_path, c.name, check_dns1123_label(c.name));
  }
  if (c.image.empty()) {
    errors.push_back(required(child_path(path, "image")));
  } else if (is_space(c.image.front()) || is_space(c.image.back())) {
    errors.push_back(invalid(child_path(path, "image"), c.image, "must not have leading or trailing whitespace"));
  }
  for (std::size_t i = 0; i < c.env.size(); ++i)
    validate_env_var(c.env[i], index_path(child_path(path, "env"), i), errors);
  validate_ports(c, child_path(path, "ports"), host_network, seen, errors);
  validate_resources(c.resources, child_path(path, "resources"), errors);
  validate_probe(c.liveness_probe, child_path(path, "livenessProbe"), true, errors);
  validate_probe(c.readiness_probe, child_path(path, "readinessProbe"), false, errors);
  validate_security_context(c.security_context_, child_path(path, "securityContext"), errors);
  validate_lifecycle(c, path, errors);
  if (c.stdin_once && !c.stdin)
    errors.push_back(invalid(child_path(path, "stdinOnce"), "true", "requires `stdin` to be true"));
}

}  // namespace

void validate_pod_spec(const model::pod_spec& spec, const std::string& path, field_errors& errors) {
  std::string containers_path = child_path(path, "containers");
  if (spec.containers.empty()) errors.push_back(required(containers_path));
  std::set<std::string> names;
  pod_port_names ports;
  for (std::size_t i = 0; i < spec.containers.size(); ++i) {
    const auto& c = spec.containers[i];
    std::string p = index_path(containers_path, i);
    validate_container(c, p, spec.host_network, ports, errors);
    validate_volume_mounts(c.volume_mounts, spec.volumes, child_path(p, "volumeMounts"), errors);
    if (!c.name.empty() && !names.insert(c.name).second) errors.push_back(duplicate(child_path(p, "name"), c.name));
  }
  validate_volumes(spec.volumes, child_path(path, "volumes"), errors);
  validate_labels(spec.node_selector, child_path(path, "nodeSelector"), errors);
  if (!spec.node_name.empty())
    add_invalid(errors, child_path(path, "nodeName"), spec.node_name, check_dns1123_subdomain(spec.node_name));
  validate_nonnegative(spec.termination_grace_period_seconds, child_path(path, "terminationGracePeriodSeconds"),
                       errors);
  // 0 is unset in the model; a negative value can only come from a client
  // that bypassed decoding (the decoder refuses < 1 itself).
  if (spec.active_deadline_seconds < 0)
    errors.push_back(invalid(child_path(path, "activeDeadlineSeconds"), spec.active_deadline_seconds,
                             "must be greater than or equal to 1"));
}

}  // namespace berth::manifest::detail
