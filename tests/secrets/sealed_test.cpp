// actors/secrets/sealed.hpp: what the journal holds of a secret is
// ciphertext that opens only with the right key, for the right secret, and
// unchanged; the key file is created safely and refused when loose.

#include <doctest/doctest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "actors/secrets/sealed.hpp"

namespace berth::secrets {
namespace {

key key_of(char fill) { return make_key(std::string(k_key_size, fill)); }

model::secret secret_with(std::map<std::string, std::string> data) {
  model::secret s;
  s.metadata.namespace_ = "default";
  s.metadata.name = "s1";
  s.data = std::move(data);
  return s;
}

struct temp_dir {
  temp_dir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "berth-secrets-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~temp_dir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string path;
};

}  // namespace

TEST_CASE("seal then open gives the data back; the ciphertext holds no plaintext and a fresh nonce each time") {
  keyring ring(key_of('a'));
  std::map<std::string, std::string> data{{"password", "hunter2-plaintext"}, {"empty", ""}, {"bin", std::string("\0\xff", 2)}};
  auto a = seal(ring, data, aad_of("default", "s1"));
  auto b = seal(ring, data, aad_of("default", "s1"));
  CHECK(a.key_id == ring.primary().id);
  CHECK(a.key_id.size() == 8);
  CHECK(a.nonce.size() == k_nonce_size);
  CHECK(a.nonce != b.nonce);
  CHECK(a.ciphertext != b.ciphertext);
  CHECK(a.ciphertext.find("hunter2") == std::string::npos);
  CHECK(a.ciphertext.find("password") == std::string::npos);
  auto r = open(ring, a, aad_of("default", "s1"));
  REQUIRE(r.error.empty());
  CHECK(r.data == data);
  CHECK(redacted(a) == fmt::format("<encrypted, {} bytes>", a.ciphertext.size() - k_tag_size));
}

TEST_CASE("a changed byte anywhere, a wrong key or another secret's name: an error, never data") {
  keyring ring(key_of('a'));
  auto sealed = seal(ring, {{"k", "value"}}, aad_of("default", "s1"));
  for (std::size_t i = 0; i < sealed.ciphertext.size(); ++i) {
    auto bad = sealed;
    bad.ciphertext[i] = static_cast<char>(bad.ciphertext[i] ^ 1);
    auto r = open(ring, bad, aad_of("default", "s1"));
    CHECK(r.data.empty());
    CHECK(r.error.find("does not authenticate") != std::string::npos);
  }
  auto bad_nonce = sealed;
  bad_nonce.nonce[0] = static_cast<char>(bad_nonce.nonce[0] ^ 1);
  CHECK_FALSE(open(ring, bad_nonce, aad_of("default", "s1")).error.empty());
  CHECK_FALSE(open(ring, sealed, aad_of("default", "s2")).error.empty());
  CHECK_FALSE(open(ring, sealed, aad_of("other", "s1")).error.empty());

  keyring other(key_of('b'));
  auto r = open(other, sealed, aad_of("default", "s1"));
  CHECK(r.data.empty());
  CHECK(r.error.find("sealed with key \"" + sealed.key_id + "\"") != std::string::npos);

  // Same id, other bytes (a key file swapped under a forged id): still refused.
  auto forged = key_of('b');
  forged.id = sealed.key_id;
  keyring forged_ring(forged);
  CHECK(open(forged_ring, sealed, aad_of("default", "s1")).error.find("does not authenticate") != std::string::npos);

  auto truncated = sealed;
  truncated.ciphertext.resize(3);
  CHECK(open(ring, truncated, aad_of("default", "s1")).error.find("malformed") != std::string::npos);
}

TEST_CASE("an older key in the ring still opens what it sealed; new writes use the primary") {
  keyring old_ring(key_of('a'));
  auto sealed = seal(old_ring, {{"k", "v"}}, aad_of("ns", "x"));
  keyring ring(key_of('b'));
  ring.add(key_of('a'));
  auto r = open(ring, sealed, aad_of("ns", "x"));
  REQUIRE(r.error.empty());
  CHECK(r.data.at("k") == "v");
  CHECK(seal(ring, {{"k", "v"}}, aad_of("ns", "x")).key_id == key_of('b').id);
}

TEST_CASE("seal_secret / open_secret: data moves into sealed and back; a failure names the secret") {
  keyring ring(key_of('a'));
  auto s = secret_with({{"a", "b"}});
  seal_secret(ring, s);
  CHECK(s.data.empty());
  CHECK_FALSE(s.sealed.empty());
  auto sealed_copy = s;
  CHECK(open_secret(ring, s).empty());
  CHECK(s.data == std::map<std::string, std::string>{{"a", "b"}});
  CHECK(s.sealed.empty());

  keyring wrong(key_of('z'));
  auto error = open_secret(wrong, sealed_copy);
  CHECK(error.find("secret default/s1: cannot decrypt its data") == 0);
  CHECK(sealed_copy.data.empty());  // unchanged

  // Annotations are sealed too (kubectl apply's last-applied-configuration
  // holds the whole manifest); labels stay plain for selectors.
  auto annotated = secret_with({{"a", "b"}});
  annotated.metadata.annotations = {{"kubectl.kubernetes.io/last-applied-configuration", "{\"stringData\":\"pw\"}"}};
  annotated.metadata.labels = {{"app", "db"}};
  auto want = annotated;
  seal_secret(ring, annotated);
  CHECK(annotated.metadata.annotations.empty());
  CHECK(annotated.metadata.labels == model::string_map{{"app", "db"}});
  CHECK(annotated.sealed.ciphertext.find("stringData") == std::string::npos);
  CHECK(open_secret(ring, annotated).empty());
  CHECK(annotated == want);

  auto empty = secret_with({});
  seal_secret(ring, empty);
  CHECK(empty.sealed.empty());
  CHECK(open_secret(ring, empty).empty());
}

TEST_CASE("key file: created with 32 random bytes and mode 0600, read back the same; loose mode or wrong size refused") {
  temp_dir dir;
  const auto path = dir.path + "/encryption.key";
  auto made = load_or_create_key_file(path);
  REQUIRE_MESSAGE(made.k, made.error);
  CHECK(made.created);
  CHECK(made.k->bytes.size() == k_key_size);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);

  auto again = load_or_create_key_file(path);
  REQUIRE(again.k);
  CHECK_FALSE(again.created);
  CHECK(again.k->bytes == made.k->bytes);
  CHECK(again.k->id == made.k->id);

  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  auto loose = load_or_create_key_file(path);
  CHECK_FALSE(loose.k);
  CHECK(loose.error.find("has mode 0644") != std::string::npos);
  CHECK(loose.error.find("chmod 600") != std::string::npos);

  const auto short_path = dir.path + "/short.key";
  {
    std::ofstream f(short_path);
    f << "too short";
  }
  REQUIRE(::chmod(short_path.c_str(), 0600) == 0);
  auto bad = load_or_create_key_file(short_path);
  CHECK_FALSE(bad.k);
  CHECK(bad.error.find("exactly 32 bytes (it has 9)") != std::string::npos);

  auto missing_dir = load_or_create_key_file(dir.path + "/no/such/dir/key");
  CHECK_FALSE(missing_dir.k);
  CHECK(missing_dir.error.find("cannot create encryption key file") != std::string::npos);
}

}  // namespace berth::secrets
