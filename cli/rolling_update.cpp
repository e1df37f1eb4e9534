#include "cli/rolling_update.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "actors/manifest/columns.hpp"
#include "actors/reconcile/pod_facts.hpp"

namespace berth::cli::rollout {
namespace {

std::string names_of(const std::vector<model::container>& containers) {
  std::vector<std::string> names;
  for (const auto& c : containers) names.push_back(c.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

/// The container --image changes: the named one, or the only one.
model::container* pick_container(model::replication_controller& rc, const std::string& name, std::string& error) {
  auto& containers = rc.spec.template_.spec.containers;
  if (containers.empty()) {
    error = fmt::format("the pod template of {} has no containers", rc.metadata.name);
    return nullptr;
  }
  if (name.empty()) {
    if (containers.size() == 1) return &containers[0];
    error = fmt::format("--container: the pod template of {} has {} containers ({}); name the one to update",
                        rc.metadata.name, containers.size(), names_of(containers));
    return nullptr;
  }
  auto it = std::find_if(containers.begin(), containers.end(), [&](const auto& c) { return c.name == name; });
  if (it != containers.end()) return &*it;
  error = fmt::format("--container: the pod template of {} has no container \"{}\" (it has {})", rc.metadata.name, name,
                      names_of(containers));
  return nullptr;
}

/// OLD's name without the "-HASH" an earlier --image update gave it.
std::string base_name(const model::replication_controller& old) {
  const auto& name = old.metadata.name;
  auto it = old.spec.selector.find(k_deployment_key);
  if (it == old.spec.selector.end()) return name;
  std::string suffix = "-" + it->second;
  if (name.size() > suffix.size() && name.ends_with(suffix)) return name.substr(0, name.size() - suffix.size());
  return name;
}

}  // namespace

step next_step(const counts& now) {
  if (now.new_replicas < now.desired && now.old_replicas > 0) {
    // A surge left by an interruption (or an OLD larger than the goal):
    // bring OLD down to what NEW still lacks before NEW grows again.
    if (now.old_replicas + now.new_replicas > now.desired)
      return {step_kind::update, now.new_replicas, now.desired - now.new_replicas};
    return {step_kind::update, now.new_replicas + 1, now.old_replicas - 1};
  }
  if (now.old_replicas > 0) return {step_kind::stop_old, now.new_replicas, 0};
  if (now.new_replicas != now.desired) return {step_kind::resize_new, now.desired, 0};
  return {step_kind::done, now.new_replicas, now.old_replicas};
}

std::string step_line(const step& s, const counts& now, const std::string& old_name, const std::string& new_name) {
  switch (s.kind) {
    case step_kind::update:
      return fmt::format("Updating {} replicas: {}, {} replicas: {}", old_name, s.old_replicas, new_name,
                         s.new_replicas);
    case step_kind::stop_old:
      return fmt::format("Stopping {} replicas: {} -> {}", old_name, now.old_replicas, s.old_replicas);
    case step_kind::resize_new:
      return fmt::format("Resizing {} replicas: {} -> {}", new_name, now.new_replicas, s.new_replicas);
    case step_kind::done: break;
  }
  return "";
}

std::optional<std::string> check_successor(const model::replication_controller& old,
                                           const model::replication_controller& next, const std::string& file) {
  if (next.metadata.name == old.metadata.name)
    return fmt::format("{} cannot have the same name as the existing replication controller {}", file,
                       old.metadata.name);
  if (next.metadata.namespace_ != old.metadata.namespace_)
    return fmt::format("{}: {} is in namespace \"{}\" but {} in \"{}\": both controllers must be in one namespace",
                       file, next.metadata.name, next.metadata.namespace_, old.metadata.name, old.metadata.namespace_);
  for (const auto& [key, value] : old.spec.selector) {
    auto it = next.spec.selector.find(key);
    if (it != next.spec.selector.end() && it->second != value) return std::nullopt;
  }
  return fmt::format(
      "{} must specify a matching key with non-equal value in Selector for {} (selector of {}: {}; of {}: {}), "
      "or both controllers would claim the same pods",
      file, old.metadata.name, old.metadata.name, manifest::labels_text(old.spec.selector), next.metadata.name,
      manifest::labels_text(next.spec.selector));
}

image_successor plan_image_successor(const model::replication_controller& old, const std::string& image,
                                     const std::string& container, const std::string& new_name) {
  image_successor out;
  out.next = old;
  auto* target = pick_container(out.next, container, out.error);
  if (target == nullptr) return out;
  if (target->image == image) {
    out.error = fmt::format("--image: container \"{}\" of {} already runs {}; name a different image", target->name,
                            old.metadata.name, image);
    return out;
  }
  target->image = image;
  auto has = old.spec.selector.find(k_deployment_key);
  // Hashes of OLD as read (uid and version, as kubectl 1.0 hashed the whole
  // object) and of the change asked for: a later update to the same image,
  // after a rollback, gets a fresh name. A re-run finds its successor by
  // OLD's next-controller-id annotation, not by recomputing the hash.
  const std::string old_identity = fmt::format("{}:{}", old.metadata.uid, old.metadata.resource_version);
  out.old_hash = has != old.spec.selector.end() ? has->second : short_hash(old_identity);
  std::string hash = short_hash(fmt::format("{}:{}:{}", old_identity, target->name, image));
  out.next.metadata.name = new_name.empty() ? fmt::format("{}-{}", base_name(old), hash) : new_name;
  out.next.spec.selector[k_deployment_key] = hash;
  out.next.spec.template_.metadata.labels[k_deployment_key] = hash;
  return out;
}

model::replication_controller as_successor(model::replication_controller next, const model::replication_controller& old,
                                           std::int32_t desired) {
  auto& m = next.metadata;
  m.namespace_ = old.metadata.namespace_;
  m.uid.clear();
  m.resource_version = 0;
  m.generation = 0;
  m.creation_timestamp = 0;
  m.deletion_timestamp = 0;
  m.owner_references.clear();
  m.generate_name.clear();
  m.annotations.erase(k_next_controller);
  m.annotations.erase(k_original_replicas);
  m.annotations[k_desired_replicas] = std::to_string(desired);
  m.annotations[k_source_id] = fmt::format("{}:{}", old.metadata.name, old.metadata.uid);
  next.spec.replicas = 0;
  next.status = {};
  return next;
}

std::string short_hash(std::string_view text) {
  std::uint32_t h = 2166136261u;
  for (unsigned char ch : text) {
    h ^= ch;
    h *= 16777619u;
  }
  return fmt::format("{:08x}", h);
}

pod_counts count_pods(const model::replication_controller& rc, const std::vector<model::pod>& pods) {
  pod_counts out;
  for (const auto& p : pods) {
    const auto* owner = reconcile::controller_of(p);
    if (owner == nullptr || owner->uid != rc.metadata.uid || !reconcile::is_active(p)) continue;
    ++out.active;
    if (model::is_pod_ready(p)) ++out.ready;
  }
  return out;
}

std::optional<std::int32_t> replicas_annotation(const model::object_meta& m, const char* key) {
  auto it = m.annotations.find(key);
  if (it == m.annotations.end()) return std::nullopt;
  std::int32_t n = 0;
  const auto& v = it->second;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc{} || end != v.data() + v.size() || n < 0) return std::nullopt;
  return n;
}

}  // namespace berth::cli::rollout
