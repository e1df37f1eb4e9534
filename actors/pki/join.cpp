#include "actors/pki/join.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "actors/pki/files.hpp"
#include "actors/pki/openssl_util.hpp"

namespace berth::pki {
namespace {

constexpr std::string_view k_prefix = "K10";
constexpr std::string_view k_separator = "::";

using ctx_ptr = std::unique_ptr<SSL_CTX, free_with<SSL_CTX_free>>;
using ssl_ptr = std::unique_ptr<SSL, free_with<SSL_free>>;
using bio_ptr = std::unique_ptr<BIO, free_with<BIO_free_all>>;

/// What a failed handshake left queued (nothing: the peer hung up).
std::string tls_errors() { return openssl_errors("the connection closed"); }

std::string pem_of(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return {};
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

/// A connected TCP socket, or -1 and `error`.
int connect_with_timeout(const std::string& host, const std::string& port, int timeout_ms, std::string& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0) {
    error = fmt::format("cannot resolve {}: {}", host, ::gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  for (auto* a = found; a != nullptr && fd < 0; a = a->ai_next) {
    fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, a->ai_addr, a->ai_addrlen) != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int soerr = 0;
      socklen_t len = sizeof soerr;
      if (::poll(&p, 1, timeout_ms) != 1 || ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0) {
        error = soerr != 0 ? std::strerror(soerr) : "timed out";
        ::close(fd);
        fd = -1;
        continue;
      }
    }
  }
  ::freeaddrinfo(found);
  if (fd < 0 && error.empty()) error = std::strerror(errno);
  if (fd >= 0) {
    // The handshake below is blocking, bounded by socket timeouts.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  }
  return fd;
}

}  // namespace

result<join_token> parse_join_token(const std::string& text) {
  using r = result<join_token>;
  if (text.rfind(k_prefix, 0) != 0) return r::success({"", text});
  const auto sep = text.find(k_separator, k_prefix.size());
  const std::string hex = text.substr(k_prefix.size(), sep == std::string::npos ? std::string::npos : sep - k_prefix.size());
  if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos)
    return r::failure(fmt::format("join token: expected 64 lowercase hex digits after K10, got \"{}\" ({} characters)",
                                  hex, hex.size()));
  if (sep == std::string::npos || sep + k_separator.size() >= text.size())
    return r::failure("join token: expected \"::\" and the node token after the CA hash (K10<hash>::<token>)");
  return r::success({"sha256:" + hex, text.substr(sep + k_separator.size())});
}

result<std::string> make_join_token(const std::string& ca_cert_pem, const std::string& node_token) {
  auto fp = ca_fingerprint(ca_cert_pem);
  if (!fp.ok()) return result<std::string>::failure(fp.error());
  return result<std::string>::success(fmt::format("{}{}{}{}", k_prefix, fp.value().substr(7), k_separator, node_token));
}

std::optional<std::string> write_join_token(const std::string& path, const std::string& token) {
  return write_atomically(path, token + "\n", 0600);
}

result<std::string> discover_ca(const std::string& host, const std::string& port, const std::string& ca_fingerprint_,
                                int timeout_ms) {
  using r = result<std::string>;
  const auto where = fmt::format("berthd at {}:{}", host, port);
  std::string error;
  const int fd = connect_with_timeout(host, port, timeout_ms, error);
  if (fd < 0) return r::failure(fmt::format("cannot reach {}: {}", where, error));

  // Nothing is trusted yet: the chain is checked by its CA's key hash below.
  ctx_ptr ctx(SSL_CTX_new(TLS_client_method()));
  ssl_ptr ssl(ctx ? SSL_new(ctx.get()) : nullptr);
  if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
    ::close(fd);
    return r::failure("TLS setup: " + tls_errors());
  }
  SSL_set_verify(ssl.get(), SSL_VERIFY_NONE, nullptr);
  SSL_set_tlsext_host_name(ssl.get(), "berth");
  if (SSL_connect(ssl.get()) != 1) {
    auto why = tls_errors();
    ::close(fd);
    return r::failure(fmt::format("TLS handshake with {} failed: {} (a berthd started with --insecure-rpc has no "
                                  "CA to discover)",
                                  where, why));
  }
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());  // the server's certificate first
  std::vector<std::string> pems, seen;
  for (int i = 0; chain != nullptr && i < sk_X509_num(chain); ++i) pems.push_back(pem_of(sk_X509_value(chain, i)));
  SSL_shutdown(ssl.get());
  ssl.reset();
  ::close(fd);
  if (pems.empty()) return r::failure(fmt::format("{} sent no certificate", where));

  for (const auto& pem : pems) {
    auto fp = ca_fingerprint(pem);
    if (!fp.ok()) continue;
    if (fp.value() != ca_fingerprint_) {
      seen.push_back(fp.value());
      continue;
    }
    if (auto why = verify_against_ca(pems.front(), pem))
      return r::failure(fmt::format("{}: its certificate does not verify against the CA the join token pins: {}",
                                    where, *why));
    return r::success(pem);
  }
  std::string list;
  for (const auto& s : seen) list += (list.empty() ? "" : ", ") + s;
  return r::failure(fmt::format("{} sent no certificate with the CA key the join token pins ({}); it sent {}: a "
                                "join token of another cluster, or not berthd",
                                where, ca_fingerprint_, list));
}

}  // namespace berth::pki
