#pragma once
// Join tokens that pin the cluster CA, and finding that CA over the network,
// so that an agent on another machine needs one string, not a copied file
// (k3s's "K10" tokens; the hash is kubeadm's --discovery-token-ca-cert-hash):
//
//   K10<64 hex digits>::<node token>
//
// The hex is the SHA-256 of the CA certificate's DER SubjectPublicKeyInfo
// (ca_fingerprint without "sha256:"). berthd writes DATA_DIR/join-token.
//
// The agent dials berthd, runs a TLS handshake that trusts nothing yet, and
// takes from the chain berthd sends (its serving certificate, then the CA)
// the certificate whose key has that hash; it then checks that the serving
// certificate chains to it. A man in the middle cannot produce a certificate
// with the hash of berthd's CA key, so the CA found is berthd's, and every
// later connection pins it. Pure std interface; OpenSSL stays in join.cpp.

#include <optional>
#include <string>

#include "actors/pki/pki.hpp"

namespace berth::pki {

/// A parsed join token.
struct join_token {
  std::string ca_fingerprint;  // "sha256:<64 hex>"; "" for a plain node token
  std::string secret;          // the node token berthd's join() checks
};

/// "K10<hex>::<secret>" → both parts; anything else is a plain node token
/// (no pin). Fails, naming the problem, on a K10 token with a malformed hash
/// ("join token: expected 64 hex digits after K10, got 12") or no secret.
result<join_token> parse_join_token(const std::string& text);

/// The K10 form of `node_token` pinning `ca_cert_pem`.
result<std::string> make_join_token(const std::string& ca_cert_pem, const std::string& node_token);

/// Writes `token` (and a newline) to `path` atomically with mode 0600: it
/// lets a node join. nullopt = written, else why not.
std::optional<std::string> write_join_token(const std::string& path, const std::string& token);

/// Connects to `host`:`port` (blocking, `timeout_ms` for connect and the
/// handshake), and returns the PEM of the certificate in the server's chain
/// whose public key hash is `ca_fingerprint`, once the server's own
/// certificate verifies against it. Fails with a message naming the server,
/// the hash expected and the hashes seen.
result<std::string> discover_ca(const std::string& host, const std::string& port, const std::string& ca_fingerprint,
                                int timeout_ms = 10'000);

}  // namespace berth::pki
