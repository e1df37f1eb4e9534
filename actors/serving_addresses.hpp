#pragma once
// Which IP addresses berthd's serving certificate names, and what a client
// on this machine dials for a bound address. The certificate covers both TLS
// listeners (--listen for Cap'n Proto RPC, --api-listen for the Kubernetes
// API): a client verifies the address it dialled against it.

#include <string>
#include <vector>

namespace berth::actors {

/// "10.0.0.5:7420" → "10.0.0.5"; "[::1]:7420" → "::1"; ":7420" → "".
std::string host_of(const std::string& address);

/// True for "", "0.0.0.0", "::" and "*": a listen on every interface.
bool is_wildcard_host(const std::string& host);

/// The IP SANs for `listens` (host:port each; "none" entries are skipped):
/// loopback (127.0.0.1, ::1) always, each specific listen IP, and for a
/// wildcard listen every address in `interface_ips` (the machine's own), so
/// that an agent on another host can dial any of them. No duplicates, in
/// first-seen order. Pure.
std::vector<std::string> certificate_ips(const std::vector<std::string>& listens,
                                         const std::vector<std::string>& interface_ips);

/// This machine's IPv4 and IPv6 interface addresses (getifaddrs), without
/// link-local IPv6 (they need a zone, which a certificate cannot name).
std::vector<std::string> local_interface_ips();

/// What a client on this machine dials for a bound address (a wildcard
/// listen is reached on loopback).
std::string client_address(const std::string& bound);

}  // namespace berth::actors
