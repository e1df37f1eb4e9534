#pragma once
// Runs a program (the real `berth` binary) as a child process for end-to-end
// tests: arguments, extra environment, text on stdin; stdout and stderr are
// captured through temporary files (no pipes to deadlock on).

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace berth::testing {

struct process_result {
  int exit_code = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

/// Runs `program args...` to completion. `env` entries are set (or, with an
/// empty value, unset) on top of this process's environment.
process_result run_process(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env = {}, const std::string& stdin_text = "");

/// A child left running (e.g. `berth get pods -w`) whose stdout grows in a file.
class background_process {
 public:
  background_process(const std::string& program, const std::vector<std::string>& args,
                     const std::map<std::string, std::string>& env = {});
  ~background_process();  // SIGKILL if still running
  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;

  /// Everything written to stdout so far.
  std::string out() const;
  /// Everything written to stderr so far.
  std::string err() const;
  /// SIGTERM and reap; returns stdout.
  std::string stop();
  /// Sends `sig` (e.g. SIGSTOP / SIGCONT) without reaping.
  void signal(int sig);
  /// Whether it still runs; reaps it (keeping its exit code) once it ended.
  bool running();
  /// Its exit code once running() saw it end; -1 before, or when a signal killed it.
  int exit_code() const { return exit_code_; }

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
  std::string dir_;
};

}  // namespace berth::testing
