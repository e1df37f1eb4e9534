#include "actors/rpc/dial.hpp"

#include <fmt/format.h>
#include <kj/compat/tls.h>
#include <kj/debug.h>

#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

/// A failure whose description is exactly `why` (KJ_EXCEPTION would prefix
/// "why.c_str() = ").
kj::Exception failure(const std::string& why) {
  return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::heapString(why.c_str()));
}

/// The TLS context and the pinned certificate, kept alive with the stream.
struct tls_client {
  kj::TlsCertificate ca;
  kj::Own<kj::TlsContext> context;

  explicit tls_client(const std::string& pem) : ca(kj::StringPtr(pem.c_str())) {
    kj::TlsContext::Options options;
    options.useSystemTrustStore = false;
    options.trustedCertificates = kj::arrayPtr(&ca, 1);
    context = kj::heap<kj::TlsContext>(kj::mv(options));
  }
};

}  // namespace

std::shared_ptr<kj::AsyncIoContext> thread_async_io() {
  static thread_local std::weak_ptr<kj::AsyncIoContext> current;
  if (auto io = current.lock()) return io;
  auto io = std::make_shared<kj::AsyncIoContext>(kj::setupAsyncIo());
  current = io;
  return io;
}

kj::Promise<kj::Own<kj::AsyncIoStream>> dial_rpc(kj::Network& network, const std::string& address,
                                                 const rpc_security& s, unsigned default_port) {
  auto connected = network.parseAddress(address, default_port).then([](kj::Own<kj::NetworkAddress> a) {
    return a->connect().attach(kj::mv(a));
  });
  if (s.insecure) return connected;
  kj::Own<tls_client> tls;
  try {
    tls = kj::heap<tls_client>(s.ca_pem);
  } catch (const kj::Exception& e) {
    auto why = fmt::format("cannot use the CA certificate {}: {}", s.ca_origin, text::describe(e));
    return failure(why);
  }
  auto name = verification_name(address);
  return connected.then(
      [tls = kj::mv(tls), name, origin = s.ca_origin](kj::Own<kj::AsyncIoStream> raw) mutable {
        auto& context = *tls->context;
        return context.wrapClient(kj::mv(raw), name)
            .then([tls = kj::mv(tls)](kj::Own<kj::AsyncIoStream> secure) mutable {
              return secure.attach(kj::mv(tls));
            })
            .catch_([origin](kj::Exception&& e) -> kj::Promise<kj::Own<kj::AsyncIoStream>> {
              auto why = fmt::format(
                  "TLS handshake failed: {} (the CA pinned is {}; a berthd started with --insecure-rpc needs "
                  "--insecure-rpc here too)",
                  text::describe(e), origin);
              return failure(why);
            });
      });
}

}  // namespace berth::rpc
