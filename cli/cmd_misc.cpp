// logs, exec, version, and the dispatch of a command line to its command.
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <optional>

#include <fmt/format.h>
#include <fmt/ostream.h>

#include "cli/client.hpp"
#include "cli/commands.hpp"
#include "cli/outcome_report.hpp"

#ifndef BERTH_VERSION
#define BERTH_VERSION "unknown"
#endif

namespace berth::cli {
namespace {

int run_logs(const command_line& c, client& api, streams io) {
  log_options options;
  options.container = c.logs.container;
  options.follow = c.logs.follow;
  options.tail_lines = c.logs.tail_lines;
  options.previous = c.logs.previous;
  options.timestamps = c.logs.timestamps;
  auto error = api.logs(namespace_of(c.namespace_), c.names.at(0), options, [&](std::string_view data) {
    io.out.write(data.data(), static_cast<std::streamsize>(data.size()));
    io.out.flush();
  });
  if (error.empty()) return k_exit_ok;
  // berthd's words: the pod is unknown, not scheduled, or its node's agent is not connected.
  fmt::print(io.err, "error: {}\n", error);
  return k_exit_user;
}

/// The terminal in raw mode while a -t session runs (keys go to the remote
/// terminal as typed), restored however the session ends.
class raw_terminal {
 public:
  explicit raw_terminal(int fd) : fd_(fd) {
    if (isatty(fd_) == 0 || tcgetattr(fd_, &saved_) != 0) return;
    termios raw = saved_;
    cfmakeraw(&raw);
    active_ = tcsetattr(fd_, TCSANOW, &raw) == 0;
  }
  ~raw_terminal() {
    if (active_) tcsetattr(fd_, TCSANOW, &saved_);
  }
  raw_terminal(const raw_terminal&) = delete;
  raw_terminal& operator=(const raw_terminal&) = delete;

 private:
  int fd_;
  termios saved_{};
  bool active_ = false;
};

int run_exec(const command_line& c, client& api, streams io) {
  exec_options options;
  options.container = c.exec.container;
  options.command = c.exec.command;
  options.stdin_ = c.exec.stdin_;
  options.tty = c.exec.tty;
  winsize size{};
  if (options.tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0) {
    options.width = size.ws_col;
    options.height = size.ws_row;
  }
  std::optional<raw_terminal> raw;
  if (options.tty && options.stdin_) raw.emplace(STDIN_FILENO);
  auto result = api.exec(namespace_of(c.namespace_), c.names.at(0), options, [&](int stream, std::string_view data) {
    auto& out = stream == 2 ? io.err : io.out;
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
  });
  raw.reset();
  if (result.error.empty()) return result.exit_code;
  fmt::print(io.err, "error: {}\n", result.error);
  return k_exit_user;
}

/// The client's line is printed by main before connecting (so it shows even when that fails).
int run_version(client& api, streams io) {
  auto v = api.version();
  fmt::print(io.out, "Server Version: {}\nJournal Seq: {}\n", v.version, v.journal_seq);
  return k_exit_ok;
}

}  // namespace

const char* client_version() { return BERTH_VERSION; }

int run_command(const command_line& c, client& api, streams io) {
  switch (c.verb) {
    case verb::create:
    case verb::apply: return detail::run_create_or_apply(c, api, io);
    case verb::get: return detail::run_get(c, api, io);
    case verb::describe: return detail::run_describe(c, api, io);
    case verb::remove: return detail::run_delete(c, api, io);
    case verb::scale: return detail::run_scale(c, api, io);
    case verb::rolling_update: return detail::run_rolling_update(c, api, io);
    case verb::logs: return run_logs(c, api, io);
    case verb::exec: return run_exec(c, api, io);
    case verb::version: return run_version(api, io);
    case verb::kubeconfig:  // read locally, before any connection (main.cpp)
    case verb::help: break;
  }
  fmt::print(io.err, "{}\n", usage_of(c.verb));
  return k_exit_user;
}

}  // namespace berth::cli
