#include "node-agent/proxy/local_route.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "actors/reconcile/service_addresses.hpp"

extern char** environ;

namespace berth::agent::proxy {

namespace {

std::string find_ip_binary() {
  for (const char* path : {"/sbin/ip", "/usr/sbin/ip", "/bin/ip", "/usr/bin/ip"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

/// Reads everything from `fd` (small: `ip` prints one line at most) and closes it.
std::string drain(int fd) {
  std::string out;
  std::array<char, 512> buf{};
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n > 0) {
      out.append(buf.data(), static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fd);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

/// Runs argv[0] with stderr captured; "" on exit status 0, otherwise why not.
std::string run_captured(std::vector<std::string> argv) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return fmt::format("pipe: {}", std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (rc != 0) {
    close(pipe_fds[0]);
    return fmt::format("cannot start {}: {}", argv[0], std::strerror(rc));
  }
  std::string err = drain(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "";
  if (WIFEXITED(status)) return fmt::format("exit status {}: {}", WEXITSTATUS(status), err);
  return fmt::format("killed by signal {}: {}", WTERMSIG(status), err);
}

}  // namespace

std::string route_cidr_locally(const std::string& cidr) {
  // The same parser berthd uses for --service-cluster-ip-range, so that both
  // sides agree on what a service range is.
  auto range = reconcile::parse_ipv4_range(cidr);
  if (!range) {
    return fmt::format("cluster CIDR \"{}\" is not an IPv4 prefix a.b.c.d/n (n from 8 to 30) with zero host bits",
                       cidr);
  }
  const std::string& canonical = range->text;
  std::string ip = find_ip_binary();
  if (ip.empty()) return "no ip binary in /sbin, /usr/sbin, /bin or /usr/bin (Debian package iproute2)";
  std::vector<std::string> argv{ip, "route", "replace", "local", canonical, "dev", "lo", "table", "local"};
  std::string why = run_captured(argv);
  if (why.empty()) return "";
  return fmt::format("{} route replace local {} dev lo table local: {}", ip, canonical, why);
}

}  // namespace berth::agent::proxy
