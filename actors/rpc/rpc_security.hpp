#pragma once
// How a client reaches berthd's Cap'n Proto RPC port: TLS pinning the
// cluster CA (DATA_DIR/ca.crt), or plain TCP with --insecure-rpc. Plain
// values and file reading, no KJ: the CLI's settings code includes it;
// dial.hpp does the connecting.

#include <string>

namespace berth::rpc {

/// How to reach berthd's RPC port.
struct rpc_security {
  bool insecure = false;  // plain TCP: no TLS, nothing verified
  std::string ca_pem;     // the cluster CA certificate to pin (PEM)
  std::string ca_origin;  // where ca_pem came from ("/root/berth-data/ca.crt"), for messages
};

/// Reads the CA certificate at `path` into `s` (ca_origin = path). Returns
/// "" or why not ("cannot read /x/ca.crt: No such file or directory",
/// "/x/ca.crt: not a PEM certificate").
std::string load_ca_file(const std::string& path, rpc_security& s);

/// "h:p" → {h, p}; "[v6]:p" → {v6, p}; "h", "[v6]" or a bare IPv6 literal →
/// port `default_port`.
struct host_port {
  std::string host, port;
};
host_port split_address(const std::string& address, const std::string& default_port = "7420");

/// The name the server certificate must carry for `address` (host:port): the
/// host itself when it is a DNS name; for an IP literal, "berth", a name every
/// berthd serving certificate carries (docs/pki.md), since the pinned CA only
/// signs berthd's certificates.
std::string verification_name(const std::string& address);

}  // namespace berth::rpc
