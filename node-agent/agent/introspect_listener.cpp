#include "node-agent/agent/introspect_listener.hpp"

#include <capnp/rpc-twoparty.h>
#include <kj/compat/http.h>
#include <fmt/format.h>
#include <kj/debug.h>

namespace berth::agent {
namespace {

class gateway final : public schema::AgentGateway::Server {
 public:
  gateway(std::string token, introspect::registry& reg, kj::Timer& timer, introspect::service_hooks hooks)
      : token_(std::move(token)), reg_(reg), timer_(timer), hooks_(std::move(hooks)) {}

 protected:
  kj::Promise<void> login(LoginContext c) override {
    if (token_.empty() || c.getParams().getToken() != token_.c_str())
      throw KJ_EXCEPTION(FAILED, "invalid token: use the node token this agent joined with (berthd's DATA/node.token)");
    c.getResults().setIntrospection(introspect::make_introspection(reg_, timer_, hooks_));
    return kj::READY_NOW;
  }

 private:
  std::string token_;
  introspect::registry& reg_;
  kj::Timer& timer_;
  introspect::service_hooks hooks_;
};

}  // namespace

kj::Promise<void> agent_nodes(
    const introspect::registry& registry, const std::vector<std::string>& nodes,
    capnp::CallContext<schema::Introspection::NodesParams, schema::Introspection::NodesResults> c) {
  auto all = registry.list();
  auto out = c.getResults().initNodes(static_cast<unsigned>(nodes.size()));
  for (unsigned i = 0; i < nodes.size(); ++i) {
    auto name = "node/" + nodes[i];
    std::vector<introspect::actor_info> mine;
    for (const auto& a : all)
      if (a.name == name || a.owner == name) mine.push_back(a);
    out[i].setNode(nodes[i]);
    introspect::to_capnp(mine, out[i].initActors(static_cast<unsigned>(mine.size())));
  }
  return kj::READY_NOW;
}

struct introspect_listener::impl {
  impl(kj::Own<kj::ConnectionReceiver> l, schema::AgentGateway::Client g)
      : listener(kj::mv(l)), server(kj::mv(g)), loop(server.listen(*listener).eagerlyEvaluate(nullptr)) {}
  kj::Own<kj::ConnectionReceiver> listener;
  capnp::TwoPartyServer server;
  kj::Promise<void> loop;
};

introspect_listener::introspect_listener(kj::AsyncIoContext& io, const std::string& address, std::string token,
                                         introspect::registry& registry, introspect::service_hooks hooks) {
  auto listener = io.provider->getNetwork().parseAddress(address).wait(io.waitScope)->listen();
  bound_ = fmt::format("{}:{}", address.substr(0, address.rfind(':')), listener->getPort());
  auto& timer = io.provider->getTimer();
  impl_ = kj::heap<impl>(kj::mv(listener), kj::heap<gateway>(std::move(token), registry, timer, std::move(hooks)));
}

introspect_listener::~introspect_listener() = default;

namespace {

class metrics_http final : public kj::HttpService {
 public:
  metrics_http(kj::HttpHeaderTable& table, kj::HttpHeaderId authorization, std::string token,
               std::function<std::string()> render)
      : table_(table), authorization_(authorization), token_(std::move(token)), render_(std::move(render)) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders& headers,
                            kj::AsyncInputStream&, Response& response) override {
    if (method != kj::HttpMethod::GET) return send(response, 405, "Method Not Allowed", "only GET is served\n");
    if (url == "/healthz") return send(response, 200, "OK", "ok\n");
    if (url != "/metrics") return send(response, 404, "Not Found", fmt::format("no such path: {}\n", url.cStr()));
    bool authorized = false;
    KJ_IF_MAYBE (value, headers.get(authorization_)) {
      authorized = !token_.empty() && *value == kj::str("Bearer ", token_.c_str());
    }
    if (!authorized)
      return send(response, 401, "Unauthorized",
                  "send the node token this agent joined with: Authorization: Bearer TOKEN\n");
    return send(response, 200, "OK", render_(), "text/plain; version=0.0.4; charset=utf-8");
  }

 private:
  kj::Promise<void> send(Response& response, unsigned status, kj::StringPtr text, std::string body,
                         kj::StringPtr type = "text/plain; charset=utf-8") {
    kj::HttpHeaders headers(table_);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, type);
    auto stream = response.send(status, text, headers, body.size());
    auto data = kj::heapString(body.data(), body.size());
    auto promise = stream->write(data.begin(), data.size());
    return promise.attach(kj::mv(stream), kj::mv(data));
  }

  kj::HttpHeaderTable& table_;
  kj::HttpHeaderId authorization_;
  std::string token_;
  std::function<std::string()> render_;
};

}  // namespace

struct metrics_listener::impl {
  kj::Own<kj::ConnectionReceiver> listener;
  kj::Own<kj::HttpHeaderTable> table;
  kj::Own<metrics_http> service;
  kj::Own<kj::HttpServer> server;
  kj::Promise<void> loop = nullptr;
};

metrics_listener::metrics_listener(kj::AsyncIoContext& io, const std::string& address, std::string token,
                                   std::function<std::string()> render)
    : impl_(kj::heap<impl>()) {
  impl_->listener = io.provider->getNetwork().parseAddress(address).wait(io.waitScope)->listen();
  bound_ = fmt::format("{}:{}", address.substr(0, address.rfind(':')), impl_->listener->getPort());
  kj::HttpHeaderTable::Builder builder;
  auto authorization = builder.add("Authorization");
  impl_->table = builder.build();
  impl_->service = kj::heap<metrics_http>(*impl_->table, authorization, std::move(token), std::move(render));
  impl_->server = kj::heap<kj::HttpServer>(io.provider->getTimer(), *impl_->table, *impl_->service);
  impl_->loop = impl_->server->listenHttp(*impl_->listener).eagerlyEvaluate(nullptr);
}

metrics_listener::~metrics_listener() = default;

}  // namespace berth::agent
