#include "actors/pki/pki.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>

#include "actors/pki/files.hpp"
#include "actors/pki/x509.hpp"

namespace berth::pki {
namespace {

struct pki_paths {
  std::string ca_cert, ca_key, server_cert, server_key;
};

pki_paths paths_in(const std::string& dir) {
  namespace fs = std::filesystem;
  auto in = [&](const char* name) { return (fs::path(dir) / name).string(); };
  return {in("ca.crt"), in("ca.key"), in("server.crt"), in("server.key")};
}

/// A certificate and key as found on disk: nullopt = the file does not exist.
struct on_disk {
  std::optional<std::string> cert, key;
};

result<on_disk> read_pair(const std::string& cert_path, const std::string& key_path) {
  auto cert = read_if_exists(cert_path);
  if (!cert.ok()) return result<on_disk>::failure(cert.error());
  auto key = read_if_exists(key_path);
  if (!key.ok()) return result<on_disk>::failure(key.error());
  return result<on_disk>::success({cert.value(), key.value()});
}

std::optional<std::string> check_cert(const std::string& path, const std::string& pem) {
  if (auto why = why_not_certificate(pem)) return fmt::format("{}: {}", path, *why);
  return std::nullopt;
}

/// Both files parse and the key is the certificate's: otherwise an error
/// naming the file, since overwriting it could destroy the only copy of a key.
std::optional<std::string> check_pair(const std::string& cert_path, const std::string& cert,
                                      const std::string& key_path, const std::string& key) {
  if (auto err = check_cert(cert_path, cert)) return err;
  if (auto why = why_not_private_key(key)) return fmt::format("{}: {}", key_path, *why);
  if (!key_matches(cert, key))
    return fmt::format("{} is not the private key of {} (their public keys differ)", key_path, cert_path);
  return std::nullopt;
}

/// Replaces a pair, crash-safely: an old certificate goes first, the new key
/// is renamed next and the new certificate last. Whatever step a crash
/// interrupts, the disk holds a key without a certificate (which the next
/// start replaces) or a whole pair, never a mismatched one.
std::optional<std::string> install_pair(const std::string& cert_path, const std::string& key_path,
                                        const key_and_cert& pair) {
  const std::string cert_temp = temp_name_for(cert_path), key_temp = temp_name_for(key_path);
  if (auto err = write_temp(key_temp, pair.key_pem, 0600)) return err;
  if (auto err = write_temp(cert_temp, pair.cert_pem, 0644)) {
    remove_durably(key_temp);
    return err;
  }
  std::optional<std::string> err = remove_durably(cert_path);
  if (!err) err = replace(key_temp, key_path);
  if (!err) err = replace(cert_temp, cert_path);
  if (err) {
    remove_durably(key_temp);
    remove_durably(cert_temp);
  }
  return err;
}

/// Loads the CA, or makes one when ca.crt is missing (`created` is then set).
result<key_and_cert> load_or_make_ca(const pki_paths& p, std::time_t now, bool& created) {
  using r = result<key_and_cert>;
  auto disk = read_pair(p.ca_cert, p.ca_key);
  if (!disk.ok()) return r::failure(disk.error());
  const auto& [cert, key] = disk.value();
  if (!cert) {  // nothing yet, or a ca.key whose ca.crt a crash never renamed
    auto ca = make_ca(now);
    if (!ca.ok()) return ca;
    if (auto err = install_pair(p.ca_cert, p.ca_key, ca.value())) return r::failure(*err);
    created = true;
    return ca;
  }
  if (!key)
    return r::failure(
        fmt::format("{} exists but {} does not: restore the key, or remove {} to make a new CA (every client that "
                    "trusts the old one must then be given the new one)",
                    p.ca_cert, p.ca_key, p.ca_cert));
  if (auto why = why_not_ca_certificate(*cert)) return r::failure(fmt::format("{}: {}", p.ca_cert, *why));
  if (auto err = check_pair(p.ca_cert, *cert, p.ca_key, *key)) return r::failure(*err);
  if (auto when = expired_at(*cert, now))
    return r::failure(
        fmt::format("{}: the CA expired at {}; remove ca.crt and ca.key to make a new one", p.ca_cert, *when));
  return r::success({*key, *cert});
}

/// Why the serving pair on disk cannot be used as it is, or nullopt. An
/// unreadable file is an error (the outer result), not a reason.
result<std::optional<std::string>> server_reason(const pki_paths& p, const on_disk& disk, const key_and_cert& ca,
                                                 const std::vector<std::string>& ip_sans,
                                                 const std::vector<std::string>& dns_sans, std::time_t now) {
  using r = result<std::optional<std::string>>;
  if (!disk.cert) return r::success("no server.crt");
  if (!disk.key) {
    if (auto err = check_cert(p.server_cert, *disk.cert)) return r::failure(*err);
    return r::success("no server.key");
  }
  if (auto err = check_pair(p.server_cert, *disk.cert, p.server_key, *disk.key)) return r::failure(*err);
  return r::success(why_reissue(*disk.cert, ca.cert_pem, ip_sans, dns_sans, now));
}

/// The caller's DNS names after the defaults, without repeats.
std::vector<std::string> all_dns_sans(const std::vector<std::string>& extra) {
  std::vector<std::string> out = default_dns_sans();
  for (const auto& name : extra)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  return out;
}

}  // namespace

const std::vector<std::string>& default_dns_sans() {
  static const std::vector<std::string> names{"localhost", "berth", "kubernetes", "kubernetes.default"};
  return names;
}

result<cluster_pki> ensure_cluster_pki(const std::string& data_dir, const std::vector<std::string>& ip_sans,
                                       const std::vector<std::string>& dns_sans) {
  using r = result<cluster_pki>;
  const std::time_t now = std::time(nullptr);
  const std::vector<std::string> dns = all_dns_sans(dns_sans);
  if (auto bad = check_sans(ip_sans, dns)) return r::failure(*bad);
  if (auto err = ensure_directory(data_dir)) return r::failure(*err);
  const pki_paths p = paths_in(data_dir);

  cluster_pki out;
  out.ca_cert_path = p.ca_cert;
  out.server_cert_path = p.server_cert;
  out.server_key_path = p.server_key;

  auto ca = load_or_make_ca(p, now, out.ca_created);
  if (!ca.ok()) return r::failure(ca.error());
  out.ca_cert_pem = ca.value().cert_pem;

  auto disk = read_pair(p.server_cert, p.server_key);
  if (!disk.ok()) return r::failure(disk.error());
  auto reason = server_reason(p, disk.value(), ca.value(), ip_sans, dns, now);
  if (!reason.ok()) return r::failure(reason.error());
  if (!reason.value()) {
    out.server_cert_pem = *disk.value().cert;
    out.server_key_pem = *disk.value().key;
    out.created = out.ca_created;
    return r::success(std::move(out));
  }

  auto server = make_server(ca.value(), ip_sans, dns, now);
  if (!server.ok()) return r::failure(server.error());
  if (auto err = install_pair(p.server_cert, p.server_key, server.value())) return r::failure(*err);
  out.server_cert_pem = server.value().cert_pem;
  out.server_key_pem = server.value().key_pem;
  out.server_reason = out.ca_created ? "new CA" : *reason.value();
  out.created = true;
  return r::success(std::move(out));
}

}  // namespace berth::pki
