#pragma once
// Making the cluster IP range local to this machine (see service_proxy.hpp for
// why a `local` route and not addresses on an interface). Internal to
// node-agent/proxy.

#include <string>

namespace berth::agent::proxy {

/// Runs `ip route replace local <cidr> dev lo table local` (the first of
/// /sbin/ip, /usr/sbin/ip, /bin/ip, /usr/bin/ip that exists), waiting for it.
/// Idempotent. Returns "" on success, otherwise the command and what went
/// wrong: the CIDR is invalid, no `ip` binary, or its exit status with stderr.
std::string route_cidr_locally(const std::string& cidr);

}  // namespace berth::agent::proxy
