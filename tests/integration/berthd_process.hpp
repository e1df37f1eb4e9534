#pragma once
// Runs a real berthd as a child process for integration tests: a fresh data
// directory, ports chosen by the kernel (127.0.0.1:0), addresses read back
// from its log, SIGKILL or SIGTERM on demand.

#include <sys/types.h>

#include <functional>
#include <string>
#include <vector>

namespace berth::testing {

class berthd_process {
 public:
  /// `data_dir` is created if missing; `extra` are more berthd flags.
  berthd_process(std::string data_dir, std::vector<std::string> extra = {});
  ~berthd_process();  // SIGKILL if still running

  /// Starts berthd and waits (up to 20 s) until it listens. Throws std::runtime_error with its log on failure.
  void start();
  /// SIGKILL and reap (a crash).
  void kill9();
  /// SIGTERM and reap (a clean stop); returns the exit status.
  int terminate();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  const std::string& rpc_address() const { return rpc_; }
  const std::string& http_address() const { return http_; }
  /// The Kubernetes API's HOST:PORT (HTTPS); "" when berthd serves none.
  const std::string& api_address() const { return api_; }
  std::string admin_token() const;
  std::string node_token() const;
  const std::string& data_dir() const { return dir_; }
  /// The cluster CA clients pin for the RPC port and the API (DATA/ca.crt).
  std::string ca_file() const { return dir_ + "/ca.crt"; }
  std::string log() const;

 private:
  std::string dir_;
  std::vector<std::string> extra_;
  pid_t pid_ = -1;
  std::string rpc_, http_, api_;
  int starts_ = 0;
};

/// A fresh temporary directory under /tmp (removed by the caller if wanted).
std::string make_temp_dir(const std::string& prefix);

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
bool eventually(const std::function<bool()>& condition, double seconds = 20);

}  // namespace berth::testing
