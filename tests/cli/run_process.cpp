#include "tests/cli/run_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace berth::testing {
namespace {

std::string make_dir() {
  std::string pattern = "/tmp/berth-cli-run-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// This process's environment with `env` applied (empty value: removed).
std::vector<std::string> environment_with(const std::map<std::string, std::string>& env) {
  std::vector<std::string> out;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (env.count(entry.substr(0, entry.find('='))) == 0) out.push_back(entry);
  }
  for (const auto& [k, v] : env) {
    if (!v.empty()) out.push_back(k + "=" + v);
  }
  return out;
}

/// fork + execve with stdin/stdout/stderr redirected to files in `dir`. Every
/// allocation happens before fork: the test process has other threads.
pid_t spawn(const std::string& program, const std::vector<std::string>& args,
            const std::map<std::string, std::string>& env, const std::string& dir) {
  auto environment = environment_with(env);
  std::vector<char*> envp;
  for (auto& e : environment) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::string in_path = dir + "/stdin", out_path = dir + "/stdout", err_path = dir + "/stderr";
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid > 0) return pid;
  int in = ::open(in_path.c_str(), O_RDONLY | O_CREAT, 0600);
  int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  ::execve(program.c_str(), argv.data(), envp.data());
  ::_exit(127);
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {}
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

process_result run_process(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env, const std::string& stdin_text) {
  std::string dir = make_dir();
  std::ofstream(dir + "/stdin", std::ios::binary) << stdin_text;
  process_result r;
  r.exit_code = wait_for(spawn(program, args, env, dir));
  r.out = slurp(dir + "/stdout");
  r.err = slurp(dir + "/stderr");
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return r;
}

background_process::background_process(const std::string& program, const std::vector<std::string>& args,
                                       const std::map<std::string, std::string>& env)
    : dir_(make_dir()) {
  pid_ = spawn(program, args, env, dir_);
}

background_process::~background_process() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    wait_for(pid_);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string background_process::out() const { return slurp(dir_ + "/stdout"); }

std::string background_process::err() const { return slurp(dir_ + "/stderr"); }

void background_process::signal(int sig) {
  if (pid_ > 0) ::kill(pid_, sig);
}

bool background_process::running() {
  if (pid_ <= 0) return false;
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return true;
  pid_ = -1;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return false;
}

std::string background_process::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGCONT);  // a stopped process would never see the SIGTERM
    wait_for(pid_);
    pid_ = -1;
  }
  return out();
}

}  // namespace berth::testing
