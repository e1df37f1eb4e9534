#pragma once
// Cluster DNS on one node: a Debian dnsmasq, run by the agent as a child,
// answering `<svc>.<ns>.svc.<domain>` with the service's cluster IP from a
// hosts file the agent rewrites whenever the services change (the job of
// kube-dns in Kubernetes 1.x, without SkyDNS and etcd in between).
//
// dnsmasq runs with (see args_of in cluster_dns.cpp):
//   --keep-in-foreground        stays our child: we reap it, and it dies with
//                               our destructor instead of daemonizing
//   --conf-file=/dev/null       ignores /etc/dnsmasq.conf and /etc/dnsmasq.d
//   --no-resolv --no-poll       no upstream servers at all: no query ever
//                               leaves the machine (the project's traffic rule)
//   --no-hosts                  /etc/hosts is the node's business, not the pods'
//   --listen-address=IP
//   --bind-interfaces           binds IP:53 itself (UDP and TCP) instead of the
//                               wildcard. The cluster DNS address is on no
//                               interface: it is inside the cluster IP range the
//                               agent makes local with `ip route replace local
//                               <range> dev lo table local`, and binding such an
//                               address works (checked with dnsmasq 2.90, as
//                               does --bind-dynamic, which would only add
//                               rescans on every veth Docker creates). Another
//                               agent already serving IP:53 makes it fail at
//                               once with "Address already in use".
//   --port=53
//   --addn-hosts=FILE           the services (hosts_file.hpp); re-read on SIGHUP
//   --address=/#/               NXDOMAIN for every name not in FILE. Without it
//                               a name outside the cluster domain (and an AAAA
//                               query for a service name) gets REFUSED, and a
//                               glibc resolver stops walking its search path at
//                               a REFUSED; with it an unknown name is NXDOMAIN
//                               and a service's AAAA is an empty NOERROR.
//   --pid-file=STATE/dnsmasq.pid  lets the next start stop a dnsmasq left by a
//                               crashed agent (see start())
//   --log-facility=-            log to stderr, which goes to STATE/dnsmasq.log
// dnsmasq drops root for `nobody` after binding: FILE must be readable by it
// (start() makes the state directory 0755 when it creates it, and writes the
// file 0644; a state directory under a 0700 parent shows up as a start error).
// The file also holds one marker line, `<IP> berth-dns-gen-<N>.<domain>`, N
// new with every version: start() and update() query it to know that dnsmasq
// answers from the version just written (a reload is asynchronous otherwise).
// Answers carry TTL 0 (dnsmasq's default for local data), so a removed service
// is gone for clients at once.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent::dns {

/// Where and how cluster DNS runs.
struct dns_config {
  std::string listen_ip = "10.96.0.10";  ///< inside the locally routed cluster IP range
  std::string domain = "cluster.local";
  std::string dnsmasq = "dnsmasq";  ///< a path, or a name looked up in $PATH, /usr/sbin, /sbin
  std::string state_dir;            ///< required: hosts file, pid file, dnsmasq's log
};

/// One dnsmasq child serving the services of this node's view of the cluster.
/// A resource owned by one owner (the agent's main wiring); not thread-safe:
/// call start(), update() and the destructor from one thread at a time. Every
/// call blocks for at most a few seconds (start: 5 s, update: 2 s, stop: 2 s).
class cluster_dns {
 public:
  /// Does nothing yet: start() does the work.
  explicit cluster_dns(dns_config config);
  /// Stops dnsmasq (SIGTERM, SIGKILL 2 s later) and reaps it.
  ~cluster_dns();
  cluster_dns(const cluster_dns&) = delete;
  cluster_dns& operator=(const cluster_dns&) = delete;

  /// Writes the hosts file (the services of an earlier update(), else none),
  /// stops a dnsmasq left by an earlier run with the same state directory,
  /// starts dnsmasq and waits until it answers on listen_ip:53 from that file.
  /// Returns "" or why not, with dnsmasq's own last words when it exited (e.g.
  /// "... failed to create listening socket for 10.96.0.10: Address already in
  /// use" when another agent on the machine serves DNS). After an error
  /// nothing runs and start() may be called again.
  std::string start();

  /// Makes DNS serve exactly `services` (hosts_text; `endpoints` give the
  /// addresses of headless services): when the text differs
  /// from what dnsmasq serves, writes it atomically (temp file + rename),
  /// sends SIGHUP and waits until dnsmasq answers from the new file, so that
  /// a name is gone (or there) for every client once update() returns.
  /// Returns "" or why not: the file could not be written, dnsmasq has exited
  /// (with how), or it did not load the file in time. After an error the next
  /// update() tries again even with the same services. Before start(): only
  /// remembers the services.
  std::string update(const std::vector<model::service>& services, const std::vector<model::endpoints>& endpoints = {});

  /// The address DNS answers on: what pods get as their nameserver.
  std::string listen_ip() const;
  /// The resolver search path of a pod in `namespace_` (hosts_file.hpp).
  std::vector<std::string> search_path_for(const std::string& namespace_) const;
  /// The pid of the running dnsmasq, 0 when none.
  pid_t pid() const;
  /// The hosts file dnsmasq reads.
  std::string hosts_path() const;
  /// dnsmasq's stdout and stderr (truncated at each start).
  std::string log_path() const;
  /// What start() did about a dnsmasq left by an earlier run ("" if nothing).
  const std::string& stale_note() const;

 private:
  std::string write_hosts(std::uint64_t generation) const;
  std::string wait_loaded(std::uint64_t generation, std::chrono::milliseconds limit);
  std::string exited_error(int status) const;

  dns_config config_;
  std::string text_;              ///< hosts_text of the last update()
  bool served_ = false;           ///< dnsmasq has loaded text_
  std::uint64_t generation_ = 0;  ///< of the file dnsmasq was last told to load
  pid_t pid_ = 0;
  std::string stale_note_;
};

}  // namespace berth::agent::dns
