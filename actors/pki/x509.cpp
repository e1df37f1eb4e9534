#include "actors/pki/x509.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "actors/pki/openssl_util.hpp"

namespace berth::pki {

std::string openssl_errors(const char* if_none) {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? if_none : out;
}

namespace {

constexpr long k_backdate_seconds = 3600;  // tolerate an hour of clock skew between nodes
constexpr int k_ca_days = 3650;
constexpr int k_server_days = 365;
constexpr std::time_t k_renew_before_seconds = 30L * 24 * 3600;

using bio_ptr = std::unique_ptr<BIO, free_with<BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, free_with<X509_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, free_with<EVP_PKEY_free>>;
using pkey_ctx_ptr = std::unique_ptr<EVP_PKEY_CTX, free_with<EVP_PKEY_CTX_free>>;
using bn_ptr = std::unique_ptr<BIGNUM, free_with<BN_free>>;
using ext_ptr = std::unique_ptr<X509_EXTENSION, free_with<X509_EXTENSION_free>>;
using names_ptr = std::unique_ptr<GENERAL_NAMES, free_with<GENERAL_NAMES_free>>;
using octets_ptr = std::unique_ptr<ASN1_OCTET_STRING, free_with<ASN1_OCTET_STRING_free>>;
using store_ptr = std::unique_ptr<X509_STORE, free_with<X509_STORE_free>>;
using store_ctx_ptr = std::unique_ptr<X509_STORE_CTX, free_with<X509_STORE_CTX_free>>;

bio_ptr read_bio(const std::string& text) {
  return bio_ptr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

x509_ptr parse_cert(const std::string& pem) {
  auto bio = read_bio(pem);
  return x509_ptr(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
}

// Without a callback OpenSSL would prompt on the terminal for an encrypted
// key's passphrase; berthd has nobody to ask, so such a key fails to load.
int no_passphrase(char*, int, int, void*) { return -1; }

pkey_ptr parse_key(const std::string& pem) {
  auto bio = read_bio(pem);
  return pkey_ptr(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr) : nullptr);
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

result<pkey_ptr> new_p256_key() {
  pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0 || EVP_PKEY_CTX_set_group_name(ctx.get(), "P-256") <= 0 ||
      EVP_PKEY_generate(ctx.get(), &key) <= 0)
    return result<pkey_ptr>::failure("generate a P-256 key: " + openssl_errors());
  return result<pkey_ptr>::success(pkey_ptr(key));
}

/// A 128-bit random serial, as Go's crypto/x509 users pick them.
bool set_random_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return false;
  bn_ptr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  return bn && BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr;
}

/// Version 3, serial, subject CN, validity; the issuer and extensions are the caller's.
bool set_basics(X509* cert, const char* common_name, EVP_PKEY* key, int days, std::time_t now) {
  X509_NAME* name = X509_get_subject_name(cert);
  const auto* cn = reinterpret_cast<const unsigned char*>(common_name);
  return X509_set_version(cert, X509_VERSION_3) == 1 && set_random_serial(cert) &&
         X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, cn, -1, -1, 0) == 1 &&
         X509_time_adj_ex(X509_getm_notBefore(cert), 0, -k_backdate_seconds, &now) != nullptr &&
         X509_time_adj_ex(X509_getm_notAfter(cert), days, 0, &now) != nullptr && X509_set_pubkey(cert, key) == 1;
}

/// Adds an extension written in openssl.cnf's syntax; only constant texts go here.
bool add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ext_ptr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// SANs are built as ASN.1 values, not as a config string: a caller's name
// could otherwise smuggle in ",IP:..." entries.
/// Appends a name of `type` (GEN_DNS, GEN_IPADD), taking `value`; false when out of memory.
bool push_name(GENERAL_NAMES* names, int type, ASN1_STRING* value) {
  if (!value) return false;
  GENERAL_NAME* gn = GENERAL_NAME_new();
  if (!gn) {
    ASN1_STRING_free(value);
    return false;
  }
  GENERAL_NAME_set0_value(gn, type, value);
  if (sk_GENERAL_NAME_push(names, gn) > 0) return true;
  GENERAL_NAME_free(gn);
  return false;
}

ASN1_STRING* ia5_string(const std::string& text) {
  ASN1_STRING* s = ASN1_IA5STRING_new();
  if (s && ASN1_STRING_set(s, text.data(), static_cast<int>(text.size())) == 1) return s;
  ASN1_STRING_free(s);
  return nullptr;
}

bool add_sans(X509* cert, const std::vector<std::string>& ip_sans, const std::vector<std::string>& dns_sans) {
  names_ptr names(GENERAL_NAMES_new());
  if (!names) return false;
  for (const auto& ip : ip_sans)
    if (!push_name(names.get(), GEN_IPADD, a2i_IPADDRESS(ip.c_str()))) return false;
  for (const auto& dns : dns_sans)
    if (!push_name(names.get(), GEN_DNS, ia5_string(dns))) return false;
  return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) == 1;
}

result<key_and_cert> to_pem(EVP_PKEY* key, X509* cert) {
  bio_ptr key_bio(BIO_new(BIO_s_mem())), cert_bio(BIO_new(BIO_s_mem()));
  if (!key_bio || !cert_bio ||
      PEM_write_bio_PrivateKey(key_bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      PEM_write_bio_X509(cert_bio.get(), cert) != 1)
    return result<key_and_cert>::failure("write PEM: " + openssl_errors());
  return result<key_and_cert>::success({bio_text(key_bio.get()), bio_text(cert_bio.get())});
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool is_dns_name(const std::string& s) {
  if (s.empty() || s.size() > 253 || s.front() == '.' || s.back() == '.') return false;
  const std::size_t start = s.rfind("*.", 0) == 0 ? 2 : 0;
  return start < s.size() && std::all_of(s.begin() + static_cast<long>(start), s.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
         });
}

/// The SANs a certificate carries: "dns:<lowercase name>" and "ip:<address bytes>".
std::set<std::string> sans_of(X509* cert) {
  std::set<std::string> out;
  names_ptr names(static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(gn, &type));
    const std::string bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(value)),
                            static_cast<std::size_t>(ASN1_STRING_length(value)));
    if (type == GEN_DNS) out.insert("dns:" + lower(bytes));
    if (type == GEN_IPADD) out.insert("ip:" + bytes);
  }
  return out;
}

/// The first SAN asked for that `cert` lacks, as "IP:10.0.0.5" / "DNS:berth".
std::optional<std::string> missing_san(X509* cert, const std::vector<std::string>& ip_sans,
                                       const std::vector<std::string>& dns_sans) {
  const auto have = sans_of(cert);
  for (const auto& ip : ip_sans) {
    octets_ptr bytes(a2i_IPADDRESS(ip.c_str()));
    const auto* data = bytes ? reinterpret_cast<const char*>(ASN1_STRING_get0_data(bytes.get())) : "";
    const std::size_t n = bytes ? static_cast<std::size_t>(ASN1_STRING_length(bytes.get())) : 0;
    if (!have.count("ip:" + std::string(data, n))) return "IP:" + ip;
  }
  for (const auto& dns : dns_sans)
    if (!have.count("dns:" + lower(dns))) return "DNS:" + dns;
  return std::nullopt;
}

std::string utc_text(const ASN1_TIME* t) {
  std::tm tm{};
  if (ASN1_TIME_to_tm(t, &tm) != 1) return "an unreadable time";
  return fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/// nullopt when `cert` chains to `ca` at time `at`, else OpenSSL's reason.
std::optional<std::string> verify_at(X509* cert, X509* ca, std::time_t at) {
  store_ptr store(X509_STORE_new());
  store_ctx_ptr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1)
    return "set up verification: " + openssl_errors();
  X509_STORE_CTX_set_time(ctx.get(), 0, at);
  if (X509_verify_cert(ctx.get()) == 1) return std::nullopt;
  ERR_clear_error();
  return std::string(X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
}

}  // namespace

result<key_and_cert> make_ca(std::time_t now) {
  auto key = new_p256_key();
  if (!key.ok()) return result<key_and_cert>::failure(key.error());
  EVP_PKEY* k = key.value().get();
  x509_ptr cert(X509_new());
  if (!cert || !set_basics(cert.get(), "berth-ca", k, k_ca_days, now) ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1 ||
      !add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE") ||
      !add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign") ||
      !add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash") ||
      X509_sign(cert.get(), k, EVP_sha256()) == 0)
    return result<key_and_cert>::failure("make the CA certificate: " + openssl_errors());
  return to_pem(k, cert.get());
}

result<key_and_cert> make_server(const key_and_cert& ca, const std::vector<std::string>& ip_sans,
                                 const std::vector<std::string>& dns_sans, std::time_t now) {
  if (auto bad = check_sans(ip_sans, dns_sans)) return result<key_and_cert>::failure(*bad);
  x509_ptr ca_cert = parse_cert(ca.cert_pem);
  pkey_ptr ca_key = parse_key(ca.key_pem);
  if (!ca_cert || !ca_key) return result<key_and_cert>::failure("load the CA: " + openssl_errors());
  auto key = new_p256_key();
  if (!key.ok()) return result<key_and_cert>::failure(key.error());
  EVP_PKEY* k = key.value().get();
  x509_ptr cert(X509_new());
  if (!cert || !set_basics(cert.get(), "berth-apiserver", k, k_server_days, now) ||
      X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1 ||
      !add_ext(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
      !add_ext(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature") ||
      !add_ext(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth,clientAuth") ||
      !add_ext(cert.get(), ca_cert.get(), NID_subject_key_identifier, "hash") ||
      !add_ext(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always") ||
      !add_sans(cert.get(), ip_sans, dns_sans) || X509_sign(cert.get(), ca_key.get(), EVP_sha256()) == 0)
    return result<key_and_cert>::failure("make the serving certificate: " + openssl_errors());
  return to_pem(k, cert.get());
}

std::optional<std::string> check_sans(const std::vector<std::string>& ip_sans,
                                      const std::vector<std::string>& dns_sans) {
  for (const auto& ip : ip_sans) {
    octets_ptr bytes(a2i_IPADDRESS(ip.c_str()));
    ERR_clear_error();
    if (!bytes) return fmt::format("IP SAN \"{}\" is not an IPv4 or IPv6 address", ip);
  }
  for (const auto& dns : dns_sans)
    if (!is_dns_name(dns)) return fmt::format("DNS SAN \"{}\" is not a DNS name", dns);
  return std::nullopt;
}

std::optional<std::string> why_not_certificate(const std::string& pem) {
  if (parse_cert(pem)) return std::nullopt;
  return "not a PEM certificate (" + openssl_errors() + ")";
}

std::optional<std::string> why_not_ca_certificate(const std::string& pem) {
  x509_ptr cert = parse_cert(pem);
  if (!cert) return "not a PEM certificate (" + openssl_errors() + ")";
  const int verified = X509_verify(cert.get(), X509_get0_pubkey(cert.get()));
  ERR_clear_error();
  if (verified != 1) return "its self-signature does not verify: the file was damaged or edited, or is not a root CA";
  if (X509_check_ca(cert.get()) == 0) return "not a CA certificate (no basicConstraints CA:TRUE)";
  return std::nullopt;
}

std::optional<std::string> why_not_private_key(const std::string& pem) {
  if (parse_key(pem)) return std::nullopt;
  return "not an unencrypted PEM private key (" + openssl_errors() + ")";
}

bool key_matches(const std::string& cert_pem, const std::string& key_pem) {
  x509_ptr cert = parse_cert(cert_pem);
  pkey_ptr key = parse_key(key_pem);
  const bool ok = cert && key && X509_check_private_key(cert.get(), key.get()) == 1;
  ERR_clear_error();
  return ok;
}

std::optional<std::string> expired_at(const std::string& cert_pem, std::time_t at) {
  x509_ptr cert = parse_cert(cert_pem);
  if (!cert) return "an unreadable time";
  const ASN1_TIME* not_after = X509_get0_notAfter(cert.get());
  if (X509_cmp_time(not_after, &at) > 0) return std::nullopt;
  return utc_text(not_after);
}

std::optional<std::string> why_reissue(const std::string& cert_pem, const std::string& ca_cert_pem,
                                       const std::vector<std::string>& ip_sans,
                                       const std::vector<std::string>& dns_sans, std::time_t now) {
  x509_ptr cert = parse_cert(cert_pem);
  x509_ptr ca = parse_cert(ca_cert_pem);
  if (!cert || !ca) return "unreadable: " + openssl_errors();
  if (auto why = verify_at(cert.get(), ca.get(), now)) return "does not verify against ca.crt: " + *why;
  if (auto when = expired_at(cert_pem, now + k_renew_before_seconds))
    return fmt::format("expires {}, within 30 days", *when);
  if (auto san = missing_san(cert.get(), ip_sans, dns_sans)) return "missing SAN " + *san;
  return std::nullopt;
}

result<std::string> ca_fingerprint(const std::string& ca_cert_pem) {
  x509_ptr cert = parse_cert(ca_cert_pem);
  if (!cert) return result<std::string>::failure("CA certificate: not a PEM certificate (" + openssl_errors() + ")");
  unsigned char* der = nullptr;
  const int n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert.get()), &der);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_len = 0;
  const bool ok =
      n > 0 && EVP_Digest(der, static_cast<std::size_t>(n), digest, &digest_len, EVP_sha256(), nullptr) == 1;
  OPENSSL_free(der);
  if (!ok) return result<std::string>::failure("hash the CA's public key: " + openssl_errors());
  std::string out = "sha256:";
  for (unsigned int i = 0; i < digest_len; ++i) out += fmt::format("{:02x}", digest[i]);
  return result<std::string>::success(out);
}

std::optional<std::string> verify_against_ca(const std::string& cert_pem, const std::string& ca_cert_pem) {
  x509_ptr cert = parse_cert(cert_pem);
  if (!cert) return "certificate: not a PEM certificate (" + openssl_errors() + ")";
  x509_ptr ca = parse_cert(ca_cert_pem);
  if (!ca) return "CA certificate: not a PEM certificate (" + openssl_errors() + ")";
  return verify_at(cert.get(), ca.get(), std::time(nullptr));
}

}  // namespace berth::pki
