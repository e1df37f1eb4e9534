#pragma once
// Private to actors/pki: the certificate work behind ensure_cluster_pki, on
// PEM texts so that no OpenSSL type leaves x509.cpp. Every function is pure
// apart from the random numbers keys and serials need; `now` is explicit.

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "actors/pki/pki.hpp"

namespace berth::pki {

/// A private key and the certificate for it, both PEM.
struct key_and_cert {
  std::string key_pem, cert_pem;
};

/// A self-signed CA: EC P-256, CN berth-ca, CA:TRUE (critical), keyCertSign
/// and cRLSign, valid from an hour before `now` for 10 years.
result<key_and_cert> make_ca(std::time_t now);

/// A serving certificate signed by `ca`: a new P-256 key, CN berth-apiserver,
/// SANs `ip_sans` + `dns_sans` (in that order), serverAuth and clientAuth, a
/// random 128-bit serial, valid from an hour before `now` for a year. Fails
/// when a SAN is not an IP literal / a DNS name (check_sans).
result<key_and_cert> make_server(const key_and_cert& ca, const std::vector<std::string>& ip_sans,
                                 const std::vector<std::string>& dns_sans, std::time_t now);

/// nullopt when every entry of `ip_sans` is an IPv4/IPv6 literal and every
/// entry of `dns_sans` a DNS name (letters, digits, '-', '.', a leading "*.");
/// otherwise the first that is not.
std::optional<std::string> check_sans(const std::vector<std::string>& ip_sans,
                                      const std::vector<std::string>& dns_sans);

/// nullopt when `pem` starts with a PEM certificate, else what is wrong.
std::optional<std::string> why_not_certificate(const std::string& pem);

/// nullopt when `pem` starts with a self-signed CA certificate (CA:TRUE, its
/// signature verifying with its own key), else what is wrong. A byte changed
/// in a certificate often still parses; the signature is what catches it.
std::optional<std::string> why_not_ca_certificate(const std::string& pem);

/// nullopt when `pem` holds an unencrypted PEM private key, else what is wrong.
std::optional<std::string> why_not_private_key(const std::string& pem);

/// True when `key_pem` is the private key of `cert_pem`'s public key.
bool key_matches(const std::string& cert_pem, const std::string& key_pem);

/// The time `cert_pem` stops being valid, "2035-01-31 12:00:00 UTC", when that
/// is before `at`; nullopt when it is still valid then.
std::optional<std::string> expired_at(const std::string& cert_pem, std::time_t at);

/// Why the serving certificate `cert_pem` must be reissued at `now`, or
/// nullopt when it fits: not signed by `ca_cert_pem`, expiring within 30
/// days, or missing one of the SANs asked for.
std::optional<std::string> why_reissue(const std::string& cert_pem, const std::string& ca_cert_pem,
                                       const std::vector<std::string>& ip_sans,
                                       const std::vector<std::string>& dns_sans, std::time_t now);

}  // namespace berth::pki
