// The made files in use: a TLS handshake against openssl s_server on
// loopback, and the kubeconfig as yaml-cpp and kubectl read it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "actors/pki/join.hpp"
#include "actors/pki/pki.hpp"
#include "tests/pki/helpers.hpp"

extern char** environ;

namespace berth::pki {
namespace {

using test::mode_of;
using test::read_file;
using test::run;
using test::sh_quoted;
using test::temp_dir;

/// A loopback port nobody listens on (the kernel's pick; free again once closed).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

/// `openssl s_server` serving our certificate on 127.0.0.1; stopped (SIGTERM) on destruction.
class tls_server {
 public:
  /// `send_ca`: the chain ends with ca.crt, as berthd sends it.
  tls_server(const cluster_pki& pki, const std::string& log, bool send_ca = false) : port_(free_port()) {
    const std::string accept = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args{
        "openssl", "s_server", "-cert", pki.server_cert_path, "-key", pki.server_key_path, "-accept",
        accept,    "-www",     "-quiet"};
    if (send_ca) args.insert(args.end(), {"-cert_chain", pki.ca_cert_path});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int rc = ::posix_spawnp(&pid_, "openssl", &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    REQUIRE(rc == 0);
    for (int i = 0; i < 100 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    REQUIRE_MESSAGE(accepts(port_), "s_server did not listen: ", read_file(log));
  }
  ~tls_server() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
  }
  tls_server(const tls_server&) = delete;
  tls_server& operator=(const tls_server&) = delete;

  int port() const { return port_; }

 private:
  int port_;
  pid_t pid_ = -1;
};

test::run_result s_client(int port, const std::string& ca_file, const std::string& extra) {
  return run("openssl s_client -connect 127.0.0.1:" + std::to_string(port) + " -CAfile " + sh_quoted(ca_file) +
             " -verify_return_error -servername localhost " + extra);
}

}  // namespace

TEST_CASE("TLS works with the made certificates, and fails for a client trusting another CA") {
  temp_dir dir, other;
  auto pki = ensure_cluster_pki(dir.path(), {"127.0.0.1"}, {});
  REQUIRE(pki.ok());
  auto other_pki = ensure_cluster_pki(other.path(), {"127.0.0.1"}, {});
  REQUIRE(other_pki.ok());
  tls_server server(pki.value(), dir.file("s_server.log"));

  auto ok = s_client(server.port(), pki.value().ca_cert_path, "-verify_hostname localhost");
  CHECK_MESSAGE(ok.exit_code == 0, ok.output);
  CHECK_MESSAGE(ok.output.find("Verify return code: 0 (ok)") != std::string::npos, ok.output);

  auto by_ip = s_client(server.port(), pki.value().ca_cert_path, "-verify_ip 127.0.0.1");
  CHECK_MESSAGE(by_ip.exit_code == 0, by_ip.output);

  auto wrong_name = s_client(server.port(), pki.value().ca_cert_path, "-verify_hostname example.org");
  CHECK(wrong_name.exit_code != 0);
  CHECK(wrong_name.output.find("hostname mismatch") != std::string::npos);

  auto wrong_ca = s_client(server.port(), other_pki.value().ca_cert_path, "");
  CHECK(wrong_ca.exit_code != 0);
  CHECK_MESSAGE(wrong_ca.output.find("unable to get local issuer certificate") != std::string::npos, wrong_ca.output);
}

TEST_CASE("the kubeconfig: k3s's shape, CA data in base64, the token quoted when it must be") {
  temp_dir dir;
  auto pki = ensure_cluster_pki(dir.path(), {"127.0.0.1"}, {});
  REQUIRE(pki.ok());
  const std::string token = "abc: #'\"def";
  const std::string text = kubeconfig_text("https://127.0.0.1:6443", pki.value().ca_cert_pem, token);
  YAML::Node y = YAML::Load(text);
  CHECK(y["apiVersion"].as<std::string>() == "v1");
  CHECK(y["kind"].as<std::string>() == "Config");
  CHECK(y["current-context"].as<std::string>() == "berth");
  CHECK(y["clusters"][0]["name"].as<std::string>() == "berth");
  CHECK(y["clusters"][0]["cluster"]["server"].as<std::string>() == "https://127.0.0.1:6443");
  CHECK(y["users"][0]["name"].as<std::string>() == "berth-admin");
  CHECK(y["users"][0]["user"]["token"].as<std::string>() == token);
  CHECK(y["contexts"][0]["name"].as<std::string>() == "berth");
  CHECK(y["contexts"][0]["context"]["cluster"].as<std::string>() == "berth");
  CHECK(y["contexts"][0]["context"]["user"].as<std::string>() == "berth-admin");
  CHECK(y["contexts"][0]["context"]["namespace"].as<std::string>() == "default");

  const std::string path = dir.file("kubeconfig.yaml");
  REQUIRE(write_kubeconfig(path, text) == std::nullopt);
  CHECK(mode_of(path) == 0600);
  CHECK(read_file(path) == text);
  const auto ca_data = y["clusters"][0]["cluster"]["certificate-authority-data"].as<std::string>();
  auto decoded = run("printf %s " + sh_quoted(ca_data) + " | openssl base64 -d -A");
  CHECK(decoded.output == pki.value().ca_cert_pem);

  REQUIRE(write_kubeconfig(path, kubeconfig_text("https://[::1]:6443", pki.value().ca_cert_pem, "t")) == std::nullopt);
  CHECK(test::snapshot(dir.path()).count("kubeconfig.yaml.tmp-" + std::to_string(::getpid())) == 0);
  CHECK(write_kubeconfig(dir.file("no/such/dir/kubeconfig"), text).value().find("no/such/dir/kubeconfig") !=
        std::string::npos);
}

TEST_CASE("kubectl reads the kubeconfig: server, CA data and context") {
  if (::access("/usr/bin/kubectl", X_OK) != 0) {
    MESSAGE("kubectl not installed at /usr/bin/kubectl: skipping the kubectl check");
    return;
  }
  temp_dir dir;
  auto pki = ensure_cluster_pki(dir.path(), {"127.0.0.1"}, {});
  REQUIRE(pki.ok());
  const std::string path = dir.file("kubeconfig.yaml");
  REQUIRE(write_kubeconfig(path, kubeconfig_text("https://127.0.0.1:6443", pki.value().ca_cert_pem, "tok: en")) ==
          std::nullopt);
  auto view = [&](const std::string& jsonpath) {
    auto r = run("HOME=" + sh_quoted(dir.path()) + " /usr/bin/kubectl --kubeconfig " + sh_quoted(path) +
                 " config view --raw -o jsonpath=" + sh_quoted(jsonpath));
    REQUIRE_MESSAGE(r.exit_code == 0, r.output);
    return r.output;
  };
  CHECK(view("{.clusters[0].cluster.server}") == "https://127.0.0.1:6443");
  CHECK(view("{.current-context}") == "berth");
  CHECK(view("{.contexts[0].context.namespace}") == "default");
  CHECK(view("{.users[0].user.token}") == "tok: en");
  const auto y = YAML::Load(read_file(path));
  CHECK(view("{.clusters[0].cluster.certificate-authority-data}") ==
        y["clusters"][0]["cluster"]["certificate-authority-data"].as<std::string>());
}

TEST_CASE("join tokens: K10<CA key hash>::<node token>, parsed back; other text is a plain node token") {
  temp_dir dir;
  auto pki = ensure_cluster_pki(dir.path(), {"127.0.0.1"}, {});
  REQUIRE(pki.ok());
  auto token = make_join_token(pki.value().ca_cert_pem, "s3cret");
  REQUIRE(token.ok());
  auto fp = ca_fingerprint(pki.value().ca_cert_pem);
  REQUIRE(fp.ok());
  CHECK(token.value() == "K10" + fp.value().substr(7) + "::s3cret");
  auto parsed = parse_join_token(token.value());
  REQUIRE(parsed.ok());
  CHECK(parsed.value().ca_fingerprint == fp.value());
  CHECK(parsed.value().secret == "s3cret");

  auto plain = parse_join_token("abcdef0123");
  REQUIRE(plain.ok());
  CHECK(plain.value().ca_fingerprint.empty());
  CHECK(plain.value().secret == "abcdef0123");

  struct bad_case {
    std::string token, message;
  };
  const std::string hex(64, 'a');
  for (const auto& c : std::vector<bad_case>{
           {"K10abc::x", "join token: expected 64 lowercase hex digits after K10, got \"abc\" (3 characters)"},
           {"K10" + std::string(64, 'A') + "::x", "join token: expected 64 lowercase hex digits after K10"},
           {"K10" + hex, "join token: expected \"::\" and the node token after the CA hash"},
           {"K10" + hex + "::", "join token: expected \"::\" and the node token after the CA hash"},
       }) {
    auto r = parse_join_token(c.token);
    REQUIRE_FALSE(r.ok());
    CHECK_MESSAGE(r.error().rfind(c.message, 0) == 0, r.error());
  }
}

TEST_CASE("discover_ca takes the CA from the server's chain by its key hash, and nothing else") {
  temp_dir dir, other;
  auto pki = ensure_cluster_pki(dir.path(), {"127.0.0.1"}, {});
  REQUIRE(pki.ok());
  auto other_pki = ensure_cluster_pki(other.path(), {"127.0.0.1"}, {});
  REQUIRE(other_pki.ok());
  auto fp = ca_fingerprint(pki.value().ca_cert_pem).value();

  {
    tls_server server(pki.value(), dir.file("chain.log"), true);
    auto found = discover_ca("127.0.0.1", std::to_string(server.port()), fp, 5000);
    REQUIRE_MESSAGE(found.ok(), found.error());
    CHECK(found.value() == pki.value().ca_cert_pem);

    // Another cluster's pin: refused, naming both hashes.
    auto other_fp = ca_fingerprint(other_pki.value().ca_cert_pem).value();
    auto refused = discover_ca("127.0.0.1", std::to_string(server.port()), other_fp, 5000);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().find(other_fp) != std::string::npos);
    CHECK(refused.error().find(fp) != std::string::npos);
  }
  {
    // A server that does not send its CA cannot be checked: refused.
    tls_server server(pki.value(), dir.file("leaf.log"), false);
    auto refused = discover_ca("127.0.0.1", std::to_string(server.port()), fp, 5000);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().find("sent no certificate with the CA key the join token pins") != std::string::npos);
  }
  // Nobody listening: a clear connection error.
  auto nobody = discover_ca("127.0.0.1", std::to_string(free_port()), fp, 2000);
  REQUIRE_FALSE(nobody.ok());
  CHECK(nobody.error().rfind("cannot reach berthd at 127.0.0.1:", 0) == 0);
}

}  // namespace berth::pki
