#include "node-agent/proxy/udp_relay.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "actors/text/kj_describe.hpp"
#include "node-agent/proxy/forwarding.hpp"

namespace berth::agent::proxy {

namespace {

/// The largest UDP payload (65,535 minus the IPv4 and UDP headers): a
/// datagram is relayed whole or not at all.
constexpr std::size_t k_max_datagram = 65507;

/// "1.2.3.4" of "1.2.3.4:5353", "::1" of "[::1]:5353" (KJ's toString form).
std::string ip_of(const std::string& address) {
  if (!address.empty() && address.front() == '[') return address.substr(1, address.find(']') - 1);
  return address.substr(0, address.rfind(':'));
}

}  // namespace

/// One client's session. Refcounted: a send in flight keeps it alive after
/// the sweep has dropped it from the table.
struct udp_relay::session : kj::Refcounted {
  std::string client_text;              ///< "ip:port", the table's key, for logs
  kj::Own<kj::NetworkAddress> client;   ///< where replies go
  backend chosen;
  kj::Own<kj::NetworkAddress> target;   ///< the backend's address
  kj::Own<kj::DatagramPort> upstream;   ///< this session's own socket towards the backend
  kj::Own<kj::DatagramReceiver> upstream_rx;
  kj::TimePoint last_active = kj::origin<kj::TimePoint>();
  kj::Promise<void> replies = nullptr;  ///< last: cancelled before the sockets close
};

udp_relay::udp_relay(kj::Network& network, kj::Timer& timer, kj::Own<kj::DatagramPort> port, backend_picker& picker,
                     kj::Duration idle, std::function<void(const std::string&)> log)
    : network_(network),
      timer_(timer),
      port_(kj::mv(port)),
      receiver_(port_->makeReceiver({k_max_datagram + 1, 0})),
      picker_(picker),
      idle_(idle),
      log_(std::move(log)) {
  loop_ = receive_loop().eagerlyEvaluate(nullptr);
}

udp_relay::~udp_relay() noexcept(false) = default;

void udp_relay::taskFailed(kj::Exception&& e) {
  // A send refused by the kernel (no route, a full buffer): UDP may drop it.
  log_(fmt::format("datagram dropped: {}", text::describe(e)));
}

kj::Promise<void> udp_relay::receive_loop() {
  return receiver_->receive().then(
      [this]() -> kj::Promise<void> {
        auto content = receiver_->getContent();
        if (content.isTruncated) {
          log_(fmt::format("dropped a datagram over {} bytes from {}", k_max_datagram,
                           receiver_->getSource().toString().cStr()));
          return receive_loop();
        }
        if (session* s = session_for(receiver_->getSource())) {
          s->last_active = timer_.now();
          // The receiver's buffer is reused by the next receive: copy.
          auto copy = kj::heapArray<kj::byte>(content.value);
          tasks_.add(s->upstream->send(copy.begin(), copy.size(), *s->target)
                         .attach(kj::addRef(*s), kj::mv(copy))
                         .ignoreResult());
        }
        return receive_loop();
      },
      [this](kj::Exception&& e) -> kj::Promise<void> {
        // Never fatal; the pause keeps a persistent error from spinning.
        log_(fmt::format("receive failed ({}); retrying", text::describe(e)));
        return timer_.afterDelay(100 * kj::MILLISECONDS).then([this] { return receive_loop(); });
      });
}

udp_relay::session* udp_relay::session_for(kj::NetworkAddress& source) {
  std::string key = source.toString().cStr();
  if (auto it = sessions_.find(key); it != sessions_.end()) return it->second.get();

  std::optional<backend> chosen = picker_.next(ip_of(key), std::chrono::steady_clock::now(), {});
  if (!chosen) {
    log_(fmt::format("no backend for a datagram from {}", key));
    return nullptr;
  }
  auto s = kj::refcounted<session>();
  s->client_text = key;
  s->client = source.clone();
  s->chosen = *chosen;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                 s->target = numeric_address(network_, chosen->ip, chosen->port);
                 const bool v6 = chosen->ip.find(':') != std::string::npos;
                 s->upstream = numeric_address(network_, v6 ? "::" : "0.0.0.0", 0)->bindDatagramPort();
               })) {
    log_(fmt::format("cannot open a socket towards {} for {}: {}", to_string(*chosen), key, text::describe(*e)));
    return nullptr;
  }
  s->upstream_rx = s->upstream->makeReceiver({k_max_datagram + 1, 0});
  s->last_active = timer_.now();
  session& ref = *s;
  ref.replies = reply_loop(ref).eagerlyEvaluate([this, &ref](kj::Exception&& e) {
    // The session stays until it goes idle; the client's retries reopen it.
    log_(fmt::format("replies from {} to {} stopped: {}", to_string(ref.chosen), ref.client_text, text::describe(e)));
  });
  sessions_.emplace(std::move(key), kj::mv(s));
  ++opened_;
  if (!sweeping_) {
    sweeping_ = true;
    tasks_.add(sweep_loop());
  }
  return &ref;
}

void udp_relay::drop_sessions_outside(const std::vector<backend>& backends) {
  std::erase_if(sessions_, [&](const auto& kv) {
    return !std::binary_search(backends.begin(), backends.end(), kv.second->chosen);
  });
}

kj::Promise<void> udp_relay::reply_loop(session& s) {
  // `s` owns this promise, so it outlives every continuation below.
  return s.upstream_rx->receive().then([this, &s]() -> kj::Promise<void> {
    auto content = s.upstream_rx->getContent();
    if (!content.isTruncated) {
      s.last_active = timer_.now();
      auto copy = kj::heapArray<kj::byte>(content.value);
      // From the service's own socket, so the client sees the address it sent to.
      tasks_.add(port_->send(copy.begin(), copy.size(), *s.client).attach(kj::addRef(s), kj::mv(copy)).ignoreResult());
    }
    return reply_loop(s);
  });
}

kj::Promise<void> udp_relay::sweep_loop() {
  // Runs only while there are sessions; a session lives between idle and
  // 1.5 x idle after its last datagram.
  kj::Duration every = idle_ / 2;
  if (every < 10 * kj::MILLISECONDS) every = 10 * kj::MILLISECONDS;
  return timer_.afterDelay(every).then([this]() -> kj::Promise<void> {
    const kj::TimePoint now = timer_.now();
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      if (now - it->second->last_active >= idle_) {
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
    if (sessions_.empty()) {
      sweeping_ = false;
      return kj::READY_NOW;
    }
    return sweep_loop();
  });
}

}  // namespace berth::agent::proxy
