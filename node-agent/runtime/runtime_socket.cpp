#include "node-agent/runtime/runtime_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <capnp/rpc-twoparty.h>
#include <fmt/format.h>

namespace berth::agent {

namespace {

// KJ_EXCEPTION with a non-literal argument would prefix the argument's source text.
kj::Exception failure(std::string message) {
  return kj::Exception(kj::Exception::Type::FAILED, __FILE__, __LINE__, kj::heapString(message.data(), message.size()));
}

// Does a process accept connections on the unix socket at `path`? (A unix
// socket connect answers at once, so a blocking probe is fine here.)
bool someone_listens(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) return false;
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return connected;
}

void remove_stale_socket(const std::string& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return;  // nothing there
  if (!S_ISSOCK(st.st_mode)) {
    throw failure(fmt::format("runtime socket {} exists and is not a socket", path));
  }
  if (someone_listens(path)) {
    throw failure(fmt::format("a runtime is already served on {}", path));
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    throw failure(fmt::format("cannot remove the stale runtime socket {}: {}", path, std::strerror(errno)));
  }
}

}  // namespace

kj::Promise<void> serve_runtime(kj::AsyncIoProvider& io, std::string path, schema::Runtime::Client runtime) {
  remove_stale_socket(path);
  return io.getNetwork()
      .parseAddress(kj::str("unix:", path.c_str()))
      .then([runtime = kj::mv(runtime)](kj::Own<kj::NetworkAddress> address) mutable {
        auto listener = address->listen();
        auto server = kj::heap<capnp::TwoPartyServer>(kj::mv(runtime));
        auto listening = server->listen(*listener);
        return listening.attach(kj::mv(listener), kj::mv(server), kj::mv(address));
      });
}

kj::Promise<kj::Own<runtime_connection>> runtime_connection::connect(kj::AsyncIoProvider& io, std::string path) {
  return io.getNetwork()
      .parseAddress(kj::str("unix:", path.c_str()))
      .then([](kj::Own<kj::NetworkAddress> address) {
        auto connecting = address->connect();
        return connecting.attach(kj::mv(address));
      })
      .then([](kj::Own<kj::AsyncIoStream> stream) { return kj::heap<runtime_connection>(kj::mv(stream)); });
}

runtime_connection::runtime_connection(kj::Own<kj::AsyncIoStream> stream)
    : stream_(kj::mv(stream)),
      rpc_(kj::heap<capnp::TwoPartyClient>(*stream_)),
      runtime_(rpc_->bootstrap().castAs<schema::Runtime>()) {}

runtime_connection::~runtime_connection() noexcept(false) = default;

kj::Promise<void> runtime_connection::on_disconnect() { return rpc_->onDisconnect(); }

std::string runtime_socket_path(std::string_view spec) {
  constexpr std::string_view prefix = "unix:";
  if (!spec.starts_with(prefix)) return {};
  return std::string(spec.substr(prefix.size()));
}

}  // namespace berth::agent
