#include "node-agent/proxy/service_proxy.hpp"

#include <map>
#include <utility>

#include <fmt/format.h>
#include <kj/async-io.h>

#include "node-agent/proxy/forwarding.hpp"
#include "node-agent/proxy/local_route.hpp"
#include "node-agent/proxy/udp_relay.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::agent::proxy {

namespace {

/// What a listener shares with its connections. Refcounted because a
/// connection may outlive its listener (a deleted service's established
/// connections run on) and still needs the picker while it retries.
struct listener_state : kj::Refcounted {
  listener_spec spec;
  backend_picker picker;
  std::size_t open_connections = 0;
  std::uint64_t accepted = 0;
};

/// Counts a connection as open for exactly as long as it lives.
struct open_guard {
  kj::Own<listener_state> state;
  explicit open_guard(kj::Own<listener_state> s) : state(kj::mv(s)) { ++state->open_connections; }
  open_guard(const open_guard&) = delete;
  open_guard& operator=(const open_guard&) = delete;
  ~open_guard() { --state->open_connections; }
};

/// A bound socket and its accept loop. Members are destroyed in reverse order:
/// the accept loop is cancelled before the socket it waits on is closed.
struct open_listener {
  kj::Own<listener_state> state;
  kj::Own<kj::ConnectionReceiver> receiver;  ///< TCP
  kj::Promise<void> accept_loop = nullptr;   ///< TCP
  kj::Own<udp_relay> udp;                    ///< UDP; uses state's picker
};

}  // namespace

struct service_proxy::impl : kj::TaskSet::ErrorHandler {
  impl(kj::AsyncIoProvider& provider, proxy_config c) : io(provider), config(std::move(c)) {}

  void log(const std::string& line) const {
    if (!config.quiet) fmt::print(stderr, "berth-agent: proxy: {}\n", line);
  }

  void taskFailed(kj::Exception&& e) override {
    // A connection that could not be forwarded; the client sees a close.
    log(fmt::format("connection dropped: {}", text::describe(e)));
  }

  std::string open(const listener_spec& spec);
  kj::Promise<void> accept_loop(open_listener& l);
  kj::Promise<void> serve(kj::Own<listener_state> state, kj::Own<kj::AsyncIoStream> client);

  kj::AsyncIoProvider& io;
  proxy_config config;
  std::map<listener_key, std::unique_ptr<open_listener>> listeners;
  std::vector<std::string> problems;
  // Last: destroyed first, so no connection outlives what it refers to.
  kj::TaskSet connections{*this};
};

std::string service_proxy::impl::open(const listener_spec& spec) {
  auto l = std::make_unique<open_listener>();
  l->state = kj::refcounted<listener_state>();
  l->state->spec = spec;
  l->state->picker = backend_picker(spec.backends, spec.affinity);
  const bool udp = spec.key.protocol == model::protocol::udp;
  kj::Own<kj::DatagramPort> datagrams;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] {
                 auto address = numeric_address(io.getNetwork(), spec.key.address, spec.key.port);
                 if (udp) {
                   datagrams = address->bindDatagramPort();
                 } else {
                   l->receiver = address->listen();
                 }
               })) {
    return fmt::format("{}: cannot listen on {}: {}", spec.service, to_string(spec.key), text::describe(*e));
  }
  if (udp) {
    l->udp = kj::heap<udp_relay>(
        io.getNetwork(), io.getTimer(), kj::mv(datagrams), l->state->picker,
        config.udp_idle_timeout_ms * kj::MILLISECONDS,
        [this, service = spec.service](const std::string& line) { log(fmt::format("{}: {}", service, line)); });
  } else {
    l->accept_loop = accept_loop(*l);
  }
  listeners.emplace(spec.key, std::move(l));
  log(fmt::format("{}: listening on {} for {} backend(s)", spec.service, to_string(spec.key), spec.backends.size()));
  return "";
}

kj::Promise<void> service_proxy::impl::accept_loop(open_listener& l) {
  // `l` owns this promise, so it outlives every continuation below.
  return l.receiver->accept().then(
      [this, &l](kj::Own<kj::AsyncIoStream> client) {
        ++l.state->accepted;
        connections.add(serve(kj::addRef(*l.state), kj::mv(client)));
        return accept_loop(l);
      },
      [this, &l](kj::Exception&& e) {
        // Out of descriptors, a connection reset while queued...: never fatal.
        // The pause keeps a persistent error from spinning the loop.
        log(fmt::format("{}: accept on {} failed ({}); retrying", l.state->spec.service, to_string(l.state->spec.key),
                        text::describe(e)));
        return io.getTimer().afterDelay(100 * kj::MILLISECONDS).then([this, &l] { return accept_loop(l); });
      });
}

kj::Promise<void> service_proxy::impl::serve(kj::Own<listener_state> state, kj::Own<kj::AsyncIoStream> client) {
  auto guard = kj::heap<open_guard>(kj::mv(state));
  listener_state& st = *guard->state;
  connect_context ctx{
      io.getNetwork(), io.getTimer(), config.connect_timeout_ms * kj::MILLISECONDS, st.picker,
      [this, service = st.spec.service](const std::string& line) { log(fmt::format("{}: {}", service, line)); }};
  std::string client_ip = peer_ip(*client);
  return connect_backend(ctx, std::move(client_ip))
      .then([client = kj::mv(client)](kj::Own<kj::AsyncIoStream> server) mutable {
        return forward_both_ways(kj::mv(client), kj::mv(server));
      })
      .attach(kj::mv(guard));
}

service_proxy::service_proxy(kj::AsyncIoProvider& io, proxy_config config)
    : impl_(std::make_unique<impl>(io, std::move(config))) {}

service_proxy::~service_proxy() = default;

std::string service_proxy::prepare() {
  std::string why = route_cidr_locally(impl_->config.cluster_cidr);
  if (why.empty()) impl_->log(fmt::format("cluster IPs {} are routed locally", impl_->config.cluster_cidr));
  return why;
}

void service_proxy::update(const std::vector<model::service>& services,
                           const std::vector<model::endpoints>& endpoints) {
  impl& self = *impl_;
  routing_plan plan = plan_listeners(services, endpoints, self.config.node_addresses);
  self.problems = std::move(plan.skipped);

  std::map<listener_key, const listener_spec*> wanted;
  for (const auto& spec : plan.listeners) wanted.emplace(spec.key, &spec);
  // Close first, so that a key that moves from one service to another is free.
  for (auto it = self.listeners.begin(); it != self.listeners.end();) {
    if (wanted.count(it->first)) {
      ++it;
      continue;
    }
    self.log(fmt::format("{}: closing {}", it->second->state->spec.service, to_string(it->first)));
    it = self.listeners.erase(it);
  }
  for (const auto& [key, spec] : wanted) {
    auto it = self.listeners.find(key);
    if (it == self.listeners.end()) {
      std::string why = self.open(*spec);
      if (!why.empty()) {
        self.log(why);
        self.problems.push_back(std::move(why));
      }
      continue;
    }
    listener_state& st = *it->second->state;
    if (st.spec == *spec) continue;
    // Live swap: established connections keep their streams; only new ones
    // see the new set.
    st.spec = *spec;
    st.picker.set_backends(spec->backends, spec->affinity);
    if (it->second->udp) it->second->udp->drop_sessions_outside(st.picker.backends());
  }
}

const std::vector<std::string>& service_proxy::problems() const { return impl_->problems; }

std::vector<listener_view> service_proxy::listeners() const {
  std::vector<listener_view> out;
  for (const auto& [key, l] : impl_->listeners) {
    const listener_state& st = *l->state;
    const std::size_t open = l->udp ? l->udp->sessions() : st.open_connections;
    const std::uint64_t accepted = l->udp ? l->udp->opened() : st.accepted;
    out.push_back(listener_view{key.address, key.port, key.protocol, st.spec.service, st.picker.backends(),
                                st.picker.affinity(), open, accepted});
  }
  return out;
}

}  // namespace berth::agent::proxy
