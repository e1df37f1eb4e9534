// The proxy's UDP relay on a real KJ loop with real sockets. Backends are
// "who am I" datagram echoers on 127.0.0.2..127.0.0.4; services use cluster
// IPs in 10.96.201.0/24 and clients send from addresses in it, all routed
// locally by prepare() (needs root, as berth-agent does). No packet leaves
// the machine.
#include <doctest/doctest.h>

#include <kj/async-io.h>
#include <kj/debug.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "node-agent/proxy/forwarding.hpp"
#include "node-agent/proxy/service_proxy.hpp"
#include "tests/node-agent/proxy/proxy_fixtures.hpp"

namespace berth::agent::proxy {
namespace {

using namespace test;

/// A UDP backend: answers each datagram with "<name>:<payload>" to its sender.
class udp_who_am_i {
 public:
  udp_who_am_i(kj::AsyncIoContext& io, std::string name, const std::string& ip)
      : name_(std::move(name)),
        ip_(ip),
        port_(numeric_address(io.provider->getNetwork(), ip, 0)->bindDatagramPort()),
        rx_(port_->makeReceiver()),
        loop_(loop().eagerlyEvaluate(nullptr)) {}

  backend address() { return backend{ip_, static_cast<std::int32_t>(port_->getPort())}; }
  int received() const { return received_; }

 private:
  kj::Promise<void> loop() {
    return rx_->receive().then([this] {
      ++received_;
      auto bytes = rx_->getContent().value;
      auto reply = kj::heapString(name_ + ":" + std::string(bytes.asChars().begin(), bytes.size()));
      auto to = rx_->getSource().clone();
      auto& dest = *to;
      return port_->send(reply.begin(), reply.size(), dest).attach(kj::mv(to), kj::mv(reply)).then([this](size_t) {
        return loop();
      });
    });
  }

  std::string name_;
  std::string ip_;
  kj::Own<kj::DatagramPort> port_;
  kj::Own<kj::DatagramReceiver> rx_;
  int received_ = 0;
  kj::Promise<void> loop_;
};

/// A client socket bound to `source` (its own port), sending to a service.
struct udp_client {
  kj::AsyncIoContext& io;
  kj::Own<kj::DatagramPort> port;
  kj::Own<kj::DatagramReceiver> rx;

  udp_client(kj::AsyncIoContext& context, const std::string& source)
      : io(context),
        port(numeric_address(io.provider->getNetwork(), source, 0)->bindDatagramPort()),
        rx(port->makeReceiver()) {}

  /// Sends `msg` to ip:port; returns the reply and the address it came from
  /// ("" and "" after 2 s of silence).
  std::pair<std::string, std::string> ask(const std::string& ip, std::int32_t service_port, const std::string& msg) {
    auto to = numeric_address(io.provider->getNetwork(), ip, service_port);
    port->send(msg.data(), msg.size(), *to).wait(io.waitScope);
    auto got = io.provider->getTimer()
                   .timeoutAfter(2 * kj::SECONDS, rx->receive().then([] { return true; }))
                   .then([](bool b) { return b; }, [](kj::Exception&&) { return false; })
                   .wait(io.waitScope);
    if (!got) return {"", ""};
    auto bytes = rx->getContent().value;
    return {std::string(bytes.asChars().begin(), bytes.size()), rx->getSource().toString().cStr()};
  }
};

model::service_port udp_port(std::string name, std::int32_t number) {
  auto p = tcp_port(std::move(name), number);
  p.protocol_ = model::protocol::udp;
  return p;
}

model::endpoints udp_endpoints_of(const std::string& name, const std::vector<backend>& backends) {
  std::vector<model::endpoint_subset> subsets;
  for (const auto& b : backends) {
    auto subset = make_subset({b.ip}, {{"", b.port}});
    subset.ports[0].protocol_ = model::protocol::udp;
    subsets.push_back(subset);
  }
  return make_endpoints(name, subsets);
}

struct fixture {
  kj::AsyncIoContext io = kj::setupAsyncIo();
  std::unique_ptr<service_proxy> proxy;

  explicit fixture(std::uint32_t idle_ms = 250) {
    proxy_config config;
    config.udp_idle_timeout_ms = idle_ms;
    config.quiet = std::getenv("PROXY_TEST_LOG") == nullptr;
    proxy = std::make_unique<service_proxy>(*io.provider, config);
    REQUIRE(proxy->prepare() == "");
  }

  void sleep(kj::Duration d) { io.provider->getTimer().afterDelay(d).wait(io.waitScope); }
};

TEST_CASE("udp proxy: a client's datagrams stay with one backend; replies come from the service address") {
  fixture f(5000);
  udp_who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3");
  f.proxy->update({make_service("dns", "10.96.201.1", {udp_port("", 53)})},
                  {udp_endpoints_of("dns", {b1.address(), b2.address()})});
  REQUIRE(f.proxy->problems().empty());
  udp_client a(f.io, "10.96.201.250"), b(f.io, "10.96.201.251");
  auto first = a.ask("10.96.201.1", 53, "q1");
  CHECK(first.second == "10.96.201.1:53");
  const std::string a_backend = first.first.substr(0, 2);
  for (int i = 2; i <= 4; ++i) CHECK(a.ask("10.96.201.1", 53, "q" + std::to_string(i)).first == a_backend + ":q" + std::to_string(i));
  auto other = b.ask("10.96.201.1", 53, "x");
  CHECK(other.first == (a_backend == "b1" ? "b2:x" : "b1:x"));  // round robin per session
  CHECK(other.second == "10.96.201.1:53");

  auto views = f.proxy->listeners();
  REQUIRE(views.size() == 1);
  CHECK(views[0].protocol == model::protocol::udp);
  CHECK(views[0].open_connections == 2);  // sessions
  CHECK(views[0].accepted == 2);
  CHECK(b1.received() + b2.received() == 5);
}

TEST_CASE("udp proxy: an idle session ends, and the client's next datagram picks again") {
  fixture f(50);
  udp_who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3");
  f.proxy->update({make_service("dns", "10.96.201.2", {udp_port("", 53)})},
                  {udp_endpoints_of("dns", {b1.address(), b2.address()})});
  udp_client a(f.io, "10.96.201.250");
  std::string first = a.ask("10.96.201.2", 53, "q").first;
  f.sleep(300 * kj::MILLISECONDS);  // idle 50 ms, swept within 75 ms
  CHECK(f.proxy->listeners()[0].open_connections == 0);
  std::string second = a.ask("10.96.201.2", 53, "q").first;
  CHECK(first != second);  // round robin moved on: a new session
  CHECK(f.proxy->listeners()[0].accepted == 2);
}

TEST_CASE("udp proxy: a removed backend's sessions end; its clients go to the others") {
  fixture f(5000);
  udp_who_am_i b1(f.io, "b1", "127.0.0.2"), b2(f.io, "b2", "127.0.0.3");
  auto svc = make_service("dns", "10.96.201.3", {udp_port("", 53)});
  f.proxy->update({svc}, {udp_endpoints_of("dns", {b1.address(), b2.address()})});
  udp_client a(f.io, "10.96.201.250"), b(f.io, "10.96.201.251");
  std::string on_a = a.ask("10.96.201.3", 53, "q").first;
  std::string on_b = b.ask("10.96.201.3", 53, "q").first;
  REQUIRE(on_a != on_b);
  f.proxy->update({svc}, {udp_endpoints_of("dns", {b2.address()})});
  CHECK(f.proxy->listeners()[0].open_connections == 1);  // b1's session is gone
  CHECK(a.ask("10.96.201.3", 53, "again").first == "b2:again");
  CHECK(b.ask("10.96.201.3", 53, "again").first == "b2:again");
}

TEST_CASE("udp proxy: UDP and TCP listeners share a port number; deleting the service closes both") {
  fixture f(5000);
  udp_who_am_i u(f.io, "u", "127.0.0.2");
  // A TCP backend on the same address that says "t" and closes.
  auto tcp_listener = numeric_address(f.io.provider->getNetwork(), "127.0.0.2", 0)->listen();
  auto tcp_backend = tcp_listener->accept()
                         .then([](kj::Own<kj::AsyncIoStream> c) {
                           auto& ref = *c;
                           return ref.write("t", 1).attach(kj::mv(c));
                         })
                         .eagerlyEvaluate(nullptr);
  auto subset = make_subset({"127.0.0.2"}, {{"dns", u.address().port},
                                            {"dns-tcp", static_cast<std::int32_t>(tcp_listener->getPort())}});
  subset.ports[0].protocol_ = model::protocol::udp;
  auto svc = make_service("mixed", "10.96.201.4", {udp_port("dns", 53), tcp_port("dns-tcp", 53)});
  f.proxy->update({svc}, {make_endpoints("mixed", {subset})});
  REQUIRE(f.proxy->listeners().size() == 2);
  CHECK(f.proxy->listeners()[0].protocol == model::protocol::tcp);
  CHECK(f.proxy->listeners()[1].protocol == model::protocol::udp);

  udp_client a(f.io, "10.96.201.250");
  CHECK(a.ask("10.96.201.4", 53, "hi").first == "u:hi");
  auto conn = numeric_address(f.io.provider->getNetwork(), "10.96.201.4", 53)->connect().wait(f.io.waitScope);
  CHECK(std::string(conn->readAllText().wait(f.io.waitScope).cStr()) == "t");

  f.proxy->update({}, {});
  CHECK(f.proxy->listeners().empty());
  CHECK(a.ask("10.96.201.4", 53, "hi").first == "");  // nothing answers now
}

}  // namespace
}  // namespace berth::agent::proxy
