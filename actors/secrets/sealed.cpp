#include "actors/secrets/sealed.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace berth::secrets {
namespace {

void put_u32(std::string& out, std::size_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xff));
}

bool get_u32(std::string_view& in, std::size_t& n) {
  if (in.size() < 4) return false;
  n = 0;
  for (int i = 0; i < 4; ++i) n = (n << 8) | static_cast<unsigned char>(in[i]);
  in.remove_prefix(4);
  return true;
}

std::string encode(const std::map<std::string, std::string>& data) {
  std::string out;
  for (const auto& [k, v] : data) {
    put_u32(out, k.size());
    out += k;
    put_u32(out, v.size());
    out += v;
  }
  return out;
}

bool decode(std::string_view in, std::map<std::string, std::string>& out) {
  while (!in.empty()) {
    std::size_t n = 0;
    if (!get_u32(in, n) || in.size() < n) return false;
    std::string k(in.substr(0, n));
    in.remove_prefix(n);
    if (!get_u32(in, n) || in.size() < n) return false;
    out[std::move(k)] = std::string(in.substr(0, n));
    in.remove_prefix(n);
  }
  return true;
}

struct ctx_deleter {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using ctx_ptr = std::unique_ptr<EVP_CIPHER_CTX, ctx_deleter>;

const unsigned char* u(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }
const unsigned char* u(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

/// Sealed entries that are annotations, not data.
constexpr std::string_view k_annotation_prefix("\0annotation:", 12);

std::mutex g_mutex;
std::shared_ptr<const keyring> g_ring;

}  // namespace

key make_key(std::string bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(u(bytes), bytes.size(), digest);
  return {fmt::format("{:02x}{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2], digest[3]), std::move(bytes)};
}

keyring::keyring(key primary) { keys_.push_back(std::move(primary)); }
void keyring::add(key older) { keys_.push_back(std::move(older)); }
const key* keyring::find(std::string_view id) const {
  for (const auto& k : keys_)
    if (k.id == id) return &k;
  return nullptr;
}

std::string aad_of(std::string_view namespace_, std::string_view name) {
  return fmt::format("berth secret v1\n{}\n{}", namespace_, name);
}

model::sealed_data seal(const keyring& ring, const std::map<std::string, std::string>& data, std::string_view aad) {
  const key& k = ring.primary();
  if (k.bytes.size() != k_key_size) throw std::runtime_error("secret encryption key is not 32 bytes");
  model::sealed_data out;
  out.key_id = k.id;
  out.nonce.resize(k_nonce_size);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.nonce.data()), static_cast<int>(k_nonce_size)) != 1)
    throw std::runtime_error("no random bytes for a secret's nonce");
  const std::string plain = encode(data);
  ctx_ptr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  std::string cipher(plain.size() + k_tag_size, '\0');
  auto* outp = reinterpret_cast<unsigned char*>(cipher.data());
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(k_nonce_size), nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, u(k.bytes), u(out.nonce)) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), outp, &len, u(plain), static_cast<int>(plain.size())) == 1;
  int total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), outp + total, &len) == 1;
  total += len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(k_tag_size), outp + total) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  cipher.resize(static_cast<std::size_t>(total) + k_tag_size);
  out.ciphertext = std::move(cipher);
  return out;
}

opened open(const keyring& ring, const model::sealed_data& sealed, std::string_view aad) {
  opened r;
  const key* k = ring.find(sealed.key_id);
  if (!k)
    return {{}, fmt::format("sealed with key \"{}\", which this berthd does not have (its key is \"{}\"; "
                            "is --encryption-key-file the one the journal was written with?)",
                            sealed.key_id, ring.primary().id)};
  if (sealed.nonce.size() != k_nonce_size || sealed.ciphertext.size() < k_tag_size)
    return {{}, "sealed data is malformed (nonce or tag missing)"};
  const std::size_t n = sealed.ciphertext.size() - k_tag_size;
  std::string plain(n, '\0');
  std::string tag = sealed.ciphertext.substr(n);
  ctx_ptr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  auto* outp = reinterpret_cast<unsigned char*>(plain.data());
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(k_nonce_size), nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, u(k->bytes), u(sealed.nonce)) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, u(aad), static_cast<int>(aad.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), outp, &len, u(sealed.ciphertext), static_cast<int>(n)) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(k_tag_size), tag.data()) == 1;
  int total = len;
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), outp + total, &len) == 1;
  if (!ok)
    return {{}, fmt::format("sealed data does not authenticate under key \"{}\" (wrong key, or the bytes were "
                            "changed)",
                            k->id)};
  if (!decode(plain, r.data)) return {{}, "sealed data decrypted but its entries are malformed"};
  return r;
}

void seal_secret(const keyring& ring, model::secret& s) {
  // Annotations go in too: kubectl apply copies the whole manifest, data and
  // stringData included, into kubectl.kubernetes.io/last-applied-configuration.
  // Their entries' keys start with a NUL, which no data key can hold.
  auto entries = s.data;
  for (const auto& [k, v] : s.metadata.annotations) entries[std::string(k_annotation_prefix) + k] = v;
  s.sealed = entries.empty() ? model::sealed_data{} : seal(ring, entries, aad_of(s.metadata.namespace_, s.metadata.name));
  s.data.clear();
  s.metadata.annotations.clear();
}

std::string open_secret(const keyring& ring, model::secret& s) {
  if (s.sealed.empty()) return "";
  auto r = open(ring, s.sealed, aad_of(s.metadata.namespace_, s.metadata.name));
  if (!r.error.empty())
    return fmt::format("secret {}/{}: cannot decrypt its data: {}", s.metadata.namespace_, s.metadata.name, r.error);
  s.data.clear();
  for (auto& [k, v] : r.data) {
    if (k.rfind(k_annotation_prefix, 0) == 0)
      s.metadata.annotations[k.substr(k_annotation_prefix.size())] = std::move(v);
    else
      s.data[k] = std::move(v);
  }
  s.sealed = {};
  return "";
}

key_file_result load_or_create_key_file(const std::string& path) {
  key_file_result r;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno != ENOENT) {
      r.error = fmt::format("encryption key file {}: {}", path, std::strerror(errno));
      return r;
    }
    std::string bytes(k_key_size, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(k_key_size)) != 1) {
      r.error = "no random bytes for a new encryption key";
      return r;
    }
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
      r.error = fmt::format("cannot create encryption key file {}: {}", path, std::strerror(errno));
      return r;
    }
    bool ok = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
      r.error = fmt::format("cannot write encryption key file {}", path);
      return r;
    }
    r.k = make_key(std::move(bytes));
    r.created = true;
    return r;
  }
  if ((st.st_mode & 077) != 0) {
    r.error = fmt::format(
        "encryption key file {} has mode {:04o}: group and others must have no access (chmod 600 {})", path,
        st.st_mode & 07777, path);
    return r;
  }
  if (!S_ISREG(st.st_mode) || st.st_size != static_cast<off_t>(k_key_size)) {
    r.error = fmt::format("encryption key file {} must be a file of exactly {} bytes (it has {})", path, k_key_size,
                          static_cast<long long>(st.st_size));
    return r;
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    r.error = fmt::format("cannot read encryption key file {}: {}", path, std::strerror(errno));
    return r;
  }
  std::string bytes(k_key_size, '\0');
  bool ok = ::read(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  ::close(fd);
  if (!ok) {
    r.error = fmt::format("cannot read encryption key file {}", path);
    return r;
  }
  r.k = make_key(std::move(bytes));
  return r;
}

void install_keyring(std::shared_ptr<const keyring> ring) {
  std::lock_guard lock(g_mutex);
  g_ring = std::move(ring);
}

std::shared_ptr<const keyring> installed_keyring() {
  std::lock_guard lock(g_mutex);
  return g_ring;
}

std::string open_with_installed(model::secret& s) {
  if (s.sealed.empty()) return "";
  auto ring = installed_keyring();
  if (!ring)
    return fmt::format("secret {}/{}: cannot decrypt its data: no encryption key is configured",
                       s.metadata.namespace_, s.metadata.name);
  return open_secret(*ring, s);
}

std::string redacted(const model::sealed_data& sealed) {
  const std::size_t n = sealed.ciphertext.size() >= k_tag_size ? sealed.ciphertext.size() - k_tag_size : 0;
  return fmt::format("<encrypted, {} bytes>", n);
}

}  // namespace berth::secrets
