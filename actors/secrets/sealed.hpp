#pragma once
// A Secret's data sealed at rest (docs/workloads.md, "Secrets").
//
// The journal never holds a secret's plaintext: the store seals `data` into
// model::sealed_data before the command event is written, the fold keeps the
// ciphertext (replay and state hashes stay deterministic), and reads open it
// again for the API.
//
// Sealing is AES-256-GCM (OpenSSL EVP) with a fresh random 12-byte nonce per
// write and the 16-byte tag appended to the ciphertext. The additional
// authenticated data binds the ciphertext to the secret's namespace and name,
// so ciphertext moved to another secret does not open. The plaintext is the
// entries in key order, each as a 4-byte big-endian key length, the key, a
// 4-byte big-endian value length, the value.
//
// A key is 32 bytes; its id is the first 8 hex digits of its SHA-256, written
// beside every ciphertext, so that a keyring can hold older keys to open what
// they sealed once keys rotate (only one key is configured today).

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::secrets {

inline constexpr std::size_t k_key_size = 32;
inline constexpr std::size_t k_nonce_size = 12;
inline constexpr std::size_t k_tag_size = 16;

struct key {
  std::string id;     // 8 hex digits of SHA-256(bytes)
  std::string bytes;  // 32 bytes
};

/// `bytes` (32 of them) as a key with its id.
key make_key(std::string bytes);

/// The keys berthd seals with (the primary) and opens with (any of them, by id).
class keyring {
 public:
  explicit keyring(key primary);
  void add(key older);
  const key& primary() const { return keys_.front(); }
  const key* find(std::string_view id) const;

 private:
  std::vector<key> keys_;
};

/// Authenticated data of a secret's ciphertext: its namespace and name.
std::string aad_of(std::string_view namespace_, std::string_view name);

/// `data` encrypted under the ring's primary key; throws std::runtime_error
/// only when OpenSSL fails.
model::sealed_data seal(const keyring& ring, const std::map<std::string, std::string>& data, std::string_view aad);

/// What open() gives: the data, or why not (error non-empty).
struct opened {
  std::map<std::string, std::string> data;
  std::string error;
};

/// Decrypts and authenticates `sealed`: an unknown key id, a wrong key, a
/// changed byte or a different `aad` give an error, never data.
opened open(const keyring& ring, const model::sealed_data& sealed, std::string_view aad);

/// The secret as it goes to the journal: `data` and the annotations sealed
/// into `sealed`, both emptied. Annotations are sealed because kubectl apply
/// copies the whole manifest (stringData too) into one of them; labels stay
/// plain, selectors need them.
void seal_secret(const keyring& ring, model::secret& s);

/// The secret as the API gives it: `sealed` opened into `data` and the
/// annotations, `sealed` emptied. Returns an error naming the secret ("secret default/s1: ...")
/// and leaves `s` unchanged when it does not open. A secret without sealed
/// data (no data) opens to empty data.
std::string open_secret(const keyring& ring, model::secret& s);

// ---- the key file

struct key_file_result {
  std::optional<key> k;
  std::string error;  // why not: names the path and what to do
  bool created = false;
};

/// Reads the 32-byte key at `path`, or creates it (32 random bytes, mode
/// 0600) when there is no file. Refuses a file of another size, or one that
/// group or others may read or write.
key_file_result load_or_create_key_file(const std::string& path);

// ---- the process's keyring

/// Installs the keyring the store seals with and reads open with (berthd
/// installs it once at start; tests install their own).
void install_keyring(std::shared_ptr<const keyring> ring);
/// The installed keyring, or nullptr.
std::shared_ptr<const keyring> installed_keyring();

/// open_secret with the installed keyring (an error when none is installed).
std::string open_with_installed(model::secret& s);

/// "<encrypted, N bytes>": how journal dumps and debug JSON show sealed data.
std::string redacted(const model::sealed_data& sealed);

}  // namespace berth::secrets
