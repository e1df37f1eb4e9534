#pragma once
// berth::pki — the cluster's certificate authority, as k3s keeps it: on first
// start berthd makes a CA and a serving certificate in its data directory,
//
//   DATA_DIR/ca.crt      0644  the cluster CA (EC P-256, CN berth-ca, 10 years)
//   DATA_DIR/ca.key      0600  its private key
//   DATA_DIR/server.crt  0644  berthd's serving certificate, signed by ca.crt (1 year)
//   DATA_DIR/server.key  0600  its private key
//
// and later starts load them, reissuing only the serving certificate when it
// no longer fits (a SAN asked for is missing, it expires within 30 days, or
// ca.crt did not sign it). docs/pki.md is the operator's view.
//
// Pure library: files and OpenSSL, no actors. OpenSSL stays in the .cpp files.

#include <optional>
#include <string>
#include <vector>

#include "actors/reconcile/result.hpp"

namespace berth::pki {

/// A value or a message naming the file and what was wrong with it.
template <class T>
using result = reconcile::result<T>;

/// The PEM texts berthd serves with, and where they live. A value type.
struct cluster_pki {
  std::string ca_cert_pem, server_cert_pem, server_key_pem;
  std::string ca_cert_path, server_cert_path, server_key_path;
  bool created = false;     // this call wrote files (a new CA, or a new serving certificate)
  bool ca_created = false;  // this call made a new CA: clients pinning the old one must be updated
  std::string
      server_reason;  // why this call issued server.crt ("no server.crt", "missing SAN IP:10.0.0.5"); "" = loaded
};

/// The DNS names every serving certificate carries, besides the caller's.
const std::vector<std::string>& default_dns_sans();

/// Loads DATA_DIR/{ca.crt,ca.key,server.crt,server.key}, creating what is
/// missing (and DATA_DIR itself, mode 0700). The serving certificate's SANs are
/// `ip_sans` (IPv4/IPv6 literals) + default_dns_sans() + `dns_sans`.
///
/// Reissues server.crt/server.key (keeping the CA) when the certificate lacks
/// a requested SAN, expires within 30 days, or does not verify against ca.crt.
/// Makes a new CA when there is none, or only a ca.key (a crash between the
/// two renames). Fails, overwriting nothing, when a file is not PEM, a key
/// does not match its certificate, ca.crt has no ca.key, or ca.crt expired;
/// the message names the file. Files are written to a temporary name, fsynced
/// and renamed, certificate last, so a crash never leaves a pair that blocks
/// the next start.
result<cluster_pki> ensure_cluster_pki(const std::string& data_dir, const std::vector<std::string>& ip_sans,
                                       const std::vector<std::string>& dns_sans);

/// "sha256:<64 hex digits>": the SHA-256 of the certificate's DER
/// SubjectPublicKeyInfo, as kubeadm's --discovery-token-ca-cert-hash. Fails
/// when `ca_cert_pem` holds no certificate.
result<std::string> ca_fingerprint(const std::string& ca_cert_pem);

/// nullopt when `cert_pem` chains to `ca_cert_pem` and is valid now; otherwise
/// why not ("unable to get local issuer certificate", "certificate has expired",
/// "certificate: not PEM ...").
std::optional<std::string> verify_against_ca(const std::string& cert_pem, const std::string& ca_cert_pem);

/// A kubeconfig for kubectl: cluster "berth" at `server_url` trusting
/// `ca_cert_pem`, user "berth-admin" with bearer `token`, context "berth"
/// (namespace default), current.
std::string kubeconfig_text(const std::string& server_url, const std::string& ca_cert_pem, const std::string& token);

/// Writes `text` to `path` atomically (temporary file, fsync, rename) with
/// mode 0600, since it holds a token. nullopt = written, else why not.
std::optional<std::string> write_kubeconfig(const std::string& path, const std::string& text);

}  // namespace berth::pki
