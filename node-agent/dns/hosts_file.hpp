#pragma once
// What cluster DNS serves, without the I/O: the dnsmasq hosts file made from
// the services, and the resolver configuration every pod gets.
//
// Why the hosts file holds only fully qualified names
// ---------------------------------------------------
// A service `web` in namespace `shop` must answer to `web` from a pod in
// `shop`, to `web.shop` from any pod, and to `web.shop.svc.<domain>` from
// anywhere. A bare `web` means a different service in each namespace, which
// one flat hosts file cannot say. The client's resolver can: a pod in `shop`
// gets the search path `shop.svc.<domain> svc.<domain> <domain>` with
// `ndots:5` (as Kubernetes 1.x did), so
//
//   web                   -> web.shop.svc.<domain>            (1st search entry)
//   web.other             -> web.other.shop.svc.<domain> NXDOMAIN,
//                            web.other.svc.<domain>           (2nd search entry)
//   web.shop.svc.<domain> -> tried with the search entries first (4 dots < 5),
//                            all NXDOMAIN, then as given.
//
// Every short form therefore becomes `<svc>.<ns>.svc.<domain>` on the client,
// and that is the only name the server needs. Adding `<svc>.<ns>` lines would
// make the server answer two-label names outside the cluster domain: a
// namespace called `com` would capture `*.com` for every client of the server,
// including those that never asked for the cluster search path. It is also
// unnecessary for resolvers with the default `ndots:1`: they try `web.shop`
// as given first, get NXDOMAIN (the server answers NXDOMAIN for every name it
// does not hold, see cluster_dns.hpp), and go on down the search path.

#include <cstdint>
#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent::dns {

/// The `ndots` resolver option pods get: 5, as Kubernetes, so that every name
/// with fewer than 5 dots (all the short service forms and the 4-dot FQDN of
/// `cluster.local`) is tried with the search path first.
inline constexpr int k_ndots = 5;

/// The fully qualified name of a service: `<svc>.<ns>.svc.<domain>`. An empty
/// namespace counts as "default" (the API server's default).
std::string service_fqdn(const model::service& svc, const std::string& domain);

/// The dnsmasq `--addn-hosts` file for `services`: a comment header, then one
/// line `<cluster IP> <svc>.<ns>.svc.<domain>` per service, sorted by name
/// and address so that the same set in any order gives the same text (the
/// caller reloads dnsmasq only when the text changes). A headless service
/// (`clusterIP: None`) gets one line per ready address of its endpoints in
/// `endpoints` (same namespace and name), so its name resolves to its pods
/// themselves, as Kubernetes' DNS does; none ready, no line (NXDOMAIN). Left
/// out: services with an empty cluster IP (not allocated), an address that is
/// not an IPv4 or IPv6 literal, a name or namespace that is not a DNS label
/// (lowercase letters, digits, '-', 1 to 63 characters; berthd validates this,
/// the check only keeps the file's syntax safe), and a second service with the
/// same name (the one with the lower IP stays; a cluster IP wins over a
/// headless one).
std::string hosts_text(const std::vector<model::service>& services, const std::string& domain,
                       const std::vector<model::endpoints>& endpoints = {});

/// The resolver search path of a pod in `namespace_`:
/// `{<ns>.svc.<domain>, svc.<domain>, <domain>}`. An empty namespace counts as
/// "default".
std::vector<std::string> search_path(const std::string& namespace_, const std::string& domain);

/// The resolver options of a pod (Docker's `HostConfig.DnsOptions`):
/// `{"ndots:5"}`.
std::vector<std::string> resolver_options();

/// The name cluster_dns adds to the hosts file it writes, resolving to the
/// DNS server's own address, to learn that dnsmasq has loaded a given version
/// of the file: `berth-dns-gen-<generation>.<domain>`. It cannot collide with
/// a service, whose names all end in `.svc.<domain>`. cluster_dns starts the
/// generations at a random number, so that another server on the same
/// address never answers for its dnsmasq.
std::string generation_marker(std::uint64_t generation, const std::string& domain);

/// True when `label` is a DNS label as Kubernetes names are (RFC 1123):
/// 1 to 63 of [a-z0-9-], not starting or ending with '-'.
bool is_dns_label(const std::string& label);

}  // namespace berth::agent::dns
