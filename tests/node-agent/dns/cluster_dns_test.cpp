// cluster_dns with the real dnsmasq, on test addresses 10.96.250.x inside the
// cluster IP range, made local with the same route the agent installs. Runs
// as root (port 53, the route). Every query goes to those local addresses;
// the container check runs busybox on the local Docker with the pod resolver
// configuration pointing at them.

#include <doctest/doctest.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "node-agent/dns/child_process.hpp"
#include "node-agent/dns/cluster_dns.hpp"
#include "node-agent/dns/dns_wire.hpp"
#include "node-agent/dns/hosts_file.hpp"
#include "tests/node-agent/dns/resolver_walk.hpp"

namespace berth::agent::dns {
namespace {

constexpr std::chrono::milliseconds k_timeout{1000};

// `command`'s stdout and stderr, and its exit status.
struct run_result {
  std::string output;
  int status = -1;
};

run_result run(const std::string& command) {
  run_result r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.output.append(buf.data(), n);
  int status = ::pclose(p);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// A state directory under /tmp, readable by dnsmasq's `nobody` (mkdtemp
// makes 0700), removed at the end.
struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/berth-dns-test-XXXXXX";
    REQUIRE(::mkdtemp(tmpl) != nullptr);
    path = tmpl;
    REQUIRE(::chmod(path.c_str(), 0755) == 0);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

void ensure_local_route() { REQUIRE(run("ip route replace local 10.96.0.0/16 dev lo table local").status == 0); }

dns_config config_for(const std::string& ip, const std::string& state_dir) {
  dns_config c;
  c.listen_ip = ip;
  c.state_dir = state_dir;
  return c;
}

model::service svc(const std::string& name, const std::string& ns, const std::string& ip) {
  model::service s;
  s.metadata.name = name;
  s.metadata.namespace_ = ns;
  s.spec.cluster_ip = ip;
  return s;
}

// "NOERROR 10.96.250.50", "NXDOMAIN", or the transport error.
std::string ask(const std::string& server, const std::string& name) {
  a_reply r = lookup_a(server, 53, name, k_timeout);
  if (!r.error.empty()) return r.error;
  std::string out = rcode_name(r.rcode);
  for (const std::string& a : r.addresses) out += " " + a;
  return out;
}

// What a pod in `ns` gets for `name`: the resolver's walk down the search path.
std::string ask_from_pod(const std::string& server, const std::string& ns, const std::string& name) {
  for (const std::string& c : test::resolver_candidates(name, search_path(ns, "cluster.local"), k_ndots)) {
    std::string answer = ask(server, c);
    if (answer != "NXDOMAIN") return c + " " + answer;
  }
  return "NXDOMAIN";
}

std::size_t count_lines_with(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos ? 1 : 0;
  return n;
}

const std::vector<model::service> k_two_namespaces{
    svc("web", "default", "10.96.250.50"), svc("web", "shop", "10.96.250.51"), svc("db", "shop", "10.96.250.52")};

}  // namespace

TEST_CASE("dnsmasq serves exactly the services of the last update") {
  ensure_local_route();
  temp_dir dir;
  cluster_dns dns(config_for("10.96.250.10", dir.path));
  REQUIRE(dns.start() == "");
  CHECK(dns.listen_ip() == "10.96.250.10");
  CHECK(ask("10.96.250.10", "web.default.svc.cluster.local") == "NXDOMAIN");

  REQUIRE(dns.update(k_two_namespaces) == "");
  CHECK(ask("10.96.250.10", "web.default.svc.cluster.local") == "NOERROR 10.96.250.50");
  CHECK(ask("10.96.250.10", "web.shop.svc.cluster.local") == "NOERROR 10.96.250.51");
  CHECK(ask("10.96.250.10", "db.shop.svc.cluster.local") == "NOERROR 10.96.250.52");

  SUBCASE("short forms resolve through the pod's search path, not by themselves") {
    CHECK(ask("10.96.250.10", "web") == "NXDOMAIN");
    CHECK(ask("10.96.250.10", "web.default") == "NXDOMAIN");
    CHECK(ask_from_pod("10.96.250.10", "shop", "web") == "web.shop.svc.cluster.local NOERROR 10.96.250.51");
    CHECK(ask_from_pod("10.96.250.10", "shop", "web.default") == "web.default.svc.cluster.local NOERROR 10.96.250.50");
    CHECK(ask_from_pod("10.96.250.10", "default", "web") == "web.default.svc.cluster.local NOERROR 10.96.250.50");
    CHECK(ask_from_pod("10.96.250.10", "default", "db") == "NXDOMAIN");
  }
  SUBCASE("unknown names are NXDOMAIN, inside and outside the cluster domain") {
    CHECK(ask("10.96.250.10", "nope.default.svc.cluster.local") == "NXDOMAIN");
    CHECK(ask("10.96.250.10", "example.com") == "NXDOMAIN");
  }
  SUBCASE("a service removed by update() stops resolving at once") {
    REQUIRE(dns.update({k_two_namespaces[1], k_two_namespaces[2]}) == "");
    CHECK(ask("10.96.250.10", "web.default.svc.cluster.local") == "NXDOMAIN");
    CHECK(ask("10.96.250.10", "web.shop.svc.cluster.local") == "NOERROR 10.96.250.51");
  }
  SUBCASE("a changed cluster IP is served after update()") {
    REQUIRE(dns.update({svc("web", "default", "10.96.250.60")}) == "");
    CHECK(ask("10.96.250.10", "web.default.svc.cluster.local") == "NOERROR 10.96.250.60");
    CHECK(ask("10.96.250.10", "web.shop.svc.cluster.local") == "NXDOMAIN");
  }
}

TEST_CASE("update() rewrites the file and reloads dnsmasq only when the text changes") {
  ensure_local_route();
  temp_dir dir;
  std::string log;
  std::string hosts;
  {
    cluster_dns dns(config_for("10.96.250.11", dir.path));
    REQUIRE(dns.start() == "");
    log = dns.log_path();
    hosts = dns.hosts_path();
    REQUIRE(dns.update(k_two_namespaces) == "");
    struct stat before {};
    REQUIRE(::stat(hosts.c_str(), &before) == 0);

    std::vector<model::service> reordered{k_two_namespaces[2], k_two_namespaces[0], k_two_namespaces[1]};
    REQUIRE(dns.update(reordered) == "");
    REQUIRE(dns.update(k_two_namespaces) == "");
    struct stat after {};
    REQUIRE(::stat(hosts.c_str(), &after) == 0);
    CHECK(after.st_ino == before.st_ino);  // not replaced by a rename

    REQUIRE(dns.update({k_two_namespaces[0]}) == "");
  }
  // dnsmasq logs each (re)load of the file; its log is complete once it exited.
  CHECK(count_lines_with(log, "read " + hosts + " - ") == 3);  // start, 1st update, last update
}

TEST_CASE("update() before start() is served from the first answer") {
  ensure_local_route();
  temp_dir dir;
  cluster_dns dns(config_for("10.96.250.12", dir.path));
  REQUIRE(dns.update(k_two_namespaces) == "");
  CHECK(dns.pid() == 0);
  REQUIRE(dns.start() == "");
  CHECK(ask("10.96.250.12", "db.shop.svc.cluster.local") == "NOERROR 10.96.250.52");
}

TEST_CASE("the destructor stops dnsmasq and reaps it") {
  ensure_local_route();
  temp_dir dir;
  pid_t pid = 0;
  {
    cluster_dns dns(config_for("10.96.250.13", dir.path));
    REQUIRE(dns.start() == "");
    pid = dns.pid();
    REQUIRE(pid > 0);
    CHECK(process_alive(pid));
  }
  CHECK_FALSE(process_alive(pid));
  errno = 0;
  CHECK(::kill(pid, 0) == -1);  // reaped: not even a zombie is left
  CHECK(errno == ESRCH);
  CHECK(ask("10.96.250.13", "web.default.svc.cluster.local") == "10.96.250.13:53 recv: Connection refused");
}

TEST_CASE("a second server on the same address reports it in use and leaves nothing running") {
  ensure_local_route();
  temp_dir first_dir;
  temp_dir second_dir;
  cluster_dns first(config_for("10.96.250.14", first_dir.path));
  REQUIRE(first.start() == "");
  cluster_dns second(config_for("10.96.250.14", second_dir.path));
  CHECK(second.start() ==
        "dnsmasq for 10.96.250.14:53 exited with status 2: dnsmasq: failed to create "
        "listening socket for 10.96.250.14: Address already in use");
  CHECK(second.pid() == 0);
  CHECK(process_alive(first.pid()));
}

TEST_CASE("start() replaces a dnsmasq left behind by an earlier run with the same state dir") {
  ensure_local_route();
  temp_dir dir;
  cluster_dns crashed(config_for("10.96.250.15", dir.path));  // stands for a killed agent
  REQUIRE(crashed.start() == "");
  pid_t left = crashed.pid();
  cluster_dns restarted(config_for("10.96.250.15", dir.path));
  REQUIRE(restarted.start() == "");
  CHECK(restarted.stale_note() == fmt::format("stopped the dnsmasq (pid {}) left from an earlier run", left));
  CHECK(restarted.pid() != left);
  REQUIRE(restarted.update(k_two_namespaces) == "");
  CHECK(ask("10.96.250.15", "web.shop.svc.cluster.local") == "NOERROR 10.96.250.51");
}

TEST_CASE("update() after dnsmasq died says how it ended, and start() brings it back") {
  ensure_local_route();
  temp_dir dir;
  cluster_dns dns(config_for("10.96.250.16", dir.path));
  REQUIRE(dns.start() == "");
  REQUIRE(::kill(dns.pid(), SIGKILL) == 0);
  std::string err = dns.update(k_two_namespaces);
  CHECK(err.rfind("dnsmasq for 10.96.250.16:53 killed by signal 9: dnsmasq[", 0) == 0);
  CHECK(dns.pid() == 0);
  REQUIRE(dns.start() == "");
  CHECK(ask("10.96.250.16", "web.default.svc.cluster.local") == "NOERROR 10.96.250.50");
}

TEST_CASE("start() errors: no state dir, no dnsmasq, a hosts file dnsmasq cannot read") {
  ensure_local_route();
  CHECK(cluster_dns(config_for("10.96.250.17", "")).start() == "dns_config.state_dir is empty");

  temp_dir dir;
  dns_config missing = config_for("10.96.250.17", dir.path);
  missing.dnsmasq = "/nonexistent/dnsmasq";
  CHECK(cluster_dns(missing).start() ==
        "dnsmasq not found (looked for \"/nonexistent/dnsmasq\" in $PATH, /usr/sbin, /sbin): "
        "install dnsmasq-base (tools/install-deps)");

  // A state dir under a 0700 parent: dnsmasq (as nobody) answers, but from
  // nothing; start() waits its full 5 s for the file to show, then says why.
  REQUIRE(::chmod(dir.path.c_str(), 0700) == 0);
  cluster_dns hidden(config_for("10.96.250.17", dir.path + "/dns"));
  std::string hosts = hidden.hosts_path();
  std::string err = hidden.start();
  std::string tail = fmt::format(
      ".cluster.local on 10.96.250.17:53 within 5000 ms "
      "(last: NXDOMAIN with 0 address(es)); dnsmasq runs as nobody: can it read {}? (see {})",
      hosts, hidden.log_path());
  CHECK(err.rfind("dnsmasq (pid ", 0) == 0);
  CHECK(err.find(") did not answer berth-dns-gen-") != std::string::npos);
  REQUIRE(err.size() > tail.size());
  CHECK(err.substr(err.size() - tail.size()) == tail);
  CHECK(hidden.pid() == 0);
}

TEST_CASE("a container with the pod resolver configuration resolves service names") {
  ensure_local_route();
  if (run("docker image inspect busybox").status != 0) {
    FAIL("the busybox image is missing: tools/test builds it before the tests run");
  }
  temp_dir dir;
  cluster_dns dns(config_for("10.96.250.18", dir.path));
  REQUIRE(dns.start() == "");
  REQUIRE(dns.update(k_two_namespaces) == "");

  std::string resolver;
  for (const std::string& s : dns.search_path_for("shop")) resolver += " --dns-search " + s;
  for (const std::string& o : resolver_options()) resolver += " --dns-opt " + o;
  // busybox's nslookup has its own resolver (it ignores ndots and tries the
  // search list only for names without a dot); `ping` resolves through libc
  // like any application, and prints the address before sending. Its one echo
  // goes to a cluster IP, which is local to this machine.
  run_result r = run(fmt::format(
      "docker run --rm --dns {}{} busybox sh -c "
      "'nslookup web; for n in web web.default db.shop.svc.cluster.local; do ping -c 1 -W 1 $n | head -n 1; done'",
      dns.listen_ip(), resolver));
  CAPTURE(r.output);
  CHECK(r.output.find("Name:\tweb.shop.svc.cluster.local\nAddress: 10.96.250.51\n") != std::string::npos);
  CHECK(r.output.find("PING web (10.96.250.51)") != std::string::npos);
  CHECK(r.output.find("PING web.default (10.96.250.50)") != std::string::npos);
  CHECK(r.output.find("PING db.shop.svc.cluster.local (10.96.250.52)") != std::string::npos);
}

}  // namespace berth::agent::dns
