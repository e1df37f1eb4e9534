// ensure_cluster_pki: what a first start creates, what later starts load,
// when the serving certificate is reissued, and the files it refuses to touch.
#include "actors/pki/pki.hpp"

#include <unistd.h>

#include <functional>

#include <doctest/doctest.h>

#include "tests/pki/helpers.hpp"

namespace berth::pki {
namespace {

using test::exists;
using test::mode_of;
using test::read_file;
using test::run;
using test::sh_quoted;
using test::snapshot;
using test::temp_dir;
using test::write_file;

const std::vector<std::string> k_ips{"127.0.0.1", "::1", "10.0.0.5"};
const std::vector<std::string> k_names{"berth.example.com"};

cluster_pki ensure_ok(const std::string& dir, const std::vector<std::string>& ips = k_ips,
                      const std::vector<std::string>& names = k_names) {
  auto r = ensure_cluster_pki(dir, ips, names);
  REQUIRE_MESSAGE(r.ok(), r.error());
  return r.value();
}

std::string ensure_error(const std::string& dir, const std::vector<std::string>& ips = k_ips) {
  auto r = ensure_cluster_pki(dir, ips, k_names);
  REQUIRE_FALSE(r.ok());
  return r.error();
}

}  // namespace

TEST_CASE("a first start creates the four files: keys 0600, certificates 0644, nothing else") {
  temp_dir dir;
  auto pki = ensure_ok(dir.path());
  CHECK(pki.created);
  CHECK(pki.ca_created);
  CHECK(pki.server_reason == "new CA");
  CHECK(pki.ca_cert_path == dir.file("ca.crt"));
  CHECK(pki.server_cert_path == dir.file("server.crt"));
  CHECK(pki.server_key_path == dir.file("server.key"));
  CHECK(snapshot(dir.path()).size() == 4);  // no temporary file left behind
  CHECK(mode_of(dir.file("ca.key")) == 0600);
  CHECK(mode_of(dir.file("server.key")) == 0600);
  CHECK(mode_of(dir.file("ca.crt")) == 0644);
  CHECK(mode_of(dir.file("server.crt")) == 0644);
  CHECK(read_file(dir.file("ca.crt")) == pki.ca_cert_pem);
  CHECK(read_file(dir.file("server.crt")) == pki.server_cert_pem);
  CHECK(read_file(dir.file("server.key")) == pki.server_key_pem);
}

TEST_CASE("a stale temporary file of a crashed process with our pid is replaced, not trusted") {
  temp_dir dir;
  const std::string stale = dir.file("ca.key.tmp-" + std::to_string(::getpid()));
  write_file(stale, "left by a crash\n");
  REQUIRE(::chmod(stale.c_str(), 0644) == 0);
  ensure_ok(dir.path());
  CHECK(mode_of(dir.file("ca.key")) == 0600);
  CHECK_FALSE(exists(stale));
  CHECK(snapshot(dir.path()).size() == 4);
}

TEST_CASE("a missing data directory is created, mode 0700") {
  temp_dir dir;
  const std::string data = dir.file("var/lib/berth");
  ensure_ok(data);
  CHECK(mode_of(data) == 0700);
  CHECK(exists(data + "/ca.crt"));
}

TEST_CASE("a second start loads the same PEMs and writes nothing") {
  temp_dir dir;
  auto first = ensure_ok(dir.path());
  const auto before = snapshot(dir.path());
  auto second = ensure_ok(dir.path());
  CHECK_FALSE(second.created);
  CHECK_FALSE(second.ca_created);
  CHECK(second.server_reason.empty());
  CHECK(second.ca_cert_pem == first.ca_cert_pem);
  CHECK(second.server_cert_pem == first.server_cert_pem);
  CHECK(second.server_key_pem == first.server_key_pem);
  CHECK(snapshot(dir.path()) == before);
}

TEST_CASE("SANs asked for in another spelling are the same SANs: no reissue") {
  temp_dir dir;
  ensure_ok(dir.path());
  auto again = ensure_ok(dir.path(), {"127.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.5"}, {"BERTH.example.com", "berth"});
  CHECK_FALSE(again.created);
}

TEST_CASE("the serving certificate verifies against the CA, by library and by openssl verify") {
  temp_dir dir;
  auto pki = ensure_ok(dir.path());
  CHECK(verify_against_ca(pki.server_cert_pem, pki.ca_cert_pem) == std::nullopt);
  auto r = run("openssl verify -CAfile " + sh_quoted(pki.ca_cert_path) + " " + sh_quoted(pki.server_cert_path));
  CHECK_MESSAGE(r.exit_code == 0, r.output);
  CHECK(r.output.find(": OK") != std::string::npos);
}

TEST_CASE("openssl shows the SANs, the CA's constraints, and the validity periods") {
  temp_dir dir;
  auto pki = ensure_ok(dir.path());
  auto sans = run("openssl x509 -noout -ext subjectAltName -in " + sh_quoted(pki.server_cert_path));
  REQUIRE_MESSAGE(sans.exit_code == 0, sans.output);
  for (const char* want : {"IP Address:127.0.0.1", "IP Address:0:0:0:0:0:0:0:1", "IP Address:10.0.0.5", "DNS:localhost",
                           "DNS:berth", "DNS:kubernetes", "DNS:kubernetes.default", "DNS:berth.example.com"})
    CHECK_MESSAGE(sans.output.find(want) != std::string::npos, want, "\n", sans.output);

  auto server =
      run("openssl x509 -noout -subject -ext extendedKeyUsage,basicConstraints -in " + sh_quoted(pki.server_cert_path));
  CHECK(server.output.find("CN = berth-apiserver") != std::string::npos);
  CHECK(server.output.find("TLS Web Server Authentication") != std::string::npos);
  CHECK(server.output.find("CA:FALSE") != std::string::npos);

  auto ca = run("openssl x509 -noout -subject -ext basicConstraints,keyUsage -in " + sh_quoted(pki.ca_cert_path));
  CHECK(ca.output.find("CN = berth-ca") != std::string::npos);
  CHECK(ca.output.find("X509v3 Basic Constraints: critical\n    CA:TRUE") != std::string::npos);
  CHECK(ca.output.find("X509v3 Key Usage: critical\n    Certificate Sign, CRL Sign") != std::string::npos);

  const long day = 24 * 3600;
  auto checkend = [](const std::string& path, long seconds) {
    return run("openssl x509 -noout -checkend " + std::to_string(seconds) + " -in " + sh_quoted(path)).exit_code;
  };
  CHECK(checkend(pki.server_cert_path, 364 * day) == 0);
  CHECK(checkend(pki.server_cert_path, 366 * day) == 1);
  CHECK(checkend(pki.ca_cert_path, 3649 * day) == 0);
  CHECK(checkend(pki.ca_cert_path, 3651 * day) == 1);
}

TEST_CASE("serials are random and 128 bits long") {
  temp_dir a, b;
  auto serial = [](const std::string& path) {
    auto r = run("openssl x509 -noout -serial -in " + sh_quoted(path));
    return r.output.substr(r.output.find('=') + 1);
  };
  const std::string sa = serial(ensure_ok(a.path()).server_cert_path);
  const std::string sb = serial(ensure_ok(b.path()).server_cert_path);
  CHECK(sa != sb);
  CHECK(sa.size() >= 30);  // 32 hex digits and a newline, less a leading zero byte 1 time in 256
  CHECK(sa.size() <= 33);
}

TEST_CASE("a new SAN reissues the serving certificate and keeps the CA") {
  temp_dir dir;
  auto first = ensure_ok(dir.path());
  const std::string ca_key = read_file(dir.file("ca.key"));
  auto second = ensure_ok(dir.path(), {"127.0.0.1", "::1", "10.0.0.5", "192.168.7.7"});
  CHECK(second.created);
  CHECK_FALSE(second.ca_created);
  CHECK(second.server_reason == "missing SAN IP:192.168.7.7");
  CHECK(second.ca_cert_pem == first.ca_cert_pem);
  CHECK(read_file(dir.file("ca.key")) == ca_key);
  CHECK(second.server_cert_pem != first.server_cert_pem);
  CHECK(second.server_key_pem != first.server_key_pem);  // a reissue rotates the key too
  CHECK(verify_against_ca(second.server_cert_pem, first.ca_cert_pem) == std::nullopt);
  CHECK(mode_of(dir.file("server.key")) == 0600);

  auto third = ensure_ok(dir.path(), k_ips, {"berth.example.com", "api.example.com"});
  CHECK(third.server_reason == "missing SAN DNS:api.example.com");
}

TEST_CASE("a serving certificate signed by another CA is reissued by ours") {
  temp_dir dir, other;
  auto mine = ensure_ok(dir.path());
  auto theirs = ensure_ok(other.path());
  write_file(dir.file("server.crt"), theirs.server_cert_pem);
  write_file(dir.file("server.key"), theirs.server_key_pem);
  auto again = ensure_ok(dir.path());
  CHECK(again.server_reason == "does not verify against ca.crt: unable to get local issuer certificate");
  CHECK(verify_against_ca(again.server_cert_pem, mine.ca_cert_pem) == std::nullopt);
}

TEST_CASE("a serving certificate that expires within 30 days is reissued") {
  temp_dir dir;
  ensure_ok(dir.path());
  const std::string d = sh_quoted(dir.path());
  auto made = run("cd " + d +
                  " && openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key"
                  " -subj /CN=berth-apiserver -out server.csr"
                  " && openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -days 10 -out server.crt"
                  " && rm server.csr");
  REQUIRE_MESSAGE(made.exit_code == 0, made.output);
  auto again = ensure_ok(dir.path());
  CHECK(again.created);
  CHECK(again.server_reason.find("within 30 days") != std::string::npos);
  CHECK(again.server_reason.rfind("expires 20", 0) == 0);
  CHECK(run("openssl x509 -noout -checkend " + std::to_string(300 * 24 * 3600) + " -in " +
            sh_quoted(again.server_cert_path))
            .exit_code == 0);
}

TEST_CASE("corrupt files are errors naming the file, and nothing is overwritten") {
  struct corruption {
    const char* name;
    const char* file;
    std::function<std::string(const temp_dir&)> bytes;
    const char* says;
  };
  const std::vector<corruption> cases{
      {"ca.crt is not PEM", "ca.crt", [](const temp_dir&) { return std::string("hello\n"); },
       "ca.crt: not a PEM certificate"},
      {"ca.crt cut in half", "ca.crt",
       [](const temp_dir& d) {
         auto pem = read_file(d.file("ca.crt"));
         return pem.substr(0, pem.size() / 2);
       },
       "ca.crt: not a PEM certificate"},
      {"ca.crt with one base64 character changed", "ca.crt",
       [](const temp_dir& d) {
         auto pem = read_file(d.file("ca.crt"));
         pem[100] = pem[100] == 'A' ? 'B' : 'A';
         return pem;
       },
       "ca.crt: its self-signature does not verify"},
      {"ca.crt with its last signature character changed", "ca.crt",
       [](const temp_dir& d) {
         // The last base64 character may carry padding bits that decoders
         // ignore (the signature's length, so the padding, varies per run):
         // change the top bit of the one before it, which is always data.
         static const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
         auto pem = read_file(d.file("ca.crt"));
         auto at = pem.find("\n-----END");
         int data_chars = 0;
         while (data_chars < 2) {
           --at;
           if (pem[at] != '=' && pem[at] != '\n') ++data_chars;
         }
         pem[at] = alphabet[alphabet.find(pem[at]) ^ 0x20];
         return pem;
       },
       "ca.crt: "},
      {"ca.crt is the serving certificate", "ca.crt", [](const temp_dir& d) { return read_file(d.file("server.crt")); },
       "ca.crt: its self-signature does not verify"},
      {"ca.key holds the server's key", "ca.key", [](const temp_dir& d) { return read_file(d.file("server.key")); },
       "ca.key is not the private key of "},
      {"server.key is not PEM", "server.key", [](const temp_dir&) { return std::string(); },
       "server.key: not an unencrypted PEM private key"},
      {"server.crt is a key", "server.crt", [](const temp_dir& d) { return read_file(d.file("server.key")); },
       "server.crt: not a PEM certificate"},
      {"server.key is the CA's key", "server.key", [](const temp_dir& d) { return read_file(d.file("ca.key")); },
       "server.key is not the private key of "},
  };
  for (const auto& c : cases) {
    SUBCASE(c.name) {
      temp_dir dir;
      ensure_ok(dir.path());
      write_file(dir.file(c.file), c.bytes(dir));
      const auto before = snapshot(dir.path());
      const std::string error = ensure_error(dir.path());
      CHECK_MESSAGE(error.find(dir.file(c.says)) == 0, error);
      CHECK(snapshot(dir.path()) == before);
    }
  }
}

TEST_CASE("an encrypted key is refused, not prompted for") {
  temp_dir dir;
  ensure_ok(dir.path());
  auto enc = run("openssl pkey -in " + sh_quoted(dir.file("server.key")) + " -aes256 -passout pass:secret -out " +
                 sh_quoted(dir.file("server.key")) + ".enc && mv " + sh_quoted(dir.file("server.key")) + ".enc " +
                 sh_quoted(dir.file("server.key")));
  REQUIRE_MESSAGE(enc.exit_code == 0, enc.output);
  const auto before = snapshot(dir.path());
  CHECK(ensure_error(dir.path()).find(dir.file("server.key: not an unencrypted PEM private key")) == 0);
  CHECK(snapshot(dir.path()) == before);
}

TEST_CASE("ca.key without ca.crt (a crash between the renames) makes a new CA and serving certificate") {
  temp_dir dir;
  auto first = ensure_ok(dir.path());
  REQUIRE(std::filesystem::remove(dir.file("ca.crt")));
  auto again = ensure_ok(dir.path());
  CHECK(again.ca_created);
  CHECK(again.server_reason == "new CA");
  CHECK(again.ca_cert_pem != first.ca_cert_pem);
  CHECK(verify_against_ca(again.server_cert_pem, again.ca_cert_pem) == std::nullopt);
  CHECK(verify_against_ca(first.server_cert_pem, again.ca_cert_pem) != std::nullopt);
  CHECK(mode_of(dir.file("ca.key")) == 0600);
}

TEST_CASE("server.key without server.crt (a crash during a reissue) reissues; the CA stays") {
  temp_dir dir;
  auto first = ensure_ok(dir.path());
  REQUIRE(std::filesystem::remove(dir.file("server.crt")));
  auto again = ensure_ok(dir.path());
  CHECK(again.server_reason == "no server.crt");
  CHECK_FALSE(again.ca_created);
  CHECK(again.ca_cert_pem == first.ca_cert_pem);

  REQUIRE(std::filesystem::remove(dir.file("server.key")));
  CHECK(ensure_ok(dir.path()).server_reason == "no server.key");
}

TEST_CASE("ca.crt without ca.key is an error that says how to recover; nothing is written") {
  temp_dir dir;
  ensure_ok(dir.path());
  REQUIRE(std::filesystem::remove(dir.file("ca.key")));
  const auto before = snapshot(dir.path());
  const std::string error = ensure_error(dir.path());
  CHECK(error.find(dir.file("ca.crt") + " exists but " + dir.file("ca.key") + " does not") == 0);
  CHECK(snapshot(dir.path()) == before);
}

TEST_CASE("a SAN that is not an address or a DNS name is an error before anything is written") {
  temp_dir dir;
  CHECK(ensure_error(dir.path(), {"10.0.0.300"}) == "IP SAN \"10.0.0.300\" is not an IPv4 or IPv6 address");
  CHECK(ensure_error(dir.path(), {"berth.local"}) == "IP SAN \"berth.local\" is not an IPv4 or IPv6 address");
  auto r = ensure_cluster_pki(dir.path(), k_ips, {"a,IP:1.2.3.4"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error() == "DNS SAN \"a,IP:1.2.3.4\" is not a DNS name");
  CHECK(snapshot(dir.path()).empty());
}

TEST_CASE("verify_against_ca names why a certificate from another CA fails") {
  temp_dir a, b;
  auto pa = ensure_ok(a.path());
  auto pb = ensure_ok(b.path());
  CHECK(verify_against_ca(pa.server_cert_pem, pb.ca_cert_pem) == "unable to get local issuer certificate");
  CHECK(verify_against_ca("junk", pa.ca_cert_pem).value().rfind("certificate: not a PEM certificate", 0) == 0);
  CHECK(verify_against_ca(pa.server_cert_pem, "junk").value().rfind("CA certificate: not a PEM", 0) == 0);
}

TEST_CASE("the fingerprint is kubeadm's: sha256 of the DER SubjectPublicKeyInfo") {
  temp_dir dir;
  auto pki = ensure_ok(dir.path());
  auto fp = ca_fingerprint(pki.ca_cert_pem);
  REQUIRE(fp.ok());
  auto r = run("openssl x509 -noout -pubkey -in " + sh_quoted(pki.ca_cert_path) +
               " | openssl pkey -pubin -outform der | sha256sum");
  REQUIRE_MESSAGE(r.exit_code == 0, r.output);
  CHECK(fp.value() == "sha256:" + r.output.substr(0, 64));
  CHECK(fp.value().size() == 7 + 64);
  CHECK_FALSE(ca_fingerprint("not a certificate").ok());
}

}  // namespace berth::pki
