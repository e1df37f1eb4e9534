// create, apply, delete and scale: the commands that change the cluster.
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <optional>

#include "cli/client.hpp"
#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "cli/manifest_input.hpp"
#include "cli/outcome_report.hpp"

namespace berth::cli {
namespace {

using code = actors::outcome::code;

model::object_meta& meta_of(actors::any_object& o) {
  return std::visit([](auto& x) -> model::object_meta& { return x.metadata; }, o);
}

/// Prints manifest errors; returns whether there were any.
bool report_load_errors(const loaded_manifests& loaded, std::ostream& err) {
  for (const auto& e : loaded.errors) fmt::print(err, "error: {}\n", e);
  return !loaded.errors.empty();
}

int create_one(const command_line& c, client& api, actors::any_object o, streams io) {
  if (auto mismatch = apply_namespace_flag(o, c.namespace_)) {
    fmt::print(io.err, "error: {}\n", *mismatch);
    return k_exit_user;
  }
  auto k = actors::kind_of(o);
  std::string name = actors::meta_of(o).name;
  auto result = c.verb == verb::apply ? api.apply(o, c.dry_run) : api.create(o, c.dry_run);
  if (result.result != code::ok) return report_failure(result, k, name, io.err);
  std::string action = result.action.empty() ? (c.verb == verb::apply ? "configured" : "created") : result.action;
  // berthd says "created (dry run)" itself; say it here only if it did not.
  bool say_dry_run = c.dry_run && action.find("dry run") == std::string::npos;
  fmt::print(io.out, "{} {}{}\n", result.object ? object_name(*result.object) : object_name(o), action,
             say_dry_run ? " (dry run)" : "");
  return k_exit_ok;
}

int delete_one(const command_line& c, client& api, const actors::object_key& key, streams io) {
  auto result = api.remove(key, c.grace_period, c.orphan);
  if (result.result != code::ok) return report_failure(result, key.kind, key.name, io.err);
  fmt::print(io.out, "{} deleted\n", quoted_name(key.kind, key.name));
  return k_exit_ok;
}

}  // namespace

std::optional<std::string> apply_namespace_flag(actors::any_object& o, const std::optional<std::string>& flag) {
  auto& m = meta_of(o);
  if (!flag || model::is_cluster_scoped(actors::kind_of(o))) return std::nullopt;
  if (m.namespace_.empty() || m.namespace_ == "default") {
    m.namespace_ = *flag;
    return std::nullopt;
  }
  if (m.namespace_ == *flag) return std::nullopt;
  return fmt::format(
      "the namespace from the provided object \"{}\" does not match the namespace \"{}\". You must "
      "pass '--namespace={}' to perform this operation.",
      m.namespace_, *flag, m.namespace_);
}

std::string namespace_of(const std::optional<std::string>& flag) { return flag.value_or("default"); }

int report_failure(const actors::outcome& o, actors::kind k, const std::string& name, std::ostream& err) {
  switch (o.result) {
    case code::ok: return k_exit_ok;
    case code::invalid:
      if (o.errors.empty()) fmt::print(err, "error: {}/{} is invalid: {}\n", model::singular_name(k), name, o.message);
      for (const auto& e : o.errors) {
        fmt::print(err, "error: {}/{} is invalid: {}: {}\n", model::singular_name(k), name, e.field, e.message);
      }
      return k_exit_user;
    case code::not_found: fmt::print(err, "Error from server (NotFound): {}\n", o.message); return k_exit_user;
    case code::already_exists:
      fmt::print(err, "Error from server (AlreadyExists): {}\n", o.message);
      return k_exit_user;
    case code::conflict: fmt::print(err, "Error from server (Conflict): {}\n", o.message); return k_exit_user;
    case code::forbidden:
      // As kubectl prints the apiserver's Forbidden status: the object, then why.
      fmt::print(err, "Error from server (Forbidden): {} \"{}\" is forbidden: {}\n", model::resource_name(k), name,
                 o.message);
      return k_exit_user;
    case code::unavailable: break;
  }
  fmt::print(err, "Error from server (ServiceUnavailable): {}\n", o.message);
  return k_exit_server;
}

namespace detail {

int run_create_or_apply(const command_line& c, client& api, streams io) {
  auto loaded = load_manifests(c.files, io.in);
  int exit = report_load_errors(loaded, io.err) ? k_exit_user : k_exit_ok;
  if (loaded.objects.empty() && loaded.errors.empty()) {
    fmt::print(io.err, "error: no objects passed to {}\n", verb_name(c.verb));
    return k_exit_user;
  }
  for (auto& o : loaded.objects) exit = std::max(exit, create_one(c, api, std::move(o), io));
  return exit;
}

int run_delete(const command_line& c, client& api, streams io) {
  int exit = k_exit_ok;
  std::vector<actors::object_key> keys;
  if (!c.files.empty()) {
    auto loaded = load_manifests(c.files, io.in);
    if (report_load_errors(loaded, io.err)) exit = k_exit_user;
    for (auto& o : loaded.objects) {
      if (auto mismatch = apply_namespace_flag(o, c.namespace_)) {
        fmt::print(io.err, "error: {}\n", *mismatch);
        exit = k_exit_user;
        continue;
      }
      const auto& m = actors::meta_of(o);
      keys.push_back({actors::kind_of(o), m.namespace_.empty() ? "default" : m.namespace_, m.name});
    }
  } else if (!c.names.empty()) {
    for (const auto& n : c.names) keys.push_back({*c.kind, namespace_of(c.namespace_), n});
  } else {
    auto listed = api.list(*c.kind, namespace_of(c.namespace_), c.label_selector);
    if (!listed.error.empty()) return fmt::print(io.err, "error: {}\n", listed.error), k_exit_user;
    if (listed.items.empty()) fmt::print(io.err, "No resources found\n");
    for (const auto& o : listed.items) {
      keys.push_back({*c.kind, actors::meta_of(o).namespace_, actors::meta_of(o).name});
    }
  }
  for (const auto& key : keys) exit = std::max(exit, delete_one(c, api, key, io));
  return exit;
}

int run_scale(const command_line& c, client& api, streams io) {
  actors::object_key key{*c.kind, namespace_of(c.namespace_), c.names.at(0)};
  auto result = api.scale(key, c.replicas);
  if (result.result != code::ok) return report_failure(result, key.kind, key.name, io.err);
  fmt::print(io.out, "{}/{} scaled\n", model::singular_name(key.kind), key.name);
  return k_exit_ok;
}

}  // namespace detail
}  // namespace berth::cli
