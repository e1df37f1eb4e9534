#include "node-agent/logic/pod_secrets.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "node-agent/logic/downward_api.hpp"

namespace berth::agent {

node_secrets make_node_secrets(std::vector<model::secret> secrets) {
  node_secrets out;
  for (auto& s : secrets) {
    std::pair<std::string, std::string> key{s.metadata.namespace_, s.metadata.name};
    out.insert_or_assign(std::move(key), std::move(s));
  }
  return out;
}

const model::secret* find_secret(const node_secrets& secrets, const std::string& namespace_, const std::string& name) {
  auto it = secrets.find({namespace_, name});
  return it == secrets.end() ? nullptr : &it->second;
}

secret_volume_content secret_volume_files(const model::secret_volume& volume, const model::secret& secret) {
  secret_volume_content out;
  if (volume.items.empty()) {
    for (const auto& [key, value] : secret.data) out.files.push_back({key, value, volume.default_mode});
  } else {
    for (const auto& item : volume.items) {
      auto it = secret.data.find(item.key);
      if (it == secret.data.end()) {
        out.files.clear();
        out.error = fmt::format("references non-existent secret key: {}", item.key);
        return out;
      }
      out.files.push_back({item.path, it->second, item.mode.value_or(volume.default_mode)});
    }
  }
  std::sort(out.files.begin(), out.files.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return out;
}

namespace {

/// The value of one secretKeyRef, or why not (kubelet's words).
std::optional<std::string> secret_value(const model::pod& pod, const model::secret_key_selector& ref,
                                        const node_secrets& secrets, std::string& error) {
  const auto& ns = pod.metadata.namespace_;
  const auto* s = find_secret(secrets, ns, ref.name);
  if (s == nullptr) {
    error = fmt::format("secret \"{}\" not found", ref.name);
    return std::nullopt;
  }
  auto it = s->data.find(ref.key);
  if (it == s->data.end()) {
    error = fmt::format("couldn't find key {} in Secret {}/{}", ref.key, ns, ref.name);
    return std::nullopt;
  }
  return it->second;
}

}  // namespace

std::optional<std::string> env_config_error(const model::pod& pod, const model::container& c,
                                             const node_secrets& secrets) {
  for (const auto& e : c.env) {
    if (!e.value_from || !e.value_from->secret_key_ref) continue;
    std::string error;
    if (!secret_value(pod, *e.value_from->secret_key_ref, secrets, error)) return error;
  }
  return std::nullopt;
}

std::map<std::string, std::string> env_config_errors(const model::pod& pod, const node_secrets& secrets) {
  std::map<std::string, std::string> out;
  for (const auto& c : pod.spec.containers)
    if (auto error = env_config_error(pod, c, secrets)) out[c.name] = std::move(*error);
  return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> container_env(
    const model::pod& pod, const model::container& c, const std::vector<model::env_var>& service_env,
    const node_secrets& secrets, std::string& error) {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(service_env.size() + c.env.size());
  for (const auto& e : service_env) out.emplace_back(e.name, e.value);
  for (const auto& e : c.env) {
    if (e.value_from && e.value_from->secret_key_ref) {
      auto value = secret_value(pod, *e.value_from->secret_key_ref, secrets, error);
      if (!value) return std::nullopt;
      out.emplace_back(e.name, std::move(*value));
      continue;
    }
    out.emplace_back(e.name, env_value(pod, e));
  }
  return out;
}

bool secrets_changed_for(const model::pod& pod, const node_secrets& before, const node_secrets& after) {
  for (const auto& name : model::referenced_secrets(pod.spec)) {
    const auto* a = find_secret(before, pod.metadata.namespace_, name);
    const auto* b = find_secret(after, pod.metadata.namespace_, name);
    if ((a == nullptr) != (b == nullptr)) return true;
    if (a != nullptr && (a->data != b->data)) return true;
  }
  return false;
}

}  // namespace berth::agent
