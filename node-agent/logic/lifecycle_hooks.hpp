#pragma once
// Container lifecycle hooks (postStart, preStop) and the termination message:
// the decisions kubelet makes about them, as pure functions. The agent runs
// the hooks and reads the files (node-agent/agent/runtime_ops.cpp).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// kubelet's caps on a termination message (maxTerminationMessageLength) and
/// on the log tail FallbackToLogsOnError uses (maxTerminationMessageLogLines,
/// maxTerminationMessageLogLength).
inline constexpr std::size_t k_max_termination_message_bytes = 4096;
inline constexpr std::size_t k_fallback_log_lines = 80;
inline constexpr std::size_t k_fallback_log_bytes = 2048;

/// kubelet's minimumGracePeriodInSeconds: SIGTERM always gets this long, even
/// when a preStop hook used up the grace period.
inline constexpr std::int64_t k_min_grace_after_pre_stop = 2;

/// A postStart hook that has not finished by then failed (kubelet has no
/// limit; berth's apply of the pod waits for the hook, so it needs one).
inline constexpr std::int64_t k_post_start_timeout_seconds = 120;

/// Reasons in the container's terminated state (kubelet's event reasons).
inline constexpr const char* k_reason_failed_post_start_hook = "FailedPostStartHook";
inline constexpr const char* k_reason_failed_pre_stop_hook = "FailedPreStopHook";

/// The contents of the first regular file in a tar archive (what Docker's
/// GET /containers/{id}/archive returns for one file), at most `max_bytes`
/// of it. nullopt: no regular file, or not a tar archive.
std::optional<std::string> tar_first_file(std::string_view tar, std::size_t max_bytes);

/// The last `lines` lines of `log`, then at most its last `bytes` bytes.
std::string log_tail(std::string_view log, std::size_t lines = k_fallback_log_lines,
                     std::size_t bytes = k_fallback_log_bytes);

/// Whether the message of a container that exited with `exit_code` comes from
/// its log: FallbackToLogsOnError, an empty file and a failure.
bool wants_log_fallback(model::termination_message_policy policy, std::string_view file_message,
                        std::int32_t exit_code);

/// Seconds left for SIGTERM (then SIGKILL) after a preStop hook ran for
/// `elapsed`: the grace period minus the hook's time, at least
/// k_min_grace_after_pre_stop.
std::int64_t grace_after_pre_stop(std::int64_t grace_seconds, model::time_ns elapsed);

/// The spec container named `name` of `pod`, or null.
const model::container* spec_container(const model::pod& pod, std::string_view name);

/// The hook of a container, or null.
const model::lifecycle_handler* post_start_hook(const model::container& c);
const model::lifecycle_handler* pre_stop_hook(const model::container& c);

/// A hook's port (httpGet, tcpSocket): its number, or the number of the
/// container port it names. `error` (naming `field`, e.g.
/// "lifecycle.postStart.httpGet.port") when the name is unknown or the number
/// out of range; port 0 for exec.
struct hook_port {
  int port = 0;
  std::string error;
};
hook_port resolve_hook_port(const model::lifecycle_handler& h, const model::container& c, const std::string& field);

/// What a failed hook looks like in the agent's log and the container's
/// terminated state: kubelet's event message.
std::string hook_failure_message(std::string_view hook, const model::lifecycle_handler& h, std::string_view error);

}  // namespace berth::agent
