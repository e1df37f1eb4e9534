#include "tests/integration/berthd_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "actors/tokens.hpp"

namespace berth::testing {

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + ".XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

bool eventually(const std::function<bool()>& condition, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

berthd_process::berthd_process(std::string data_dir, std::vector<std::string> extra)
    : dir_(std::move(data_dir)), extra_(std::move(extra)) {}

berthd_process::~berthd_process() {
  if (pid_ > 0) kill9();
}

std::string berthd_process::log() const {
  std::ifstream in(dir_ + ".log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void berthd_process::start() {
  const char* exe = std::getenv("BERTHD");
  if (!exe) throw std::runtime_error("BERTHD is not set (meson passes the path of the berthd binary)");
  std::vector<std::string> args = {exe,           "--data-dir",    dir_,         "--listen", "127.0.0.1:0",
                                   "--http-listen", "127.0.0.1:0", "--api-listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  auto log_path = dir_ + ".log";
  // Each start appends to one log; remember where this start's lines begin.
  std::size_t offset = log().size();
  pid_ = ::fork();
  if (pid_ == 0) {
    FILE* f = std::fopen(log_path.c_str(), "a");
    ::dup2(fileno(f), 2);
    ::dup2(fileno(f), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(exe, argv.data());
    std::_Exit(127);
  }
  ++starts_;
  std::regex listening(R"(RPC on (\S+), HTTP on (\S+), API on (\S+),)");
  bool ok = eventually([&] {
    auto text = log().substr(offset);
    std::smatch m;
    if (!std::regex_search(text, m, listening)) return false;
    rpc_ = m[1];
    http_ = m[2];
    api_ = m[3].str().rfind("https://", 0) == 0 ? m[3].str().substr(8) : "";
    return true;
  });
  if (!ok) {
    kill9();
    throw std::runtime_error("berthd did not start; its log:\n" + log());
  }
}

void berthd_process::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

int berthd_process::terminate() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string berthd_process::admin_token() const {
  std::string error;
  return actors::read_token_file(dir_ + "/admin.token", error);
}

std::string berthd_process::node_token() const {
  std::string error;
  return actors::read_token_file(dir_ + "/node.token", error);
}

}  // namespace berth::testing
