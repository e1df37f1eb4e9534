#include "node-agent/dns/cluster_dns.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "node-agent/dns/child_process.hpp"
#include "node-agent/dns/dns_wire.hpp"
#include "node-agent/dns/hosts_file.hpp"

namespace berth::agent::dns {

namespace {

constexpr std::uint16_t k_dns_port = 53;
constexpr std::chrono::milliseconds k_start_limit{5000};
constexpr std::chrono::milliseconds k_reload_limit{2000};
constexpr std::chrono::milliseconds k_stop_grace{2000};
constexpr std::chrono::milliseconds k_query_timeout{100};
constexpr std::chrono::milliseconds k_retry_interval{20};

std::vector<std::string> args_of(const std::string& program, const dns_config& c, const std::string& hosts,
                                 const std::string& pid_file) {
  return {program,
          "--keep-in-foreground",
          "--conf-file=/dev/null",
          "--no-resolv",
          "--no-poll",
          "--no-hosts",
          "--listen-address=" + c.listen_ip,
          "--bind-interfaces",
          fmt::format("--port={}", k_dns_port),
          "--addn-hosts=" + hosts,
          "--address=/#/",
          "--pid-file=" + pid_file,
          "--log-facility=-"};
}

// Writes `text` to `path` so that a reader sees the old or the new file, never
// a part: a temp file beside it, then rename(). 0644 whatever the umask, since
// dnsmasq reads it as nobody.
std::string write_atomically(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fmt::format("cannot create {}: {}", tmp, std::strerror(errno));
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return fmt::format("cannot write {} ({} of {} bytes written): {}", tmp, done, text.size(), std::strerror(err));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fchmod(fd, 0644) != 0 || ::close(fd) != 0) {
    return fmt::format("cannot finish {}: {}", tmp, std::strerror(errno));
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    return fmt::format("cannot rename {} to {}: {}", tmp, path, std::strerror(errno));
  }
  return "";
}

std::uint64_t random_generation() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32 | rd()) >> 1;  // room to count up
}

std::string describe(const a_reply& r) {
  if (!r.error.empty()) return r.error;
  return fmt::format("{} with {} address(es)", rcode_name(r.rcode), r.addresses.size());
}

}  // namespace

cluster_dns::cluster_dns(dns_config config) : config_(std::move(config)) {}

cluster_dns::~cluster_dns() {
  if (pid_ != 0) stop_child(pid_, k_stop_grace);
}

std::string cluster_dns::listen_ip() const { return config_.listen_ip; }

std::vector<std::string> cluster_dns::search_path_for(const std::string& namespace_) const {
  return search_path(namespace_, config_.domain);
}

pid_t cluster_dns::pid() const { return pid_; }

std::string cluster_dns::hosts_path() const { return config_.state_dir + "/hosts"; }

std::string cluster_dns::log_path() const { return config_.state_dir + "/dnsmasq.log"; }

const std::string& cluster_dns::stale_note() const { return stale_note_; }

std::string cluster_dns::start() {
  if (pid_ != 0) return fmt::format("dnsmasq already runs (pid {})", pid_);
  if (config_.state_dir.empty()) return "dns_config.state_dir is empty";
  std::string program = find_program(config_.dnsmasq);
  if (program.empty()) {
    return fmt::format(
        "dnsmasq not found (looked for \"{}\" in $PATH, /usr/sbin, /sbin): "
        "install dnsmasq-base (tools/install-deps)",
        config_.dnsmasq);
  }
  std::error_code ec;
  if (std::filesystem::create_directories(config_.state_dir, ec)) {
    std::filesystem::permissions(config_.state_dir, std::filesystem::perms(0755), ec);
  }
  if (ec) return fmt::format("cannot create state directory {}: {}", config_.state_dir, ec.message());

  std::string pid_file = config_.state_dir + "/dnsmasq.pid";
  stale_note_ = stop_stale(pid_file, "--addn-hosts=" + hosts_path(), k_stop_grace);
  // A random first generation: another server on the same address (a second
  // agent) must not answer our marker and pass for our dnsmasq.
  generation_ = random_generation();
  served_ = false;
  if (std::string err = write_hosts(generation_); !err.empty()) return err;

  spawn_result child = spawn_process(args_of(program, config_, hosts_path(), pid_file), log_path());
  if (!child.error.empty()) return child.error;
  pid_ = child.pid;
  if (std::string err = wait_loaded(generation_, k_start_limit); !err.empty()) {
    if (pid_ != 0) stop_child(pid_, k_stop_grace);
    pid_ = 0;
    return err;
  }
  served_ = true;
  return "";
}

std::string cluster_dns::update(const std::vector<model::service>& services,
                                const std::vector<model::endpoints>& endpoints) {
  std::string text = hosts_text(services, config_.domain, endpoints);
  if (served_ && text == text_) return "";
  text_ = std::move(text);
  served_ = false;
  if (pid_ == 0) return "";  // start() writes text_
  if (auto status = try_reap(pid_)) {
    pid_ = 0;
    return exited_error(*status);
  }
  std::uint64_t next = generation_ + 1;
  if (std::string err = write_hosts(next); !err.empty()) return err;
  generation_ = next;
  ::kill(pid_, SIGHUP);
  if (std::string err = wait_loaded(generation_, k_reload_limit); !err.empty()) return err;
  served_ = true;
  return "";
}

std::string cluster_dns::write_hosts(std::uint64_t generation) const {
  // The marker line lets wait_loaded() tell this version of the file from
  // the one before: the same services may map to the same text twice.
  std::string text = text_.empty() ? hosts_text({}, config_.domain) : text_;
  text += fmt::format("{} {}\n", config_.listen_ip, generation_marker(generation, config_.domain));
  return write_atomically(hosts_path(), text);
}

// Asks dnsmasq for this generation's marker until it answers with its own
// address: it then listens, answers, and serves this version of the file.
std::string cluster_dns::wait_loaded(std::uint64_t generation, std::chrono::milliseconds limit) {
  std::string marker = generation_marker(generation, config_.domain);
  auto deadline = std::chrono::steady_clock::now() + limit;
  a_reply last;
  while (true) {
    if (auto status = try_reap(pid_)) {
      pid_ = 0;
      return exited_error(*status);
    }
    last = lookup_a(config_.listen_ip, k_dns_port, marker, k_query_timeout);
    if (last.error.empty() && last.rcode == k_rcode_noerror &&
        std::find(last.addresses.begin(), last.addresses.end(), config_.listen_ip) != last.addresses.end()) {
      return "";
    }
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(k_retry_interval);
  }
  std::string hint = last.error.empty() && last.rcode == k_rcode_nxdomain
                         ? fmt::format("; dnsmasq runs as nobody: can it read {}? (see {})", hosts_path(), log_path())
                         : "";
  return fmt::format("dnsmasq (pid {}) did not answer {} on {}:{} within {} ms (last: {}){}", pid_, marker,
                     config_.listen_ip, k_dns_port, limit.count(), describe(last), hint);
}

std::string cluster_dns::exited_error(int status) const {
  std::string words = last_line(log_path());
  return fmt::format("dnsmasq for {}:{} {}{}{}", config_.listen_ip, k_dns_port, describe_exit(status),
                     words.empty() ? "" : ": ", words);
}

}  // namespace berth::agent::dns
