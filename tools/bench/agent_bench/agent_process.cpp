// berth-agent as a child process of the benchmark: its own pid (so /proc
// tells its peak RSS and CPU time), its output in a log file under /tmp.
#include "tools/bench/agent_bench/agent_bench.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace berth::bench {

agent_process::agent_process(const std::string& binary, const std::vector<std::string>& args) {
  std::string templ = "/tmp/berth-agentbench-XXXXXX";
  int fd = ::mkstemp(templ.data());
  if (fd < 0) throw std::runtime_error(fmt::format("agent_bench: mkstemp: {}", std::strerror(errno)));
  log_path_ = templ;
  // argv is built before fork: the child of a threaded process may only
  // call async-signal-safe functions until exec.
  std::vector<std::string> all{binary};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    ::close(fd);
    throw std::runtime_error(fmt::format("agent_bench: fork: {}", std::strerror(errno)));
  }
  if (pid_ == 0) {
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  ::close(fd);
}

agent_process::~agent_process() {
  stop(k_stop_timeout_s);
  std::error_code ec;
  std::filesystem::remove(log_path_, ec);
}

bool agent_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
  return pid_ > 0;
}

std::string agent_process::log() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double agent_process::stop(double timeout_s) {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  double start = now_s();
  while (now_s() - start < timeout_s) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return now_s() - start;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  fmt::print(stderr, "agent_bench: berth-agent did not stop within {:.0f} s of SIGTERM; killing it\n", timeout_s);
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

}  // namespace berth::bench
