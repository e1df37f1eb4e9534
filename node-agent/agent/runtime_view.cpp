#include "node-agent/agent/runtime_view.hpp"

#include <charconv>

#include <fmt/format.h>

#include "actors/model/quantity.hpp"

namespace berth::agent {
namespace {

observed_container::state state_of(schema::ContainerStateKind k) {
  switch (k) {
    case schema::ContainerStateKind::CREATED: return observed_container::state::created;
    case schema::ContainerStateKind::RUNNING: return observed_container::state::running;
    case schema::ContainerStateKind::EXITED: return observed_container::state::exited;
    default: return observed_container::state::unknown;
  }
}

template <class Int>
Int parse_decimal(const std::string& s) {
  Int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

template <class List>
void fill_texts(List out, const std::vector<std::string>& in) {
  for (unsigned i = 0; i < in.size(); ++i) out.set(i, in[i]);
}

/// Kubernetes 1.0 container fields: securityContext, stdin/stdinOnce/tty.
void fill_container_extras(const model::container& c, schema::ContainerConfig::Builder out) {
  out.setStdin(c.stdin);
  out.setStdinOnce(c.stdin_once);
  out.setTty(c.tty);
  if (!c.security_context_) return;
  const auto& sc = *c.security_context_;
  auto s = out.initSecurity();
  s.setPrivileged(sc.privileged);
  if (sc.capabilities_) {
    fill_texts(s.initCapAdd(sc.capabilities_->add.size()), sc.capabilities_->add);
    fill_texts(s.initCapDrop(sc.capabilities_->drop.size()), sc.capabilities_->drop);
  }
  if (sc.run_as_user) s.setUser(std::to_string(*sc.run_as_user));
  s.setReadonlyRootfs(sc.read_only_root_filesystem);
  s.setRunAsNonRoot(sc.run_as_non_root);
  if (const auto& se = sc.se_linux_options_) {
    std::vector<std::string> labels;
    if (!se->user.empty()) labels.push_back("user:" + se->user);
    if (!se->role.empty()) labels.push_back("role:" + se->role);
    if (!se->type.empty()) labels.push_back("type:" + se->type);
    if (!se->level.empty()) labels.push_back("level:" + se->level);
    fill_texts(s.initSeLinuxLabels(labels.size()), labels);
  }
}

}  // namespace

std::string label_of(capnp::List<schema::KeyValue>::Reader labels, const char* key) {
  for (auto kv : labels)
    if (kv.getKey() == key) return kv.getValue();
  return "";
}

std::optional<observed_container> observe_container(schema::ContainerInfo::Reader info) {
  auto labels = info.getLabels();
  observed_container c;
  c.name = label_of(labels, schema::LABEL_CONTAINER_NAME->cStr());
  if (c.name.empty() || label_of(labels, schema::LABEL_POD_UID->cStr()).empty()) return std::nullopt;
  c.id = info.getId();
  c.attempt = parse_decimal<std::uint32_t>(label_of(labels, schema::LABEL_ATTEMPT->cStr()));
  c.spec_hash = label_of(labels, schema::LABEL_SPEC_HASH->cStr());
  c.backoff_delay = parse_decimal<model::time_ns>(label_of(labels, schema::LABEL_BACKOFF_DELAY->cStr()));
  c.state_ = state_of(info.getState());
  c.exit_code = info.getExitCode();
  c.oom_killed = info.getOomKilled();
  c.created_at = info.getCreatedAt();
  c.started_at = info.getStartedAt();
  c.finished_at = info.getFinishedAt();
  c.ip = info.getIp();
  c.image = info.getImage();
  c.image_id = info.getImageId();
  c.error = info.getError();
  return c;
}

observed_pod observe_pod(capnp::List<schema::ContainerInfo>::Reader infos) {
  observed_pod pod;
  for (auto info : infos) {
    auto c = observe_container(info);
    if (!c) continue;
    if (c->name == schema::SANDBOX_CONTAINER_NAME->cStr())
      pod.sandboxes.push_back(std::move(*c));
    else
      pod.containers.push_back(std::move(*c));
  }
  return pod;
}

std::int64_t grace_period_seconds(const model::pod& pod) {
  if (pod.metadata.deletion_timestamp != 0 && pod.metadata.deletion_grace_period_seconds > 0)
    return pod.metadata.deletion_grace_period_seconds;
  if (pod.metadata.deletion_timestamp != 0 && pod.metadata.deletion_grace_period_seconds == 0 &&
      pod.spec.termination_grace_period_seconds == 0)
    return 0;
  return pod.spec.termination_grace_period_seconds;
}

void fill_sandbox_config(const model::pod& pod, const std::string& node, const std::string& dns_ip,
                         const std::string& domain, schema::SandboxConfig::Builder out) {
  if (!dns_ip.empty() && !pod.spec.host_network) {
    out.initDnsServers(1).set(0, dns_ip);
    fill_texts(out.initDnsSearch(3),
               {fmt::format("{}.svc.{}", pod.metadata.namespace_, domain), fmt::format("svc.{}", domain), domain});
  }
  out.setNode(node);
  out.setPodUid(pod.metadata.uid);
  out.setNamespace(pod.metadata.namespace_);
  out.setPodName(pod.metadata.name);
  out.setHostNetwork(pod.spec.host_network);
  out.setHostname(pod.metadata.name.substr(0, 63));
  out.setGracePeriodSeconds(pod.spec.termination_grace_period_seconds);
  std::vector<const model::container_port*> published;
  for (const auto& c : pod.spec.containers)
    for (const auto& p : c.ports)
      if (p.host_port != 0) published.push_back(&p);
  auto ports = out.initPorts(published.size());
  for (unsigned i = 0; i < published.size(); ++i) {
    ports[i].setContainerPort(published[i]->container_port);
    ports[i].setHostPort(published[i]->host_port);
    ports[i].setProtocol(published[i]->protocol_ == model::protocol::udp ? "UDP" : "TCP");
    ports[i].setHostIp(published[i]->host_ip);
  }
}

void fill_container_config(const model::pod& pod, const model::container& c, const container_start& start,
                           const std::string& node, const std::vector<std::pair<std::string, std::string>>& env,
                           schema::ContainerConfig::Builder out) {
  out.setNode(node);
  out.setPodUid(pod.metadata.uid);
  out.setNamespace(pod.metadata.namespace_);
  out.setPodName(pod.metadata.name);
  out.setName(c.name);
  out.setAttempt(start.attempt);
  out.setBackoffDelayNs(start.backoff_delay);
  out.setSpecHash(container_spec_hash(c));
  out.setImage(c.image);
  fill_texts(out.initCommand(c.command.size()), c.command);
  fill_texts(out.initArgs(c.args.size()), c.args);
  out.setWorkingDir(c.working_dir);
  auto list = out.initEnv(static_cast<unsigned>(env.size()));
  for (unsigned i = 0; i < env.size(); ++i) {
    list[i].setKey(env[i].first);
    list[i].setValue(env[i].second);
  }
  if (auto m = c.resources.limits.find("memory"); m != c.resources.limits.end())
    out.setMemoryLimitBytes(m->second.value());
  if (auto cpu = c.resources.limits.find("cpu"); cpu != c.resources.limits.end())
    out.setNanoCpus(cpu->second.milli * 1'000'000);
  out.setGracePeriodSeconds(pod.spec.termination_grace_period_seconds);
  fill_container_extras(c, out);
}

void fill_mounts(const std::vector<host_mount>& mounts, schema::ContainerConfig::Builder out) {
  if (mounts.empty()) return;
  auto list = out.initMounts(static_cast<unsigned>(mounts.size()));
  for (unsigned i = 0; i < mounts.size(); ++i) {
    list[i].setHostPath(mounts[i].host_path);
    list[i].setContainerPath(mounts[i].container_path);
    list[i].setReadOnly(mounts[i].read_only);
  }
}

model::pod pod_from_labels(capnp::List<schema::KeyValue>::Reader labels) {
  model::pod p;
  p.metadata.uid = label_of(labels, schema::LABEL_POD_UID->cStr());
  p.metadata.namespace_ = label_of(labels, schema::LABEL_POD_NAMESPACE->cStr());
  p.metadata.name = label_of(labels, schema::LABEL_POD_NAME->cStr());
  auto grace = label_of(labels, schema::LABEL_GRACE_PERIOD->cStr());
  p.spec.termination_grace_period_seconds = grace.empty() ? 30 : parse_decimal<std::uint32_t>(grace);
  return p;
}

}  // namespace berth::agent
