#pragma once
// What the node agent reads from the machine it runs on, to register its node:
// capacity (cpus, memory), its address, OS and kernel. The parsers are pure
// (tested on sample files); machine_identity() reads the real files.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "node-agent/agent/node_session.hpp"

namespace berth::agent {

/// MemTotal from /proc/meminfo text, in bytes; nullopt when absent or malformed.
std::optional<std::int64_t> parse_meminfo_total(std::string_view meminfo);

/// PRETTY_NAME from /etc/os-release text (quotes removed); "" when absent.
std::string parse_os_release_name(std::string_view os_release);

/// The first IPv4 address of an interface that is up, not loopback and not a
/// container bridge or veth (docker0, br-*, veth*); "127.0.0.1" when none.
std::string primary_ipv4();

/// The node as this machine would register it (name and labels are the caller's).
node_identity machine_identity();

}  // namespace berth::agent
