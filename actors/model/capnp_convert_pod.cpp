// Containers, pod specs and pod statuses <-> capnp (declared in
// capnp_convert.hpp and capnp_convert_detail.hpp).

#include <utility>

#include "actors/model/capnp_convert.hpp"
#include "actors/model/capnp_convert_detail.hpp"

namespace berth::model {

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

// ---------------------------------------------------------------- containers

namespace {

/// One action into a handler union (Probe.handler or LifecycleHandler: the
/// members have the same names).
template <typename UnionBuilder>
void handler_to(const lifecycle_handler& h, UnionBuilder u) {
  if (auto* e = std::get_if<exec_action>(&h)) {
    set_strings(e->command, u.initExec().initCommand(static_cast<unsigned>(e->command.size())));
  } else if (auto* g = std::get_if<http_get_action>(&h)) {
    auto gb = u.initHttpGet();
    gb.setPath(text(g->path));
    int_or_string_to(g->port, gb.initPort());
    gb.setHost(text(g->host));
    gb.setScheme(text(g->scheme));
    if (!g->http_headers.empty()) {
      auto hs = gb.initHttpHeaders(static_cast<unsigned>(g->http_headers.size()));
      for (unsigned i = 0; i < g->http_headers.size(); ++i) {
        hs[i].setName(text(g->http_headers[i].name));
        hs[i].setValue(text(g->http_headers[i].value));
      }
    }
  } else {
    int_or_string_to(std::get<tcp_socket_action>(h).port, u.initTcpSocket().initPort());
  }
}

http_get_action http_get_from(schema::HttpGetAction::Reader g) {
  http_get_action a{str(g.getPath()), int_or_string_from(g.getPort()), str(g.getHost()), str(g.getScheme()), {}};
  for (auto hh : g.getHttpHeaders()) a.http_headers.push_back({str(hh.getName()), str(hh.getValue())});
  return a;
}

void probe_to(const std::optional<probe>& p, schema::Probe::Builder b) {
  auto h = b.initHandler();
  if (!p) {
    h.setNone();
    return;
  }
  handler_to(p->handler, h);
  b.setInitialDelaySeconds(p->initial_delay_seconds);
  b.setTimeoutSeconds(p->timeout_seconds);
  b.setPeriodSeconds(p->period_seconds);
  b.setSuccessThreshold(p->success_threshold);
  b.setFailureThreshold(p->failure_threshold);
}

std::optional<probe> probe_from(schema::Probe::Reader r) {
  probe p;
  auto h = r.getHandler();
  switch (h.which()) {
    case schema::Probe::Handler::NONE: return std::nullopt;
    case schema::Probe::Handler::EXEC: p.handler = exec_action{get_strings(h.getExec().getCommand())}; break;
    case schema::Probe::Handler::HTTP_GET: {
      p.handler = http_get_from(h.getHttpGet());
      break;
    }
    case schema::Probe::Handler::TCP_SOCKET:
      p.handler = tcp_socket_action{int_or_string_from(h.getTcpSocket().getPort())};
      break;
    default: detail::throw_decode_error("unknown Probe.handler member " + std::to_string(h.which()));
  }
  p.initial_delay_seconds = r.getInitialDelaySeconds();
  p.timeout_seconds = r.getTimeoutSeconds();
  p.period_seconds = r.getPeriodSeconds();
  p.success_threshold = r.getSuccessThreshold();
  p.failure_threshold = r.getFailureThreshold();
  return p;
}

void to_capnp_port(const container_port& p, schema::ContainerPort::Builder b) {
  b.setName(text(p.name));
  b.setContainerPort(p.container_port);
  b.setHostPort(p.host_port);
  b.setProtocol(enum_to<schema::Protocol>(p.protocol_));
  b.setHostIP(text(p.host_ip));
}

container_port port_from(schema::ContainerPort::Reader r) {
  return {str(r.getName()), r.getContainerPort(), r.getHostPort(),
          enum_from(r.getProtocol(), protocol::udp, "Protocol"), str(r.getHostIP())};
}

// ---- Kubernetes 1.0 container fields: valueFrom, securityContext. Unset
// optionals stay null pointers, so old journals read back unchanged.

void env_to(const env_var& e, schema::EnvVar::Builder b) {
  b.setName(text(e.name));
  b.setValue(text(e.value));
  if (!e.value_from) return;
  auto vf = b.initValueFrom();
  if (const auto& f = e.value_from->field_ref) {
    auto fb = vf.initFieldRef();
    fb.setApiVersion(text(f->api_version));
    fb.setFieldPath(text(f->field_path));
  }
  if (const auto& k = e.value_from->secret_key_ref) {
    auto kb = vf.initSecretKeyRef();
    kb.setName(text(k->name));
    kb.setKey(text(k->key));
  }
}

env_var env_from(schema::EnvVar::Reader r) {
  env_var e{str(r.getName()), str(r.getValue()), std::nullopt};
  if (!r.hasValueFrom()) return e;
  auto vf = r.getValueFrom();
  env_var_source src;
  if (vf.hasFieldRef())
    src.field_ref = object_field_selector{str(vf.getFieldRef().getApiVersion()), str(vf.getFieldRef().getFieldPath())};
  if (vf.hasSecretKeyRef())
    src.secret_key_ref = secret_key_selector{str(vf.getSecretKeyRef().getName()), str(vf.getSecretKeyRef().getKey())};
  e.value_from = std::move(src);
  return e;
}

void security_context_to(const security_context& sc, schema::SecurityContext::Builder b) {
  if (const auto& caps = sc.capabilities_) {
    auto cb = b.initCapabilities();
    set_strings(caps->add, cb.initAdd(static_cast<unsigned>(caps->add.size())));
    set_strings(caps->drop, cb.initDrop(static_cast<unsigned>(caps->drop.size())));
  }
  b.setPrivileged(sc.privileged);
  if (const auto& se = sc.se_linux_options_) {
    auto sb = b.initSeLinuxOptions();
    sb.setUser(text(se->user));
    sb.setRole(text(se->role));
    sb.setType(text(se->type));
    sb.setLevel(text(se->level));
  }
  b.setHasRunAsUser(sc.run_as_user.has_value());
  b.setRunAsUser(sc.run_as_user.value_or(0));
  b.setRunAsNonRoot(sc.run_as_non_root);
  b.setReadOnlyRootFilesystem(sc.read_only_root_filesystem);
}

security_context security_context_from(schema::SecurityContext::Reader r) {
  security_context sc;
  if (r.hasCapabilities())
    sc.capabilities_ = capabilities{get_strings(r.getCapabilities().getAdd()), get_strings(r.getCapabilities().getDrop())};
  sc.privileged = r.getPrivileged();
  if (r.hasSeLinuxOptions()) {
    auto se = r.getSeLinuxOptions();
    sc.se_linux_options_ = se_linux_options{str(se.getUser()), str(se.getRole()), str(se.getType()), str(se.getLevel())};
  }
  if (r.getHasRunAsUser()) sc.run_as_user = r.getRunAsUser();
  sc.run_as_non_root = r.getRunAsNonRoot();
  sc.read_only_root_filesystem = r.getReadOnlyRootFilesystem();
  return sc;
}

// ---- lifecycle hooks and the termination message.

void lifecycle_handler_to(const std::optional<lifecycle_handler>& h, schema::LifecycleHandler::Builder b) {
  if (h) {
    handler_to(*h, b);
  } else {
    b.setNone();
  }
}

std::optional<lifecycle_handler> lifecycle_handler_from(schema::LifecycleHandler::Reader r) {
  switch (r.which()) {
    case schema::LifecycleHandler::NONE: return std::nullopt;
    case schema::LifecycleHandler::EXEC: return exec_action{get_strings(r.getExec().getCommand())};
    case schema::LifecycleHandler::HTTP_GET: return http_get_from(r.getHttpGet());
    case schema::LifecycleHandler::TCP_SOCKET: return tcp_socket_action{int_or_string_from(r.getTcpSocket().getPort())};
    default: detail::throw_decode_error("unknown LifecycleHandler member " + std::to_string(r.which()));
  }
  return std::nullopt;
}

void container_to(const container& c, schema::Container::Builder b) {
  b.setName(text(c.name));
  b.setImage(text(c.image));
  set_strings(c.command, b.initCommand(static_cast<unsigned>(c.command.size())));
  set_strings(c.args, b.initArgs(static_cast<unsigned>(c.args.size())));
  b.setWorkingDir(text(c.working_dir));
  auto env = b.initEnv(static_cast<unsigned>(c.env.size()));
  for (unsigned i = 0; i < c.env.size(); ++i) env_to(c.env[i], env[i]);
  auto ports = b.initPorts(static_cast<unsigned>(c.ports.size()));
  for (unsigned i = 0; i < c.ports.size(); ++i) to_capnp_port(c.ports[i], ports[i]);
  auto res = b.initResources();
  resources_to(c.resources.requests, res.initRequests());
  resources_to(c.resources.limits, res.initLimits());
  b.setImagePullPolicy(enum_to<schema::PullPolicy>(c.image_pull_policy));
  probe_to(c.liveness_probe, b.initLivenessProbe());
  probe_to(c.readiness_probe, b.initReadinessProbe());
  if (!c.volume_mounts.empty())
    detail::volume_mounts_to(c.volume_mounts, b.initVolumeMounts(static_cast<unsigned>(c.volume_mounts.size())));
  if (c.security_context_) security_context_to(*c.security_context_, b.initSecurityContext());
  b.setStdin(c.stdin);
  b.setStdinOnce(c.stdin_once);
  b.setTty(c.tty);
  if (c.lifecycle_) {
    auto lb = b.initLifecycle();
    lifecycle_handler_to(c.lifecycle_->post_start, lb.initPostStart());
    lifecycle_handler_to(c.lifecycle_->pre_stop, lb.initPreStop());
  }
  // The default path is stored as "" so journals written before the field
  // existed read back the same.
  if (c.termination_message_path != k_default_termination_message_path)
    b.setTerminationMessagePath(text(c.termination_message_path));
  b.setTerminationMessagePolicy(enum_to<schema::TerminationMessagePolicy>(c.termination_message_policy_));
}

container container_from(schema::Container::Reader r) {
  container c;
  c.name = str(r.getName());
  c.image = str(r.getImage());
  c.command = get_strings(r.getCommand());
  c.args = get_strings(r.getArgs());
  c.working_dir = str(r.getWorkingDir());
  c.env = list_from<env_var>(r.getEnv(), env_from);
  c.ports = list_from<container_port>(r.getPorts(), port_from);
  auto res = r.getResources();
  c.resources.requests = resources_from(res.getRequests());
  c.resources.limits = resources_from(res.getLimits());
  c.image_pull_policy = enum_from(r.getImagePullPolicy(), pull_policy::never, "PullPolicy");
  c.liveness_probe = probe_from(r.getLivenessProbe());
  c.readiness_probe = probe_from(r.getReadinessProbe());
  c.volume_mounts = detail::volume_mounts_from(r.getVolumeMounts());
  if (r.hasSecurityContext()) c.security_context_ = security_context_from(r.getSecurityContext());
  c.stdin = r.getStdin();
  c.stdin_once = r.getStdinOnce();
  c.tty = r.getTty();
  if (r.hasLifecycle()) {
    auto l = r.getLifecycle();
    c.lifecycle_ = lifecycle{lifecycle_handler_from(l.getPostStart()), lifecycle_handler_from(l.getPreStop())};
  }
  if (auto path = str(r.getTerminationMessagePath()); !path.empty()) c.termination_message_path = std::move(path);
  c.termination_message_policy_ = enum_from(r.getTerminationMessagePolicy(),
                                            termination_message_policy::fallback_to_logs_on_error,
                                            "TerminationMessagePolicy");
  return c;
}

}  // namespace

namespace detail {

void pod_spec_to(const pod_spec& s, schema::PodSpec::Builder b) {
  auto cs = b.initContainers(static_cast<unsigned>(s.containers.size()));
  for (unsigned i = 0; i < s.containers.size(); ++i) container_to(s.containers[i], cs[i]);
  b.setRestartPolicy(enum_to<schema::RestartPolicy>(s.restart_policy_));
  to_capnp(s.node_selector, b.initNodeSelector());
  b.setNodeName(text(s.node_name));
  b.setHostNetwork(s.host_network);
  b.setTerminationGracePeriodSeconds(s.termination_grace_period_seconds);
  if (!s.volumes.empty()) volumes_to(s.volumes, b.initVolumes(static_cast<unsigned>(s.volumes.size())));
  // Left zero / unset when not used: a pod without them encodes (and
  // hashes) exactly as before they existed.
  b.setActiveDeadlineSeconds(s.active_deadline_seconds);
  if (!s.image_pull_secrets.empty()) {
    auto l = b.initImagePullSecrets(static_cast<unsigned>(s.image_pull_secrets.size()));
    for (unsigned i = 0; i < s.image_pull_secrets.size(); ++i) l[i].setName(text(s.image_pull_secrets[i].name));
  }
}

pod_spec pod_spec_from(schema::PodSpec::Reader r) {
  pod_spec s;
  s.containers = list_from<container>(r.getContainers(), container_from);
  s.restart_policy_ = enum_from(r.getRestartPolicy(), restart_policy::never, "RestartPolicy");
  s.node_selector = from_capnp(r.getNodeSelector());
  s.node_name = str(r.getNodeName());
  s.host_network = r.getHostNetwork();
  s.termination_grace_period_seconds = r.getTerminationGracePeriodSeconds();
  s.volumes = volumes_from(r.getVolumes());
  s.active_deadline_seconds = r.getActiveDeadlineSeconds();
  for (auto x : r.getImagePullSecrets()) s.image_pull_secrets.push_back({str(x.getName())});
  return s;
}

}  // namespace detail

// ---------------------------------------------------------------------- pods

void to_capnp(const condition& c, schema::Condition::Builder b) {
  b.setType(text(c.type));
  b.setStatus(enum_to<schema::ConditionStatus>(c.status));
  b.setReason(text(c.reason));
  b.setMessage(text(c.message));
  b.setLastTransitionTime(c.last_transition_time);
  b.setLastHeartbeatTime(c.last_heartbeat_time);
  b.setLastProbeTime(c.last_probe_time);
}

condition from_capnp(schema::Condition::Reader r) {
  return {str(r.getType()),          enum_from(r.getStatus(), condition_status::unknown, "ConditionStatus"),
          str(r.getReason()),        str(r.getMessage()),
          r.getLastTransitionTime(), r.getLastHeartbeatTime(),
          r.getLastProbeTime()};
}

namespace {

struct container_state_writer {
  schema::ContainerState::Builder b;
  void operator()(const std::monostate&) { b.setNone(); }
  void operator()(const container_state_waiting& w) {
    auto g = b.initWaiting();
    g.setReason(text(w.reason));
    g.setMessage(text(w.message));
  }
  void operator()(const container_state_running& r) { b.initRunning().setStartedAt(r.started_at); }
  void operator()(const container_state_terminated& t) {
    auto g = b.initTerminated();
    g.setExitCode(t.exit_code);
    g.setSignal(t.signal);
    g.setReason(text(t.reason));
    g.setMessage(text(t.message));
    g.setStartedAt(t.started_at);
    g.setFinishedAt(t.finished_at);
    g.setContainerID(text(t.container_id));
  }
};

container_state container_state_from(schema::ContainerState::Reader r) {
  switch (r.which()) {
    case schema::ContainerState::WAITING: {
      auto g = r.getWaiting();
      return container_state_waiting{str(g.getReason()), str(g.getMessage())};
    }
    case schema::ContainerState::RUNNING: return container_state_running{r.getRunning().getStartedAt()};
    case schema::ContainerState::TERMINATED: {
      auto g = r.getTerminated();
      return container_state_terminated{g.getExitCode(),        g.getSignal(),    str(g.getReason()),
                                        str(g.getMessage()),    g.getStartedAt(), g.getFinishedAt(),
                                        str(g.getContainerID())};
    }
    case schema::ContainerState::NONE: return std::monostate{};
  }
  detail::throw_decode_error("unknown ContainerState member " + std::to_string(r.which()));
}

void container_status_to(const container_status& s, schema::ContainerStatus::Builder b) {
  b.setName(text(s.name));
  std::visit(container_state_writer{b.initState()}, s.state);
  std::visit(container_state_writer{b.initLastState()}, s.last_state);
  b.setReady(s.ready);
  b.setRestartCount(s.restart_count);
  b.setImage(text(s.image));
  b.setImageID(text(s.image_id));
  b.setContainerID(text(s.container_id));
}

container_status container_status_from(schema::ContainerStatus::Reader r) {
  container_status s;
  s.name = str(r.getName());
  s.state = container_state_from(r.getState());
  s.last_state = container_state_from(r.getLastState());
  s.ready = r.getReady();
  s.restart_count = r.getRestartCount();
  s.image = str(r.getImage());
  s.image_id = str(r.getImageID());
  s.container_id = str(r.getContainerID());
  return s;
}

}  // namespace

void to_capnp(const pod_status& s, schema::PodStatus::Builder b) {
  b.setPhase(enum_to<schema::PodPhase>(s.phase));
  list_to(s.conditions, b.initConditions(static_cast<unsigned>(s.conditions.size())));
  b.setMessage(text(s.message));
  b.setReason(text(s.reason));
  b.setHostIP(text(s.host_ip));
  b.setPodIP(text(s.pod_ip));
  b.setStartTime(s.start_time);
  auto cs = b.initContainerStatuses(static_cast<unsigned>(s.container_statuses.size()));
  for (unsigned i = 0; i < s.container_statuses.size(); ++i) {
    container_status_to(s.container_statuses[i], cs[i]);
  }
}

pod_status from_capnp(schema::PodStatus::Reader r) {
  pod_status s;
  s.phase = enum_from(r.getPhase(), pod_phase::unknown, "PodPhase");
  s.conditions = list_from<condition>(r.getConditions(), [](auto c) { return from_capnp(c); });
  s.message = str(r.getMessage());
  s.reason = str(r.getReason());
  s.host_ip = str(r.getHostIP());
  s.pod_ip = str(r.getPodIP());
  s.start_time = r.getStartTime();
  s.container_statuses = list_from<container_status>(r.getContainerStatuses(), container_status_from);
  return s;
}

void to_capnp(const pod& p, schema::Pod::Builder b) {
  to_capnp(p.metadata, b.initMetadata());
  pod_spec_to(p.spec, b.initSpec());
  to_capnp(p.status, b.initStatus());
}

pod from_capnp(schema::Pod::Reader r) {
  return {from_capnp(r.getMetadata()), pod_spec_from(r.getSpec()), from_capnp(r.getStatus())};
}

}  // namespace berth::model
