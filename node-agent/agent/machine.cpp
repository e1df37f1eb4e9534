#include "node-agent/agent/machine.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <charconv>
#include <fstream>
#include <sstream>
#include <thread>

namespace berth::agent {
namespace {

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::optional<std::int64_t> parse_meminfo_total(std::string_view meminfo) {
  constexpr std::string_view key = "MemTotal:";
  auto at = meminfo.find(key);
  if (at == std::string_view::npos || (at != 0 && meminfo[at - 1] != '\n')) return std::nullopt;
  auto rest = meminfo.substr(at + key.size());
  auto digits = rest.find_first_not_of(' ');
  if (digits == std::string_view::npos) return std::nullopt;
  rest = rest.substr(digits);
  std::int64_t kib = 0;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), kib);
  if (ec != std::errc{} || std::string_view(end, 3) != " kB") return std::nullopt;
  return kib * 1024;
}

std::string parse_os_release_name(std::string_view os_release) {
  std::string_view rest = os_release;
  while (!rest.empty()) {
    auto nl = rest.find('\n');
    auto line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    if (!starts_with(line, "PRETTY_NAME=")) continue;
    auto value = line.substr(12);
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    return std::string(value);
  }
  return "";
}

std::string primary_ipv4() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "127.0.0.1";
  std::string found;
  for (auto* a = list; a && found.empty(); a = a->ifa_next) {
    if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
    if (!(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK)) continue;
    std::string_view name = a->ifa_name;
    if (name == "docker0" || starts_with(name, "br-") || starts_with(name, "veth") || starts_with(name, "berth"))
      continue;
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text, sizeof text);
    found = text;
  }
  freeifaddrs(list);
  return found.empty() ? "127.0.0.1" : found;
}

node_identity machine_identity() {
  node_identity n;
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  n.name = host;
  n.cpu_millis = std::max(1u, std::thread::hardware_concurrency()) * 1000LL;
  if (auto m = parse_meminfo_total(read_file("/proc/meminfo"))) n.memory_bytes = *m;
  n.os_image = parse_os_release_name(read_file("/etc/os-release"));
  utsname u{};
  if (uname(&u) == 0) {
    n.kernel_version = u.release;
    std::string_view m = u.machine;
    n.architecture = m == "x86_64" ? "amd64" : m == "aarch64" ? "arm64" : std::string(m);
  }
  n.host_ip = primary_ipv4();
  return n;
}

}  // namespace berth::agent
