// service_proxy on a real KJ loop with real sockets. Backends are "who am I"
// echo servers on 127.0.0.2..127.0.0.9; services use cluster IPs in
// 10.96.200.0/24, routed locally by prepare() (needs root, as berth-agent
// does). No packet leaves the machine: loopback and the local route only.
// The local route is left in place afterwards (see service_proxy.hpp).
#include "node-agent/proxy/service_proxy.hpp"

#include <doctest/doctest.h>

#include <kj/async-io.h>
#include <kj/debug.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

#include "node-agent/proxy/forwarding.hpp"
#include "tests/node-agent/proxy/proxy_fixtures.hpp"

// KJ exceptions are not std::exceptions: show their text when a test throws.
REGISTER_EXCEPTION_TRANSLATOR(const kj::Exception& e) { return doctest::String(kj::str(e).cStr()); }

namespace berth::agent::proxy {
namespace {

using namespace test;

/// A backend: on each connection it sends "<name>\n", then echoes everything
/// until the client ends its writes, then ends its own.
class who_am_i : kj::TaskSet::ErrorHandler {
 public:
  who_am_i(kj::AsyncIoContext& io, std::string name, const std::string& ip)
      : name_(std::move(name)),
        receiver_(numeric_address(io.provider->getNetwork(), ip, 0)->listen()),
        ip_(ip),
        loop_(accept_loop()) {}

  backend address() { return backend{ip_, static_cast<std::int32_t>(receiver_->getPort())}; }
  int accepted() const { return accepted_; }

 private:
  void taskFailed(kj::Exception&&) override {}  // a client reset: nothing to do

  kj::Promise<void> accept_loop() {
    return receiver_->accept().then([this](kj::Own<kj::AsyncIoStream> conn) {
      ++accepted_;
      tasks_.add(serve(kj::mv(conn)));
      return accept_loop();
    });
  }

  kj::Promise<void> serve(kj::Own<kj::AsyncIoStream> conn) {
    auto& c = *conn;
    auto hello = kj::heapString(name_ + "\n");
    return c.write(hello.begin(), hello.size())
        .then([&c] { return c.pumpTo(c); })
        .then([&c](std::uint64_t) { c.shutdownWrite(); })
        .attach(kj::mv(conn), kj::mv(hello));
  }

  std::string name_;
  kj::Own<kj::ConnectionReceiver> receiver_;
  std::string ip_;
  int accepted_ = 0;
  kj::TaskSet tasks_{*this};
  kj::Promise<void> loop_;
};

/// A loopback address and port where nothing listens (bound, then closed).
backend dead_backend(kj::AsyncIoContext& io) {
  auto receiver = numeric_address(io.provider->getNetwork(), "127.0.0.9", 0)->listen();
  return backend{"127.0.0.9", static_cast<std::int32_t>(receiver->getPort())};
}

kj::Own<kj::AsyncIoStream> connect_to(kj::AsyncIoContext& io, const std::string& ip, std::int32_t port) {
  return numeric_address(io.provider->getNetwork(), ip, port)->connect().wait(io.waitScope);
}

/// Connects from a chosen local `source` address (a cluster IP: local thanks
/// to the route), so that the proxy sees distinct client IPs.
kj::Own<kj::AsyncIoStream> connect_from(kj::AsyncIoContext& io, const std::string& source, const std::string& ip,
                                        std::int32_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  REQUIRE(inet_pton(AF_INET, source.c_str(), &local.sin_addr) == 1);
  REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  sockaddr_in remote{};
  remote.sin_family = AF_INET;
  remote.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(inet_pton(AF_INET, ip.c_str(), &remote.sin_addr) == 1);
  using flags = kj::LowLevelAsyncIoProvider::Flags;
  return io.lowLevelProvider
      ->wrapConnectingSocketFd(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote,
                               flags::TAKE_OWNERSHIP | flags::ALREADY_CLOEXEC | flags::ALREADY_NONBLOCK)
      .wait(io.waitScope);
}

/// Sends `msg`, ends the writes, and returns everything the other side sent.
std::string exchange(kj::AsyncIoContext& io, const std::string& ip, std::int32_t port,
                     const std::string& msg = "hello") {
  auto conn = connect_to(io, ip, port);
  conn->write(msg.data(), msg.size()).wait(io.waitScope);
  conn->shutdownWrite();
  return std::string(conn->readAllText().wait(io.waitScope).cStr());
}

/// The description of the exception a connect attempt fails with; "" if it
/// succeeds. Ten seconds turn a hang into a failed assertion, not a stuck test.
std::string connect_error(kj::AsyncIoContext& io, const std::string& ip, std::int32_t port) {
  auto attempt = numeric_address(io.provider->getNetwork(), ip, port)->connect();
  auto bounded = io.provider->getTimer().timeoutAfter(10 * kj::SECONDS, kj::mv(attempt));
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { bounded.wait(io.waitScope); })) {
    return e->getDescription().cStr();
  }
  return "";
}

/// Reads exactly `n` bytes.
std::string read_exactly(kj::AsyncIoContext& io, kj::AsyncIoStream& s, std::size_t n) {
  std::string out(n, '\0');
  s.read(out.data(), n).wait(io.waitScope);
  return out;
}

model::endpoints endpoints_of(const std::string& name, const std::vector<backend>& backends) {
  std::vector<model::endpoint_subset> subsets;
  for (const auto& b : backends) subsets.push_back(make_subset({b.ip}, {{"", b.port}}));
  return make_endpoints(name, subsets);
}

/// The loop, a proxy with the cluster range routed locally.
struct fixture {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::unique_ptr<service_proxy> proxy;

  explicit fixture(std::vector<std::string> node_addresses = {}) {
    proxy_config config;
    config.node_addresses = std::move(node_addresses);
    config.quiet = std::getenv("PROXY_TEST_LOG") == nullptr;  // set it to see the proxy's log
    proxy = std::make_unique<service_proxy>(*io.provider, config);
    REQUIRE(proxy->prepare() == "");
  }

  /// Lets the loop run until `done()` holds (connections finishing their
  /// teardown); gives up after 1000 turns of 1 ms.
  template <class Predicate>
  void settle(Predicate done) {
    for (int i = 0; i < 1000 && !done(); ++i) io.provider->getTimer().afterDelay(kj::MILLISECONDS).wait(io.waitScope);
  }
};

TEST_CASE("proxy: round robin across 3 backends reaches each 10 times in 30 connections") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3"), b3(f.io, "b3", "127.0.0.4");
  f.proxy->update({make_service("web", "10.96.200.1", {tcp_port("", 80)})},
                  {endpoints_of("web", {b1.address(), b2.address(), b3.address()})});
  std::map<std::string, int> replies;
  for (int i = 0; i < 30; ++i) ++replies[exchange(f.io, "10.96.200.1", 80)];
  CHECK(replies == std::map<std::string, int>{{"b1\nhello", 10}, {"b2\nhello", 10}, {"b3\nhello", 10}});
  auto views = f.proxy->listeners();
  REQUIRE(views.size() == 1);
  CHECK(views[0].address == "10.96.200.1");
  CHECK(views[0].port == 80);
  CHECK(views[0].service == "default/web:80");
  CHECK(views[0].accepted == 30);
  CHECK(views[0].backends == std::vector<backend>{b1.address(), b2.address(), b3.address()});
}

TEST_CASE("proxy: ClientIP affinity sends every connection of a client to the same backend") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3"), b3(f.io, "b3", "127.0.0.4");
  f.proxy->update({make_service("sticky", "10.96.200.2", {tcp_port("", 80)}, model::service_type::cluster_ip,
                                model::session_affinity::client_ip)},
                  {endpoints_of("sticky", {b1.address(), b2.address(), b3.address()})});
  std::string first = exchange(f.io, "10.96.200.2", 80);
  for (int i = 0; i < 9; ++i) CHECK(exchange(f.io, "10.96.200.2", 80) == first);
  CHECK(b1.accepted() + b2.accepted() + b3.accepted() == 10);
  CHECK(std::max({b1.accepted(), b2.accepted(), b3.accepted()}) == 10);
}

TEST_CASE("proxy: ClientIP affinity keeps each client IP on its own backend") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3"), b3(f.io, "b3", "127.0.0.4");
  f.proxy->update({make_service("sticky", "10.96.200.11", {tcp_port("", 80)}, model::service_type::cluster_ip,
                                model::session_affinity::client_ip)},
                  {endpoints_of("sticky", {b1.address(), b2.address(), b3.address()})});
  const std::vector<std::string> clients{"10.96.200.250", "10.96.200.251", "10.96.200.252"};
  for (int round = 0; round < 4; ++round) {
    for (std::size_t i = 0; i < clients.size(); ++i) {
      auto conn = connect_from(f.io, clients[i], "10.96.200.11", 80);
      conn->shutdownWrite();
      CHECK(std::string(conn->readAllText().wait(f.io.waitScope).cStr()) == "b" + std::to_string(i + 1) + "\n");
    }
  }
  CHECK(b1.accepted() == 4);
  CHECK(b2.accepted() == 4);
  CHECK(b3.accepted() == 4);
}

TEST_CASE("proxy: a client reset tears down its backend connection") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2");
  f.proxy->update({make_service("rst", "10.96.200.12", {tcp_port("", 80)})}, {endpoints_of("rst", {b1.address()})});
  auto conn = connect_to(f.io, "10.96.200.12", 80);
  CHECK(read_exactly(f.io, *conn, 3) == "b1\n");
  CHECK(f.proxy->listeners()[0].open_connections == 1);
  int fd = -1;
  KJ_IF_MAYBE (got, conn->getFd()) {
    fd = *got;
  }
  REQUIRE(fd >= 0);
  linger abort_on_close{1, 0};
  REQUIRE(setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof abort_on_close) == 0);
  conn = nullptr;  // close with SO_LINGER 0: a reset
  f.settle([&] { return f.proxy->listeners()[0].open_connections == 0; });
  CHECK(f.proxy->listeners()[0].open_connections == 0);
  CHECK(exchange(f.io, "10.96.200.12", 80) == "b1\nhello");
}

TEST_CASE("proxy: a dead backend is skipped and no client connection fails") {
  fixture f;
  who_am_i live(f.io, "live", "127.0.0.2");
  f.proxy->update({make_service("half", "10.96.200.3", {tcp_port("", 80)})},
                  {endpoints_of("half", {dead_backend(f.io), live.address()})});
  for (int i = 0; i < 10; ++i) CHECK(exchange(f.io, "10.96.200.3", 80) == "live\nhello");
  CHECK(live.accepted() == 10);
}

TEST_CASE("proxy: all backends dead: the client is closed and the listener lives on") {
  fixture f;
  f.proxy->update({make_service("gone", "10.96.200.4", {tcp_port("", 80)})},
                  {endpoints_of("gone", {dead_backend(f.io)})});
  // The client sends nothing, so the proxy's close is a clean end of stream
  // (unread data would turn it into a reset).
  auto conn = connect_to(f.io, "10.96.200.4", 80);
  CHECK(std::string(conn->readAllText().wait(f.io.waitScope).cStr()) == "");
  who_am_i back(f.io, "back", "127.0.0.5");
  f.proxy->update({make_service("gone", "10.96.200.4", {tcp_port("", 80)})}, {endpoints_of("gone", {back.address()})});
  CHECK(exchange(f.io, "10.96.200.4", 80) == "back\nhello");
}

TEST_CASE("proxy: removing a backend keeps an open connection to another backend working") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3");
  auto svc = make_service("live", "10.96.200.5", {tcp_port("", 80)});
  f.proxy->update({svc}, {endpoints_of("live", {b1.address(), b2.address()})});
  auto conn = connect_to(f.io, "10.96.200.5", 80);
  CHECK(read_exactly(f.io, *conn, 3) == "b1\n");

  f.proxy->update({svc}, {endpoints_of("live", {b1.address()})});
  REQUIRE(f.proxy->listeners().size() == 1);
  CHECK(f.proxy->listeners()[0].backends == std::vector<backend>{b1.address()});
  CHECK(f.proxy->listeners()[0].open_connections == 1);
  // New connections only reach the backend that remains, while the old one flows.
  CHECK(exchange(f.io, "10.96.200.5", 80) == "b1\nhello");
  CHECK(exchange(f.io, "10.96.200.5", 80) == "b1\nhello");

  std::string msg = "still here";
  conn->write(msg.data(), msg.size()).wait(f.io.waitScope);
  CHECK(read_exactly(f.io, *conn, msg.size()) == msg);
  conn->shutdownWrite();
  CHECK(std::string(conn->readAllText().wait(f.io.waitScope).cStr()) == "");
  f.settle([&] { return f.proxy->listeners()[0].open_connections == 0; });
  CHECK(f.proxy->listeners()[0].open_connections == 0);
}

TEST_CASE("proxy: an added backend gets traffic") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.6");
  auto svc = make_service("grow", "10.96.200.6", {tcp_port("", 8080)});
  f.proxy->update({svc}, {endpoints_of("grow", {b1.address()})});
  CHECK(exchange(f.io, "10.96.200.6", 8080) == "b1\nhello");
  f.proxy->update({svc}, {endpoints_of("grow", {b1.address(), b2.address()})});
  std::map<std::string, int> replies;
  for (int i = 0; i < 4; ++i) ++replies[exchange(f.io, "10.96.200.6", 8080)];
  CHECK(replies == std::map<std::string, int>{{"b1\nhello", 2}, {"b2\nhello", 2}});
}

TEST_CASE("proxy: a service with no endpoints has no listener and refuses connections at once") {
  fixture f;
  f.proxy->update({make_service("empty", "10.96.200.7", {tcp_port("", 80)})}, {make_endpoints("empty", {})});
  CHECK(f.proxy->listeners().empty());
  CHECK(f.proxy->problems() == std::vector<std::string>{"default/empty:80: no ready endpoints, so no listener"});
  CHECK(connect_error(f.io, "10.96.200.7", 80) == "connect(): Connection refused");
}

TEST_CASE("proxy: deleting the service closes its listener; its open connection runs on") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2");
  f.proxy->update({make_service("doomed", "10.96.200.8", {tcp_port("", 80)})},
                  {endpoints_of("doomed", {b1.address()})});
  auto conn = connect_to(f.io, "10.96.200.8", 80);
  CHECK(read_exactly(f.io, *conn, 3) == "b1\n");

  f.proxy->update({}, {});
  CHECK(f.proxy->listeners().empty());
  CHECK(connect_error(f.io, "10.96.200.8", 80) == "connect(): Connection refused");

  std::string msg = "after delete";
  conn->write(msg.data(), msg.size()).wait(f.io.waitScope);
  conn->shutdownWrite();
  CHECK(std::string(conn->readAllText().wait(f.io.waitScope).cStr()) == msg);
}

TEST_CASE("proxy: a NodePort service forwards on 127.0.0.1:<nodePort> too") {
  fixture f({"127.0.0.1"});
  who_am_i b1(f.io, "b1", "127.0.0.2");
  f.proxy->update({make_service("np", "10.96.200.9", {tcp_port("", 80, 31999)}, model::service_type::node_port)},
                  {endpoints_of("np", {b1.address()})});
  auto views = f.proxy->listeners();
  REQUIRE(views.size() == 2);
  CHECK(views[0].address == "10.96.200.9");
  CHECK(views[1].address == "127.0.0.1");
  CHECK(views[1].port == 31999);
  CHECK(exchange(f.io, "127.0.0.1", 31999, "via node port") == "b1\nvia node port");
  CHECK(exchange(f.io, "10.96.200.9", 80, "via cluster IP") == "b1\nvia cluster IP");
}

TEST_CASE("proxy: a listener that cannot be opened is reported and retried on the next update") {
  fixture f;
  who_am_i b1(f.io, "b1", "127.0.0.2");
  auto squatter = numeric_address(f.io.provider->getNetwork(), "10.96.200.10", 80)->listen();
  auto svc = make_service("blocked", "10.96.200.10", {tcp_port("", 80)});
  auto eps = endpoints_of("blocked", {b1.address()});
  f.proxy->update({svc}, {eps});
  CHECK(f.proxy->listeners().empty());
  REQUIRE(f.proxy->problems().size() == 1);
  CHECK(f.proxy->problems()[0] ==
        "default/blocked:80: cannot listen on 10.96.200.10:80: "
        "::bind(sockfd, &addr.generic, addrlen): Address already in use; "
        "toString() = 10.96.200.10:80");
  squatter = nullptr;
  f.proxy->update({svc}, {eps});
  CHECK(f.proxy->problems().empty());
  CHECK(exchange(f.io, "10.96.200.10", 80) == "b1\nhello");
}

TEST_CASE("prepare is idempotent and refuses a prefix with host bits") {
  fixture f;
  CHECK(f.proxy->prepare() == "");
  proxy_config bad;
  bad.cluster_cidr = "10.96.0.1/16";
  bad.quiet = true;
  service_proxy p(*f.io.provider, bad);
  CHECK(p.prepare() ==
        "cluster CIDR \"10.96.0.1/16\" is not an IPv4 prefix a.b.c.d/n (n from 8 to 30) with zero host bits");
}

}  // namespace
}  // namespace berth::agent::proxy
