#include "node-agent/proxy/forwarding.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include <fmt/format.h>
#include "actors/text/kj_describe.hpp"

namespace berth::agent::proxy {

namespace {

kj::Exception failure(kj::Exception::Type type, const std::string& why) {
  return kj::Exception(type, __FILE__, __LINE__, kj::heapString(why.data(), why.size()));
}

}  // namespace

kj::Own<kj::NetworkAddress> numeric_address(kj::Network& network, const std::string& ip, std::int32_t port) {
  if (port < 0 || port > 65535)
    throw failure(kj::Exception::Type::FAILED, fmt::format("port {} is out of range", port));
  sockaddr_in v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4.sin_addr) == 1) {
    v4.sin_family = AF_INET;
    v4.sin_port = htons(static_cast<std::uint16_t>(port));
    return network.getSockaddr(&v4, sizeof v4);
  }
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, ip.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    v6.sin6_port = htons(static_cast<std::uint16_t>(port));
    return network.getSockaddr(&v6, sizeof v6);
  }
  throw failure(kj::Exception::Type::FAILED, fmt::format("\"{}\" is not a numeric IP address", ip));
}

std::string peer_ip(kj::AsyncIoStream& stream) {
  sockaddr_storage ss{};
  uint len = sizeof ss;
  bool known =
      kj::runCatchingExceptions([&] { stream.getpeername(reinterpret_cast<sockaddr*>(&ss), &len); }) == nullptr;
  if (!known) return "";
  char text[INET6_ADDRSTRLEN] = {};
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(&ss)->sin_addr, text, sizeof text);
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<sockaddr_in6*>(&ss)->sin6_addr, text, sizeof text);
  }
  return text;
}

kj::Promise<kj::Own<kj::AsyncIoStream>> connect_backend(const connect_context& ctx, std::string client_ip,
                                                        std::vector<backend> tried) {
  std::optional<backend> chosen = ctx.picker.next(client_ip, std::chrono::steady_clock::now(), tried);
  if (!chosen) {
    return failure(kj::Exception::Type::DISCONNECTED,
                   fmt::format("no backend of {} accepted the connection", tried.size()));
  }
  tried.push_back(*chosen);
  kj::Promise<kj::Own<kj::AsyncIoStream>> attempt = kj::evalNow([&] {
    kj::Own<kj::NetworkAddress> address = numeric_address(ctx.network, chosen->ip, chosen->port);
    kj::Promise<kj::Own<kj::AsyncIoStream>> connecting = address->connect();
    return connecting.attach(kj::mv(address));
  });
  return ctx.timer.timeoutAfter(ctx.attempt_timeout, kj::mv(attempt))
      .catch_([ctx, client_ip = std::move(client_ip),
               tried = std::move(tried)](kj::Exception&& e) mutable -> kj::Promise<kj::Own<kj::AsyncIoStream>> {
        if (ctx.log)
          ctx.log(fmt::format("connect to {} failed ({}); trying the next backend", to_string(tried.back()),
                              text::describe(e)));
        return connect_backend(ctx, std::move(client_ip), std::move(tried));
      });
}

namespace {

/// Both streams and the tripwire that an error in either direction pulls.
struct link {
  kj::Own<kj::AsyncIoStream> client;
  kj::Own<kj::AsyncIoStream> server;
  kj::Own<kj::PromiseFulfiller<void>> broken;
};

kj::Promise<void> one_way(kj::AsyncIoStream& from, kj::AsyncIoStream& to, kj::PromiseFulfiller<void>& broken) {
  return from.pumpTo(to)
      .then([&to](std::uint64_t) { to.shutdownWrite(); })
      .catch_([&broken](kj::Exception&& e) { broken.reject(kj::mv(e)); })
      // KJ runs a continuation only when its result is pulled, and the join
      // below pulls only once both directions are ready: without this the
      // half-close would wait for the other direction, which waits for it.
      .eagerlyEvaluate(nullptr);
}

}  // namespace

kj::Promise<void> forward_both_ways(kj::Own<kj::AsyncIoStream> client, kj::Own<kj::AsyncIoStream> server) {
  auto tripwire = kj::newPromiseAndFulfiller<void>();
  auto l = kj::heap<link>(link{kj::mv(client), kj::mv(server), kj::mv(tripwire.fulfiller)});
  auto both = kj::heapArrayBuilder<kj::Promise<void>>(2);
  both.add(one_way(*l->client, *l->server, *l->broken));
  both.add(one_way(*l->server, *l->client, *l->broken));
  // The join ends when both directions ended cleanly; the tripwire ends the
  // whole link (cancelling the other direction) at the first error. The link
  // is attached last, so the streams outlive the pumps that use them.
  return kj::joinPromises(both.finish()).exclusiveJoin(kj::mv(tripwire.promise)).attach(kj::mv(l));
}

}  // namespace berth::agent::proxy
