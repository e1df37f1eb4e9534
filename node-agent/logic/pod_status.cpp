// pod_status_of: Kubernetes' generateAPIPodStatus over the same view of the
// pod that pod_actions plans from (node-agent/logic/pod_view.hpp).
#include "node-agent/logic/pod_actions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "node-agent/logic/active_deadline.hpp"
#include "node-agent/logic/pod_view.hpp"

namespace berth::agent {
namespace {

using obs_state = observed_container::state;

model::container_state_terminated terminated_of(const observed_container& c, const std::string& id_prefix) {
  model::container_state_terminated t;
  t.exit_code = c.exit_code;
  t.reason = c.oom_killed ? "OOMKilled" : (c.exit_code == 0 ? "Completed" : "Error");
  t.message = !c.termination_message.empty() ? c.termination_message : c.error;
  // A container the agent killed because a hook failed says so (berth has no
  // events: the terminated state carries kubelet's event reason).
  if (!c.hook_failure_reason.empty()) {
    t.reason = c.hook_failure_reason;
    if (t.message.empty()) t.message = c.hook_failure_message;
  }
  t.started_at = c.started_at;
  t.finished_at = c.finished_at;
  t.container_id = id_prefix + c.id;
  return t;
}

/// The newest exited container of the slot with an attempt below `attempt`.
const observed_container* previous_exit(const container_slot& slot, std::uint32_t attempt) {
  for (const auto* c : slot.history) {
    if (c->attempt < attempt && c->state_ == obs_state::exited) return c;
  }
  return nullptr;
}

/// The state of a container the plan does not hold back (no waiting entry).
model::container_state own_state(const observed_container& c, const std::string& id_prefix) {
  switch (c.state_) {
    case obs_state::running: return model::container_state_running{c.started_at};
    case obs_state::exited: return terminated_of(c, id_prefix);
    case obs_state::created:
      // Kubernetes' reason for a start the runtime refused.
      if (!c.error.empty()) return model::container_state_waiting{"RunContainerError", c.error};
      return model::container_state_waiting{"ContainerCreating", ""};
    case obs_state::unknown: break;
  }
  return model::container_state_waiting{"ContainerStatusUnknown",
                                        "the container runtime cannot tell this container's state"};
}

model::container_status status_of(const pod_view& view, const container_slot& slot, const pod_plan& plan,
                                  const pod_context& context, const std::string& id_prefix) {
  const auto& spec = *slot.spec;
  model::container_status s;
  s.name = spec.name;
  s.image = spec.image;
  const auto waiting = plan.waiting.find(spec.name);
  const auto* c = slot.newest();
  if (c == nullptr) {
    s.state = waiting != plan.waiting.end() ? waiting->second : model::container_state_waiting{"ContainerCreating", ""};
    return s;
  }
  if (!c->image.empty()) s.image = c->image;
  s.image_id = c->image_id;
  s.container_id = id_prefix + c->id;
  s.restart_count = static_cast<std::int32_t>(c->attempt);
  const auto* previous = previous_exit(slot, c->attempt);
  if (previous != nullptr) s.last_state = terminated_of(*previous, id_prefix);
  if (waiting != plan.waiting.end()) {
    // Held back (CrashLoopBackOff, a missing image): the exit it waits after
    // is the last termination.
    s.state = waiting->second;
    if (c->state_ == obs_state::exited) s.last_state = terminated_of(*c, id_prefix);
  } else {
    s.state = own_state(*c, id_prefix);
  }
  // Without a running sandbox the container has no pod network: not serving.
  const bool running = c->state_ == obs_state::running && view.sandbox != nullptr;
  const auto ready = context.readiness.find(spec.name);
  s.ready = running && (!spec.readiness_probe.has_value() || (ready != context.readiness.end() && ready->second));
  return s;
}

bool any_newest_running(const pod_view& view) {
  return std::any_of(view.slots.begin(), view.slots.end(),
                     [](const auto& s) { return s.newest() != nullptr && s.newest()->state_ == obs_state::running; });
}

/// Kubernetes' pod phase, from the plan's own idea of what restarts.
model::pod_phase phase_of(const pod_view& view) {
  if (all_terminal(view)) {
    const bool all_zero =
        std::all_of(view.slots.begin(), view.slots.end(), [](const auto& s) { return s.newest()->exit_code == 0; });
    return all_zero ? model::pod_phase::succeeded : model::pod_phase::failed;
  }
  // Ending (deleted, or its sandbox lost under restartPolicy Never) and
  // nothing runs, but some container did not run to completion.
  const bool ending = view.deleted || view.sandbox_lost_for_good;
  if (ending && !any_newest_running(view)) return model::pod_phase::failed;
  const bool all_started =
      std::all_of(view.slots.begin(), view.slots.end(), [](const auto& s) { return ever_started(s); });
  if (!all_started || (view.sandbox == nullptr && !ending)) return model::pod_phase::pending;
  const bool goes_on = any_newest_running(view) || std::any_of(view.slots.begin(), view.slots.end(),
                                                               [&](const auto& s) { return will_restart(view, s); });
  return goes_on ? model::pod_phase::running : model::pod_phase::unknown;
}

model::condition ready_condition(model::pod_phase phase, const std::vector<model::container_status>& statuses,
                                 model::time_ns now) {
  model::condition c;
  c.type = "Ready";
  // The caller keeps the previous lastTransitionTime when the status did not
  // change: this function has no memory of the previous condition.
  c.last_transition_time = now;
  if (phase == model::pod_phase::succeeded || phase == model::pod_phase::failed) {
    c.status = model::condition_status::is_false;
    c.reason = "PodCompleted";
    return c;
  }
  std::vector<std::string> unready;
  for (const auto& s : statuses) {
    if (!s.ready) unready.push_back(s.name);
  }
  if (phase == model::pod_phase::running && unready.empty()) {
    c.status = model::condition_status::is_true;
    return c;
  }
  c.status = model::condition_status::is_false;
  c.reason = "ContainersNotReady";
  c.message = fmt::format("containers with unready status: [{}]", fmt::join(unready, " "));
  return c;
}

}  // namespace

model::pod_status pod_status_of(const model::pod& desired, const observed_pod& observed, const pod_plan& plan,
                                const pod_context& context, const std::string& host_ip, const std::string& id_prefix) {
  const pod_view view = view_of(desired, observed);
  model::pod_status status;
  status.host_ip = host_ip;
  if (view.sandbox != nullptr) status.pod_ip = view.sandbox->ip;
  for (const auto& s : observed.sandboxes) {
    if (s.created_at != 0 && (status.start_time == 0 || s.created_at < status.start_time)) {
      status.start_time = s.created_at;
    }
  }
  for (const auto& slot : view.slots) {
    status.container_statuses.push_back(status_of(view, slot, plan, context, id_prefix));
  }
  status.phase = phase_of(view);
  if (!view.deleted && status.phase != model::pod_phase::succeeded &&
      past_active_deadline(desired, observed, context.now)) {
    status.phase = model::pod_phase::failed;  // kubelet 1.0's words
    status.reason = k_deadline_reason;
    status.message = k_deadline_message;
  }
  // PodScheduled belongs to the control plane; the agent reports Ready only.
  status.conditions.push_back(ready_condition(status.phase, status.container_statuses, context.now));
  return status;
}

}  // namespace berth::agent
