#pragma once
// Starting, watching and stopping one child program (dnsmasq) from a
// multi-threaded process. Kept apart from cluster_dns so that the POSIX
// details (posix_spawn, signal masks, reaping) sit in one place.

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace berth::agent::dns {

/// The path of `program`: itself when it contains a '/', else the first
/// executable `program` in $PATH, then /usr/sbin and /sbin (dnsmasq lives in
/// /usr/sbin, which a non-root PATH often lacks). Empty when none is found.
std::string find_program(const std::string& program);

/// A started child, or why it could not start.
struct spawn_result {
  std::string error;
  pid_t pid = 0;
};

/// Starts argv[0] (a path) with argv as its arguments, stdin from /dev/null
/// and stdout and stderr appended to `output_path` (truncated first). The
/// child gets an empty signal mask and default dispositions, and no file
/// descriptor above 2: the agent's event loops block signals they wait for
/// and ignore SIGPIPE, and posix_spawn would otherwise pass all of that (and
/// every open socket) on, leaving a dnsmasq deaf to SIGHUP and SIGTERM.
/// posix_spawn rather than fork: safe in a process with threads.
spawn_result spawn_process(const std::vector<std::string>& argv, const std::string& output_path);

/// "exited with status 2", "killed by signal 9", from a waitpid() status.
std::string describe_exit(int status);

/// The waitpid() status when the child `pid` has ended (and is now reaped),
/// nullopt while it runs.
std::optional<int> try_reap(pid_t pid);

/// Ends the child `pid`: SIGTERM, up to `grace` for it to exit, then SIGKILL;
/// always reaps it. Returns how it ended (describe_exit).
std::string stop_child(pid_t pid, std::chrono::milliseconds grace);

/// Ends a process that is not our child, left behind by an earlier owner of
/// the same files (an agent killed before its destructor ran): the pid in
/// `pid_file`, only if that process is alive and its command line contains
/// `marker_arg` exactly (so a reused pid is never touched). SIGTERM, up to
/// `grace`, then SIGKILL. Returns what it did, for the caller's log ("" when
/// there was nothing to do).
std::string stop_stale(const std::string& pid_file, const std::string& marker_arg, std::chrono::milliseconds grace);

/// True while `pid` exists and is not a zombie.
bool process_alive(pid_t pid);

/// The last non-empty line of the file at `path` ("" when none).
std::string last_line(const std::string& path);

}  // namespace berth::agent::dns
