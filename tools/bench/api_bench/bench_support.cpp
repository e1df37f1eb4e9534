#include "tools/bench/api_bench/bench_support.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "actors/manifest/decode.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::bench {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

fresh_berthd::fresh_berthd(const std::string& berthd_path, std::vector<std::string> extra_args)
    : dir_(testing::make_temp_dir("berth-apibench")) {
  // berthd_process takes the binary from $BERTHD, as meson sets it for tests.
  ::setenv("BERTHD", berthd_path.c_str(), 1);
  process_ = std::make_unique<testing::berthd_process>(dir_, std::move(extra_args));
  try {
    process_->start();  // its error carries berthd's log
  } catch (...) {
    remove_files();
    throw;
  }
}

fresh_berthd::~fresh_berthd() {
  stop(k_stop_timeout_s);
  remove_files();
}

double fresh_berthd::stop(double timeout_s) {
  if (!process_->running()) return -1;
  auto stat_path = fmt::format("/proc/{}/stat", pid());
  ::kill(pid(), SIGTERM);
  double start = now_s(), took = -1;
  // An exited child stays a zombie (state Z) until berthd_process reaps it.
  while (now_s() - start < timeout_s) {
    auto stat = read_file(stat_path);
    auto close = stat.rfind(')');
    if (close == std::string::npos || stat.compare(close + 1, 2, " Z") == 0) {
      took = now_s() - start;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (took < 0) fmt::print(stderr, "bench: berthd did not stop within {:.0f} s of SIGTERM; killing it\n", timeout_s);
  process_->kill9();  // reaps the zombie, or ends a berthd still busy
  return took;
}

void fresh_berthd::remove_files() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::remove(dir_ + ".log", ec);
}

pid_t fresh_berthd::pid() const { return process_->pid(); }

const std::string& fresh_berthd::rpc_address() const { return process_->rpc_address(); }
const std::string& fresh_berthd::api_address() const { return process_->api_address(); }
rpc::rpc_security fresh_berthd::security() const {
  rpc::rpc_security s;
  s.ca_pem = ca_pem();
  s.ca_origin = dir_ + "/ca.crt";
  return s;
}

std::string fresh_berthd::ca_pem() const {
  std::ifstream in(dir_ + "/ca.crt");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
std::string fresh_berthd::admin_token() const { return process_->admin_token(); }
std::string fresh_berthd::node_token() const { return process_->node_token(); }
std::string fresh_berthd::node_token_file() const { return dir_ + "/node.token"; }

double fresh_berthd::peak_rss_mb() const { return bench::peak_rss_mb(pid()); }

double fresh_berthd::cpu_seconds() const { return bench::cpu_seconds(pid()); }

double peak_rss_mb(pid_t pid) {
  if (pid <= 0) return -1;
  auto status = read_file(fmt::format("/proc/{}/status", pid));
  auto at = status.find("VmHWM:");
  if (at == std::string::npos) return -1;
  std::istringstream line(status.substr(at + 6));
  double kib = 0;
  line >> kib;  // "VmHWM:   123456 kB"
  return kib / 1024.0;
}

double cpu_seconds(pid_t pid) {
  if (pid <= 0) return -1;
  auto stat = read_file(fmt::format("/proc/{}/stat", pid));
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  // After ")": state is field 3; utime and stime are fields 14 and 15.
  std::istringstream rest(stat.substr(close + 1));
  std::string field;
  double utime = 0, stime = 0;
  for (int f = 3; f <= 15 && rest >> field; ++f) {
    if (f == 14) utime = std::stod(field);
    if (f == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

double percentile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  // Nearest rank: the smallest sample with at least q of the samples at or below it.
  auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(samples.size())));
  return samples[std::min(samples.size(), std::max<std::size_t>(rank, 1)) - 1];
}

actors::any_object decode_one(const std::string& yaml) {
  auto r = manifest::decode_manifests(yaml, "api_bench");
  if (!r.ok() || r.objects.size() != 1)
    throw std::runtime_error(
        fmt::format("api_bench: bad built-in manifest: {}", r.ok() ? "not one object" : r.errors[0].to_string()));
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

}  // namespace berth::bench
