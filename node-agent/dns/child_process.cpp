#include "node-agent/dns/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>

namespace berth::agent::dns {

namespace {

constexpr std::chrono::milliseconds k_poll_interval{10};

bool is_executable(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Owns the posix_spawn attribute objects for the length of one spawn.
struct spawn_setup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  spawn_setup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~spawn_setup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  spawn_setup(const spawn_setup&) = delete;
  spawn_setup& operator=(const spawn_setup&) = delete;
};

// Empty mask, every catchable signal back to its default action.
void reset_signals(posix_spawnattr_t& attr) {
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
}

std::string read_cmdline(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/cmdline", pid), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool cmdline_has_arg(const std::string& cmdline, const std::string& arg) {
  std::size_t start = 0;
  while (start < cmdline.size()) {
    std::size_t end = cmdline.find('\0', start);
    if (end == std::string::npos) end = cmdline.size();
    if (cmdline.compare(start, end - start, arg) == 0) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) return is_executable(program) ? program : "";
  std::string dirs = std::getenv("PATH") ? std::getenv("PATH") : "";
  dirs += ":/usr/sbin:/sbin";
  std::istringstream in(dirs);
  for (std::string dir; std::getline(in, dir, ':');) {
    if (dir.empty()) continue;
    std::string path = dir + "/" + program;
    if (is_executable(path)) return path;
  }
  return "";
}

spawn_result spawn_process(const std::vector<std::string>& argv, const std::string& output_path) {
  spawn_setup s;
  posix_spawn_file_actions_addopen(&s.actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&s.actions, 1, output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&s.actions, 1, 2);
  posix_spawn_file_actions_addclosefrom_np(&s.actions, 3);
  reset_signals(s.attr);

  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, argv.at(0).c_str(), &s.actions, &s.attr, args.data(), environ);
  if (rc != 0) return {fmt::format("posix_spawn {}: {}", argv.at(0), std::strerror(rc)), 0};
  return {{}, pid};
}

std::string describe_exit(int status) {
  if (WIFEXITED(status)) return fmt::format("exited with status {}", WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return fmt::format("killed by signal {}", WTERMSIG(status));
  return fmt::format("ended with wait status {}", status);
}

std::optional<int> try_reap(pid_t pid) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  while (r < 0 && errno == EINTR) r = ::waitpid(pid, &status, WNOHANG);
  if (r == pid) return status;
  if (r < 0) return -1;  // not our child any more (ECHILD): treat as ended
  return std::nullopt;
}

std::string stop_child(pid_t pid, std::chrono::milliseconds grace) {
  if (auto status = try_reap(pid)) return describe_exit(*status);
  ::kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto status = try_reap(pid)) return describe_exit(*status);
    std::this_thread::sleep_for(k_poll_interval);
  }
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  return describe_exit(status) + fmt::format(" (SIGKILL after {} ms)", grace.count());
}

bool process_alive(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat;
  if (!std::getline(in, stat)) return false;
  // "pid (comm) S ...": the state follows the last ')' (comm may hold ')').
  std::size_t paren = stat.rfind(')');
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z';
}

std::string stop_stale(const std::string& pid_file, const std::string& marker_arg, std::chrono::milliseconds grace) {
  std::ifstream in(pid_file);
  long pid = 0;
  if (!(in >> pid) || pid <= 1) return "";
  auto p = static_cast<pid_t>(pid);
  if (!process_alive(p) || !cmdline_has_arg(read_cmdline(p), marker_arg)) return "";
  ::kill(p, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (process_alive(p) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(k_poll_interval);
  }
  if (!process_alive(p)) return fmt::format("stopped the dnsmasq (pid {}) left from an earlier run", p);
  ::kill(p, SIGKILL);
  deadline = std::chrono::steady_clock::now() + grace;
  while (process_alive(p) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(k_poll_interval);
  }
  return fmt::format(
      "sent SIGKILL to the dnsmasq (pid {}) left from an earlier run: "
      "no exit {} ms after SIGTERM{}",
      p, grace.count(), process_alive(p) ? "; it is still alive" : "");
}

std::string last_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace berth::agent::dns
