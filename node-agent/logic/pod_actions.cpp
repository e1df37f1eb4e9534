#include "node-agent/logic/pod_actions.hpp"

#include <algorithm>
#include <set>
#include <string_view>

#include <fmt/format.h>
#include <xxhash.h>

#include "actors/model/quantity.hpp"
#include "node-agent/logic/active_deadline.hpp"
#include "node-agent/logic/pod_view.hpp"

namespace berth::agent {
namespace {

using obs_state = observed_container::state;

// Kill reasons: pod actors log them and turn them into events.
constexpr const char* k_reason_spec_changed = "container spec changed";
constexpr const char* k_reason_unhealthy = "Unhealthy: liveness probe failed";
constexpr const char* k_reason_deleted = "pod deleted";
constexpr const char* k_reason_sandbox_changed = "pod sandbox changed";
constexpr const char* k_reason_sandbox_died = "pod sandbox died";
constexpr const char* k_reason_not_in_spec = "container not in pod spec";
constexpr const char* k_reason_superseded = "superseded by a newer attempt";
constexpr const char* k_reason_deadline = "DeadlineExceeded: pod was active on the node longer than specified deadline";

/// Tagged, length-prefixed fields: two different specs never serialize alike
/// (a "," inside an argument cannot shift a field boundary), and the bytes do
/// not depend on the process, the platform or the library's struct layout.
class canonical_writer {
 public:
  void text(std::string_view tag, std::string_view value) {
    out_ += tag;
    out_ += fmt::format("={}:", value.size());
    out_ += value;
  }
  void number(std::string_view tag, std::int64_t value) { text(tag, std::to_string(value)); }
  void count(std::string_view tag, std::size_t n) { number(tag, static_cast<std::int64_t>(n)); }
  void resources(std::string_view tag, const model::resource_list& list) {
    count(tag, list.size());
    for (const auto& [name, q] : list) {  // std::map: sorted, hence stable
      text("k", name);
      text("v", model::to_string(q));
    }
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

/// Applies the decisions for one pod to a plan; every method is one rule of the brief.
class planner {
 public:
  planner(const pod_view& view, const pod_context& context, backoff_table& backoff)
      : view_(view), context_(context), backoff_(backoff) {}

  pod_plan live(const observed_pod& observed);
  pod_plan deleted(const observed_pod& observed);
  pod_plan deadline_exceeded(const observed_pod& observed);

 private:
  void kill(const observed_container& c, const char* reason) {
    plan_.kills.push_back(container_kill{c.id, c.name, reason});
  }
  void remove(const observed_container& c) {
    if (removed_.insert(c.id).second) plan_.removals.push_back(c.id);
  }
  bool start_or_wait(const container_slot& slot, std::uint32_t attempt);
  bool backoff_allows(const container_slot& slot, const observed_container& c, model::time_ns finished,
                      model::time_ns ran);
  void plan_slot(const container_slot& slot, bool new_sandbox);
  void plan_running(const container_slot& slot, const observed_container& c, bool new_sandbox);
  void kill_running(const std::vector<const observed_container*>& history, std::size_t skip, const char* reason);
  void collect_garbage_of(const std::vector<const observed_container*>& history);
  void collect_garbage();

  const pod_view& view_;
  const pod_context& context_;
  backoff_table& backoff_;
  pod_plan plan_;
  std::set<std::string> removed_;
};

/// Starts `attempt` unless its environment cannot be built (a secretKeyRef
/// the node's secrets do not resolve: CreateContainerConfigError, kubelet's
/// reason) or the image is missing (no registry: never pulled).
bool planner::start_or_wait(const container_slot& slot, std::uint32_t attempt) {
  if (auto it = context_.config_errors.find(slot.spec->name); it != context_.config_errors.end()) {
    plan_.waiting[slot.spec->name] = model::container_state_waiting{"CreateContainerConfigError", it->second};
    return false;
  }
  auto it = context_.image_errors.find(slot.spec->image);
  if (it != context_.image_errors.end() && !it->second.empty()) {
    plan_.waiting[slot.spec->name] = model::container_state_waiting{"ErrImageNeverPull", it->second};
    return false;
  }
  auto entry = backoff_.find(slot.spec->name);
  plan_.starts.push_back(
      container_start{slot.spec->name, attempt, entry == backoff_.end() ? 0 : entry->second.delay});
  return true;
}

/// CrashLoopBackOff: records a new exit of `c` (one not seen before) in the
/// back-off table, then tells whether its delay has passed. The first exit
/// of attempt 0 restarts at once, later ones wait base, 2*base, ... up to
/// cap; an exit after a run of reset_after or more restarts at once again,
/// as kubelet's expired back-off entries do.
bool planner::backoff_allows(const container_slot& slot, const observed_container& c, model::time_ns finished,
                             model::time_ns ran) {
  const auto& config = context_.backoff;
  const auto& name = slot.spec->name;
  auto it = backoff_.find(name);
  if (it == backoff_.end() || it->second.for_attempt != c.attempt) {
    // Without an entry (the first exit, or an agent that restarted) the delay
    // the container itself waited, from its label, is where doubling resumes.
    const bool first_exit = it == backoff_.end() && c.attempt == 0;
    const model::time_ns previous = it == backoff_.end() ? c.backoff_delay : it->second.delay;
    model::time_ns delay = 0;
    if (!first_exit && ran < config.reset_after) {
      delay = previous == 0 ? std::min(config.base, config.cap) : std::min(2 * previous, config.cap);
    }
    it = backoff_.insert_or_assign(name, backoff_entry{delay, finished + delay, c.attempt}).first;
  }
  const auto& entry = it->second;
  if (context_.now >= entry.not_before) return true;
  const auto& meta = view_.desired->metadata;
  plan_.waiting[name] = model::container_state_waiting{
      "CrashLoopBackOff", fmt::format("back-off {} restarting failed container={} pod={}_{}({})",
                                      go_duration(entry.delay), name, meta.name, meta.namespace_, meta.uid)};
  if (plan_.wake_at == 0 || entry.not_before < plan_.wake_at) plan_.wake_at = entry.not_before;
  return false;
}

void planner::plan_running(const container_slot& slot, const observed_container& c, bool new_sandbox) {
  // A new sandbox means new namespaces: the container must be made again.
  if (new_sandbox) {
    kill(c, k_reason_sandbox_changed);
    start_or_wait(slot, c.attempt + 1);
    return;
  }
  // A changed spec restarts whatever the policy, and without back-off (kubelet).
  if (c.spec_hash != container_spec_hash(*slot.spec)) {
    kill(c, k_reason_spec_changed);
    start_or_wait(slot, c.attempt + 1);
    return;
  }
  const auto& failed = context_.liveness_failed;
  if (std::find(failed.begin(), failed.end(), c.name) == failed.end()) return;
  kill(c, k_reason_unhealthy);
  // Killed means a non-zero exit, so OnFailure restarts; it exits now.
  if (!policy_restarts(view_.desired->spec.restart_policy_, 1)) return;
  const model::time_ns ran = c.started_at != 0 ? context_.now - c.started_at : 0;
  if (backoff_allows(slot, c, context_.now, ran)) start_or_wait(slot, c.attempt + 1);
}

void planner::plan_slot(const container_slot& slot, bool new_sandbox) {
  const auto* c = slot.newest();
  if (c == nullptr) {
    start_or_wait(slot, 0);
    return;
  }
  switch (c->state_) {
    case obs_state::running: plan_running(slot, *c, new_sandbox); return;
    case obs_state::created: {
      // Made but never started: a failed start. Retried (with back-off, so a
      // bad command does not spin) and removed once its successor is made.
      const model::time_ns at = c->created_at != 0 ? c->created_at : context_.now;
      if (backoff_allows(slot, *c, at, 0) && start_or_wait(slot, c->attempt + 1)) remove(*c);
      return;
    }
    case obs_state::exited: {
      if (!policy_restarts(view_.desired->spec.restart_policy_, c->exit_code)) return;
      const model::time_ns at = c->finished_at != 0 ? c->finished_at : context_.now;
      const model::time_ns ran =
          c->started_at != 0 && c->finished_at >= c->started_at ? c->finished_at - c->started_at : 0;
      if (backoff_allows(slot, *c, at, ran)) start_or_wait(slot, c->attempt + 1);
      return;
    }
    case obs_state::unknown: return;  // the runtime cannot tell: acting could start a second copy
  }
}

/// Kills the running containers of `history` except its first `skip` entries.
void planner::kill_running(const std::vector<const observed_container*>& history, std::size_t skip,
                           const char* reason) {
  for (std::size_t i = skip; i < history.size(); ++i) {
    if (history[i]->state_ == obs_state::running) kill(*history[i], reason);
  }
}

/// Keeps the newest dead container (for `logs --previous`), removes older dead ones.
void planner::collect_garbage_of(const std::vector<const observed_container*>& history) {
  bool kept = false;
  for (const auto* c : history) {
    if (!is_dead(*c) || removed_.count(c->id) != 0) continue;
    if (kept) {
      remove(*c);
    } else {
      kept = true;
    }
  }
}

void planner::collect_garbage() {
  for (const auto& slot : view_.slots) collect_garbage_of(slot.history);
  for (const auto& stray : view_.strays) collect_garbage_of(stray.history);
  collect_garbage_of(view_.sandbox_history);
}

pod_plan planner::live(const observed_pod& observed) {
  for (auto it = backoff_.begin(); it != backoff_.end();) {
    const bool in_spec =
        std::any_of(view_.slots.begin(), view_.slots.end(), [&](const auto& s) { return s.spec->name == it->first; });
    it = in_spec ? std::next(it) : backoff_.erase(it);
  }
  for (const auto* s : view_.extra_sandboxes) plan_.kill_sandboxes.push_back(s->id);
  for (const auto& stray : view_.strays) kill_running(stray.history, 0, k_reason_not_in_spec);
  for (const auto& slot : view_.slots) kill_running(slot.history, 1, k_reason_superseded);

  if (all_terminal(view_)) {
    // Succeeded or Failed: the containers stay (for logs), the sandbox goes.
    if (view_.sandbox != nullptr) plan_.kill_sandboxes.push_back(view_.sandbox->id);
    plan_.pod_finished = true;
  } else if (view_.sandbox_lost_for_good) {
    for (const auto& slot : view_.slots) {
      // Older running ones were killed above as superseded.
      const auto* c = slot.newest();
      if (c != nullptr && c->state_ == obs_state::running) kill(*c, k_reason_sandbox_died);
    }
    plan_.pod_finished = !any_app_running(observed);
  } else if (context_.volumes_waiting) {
    // Never run without its data: no sandbox, no starts; what already runs
    // (the volume went away under it) is left alone.
    for (const auto& slot : view_.slots) {
      const auto* c = slot.newest();
      if (c == nullptr || c->state_ != obs_state::running) plan_.waiting[slot.spec->name] = *context_.volumes_waiting;
    }
  } else {
    const bool new_sandbox = view_.sandbox == nullptr;
    plan_.create_sandbox = new_sandbox;
    for (const auto& slot : view_.slots) plan_slot(slot, new_sandbox);
  }
  collect_garbage();
  return std::move(plan_);
}

/// Past spec.activeDeadlineSeconds: everything is stopped and nothing starts
/// again, as kubelet's killPod for a failed pod. The dead containers stay
/// (for logs, and so the pod keeps its start time), as for a Failed pod.
pod_plan planner::deadline_exceeded(const observed_pod& observed) {
  backoff_.clear();
  for (const auto& slot : view_.slots) kill_running(slot.history, 0, k_reason_deadline);
  for (const auto& stray : view_.strays) kill_running(stray.history, 0, k_reason_deadline);
  for (const auto* s : view_.sandbox_history)
    if (s->state_ == obs_state::running) plan_.kill_sandboxes.push_back(s->id);
  collect_garbage();
  plan_.pod_finished = !any_app_running(observed);
  return std::move(plan_);
}

pod_plan planner::deleted(const observed_pod& observed) {
  backoff_.clear();  // nothing restarts any more
  for (const auto& slot : view_.slots) kill_running(slot.history, 0, k_reason_deleted);
  for (const auto& stray : view_.strays) kill_running(stray.history, 0, k_reason_deleted);
  for (const auto* s : view_.sandbox_history) {
    if (s->state_ == obs_state::running) plan_.kill_sandboxes.push_back(s->id);
  }
  if (any_app_running(observed)) {
    collect_garbage();
    return std::move(plan_);
  }
  // Everything stopped: the pod's containers go with the pod object.
  for (const auto& slot : view_.slots) {
    for (const auto* c : slot.history)
      if (is_dead(*c)) remove(*c);
  }
  for (const auto& stray : view_.strays) {
    for (const auto* c : stray.history)
      if (is_dead(*c)) remove(*c);
  }
  for (const auto* s : view_.sandbox_history)
    if (is_dead(*s)) remove(*s);
  plan_.pod_finished = true;
  return std::move(plan_);
}

/// Kubernetes 1.0 container fields. Each part is written only when it is not
/// the default, so a container made before these fields existed keeps its
/// hash (an upgraded agent must not restart it).
void write_value_from(canonical_writer& w, const model::env_var& e) {
  if (!e.value_from) return;
  if (const auto& f = e.value_from->field_ref) {
    w.text("fieldRef.apiVersion", f->api_version);
    w.text("fieldRef.fieldPath", f->field_path);
  }
  if (const auto& k = e.value_from->secret_key_ref) {
    w.text("secretKeyRef.name", k->name);
    w.text("secretKeyRef.key", k->key);
  }
}

std::string port_text(const model::int_or_string& port) {
  if (const auto* n = std::get_if<std::int32_t>(&port.value)) return std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&port.value)) return "name:" + *s;
  return "";
}

void write_container_extras(canonical_writer& w, const model::container& c) {
  if (const auto& sc = c.security_context_) {
    w.text("securityContext", "");
    if (sc->capabilities_) {
      w.count("capabilities.add", sc->capabilities_->add.size());
      for (const auto& s : sc->capabilities_->add) w.text("s", s);
      w.count("capabilities.drop", sc->capabilities_->drop.size());
      for (const auto& s : sc->capabilities_->drop) w.text("s", s);
    }
    w.number("privileged", sc->privileged);
    if (const auto& se = sc->se_linux_options_)
      w.text("seLinuxOptions", se->user + ":" + se->role + ":" + se->type + ":" + se->level);
    if (sc->run_as_user) w.number("runAsUser", *sc->run_as_user);
    w.number("runAsNonRoot", sc->run_as_non_root);
    w.number("readOnlyRootFilesystem", sc->read_only_root_filesystem);
  }
  if (c.stdin || c.stdin_once || c.tty)
    w.text("stdio", fmt::format("{}{}{}", int(c.stdin), int(c.stdin_once), int(c.tty)));
  // Lifecycle hooks and the termination message: only written when used, so
  // containers without them keep their hash.
  if (const auto& lc = c.lifecycle_) {
    for (const auto* hook : {&lc->post_start, &lc->pre_stop}) {
      if (!*hook) {
        w.text("hook", "");
        continue;
      }
      if (const auto* e = std::get_if<model::exec_action>(&**hook)) {
        w.count("hook.exec", e->command.size());
        for (const auto& s : e->command) w.text("s", s);
      } else if (const auto* h = std::get_if<model::http_get_action>(&**hook)) {
        w.text("hook.httpGet", h->scheme + "://" + h->host + h->path);
        w.text("port", port_text(h->port));
        w.count("headers", h->http_headers.size());
        for (const auto& header : h->http_headers) w.text(header.name, header.value);
      } else if (const auto* t = std::get_if<model::tcp_socket_action>(&**hook)) {
        w.text("hook.tcpSocket", port_text(t->port));
      }
    }
  }
  if (c.termination_message_path != model::k_default_termination_message_path)
    w.text("terminationMessagePath", c.termination_message_path);
  if (c.termination_message_policy_ != model::termination_message_policy::file)
    w.text("terminationMessagePolicy", "FallbackToLogsOnError");
}

}  // namespace

std::string container_spec_hash(const model::container& c) {
  canonical_writer w;
  w.text("image", c.image);
  w.count("command", c.command.size());
  for (const auto& s : c.command) w.text("s", s);
  w.count("args", c.args.size());
  for (const auto& s : c.args) w.text("s", s);
  w.text("workingDir", c.working_dir);
  w.count("env", c.env.size());  // in order: later entries may refer to earlier ones
  for (const auto& e : c.env) {
    w.text("n", e.name);
    w.text("v", e.value);
    write_value_from(w, e);
  }
  w.count("ports", c.ports.size());
  for (const auto& p : c.ports) {
    w.text("name", p.name);
    w.number("containerPort", p.container_port);
    w.number("hostPort", p.host_port);
    w.text("protocol", p.protocol_ == model::protocol::udp ? "UDP" : "TCP");
    w.text("hostIP", p.host_ip);
  }
  w.resources("requests", c.resources.requests);
  w.resources("limits", c.resources.limits);
  if (!c.volume_mounts.empty()) {  // absent before volumes: old hashes stay valid
    w.count("volumeMounts", c.volume_mounts.size());
    for (const auto& m : c.volume_mounts) {
      w.text("name", m.name);
      w.text("mountPath", m.mount_path);
      w.number("readOnly", m.read_only ? 1 : 0);
      w.text("subPath", m.sub_path);
    }
  }
  write_container_extras(w, c);
  const auto& bytes = w.bytes();
  return fmt::format("{:016x}", XXH3_64bits(bytes.data(), bytes.size()));
}

pod_plan pod_actions(const model::pod& desired, const observed_pod& observed, const pod_context& context,
                     backoff_table& backoff) {
  const pod_view view = view_of(desired, observed);
  planner p(view, context, backoff);
  if (view.deleted) return p.deleted(observed);
  if (past_active_deadline(desired, observed, context.now)) return p.deadline_exceeded(observed);
  auto plan = p.live(observed);
  // Look again when the deadline passes, if nothing else wakes the pod first.
  const auto deadline = deadline_of(desired, observed);
  if (deadline != 0 && !plan.pod_finished && (plan.wake_at == 0 || deadline < plan.wake_at)) plan.wake_at = deadline;
  return plan;
}

}  // namespace berth::agent
