#include "actors/rpc/tls_accept.hpp"

#include <kj/debug.h>

#include <algorithm>
#include <cstring>

namespace berth::rpc {

const char k_plain_to_tls_answer[] =
    "HTTP/1.1 400 Bad Request\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Connection: close\r\n"
    "\r\n"
    "Client sent an HTTP request to an HTTPS server.\n";

namespace {

constexpr unsigned char k_tls_handshake_record = 0x16;

/// A stream whose first bytes were already read: they are read again first.
/// The TLS layer reads the handshake through it, untouched; the API reads
/// an HTTP request head through it (kube_upgrade.cpp).
class replay_stream final : public kj::AsyncIoStream {
 public:
  replay_stream(kj::Array<kj::byte> prefix, kj::Own<kj::AsyncIoStream> inner)
      : prefix_(kj::mv(prefix)), inner_(kj::mv(inner)) {}

  kj::Promise<size_t> tryRead(void* buffer, size_t min_bytes, size_t max_bytes) override {
    if (used_ < prefix_.size() && max_bytes > 0) {
      size_t n = std::min(max_bytes, prefix_.size() - used_);
      std::memcpy(buffer, prefix_.begin() + used_, n);
      used_ += n;
      if (n >= min_bytes) return n;
      return inner_->tryRead(static_cast<kj::byte*>(buffer) + n, min_bytes - n, max_bytes - n)
          .then([n](size_t more) { return n + more; });
    }
    return inner_->tryRead(buffer, min_bytes, max_bytes);
  }
  kj::Promise<void> write(const void* buffer, size_t size) override { return inner_->write(buffer, size); }
  kj::Promise<void> write(kj::ArrayPtr<const kj::ArrayPtr<const kj::byte>> pieces) override {
    return inner_->write(pieces);
  }
  kj::Promise<void> whenWriteDisconnected() override { return inner_->whenWriteDisconnected(); }
  void shutdownWrite() override { inner_->shutdownWrite(); }
  void abortRead() override { inner_->abortRead(); }
  void getsockopt(int level, int option, void* value, kj::uint* length) override {
    inner_->getsockopt(level, option, value, length);
  }
  void setsockopt(int level, int option, const void* value, kj::uint length) override {
    inner_->setsockopt(level, option, value, length);
  }
  void getsockname(struct sockaddr* addr, kj::uint* length) override { inner_->getsockname(addr, length); }
  void getpeername(struct sockaddr* addr, kj::uint* length) override { inner_->getpeername(addr, length); }

 private:
  kj::Array<kj::byte> prefix_;
  size_t used_ = 0;
  kj::Own<kj::AsyncIoStream> inner_;
};

kj::Promise<void> serve_one(kj::Own<kj::AsyncIoStream> stream, kj::TlsContext& tls, tls_connection_handler& serve) {
  auto first = kj::heap<kj::byte>(0);
  auto& first_ref = *first;
  auto& raw = *stream;
  return raw.tryRead(&first_ref, 1, 1)
      .then([stream = kj::mv(stream), first = kj::mv(first), &tls, &serve](size_t n) mutable -> kj::Promise<void> {
        if (n == 0) return kj::READY_NOW;  // connected and left
        if (*first != k_tls_handshake_record) {
          auto& s = *stream;
          return s.write(k_plain_to_tls_answer, std::strlen(k_plain_to_tls_answer))
              .then([&s] { s.shutdownWrite(); })
              .attach(kj::mv(stream));
        }
        return tls.wrapServer(replay_prefix(kj::heapArray<kj::byte>({*first}), kj::mv(stream)))
            .then([&serve](kj::Own<kj::AsyncIoStream> secure) { return serve(kj::mv(secure)); });
      });
}

}  // namespace

kj::Own<kj::AsyncIoStream> replay_prefix(kj::Array<kj::byte> prefix, kj::Own<kj::AsyncIoStream> inner) {
  return kj::heap<replay_stream>(kj::mv(prefix), kj::mv(inner));
}

kj::Promise<void> accept_tls(kj::ConnectionReceiver& listener, kj::TlsContext& tls, kj::TaskSet& tasks,
                             tls_connection_handler& serve) {
  return listener.accept().then([&listener, &tls, &tasks, &serve](kj::Own<kj::AsyncIoStream> stream) {
    tasks.add(serve_one(kj::mv(stream), tls, serve));
    return accept_tls(listener, tls, tasks, serve);
  });
}

}  // namespace berth::rpc
