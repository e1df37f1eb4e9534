#include "node-agent/docker/docker_mapping.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "node-agent/docker/docker_client.hpp"

namespace berth::agent::docker {

namespace {

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

std::vector<std::string> texts(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  for (auto item : list) out.push_back(text(item));
  return out;
}

// Docker names match [a-zA-Z0-9][a-zA-Z0-9_.-]*; pod and namespace names are
// DNS labels already, this only guards against surprises.
std::string name_part(std::string_view part) {
  std::string out(part);
  for (auto& c : out) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) c = '-';
  }
  return out;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// HostConfig.Mounts: binds of what the agent prepared. Mounts rather than
/// Binds: a path with ':' or ',' cannot be spelled in a Binds string, and a
/// missing source is an error instead of a directory dockerd makes.
void write_mounts(json_writer& w, capnp::List<schema::Mount>::Reader mounts) {
  if (mounts.size() == 0) return;
  w.key("Mounts").begin_array();
  for (auto m : mounts) {
    w.begin_object().key("Type").value("bind");
    w.key("Source").value(text(m.getHostPath())).key("Target").value(text(m.getContainerPath()));
    w.key("ReadOnly").value(m.getReadOnly()).end_object();
  }
  w.end_array();
}

std::string port_key(schema::PortMapping::Reader port) {
  auto protocol = lower(text(port.getProtocol()));
  return fmt::format("{}/{}", port.getContainerPort(), protocol.empty() ? "tcp" : protocol);
}

/// Kubernetes 1.0 container fields in the create body's top level: stdin,
/// tty, and the user (securityContext.runAsUser).
void write_container_stdio(json_writer& w, schema::ContainerConfig::Reader config) {
  if (config.getStdin()) w.key("OpenStdin").value(true).key("AttachStdin").value(true);
  if (config.getStdinOnce()) w.key("StdinOnce").value(true);
  if (config.getTty()) w.key("Tty").value(true);
  if (config.hasSecurity() && config.getSecurity().getUser().size() > 0)
    w.key("User").value(text(config.getSecurity().getUser()));
}

/// securityContext in HostConfig. SELinux labels are not sent: dockerd on a
/// host without SELinux would refuse them (docs/workloads.md).
void write_container_security(json_writer& w, schema::ContainerConfig::Reader config) {
  if (!config.hasSecurity()) return;
  auto s = config.getSecurity();
  if (s.getPrivileged()) w.key("Privileged").value(true);
  if (s.getCapAdd().size() > 0) w.key("CapAdd").strings(texts(s.getCapAdd()));
  if (s.getCapDrop().size() > 0) w.key("CapDrop").strings(texts(s.getCapDrop()));
  if (s.getReadonlyRootfs()) w.key("ReadonlyRootfs").value(true);
}

}  // namespace

std::string image_missing_message(std::string_view image) {
  return fmt::format("image \"{}\" not present on node and no registry configured", image);
}

std::string container_name(std::string_view namespace_, std::string_view pod, std::string_view container,
                           std::string_view uid, std::uint32_t attempt) {
  return fmt::format("berth_{}_{}_{}_{}_{}", name_part(namespace_), name_part(pod), name_part(container),
                     name_part(uid.substr(0, 8)), attempt);
}

std::map<std::string, std::string> sandbox_labels(schema::SandboxConfig::Reader config) {
  return {
      {text(schema::LABEL_NODE.get()), text(config.getNode())},
      {text(schema::LABEL_POD_UID.get()), text(config.getPodUid())},
      {text(schema::LABEL_POD_NAMESPACE.get()), text(config.getNamespace())},
      {text(schema::LABEL_POD_NAME.get()), text(config.getPodName())},
      {text(schema::LABEL_CONTAINER_NAME.get()), text(schema::SANDBOX_CONTAINER_NAME.get())},
      {text(schema::LABEL_ATTEMPT.get()), "0"},
      {text(schema::LABEL_GRACE_PERIOD.get()), std::to_string(config.getGracePeriodSeconds())},
  };
}

std::map<std::string, std::string> container_labels(schema::ContainerConfig::Reader config) {
  std::map<std::string, std::string> labels{
      {text(schema::LABEL_NODE.get()), text(config.getNode())},
      {text(schema::LABEL_POD_UID.get()), text(config.getPodUid())},
      {text(schema::LABEL_POD_NAMESPACE.get()), text(config.getNamespace())},
      {text(schema::LABEL_POD_NAME.get()), text(config.getPodName())},
      {text(schema::LABEL_CONTAINER_NAME.get()), text(config.getName())},
      {text(schema::LABEL_ATTEMPT.get()), std::to_string(config.getAttempt())},
      {text(schema::LABEL_SPEC_HASH.get()), text(config.getSpecHash())},
      {text(schema::LABEL_GRACE_PERIOD.get()), std::to_string(config.getGracePeriodSeconds())},
  };
  if (config.getBackoffDelayNs() > 0)
    labels.emplace(text(schema::LABEL_BACKOFF_DELAY.get()), std::to_string(config.getBackoffDelayNs()));
  return labels;
}

std::string sandbox_create_body(schema::SandboxConfig::Reader config, std::string_view pause_image) {
  const bool host = config.getHostNetwork();
  json_writer w;
  w.begin_object().key("Image").value(pause_image);
  if (!host) {
    // dockerd rejects a hostname together with the host network.
    auto hostname = text(config.getHostname());
    w.key("Hostname").value(hostname.empty() ? text(config.getPodName()) : hostname);
  }
  w.key("Labels").string_map(sandbox_labels(config));
  if (!host && config.getPorts().size() > 0) {
    w.key("ExposedPorts").begin_object();
    for (auto port : config.getPorts()) w.key(port_key(port)).begin_object().end_object();
    w.end_object();
  }
  w.key("HostConfig").begin_object();
  w.key("NetworkMode").value(host ? "host" : "bridge");
  w.key("IpcMode").value("shareable");
  w.key("Init").value(false);  // the pause image's PID 1 traps TERM itself
  if (!host && config.getPorts().size() > 0) {
    // Several host ports may map to one container port: group them.
    std::map<std::string, std::vector<schema::PortMapping::Reader>> by_key;
    for (auto port : config.getPorts()) by_key[port_key(port)].push_back(port);
    w.key("PortBindings").begin_object();
    for (const auto& [key, ports] : by_key) {
      w.key(key).begin_array();
      for (auto port : ports) {
        w.begin_object()
            .key("HostIp")
            .value(text(port.getHostIp()))
            .key("HostPort")
            .value(port.getHostPort() > 0 ? std::to_string(port.getHostPort()) : std::string())
            .end_object();
      }
      w.end_array();
    }
    w.end_object();
  }
  if (config.getDnsServers().size() > 0) w.key("Dns").strings(texts(config.getDnsServers()));
  if (config.getDnsSearch().size() > 0) w.key("DnsSearch").strings(texts(config.getDnsSearch()));
  w.end_object();
  w.end_object();
  return w.str();
}

std::string container_create_body(std::string_view sandbox_id, schema::ContainerConfig::Reader config) {
  json_writer w;
  w.begin_object().key("Image").value(text(config.getImage()));
  // Entrypoint given without Cmd: dockerd then ignores the image's Cmd too,
  // which is Kubernetes' rule for `command` without `args`.
  if (config.getCommand().size() > 0) w.key("Entrypoint").strings(texts(config.getCommand()));
  if (config.getArgs().size() > 0) w.key("Cmd").strings(texts(config.getArgs()));
  if (config.getEnv().size() > 0) {
    w.key("Env").begin_array();
    for (auto kv : config.getEnv()) w.value(fmt::format("{}={}", text(kv.getKey()), text(kv.getValue())));
    w.end_array();
  }
  if (config.getWorkingDir().size() > 0) w.key("WorkingDir").value(text(config.getWorkingDir()));
  w.key("Labels").string_map(container_labels(config));
  write_container_stdio(w, config);
  auto joined = fmt::format("container:{}", sandbox_id);
  w.key("HostConfig").begin_object();
  w.key("NetworkMode").value(joined);
  w.key("IpcMode").value(joined);
  if (config.getMemoryLimitBytes() > 0) w.key("Memory").value(config.getMemoryLimitBytes());
  if (config.getNanoCpus() > 0) w.key("NanoCpus").value(config.getNanoCpus());
  write_mounts(w, config.getMounts());
  write_container_security(w, config);
  w.end_object();
  w.end_object();
  return w.str();
}

std::string list_path(schema::LabelFilter::Reader filter) {
  std::vector<std::string> labels{text(schema::LABEL_POD_UID.get())};
  for (auto kv : filter.getLabels()) {
    labels.push_back(fmt::format("{}={}", text(kv.getKey()), text(kv.getValue())));
  }
  json_writer w;
  w.begin_object().key("label").strings(labels).end_object();
  return fmt::format("/containers/json?all={}&filters={}", filter.getIncludeExited() ? 1 : 0, url_encode(w.str()));
}

std::vector<std::string> listed_ids(json_value list) {
  std::vector<std::string> ids;
  if (!list.isArray()) return ids;
  for (auto item : list.getArray()) {
    auto id = json_string(item, {"Id"});
    if (!id.empty()) ids.push_back(std::move(id));
  }
  return ids;
}

namespace {

schema::ContainerStateKind state_kind(std::string_view status) {
  if (status == "created") return schema::ContainerStateKind::CREATED;
  // paused and restarting containers still hold their processes
  if (status == "running" || status == "paused" || status == "restarting") {
    return schema::ContainerStateKind::RUNNING;
  }
  if (status == "exited") return schema::ContainerStateKind::EXITED;
  return schema::ContainerStateKind::UNKNOWN;  // "dead", "removing"
}

std::string container_ip(json_value inspect) {
  auto ip = json_string(inspect, {"NetworkSettings", "IPAddress"});
  if (!ip.empty()) return ip;
  // On user-defined networks the top-level field stays empty.
  if (auto networks = json_at(inspect, {"NetworkSettings", "Networks"}); networks && networks->isObject()) {
    for (auto net : networks->getObject()) {
      ip = json_string(net.getValue(), {"IPAddress"});
      if (!ip.empty()) return ip;
    }
  }
  return {};
}

}  // namespace

void fill_container_info(json_value inspect, schema::ContainerInfo::Builder info) {
  info.setId(json_string(inspect, {"Id"}));
  auto labels = json_string_map(inspect, {"Config", "Labels"});
  auto list = info.initLabels(static_cast<unsigned>(labels.size()));
  unsigned i = 0;
  for (const auto& [k, v] : labels) {
    list[i].setKey(k);
    list[i].setValue(v);
    ++i;
  }
  info.setImage(json_string(inspect, {"Config", "Image"}));
  info.setImageId(json_string(inspect, {"Image"}));
  info.setState(state_kind(json_string(inspect, {"State", "Status"})));
  info.setExitCode(static_cast<std::int32_t>(json_int(inspect, {"State", "ExitCode"})));
  info.setOomKilled(json_bool(inspect, {"State", "OOMKilled"}));
  info.setCreatedAt(parse_docker_time(json_string(inspect, {"Created"})));
  info.setStartedAt(parse_docker_time(json_string(inspect, {"State", "StartedAt"})));
  info.setFinishedAt(parse_docker_time(json_string(inspect, {"State", "FinishedAt"})));
  info.setIp(container_ip(inspect));
  info.setError(json_string(inspect, {"State", "Error"}));
  info.setPid(static_cast<std::int32_t>(json_int(inspect, {"State", "Pid"})));
}

std::optional<docker_event> parse_event(json_value event) {
  if (json_string(event, {"Type"}) != "container") return std::nullopt;
  docker_event out;
  out.action = json_string(event, {"Action"});
  if (out.action.empty() || out.action.starts_with("exec_")) return std::nullopt;
  out.id = json_string(event, {"Actor", "ID"});
  // Attributes mix the container's labels with image, name, exitCode...
  for (auto& [k, v] : json_string_map(event, {"Actor", "Attributes"})) {
    if (k.starts_with("io.berth.")) out.labels.emplace(k, v);
  }
  out.time_ns = json_int(event, {"timeNano"});
  return out;
}

std::string docker_since(std::int64_t time_ns) {
  return fmt::format("{}.{:09}", time_ns / 1'000'000'000, time_ns % 1'000'000'000);
}

}  // namespace berth::agent::docker
