// Pods and their containers in kubectl's describe layout.
#include <fmt/format.h>

#include "cli/describe.hpp"
#include "cli/describe_internal.hpp"
#include "cli/format.hpp"

namespace berth::cli::detail {
namespace {

std::string port_text(const model::int_or_string& p) {
  if (const auto* n = std::get_if<std::int32_t>(&p.value)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&p.value)) return *s;
  return "";
}

/// kubectl's probe line: "http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3".
std::string probe_text(const model::probe& p) {
  std::string action;
  if (const auto* e = std::get_if<model::exec_action>(&p.handler)) {
    action = fmt::format("exec [{}]", fmt::join(e->command, " "));
  } else if (const auto* h = std::get_if<model::http_get_action>(&p.handler)) {
    std::string scheme = h->scheme.empty() ? "http" : h->scheme;
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    action = fmt::format("http-get {}://{}:{}{}", scheme, h->host, port_text(h->port), h->path);
  } else if (const auto* t = std::get_if<model::tcp_socket_action>(&p.handler)) {
    action = fmt::format("tcp-socket :{}", port_text(t->port));
  }
  return fmt::format("{} delay={}s timeout={}s period={}s #success={} #failure={}", action, p.initial_delay_seconds,
                     p.timeout_seconds, p.period_seconds, p.success_threshold, p.failure_threshold);
}

/// "State:" or "Last State:" with its details one level deeper.
void container_state(describe_lines& out, int indent, const std::string& title, const model::container_state& s) {
  if (const auto* r = std::get_if<model::container_state_running>(&s)) {
    out.field(indent, title, "Running");
    out.field(indent + 2, "Started", format_time(r->started_at));
  } else if (const auto* w = std::get_if<model::container_state_waiting>(&s)) {
    out.field(indent, title, "Waiting");
    if (!w->reason.empty()) out.field(indent + 2, "Reason", w->reason);
    if (!w->message.empty()) out.field(indent + 2, "Message", w->message);
  } else if (const auto* t = std::get_if<model::container_state_terminated>(&s)) {
    out.field(indent, title, "Terminated");
    if (!t->reason.empty()) out.field(indent + 2, "Reason", t->reason);
    if (!t->message.empty()) out.field(indent + 2, "Message", t->message);
    out.field(indent + 2, "Exit Code", std::to_string(t->exit_code));
    if (t->signal != 0) out.field(indent + 2, "Signal", std::to_string(t->signal));
    out.field(indent + 2, "Started", format_time(t->started_at));
    out.field(indent + 2, "Finished", format_time(t->finished_at));
  } else if (title == "State") {
    out.field(indent, title, "Waiting");  // nothing reported yet: kubectl says Waiting too
  }
}

void ports(describe_lines& out, int indent, const model::container& c) {
  std::vector<std::string> ports, host_ports;
  for (const auto& p : c.ports) {
    ports.push_back(fmt::format("{}/{}", p.container_port, protocol_name(p.protocol_)));
    host_ports.push_back(fmt::format("{}/{}", p.host_port, protocol_name(p.protocol_)));
  }
  out.field(indent, ports.size() > 1 ? "Ports" : "Port", fmt::format("{}", fmt::join(ports, ", ")));
  out.field(indent, host_ports.size() > 1 ? "Host Ports" : "Host Port", fmt::format("{}", fmt::join(host_ports, ", ")));
}

void strings(describe_lines& out, int indent, const std::string& title, const std::vector<std::string>& v) {
  if (v.empty()) return;
  out.text(indent, title + ":");
  for (const auto& s : v) out.text(indent + 2, s);
}

void one_container(describe_lines& out, int indent, const model::container& c, const model::container_status* st) {
  out.text(indent, c.name + ":");
  int in = indent + 2;
  if (st != nullptr) out.field(in, "Container ID", st->container_id);
  out.field(in, "Image", c.image);
  if (st != nullptr) out.field(in, "Image ID", st->image_id);
  ports(out, in, c);
  strings(out, in, "Command", c.command);
  strings(out, in, "Args", c.args);
  if (st != nullptr) {
    container_state(out, in, "State", st->state);
    container_state(out, in, "Last State", st->last_state);
    out.field(in, "Ready", st->ready ? "True" : "False");
    out.field(in, "Restart Count", std::to_string(st->restart_count));
  }
  out.resources(in, "Limits", c.resources.limits);
  out.resources(in, "Requests", c.resources.requests);
  if (c.liveness_probe) out.field(in, "Liveness", probe_text(*c.liveness_probe));
  if (c.readiness_probe) out.field(in, "Readiness", probe_text(*c.readiness_probe));
  if (c.env.empty()) {
    out.field(in, "Environment", "<none>");
  } else {
    out.text(in, "Environment:");
    for (const auto& e : c.env) out.field(in + 2, e.name, e.value);
  }
}

}  // namespace

void describe_containers(describe_lines& out, int indent, const model::pod_spec& spec,
                         const model::pod_status* status) {
  out.text(indent, "Containers:");
  for (const auto& c : spec.containers) {
    const model::container_status* st = nullptr;
    if (status != nullptr) {
      for (const auto& s : status->container_statuses) {
        if (s.name == c.name) st = &s;
      }
    }
    // A pod without a status for this container yet still shows it as waiting.
    static const model::container_status k_unknown{};
    one_container(out, indent + 2, c, status != nullptr && st == nullptr ? &k_unknown : st);
  }
}

void describe_pod(describe_lines& out, const model::pod& p) {
  const auto& m = p.metadata;
  out.field(0, "Name", m.name);
  out.field(0, "Namespace", m.namespace_);
  out.field(0, "Node",
            p.spec.node_name.empty()   ? "<none>"
            : p.status.host_ip.empty() ? p.spec.node_name
                                       : p.spec.node_name + "/" + p.status.host_ip);
  if (p.status.start_time != 0) out.field(0, "Start Time", format_time(p.status.start_time));
  out.map(0, "Labels", m.labels);
  out.map(0, "Annotations", m.annotations);
  out.field(0, "Status", m.deletion_timestamp != 0 ? "Terminating" : model::phase_name(p.status.phase));
  if (m.deletion_timestamp != 0) {
    out.field(0, "Termination Grace Period", fmt::format("{}s", p.spec.termination_grace_period_seconds));
  }
  if (!p.status.reason.empty()) out.field(0, "Reason", p.status.reason);
  if (!p.status.message.empty()) out.field(0, "Message", p.status.message);
  out.field(0, "IP", p.status.pod_ip);
  for (const auto& ref : m.owner_references) {
    if (ref.controller) out.field(0, "Controlled By", ref.kind + "/" + ref.name);
  }
  describe_containers(out, 0, p.spec, &p.status);
  out.text(0, "Conditions:");
  if (p.status.conditions.empty()) out.text(2, "<none>");
  if (!p.status.conditions.empty()) out.row(2, {"Type", "Status"});
  for (const auto& c : p.status.conditions) {
    std::string status = condition_status_name(c.status);
    out.row(2, {c.type, c.reason.empty() ? status : fmt::format("{} ({}: {})", status, c.reason, c.message)});
  }
  out.field(0, "Node-Selectors", labels_text(p.spec.node_selector));
}

}  // namespace berth::cli::detail
