// The KJ thread: one event loop serving Cap'n Proto RPC and HTTP.
#include "actors/rpc/rpc_server.hpp"

#include <future>
#include <optional>

#include <capnp/rpc-twoparty.h>
#include <fmt/format.h>
#include <kj/async-io.h>
#include <kj/compat/http.h>
#include <kj/thread.h>

#include "actors/kube/bearer.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/rpc/rpc_internal.hpp"
#include "actors/rpc/tls_accept.hpp"
#include "actors/text/json_quote.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

/// /healthz and /version here; /metrics (http_metrics.cpp), /console and
/// /api/introspect/... (http_console.cpp); everything else is 404.
class http_service final : public kj::HttpService {
 public:
  http_service(server_context& ctx, kj::HttpHeaderTable& table, kj::HttpHeaderId authorization)
      : ctx_(ctx), table_(table), authorization_(authorization) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders& headers,
                            kj::AsyncInputStream&, Response& response) override {
    if (method != kj::HttpMethod::GET && method != kj::HttpMethod::HEAD)
      return send(response, {405, "Method Not Allowed", "text/plain", "only GET and HEAD are served\n"});
    if (url == "/healthz") return send(response, {200, "OK", "text/plain", "ok\n"});
    if (url == "/version")
      return send(response, {200, "OK", "application/json",
                             fmt::format("{{\"version\":{},\"journalSeq\":{}}}\n",
                                         text::json_quote(ctx_.config.version), ctx_.cp.journal_seq())});
    http_request r{ctx_, url, headers, authorization_};
    kj::Maybe<kj::Promise<http_reply>> routed = route_metrics(r);
    if (routed == nullptr) routed = route_console(r);
    KJ_IF_MAYBE (promise, routed) {
      return promise->then([this, &response](http_reply reply) { return send(response, kj::mv(reply)); });
    }
    return send(response, {404, "Not Found", "text/plain", fmt::format("no such path: {}\n", url.cStr())});
  }

 private:
  kj::Promise<void> send(Response& response, http_reply reply) {
    kj::HttpHeaders headers(table_);
    headers.set(kj::HttpHeaderId::CONTENT_TYPE, reply.content_type);
    auto stream = response.send(reply.status, reply.status_text, headers, reply.body.size());
    auto data = kj::heapString(reply.body.data(), reply.body.size());
    auto promise = stream->write(data.begin(), data.size());
    return promise.attach(kj::mv(stream), kj::mv(data));
  }

  server_context& ctx_;
  kj::HttpHeaderTable& table_;
  kj::HttpHeaderId authorization_;
};

std::string bound_address(kj::ConnectionReceiver& l, const std::string& requested) {
  auto host = requested.substr(0, requested.rfind(':'));
  return fmt::format("{}:{}", host, l.getPort());
}

}  // namespace

bool http_request::authorized() const {
  const auto& token = ctx.config.admin_token;
  KJ_IF_MAYBE (value, headers.get(authorization)) {
    return kube::bearer_authorizes(std::string_view(value->begin(), value->size()), token);
  }
  return false;
}

struct rpc_server::impl {
  impl(actors::control_plane& c, server_config cfg) : cp(c), config(std::move(cfg)) {}
  actors::control_plane& cp;
  server_config config;
  std::string rpc_address, http_address, api_address;
  kj::Own<kj::Thread> thread;
  std::mutex stop_mutex;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stop;  // set by the KJ thread once running
  std::shared_ptr<kj_inbox> inbox = std::make_shared<kj_inbox>();
  std::unique_ptr<debug::journal_service> journal_reads;  // outlives the KJ thread's use of it

  void run(std::promise<std::string>& started);
};

void rpc_server::impl::run(std::promise<std::string>& started) {
  auto io = kj::setupAsyncIo();
  auto& network = io.provider->getNetwork();
  server_context ctx{cp, config, inbox, {}, {}, journal_reads.get(), &io.provider->getTimer(), {}, nullptr};
  ctx.hub = std::make_unique<watch_hub>(ctx, watch_settings::from_environment());
  ctx.hub->subscribe();  // its first batch arrives through the inbox, once the loop below runs
  kj::Own<kj::ConnectionReceiver> rpc_listener, http_listener;
  try {
    rpc_listener = network.parseAddress(config.rpc_listen).wait(io.waitScope)->listen();
  } catch (const kj::Exception& e) {
    started.set_value(fmt::format("cannot listen on {}: {}", config.rpc_listen, text::describe(e)));
    return;
  }
  try {
    http_listener = network.parseAddress(config.http_listen).wait(io.waitScope)->listen();
  } catch (const kj::Exception& e) {
    started.set_value(fmt::format("cannot listen on {}: {}", config.http_listen, text::describe(e)));
    return;
  }
  rpc_address = bound_address(*rpc_listener, config.rpc_listen);
  http_address = bound_address(*http_listener, config.http_listen);

  // One TLS context for the Kubernetes API and the RPC listener: the same
  // serving certificate, signed by the cluster CA that clients pin.
  std::optional<kj::TlsKeypair> keypair;
  kj::Maybe<kj::Own<kj::TlsContext>> tls;
  if (!config.api_listen.empty() || !config.insecure_rpc) {
    try {
      keypair.emplace(kj::TlsKeypair{kj::TlsPrivateKey(config.tls_key_pem.c_str()),
                                     kj::TlsCertificate(config.tls_cert_pem.c_str())});
      kj::TlsContext::Options options;
      options.defaultKeypair = *keypair;
      options.useSystemTrustStore = false;
      tls = kj::heap<kj::TlsContext>(kj::mv(options));
    } catch (const kj::Exception& e) {
      started.set_value(fmt::format("cannot load the serving certificate: {}", text::describe(e)));
      return;
    }
  }

  // The Kubernetes API: TLS on its own port, one HTTP connection per TLS stream.
  kj::Own<kj::ConnectionReceiver> api_listener;
  kube_http_parts kube;
  log_errors api_errors("kubernetes API connection");
  kj::TaskSet api_connections(api_errors);
  // SPDY upgrades (kubectl port-forward) are taken before KJ's HttpServer: kube_upgrade.cpp.
  tls_connection_handler serve_api = [&kube, &ctx](kj::Own<kj::AsyncIoStream> stream) {
    return serve_api_connection(kj::mv(stream), ctx, kube);
  };
  kj::Promise<void> api_loop = kj::NEVER_DONE;
  if (!config.api_listen.empty()) {
    try {
      api_listener = network.parseAddress(config.api_listen).wait(io.waitScope)->listen();
    } catch (const kj::Exception& e) {
      started.set_value(fmt::format("cannot serve the Kubernetes API on {}: {}", config.api_listen, text::describe(e)));
      return;
    }
    api_address = bound_address(*api_listener, config.api_listen);
    kube = make_kube_http(ctx, io.provider->getTimer(), api_address);
    KJ_IF_MAYBE (context, tls) { api_loop = accept_tls(*api_listener, **context, api_connections, serve_api); }
  }

  // Cap'n Proto RPC: over TLS (each handshake on its own, so one bad client
  // never stops the listener), or plain TCP with --insecure-rpc.
  capnp::TwoPartyServer rpc(make_gateway(ctx));
  log_errors rpc_errors("RPC connection");
  kj::TaskSet rpc_connections(rpc_errors);
  tls_connection_handler serve_rpc = [&rpc](kj::Own<kj::AsyncIoStream> stream) -> kj::Promise<void> {
    rpc.accept(kj::mv(stream));
    return kj::READY_NOW;
  };
  kj::Promise<void> rpc_loop = kj::NEVER_DONE;
  KJ_IF_MAYBE (context, tls) {
    if (!config.insecure_rpc) rpc_loop = accept_tls(*rpc_listener, **context, rpc_connections, serve_rpc);
  }
  if (config.insecure_rpc) rpc_loop = rpc.listen(*rpc_listener);
  kj::HttpHeaderTable::Builder headers;
  auto authorization = headers.add("Authorization");
  auto table = headers.build();
  http_service service(ctx, *table, authorization);
  kj::HttpServer http(io.provider->getTimer(), *table, service);
  auto http_loop = http.listenHttp(*http_listener);
  auto inbox_loop = inbox->run();

  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  {
    std::lock_guard<std::mutex> lock(stop_mutex);
    stop = kj::mv(paf.fulfiller);
  }
  started.set_value("");
  paf.promise.exclusiveJoin(kj::mv(rpc_loop))
      .exclusiveJoin(kj::mv(http_loop))
      .exclusiveJoin(kj::mv(api_loop))
      .wait(io.waitScope);
  inbox->close();
}

rpc_server::rpc_server(actors::control_plane& cp, server_config config)
    : impl_(std::make_unique<impl>(cp, std::move(config))) {
  if (impl_->config.journal != nullptr)
    impl_->journal_reads = std::make_unique<debug::journal_service>(*impl_->config.journal);
}

rpc_server::~rpc_server() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mutex);
    if (impl_->stop) impl_->stop->fulfill();
  }
  impl_->thread = nullptr;  // joins
}

std::string rpc_server::start() {
  std::promise<std::string> started;
  auto result = started.get_future();
  auto* self = impl_.get();
  impl_->thread = kj::heap<kj::Thread>([self, &started] { self->run(started); });
  return result.get();
}

const std::string& rpc_server::rpc_address() const { return impl_->rpc_address; }
const std::string& rpc_server::http_address() const { return impl_->http_address; }
const std::string& rpc_server::api_address() const { return impl_->api_address; }

}  // namespace berth::rpc
