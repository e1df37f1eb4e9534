#include "tools/bench/api_bench/api_bench.hpp"

#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

/// The parent pid in /proc/PID/stat: the field after the state, after the
/// command name in parentheses (which may itself hold spaces or parentheses).
pid_t parent_of(const std::string& stat) {
  auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream rest(stat.substr(close + 1));
  std::string state;
  long ppid = -1;
  rest >> state >> ppid;
  return static_cast<pid_t>(ppid);
}

/// berthd_process keeps the child's pid to itself, so find it: our child whose
/// command line names our data directory.
pid_t find_child(const std::string& data_dir) {
  DIR* proc = ::opendir("/proc");
  if (!proc) return -1;
  pid_t found = -1;
  while (auto* entry = ::readdir(proc)) {
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (*end != '\0' || pid <= 0) continue;
    auto base = fmt::format("/proc/{}/", pid);
    if (parent_of(read_file(base + "stat")) != ::getpid()) continue;
    auto cmdline = read_file(base + "cmdline");  // arguments separated by NULs
    if (cmdline.find(std::string("\0", 1) + data_dir + std::string("\0", 1)) != std::string::npos) {
      found = static_cast<pid_t>(pid);
      break;
    }
  }
  ::closedir(proc);
  return found;
}

}  // namespace

fresh_berthd::fresh_berthd(const api_options& o) : dir_(testing::make_temp_dir("berth-apibench")) {
  // berthd_process takes the binary from $BERTHD, as meson sets it for tests.
  ::setenv("BERTHD", o.berthd.c_str(), 1);
  process_ = std::make_unique<testing::berthd_process>(dir_);
  process_->start();
  pid_ = find_child(dir_);
  if (pid_ <= 0) fmt::print(stderr, "api_bench: cannot find berthd's pid in /proc; RSS and CPU will read -1\n");
}

fresh_berthd::~fresh_berthd() {
  // SIGTERM: a clean stop, as an operator would; berthd_process reaps it.
  if (process_->running()) process_->terminate();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  std::filesystem::remove(dir_ + ".log", ec);
}

const std::string& fresh_berthd::rpc_address() const { return process_->rpc_address(); }
std::string fresh_berthd::admin_token() const { return process_->admin_token(); }
std::string fresh_berthd::node_token() const { return process_->node_token(); }

double fresh_berthd::peak_rss_mb() const {
  if (pid_ <= 0) return -1;
  auto status = read_file(fmt::format("/proc/{}/status", pid_));
  auto at = status.find("VmHWM:");
  if (at == std::string::npos) return -1;
  std::istringstream line(status.substr(at + 6));
  double kib = 0;
  line >> kib;  // "VmHWM:   123456 kB"
  return kib / 1024.0;
}

double fresh_berthd::cpu_seconds() const {
  if (pid_ <= 0) return -1;
  auto stat = read_file(fmt::format("/proc/{}/stat", pid_));
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
    throw std::runtime_error(fmt::format("api_bench: bad built-in manifest: {}",
                                         r.ok() ? "not one object" : r.errors[0].to_string()));
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace berth::bench
