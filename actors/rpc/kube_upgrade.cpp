// Upgrades of the Kubernetes API that KJ's HttpServer cannot take.
//
// kubectl 1.20 port-forwards (and execs: pods/NAME/exec, attach, with
// X-Stream-Protocol-Version v4.channel.k8s.io) with
//
//   POST /api/v1/namespaces/NS/pods/NAME/portforward HTTP/1.1
//   Connection: Upgrade
//   Upgrade: SPDY/3.1
//   X-Stream-Protocol-Version: portforward.k8s.io
//
// and KJ 0.9 accepts no upgrade but WebSocket. So each API connection's
// first request head is read here (actors/kube/request_head.hpp) before KJ
// sees it: a SPDY upgrade to pods/NAME/portforward, exec or attach is
// authenticated (the same bearer token; 401 Status otherwise, and nothing
// else happens), checked as the other transports check it (refusals are
// Status answers, before any upgrade), answered "101 Switching Protocols"
// and served as a SPDY session here;
// anything else goes to the HttpServer with the bytes already read, as if
// nothing had happened. kubectl 1.32 tries a WebSocket first (the same
// SPDY bytes in binary messages, subprotocol "SPDY/3.1+portforward.k8s.io"),
// which KJ accepts: serve_portforward_websocket below.
#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/bearer.hpp"
#include "actors/kube/portforward.hpp"
#include "actors/kube/remotecommand.hpp"
#include "actors/kube/request_head.hpp"
#include "actors/rpc/exec_session.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/rpc/kube_spdy.hpp"
#include "actors/rpc/tls_accept.hpp"

namespace berth::rpc {
namespace {

constexpr std::size_t k_max_head = 64 * 1024;  // KJ's own limit for a request head
constexpr auto k_head_timeout = 15 * kj::SECONDS;  // KJ's headerTimeout

const char* const k_tunnel_protocol = "SPDY/3.1+portforward.k8s.io";

/// The connection so far: the stream and the bytes read from it.
struct head_reader {
  kj::Own<kj::AsyncIoStream> stream;
  std::string bytes;
  kj::Array<kj::byte> buffer = kj::heapArray<kj::byte>(4096);
};

/// Reads until the head is complete, bad, or the client stops sending.
kj::Promise<kube::head_parse> read_head(head_reader& r) {
  auto parsed = kube::parse_request_head(r.bytes, k_max_head);
  if (parsed.what != kube::head_parse::status::partial) return kj::mv(parsed);
  return r.stream->tryRead(r.buffer.begin(), 1, r.buffer.size()).then([&r](std::size_t n) -> kj::Promise<kube::head_parse> {
    if (n == 0) return kube::head_parse{};  // ended mid-head: partial
    r.bytes.append(reinterpret_cast<const char*>(r.buffer.begin()), n);
    return read_head(r);
  });
}

kj::Promise<void> write_all(kj::AsyncIoStream& stream, std::string text) {
  auto owned = kj::heapString(text.data(), text.size());
  auto& ref = owned;
  return stream.write(ref.begin(), ref.size()).attach(kj::mv(owned));
}

/// A whole HTTP answer with a Status body, and the connection's end.
kj::Promise<void> refuse(kj::Own<kj::AsyncIoStream> stream, const kube_answer& a) {
  auto& s = *stream;
  auto text = fmt::format(
      "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}", a.code,
      kube_status_text(a.code), a.content_type, a.body.size(), a.body);
  return write_all(s, std::move(text)).then([&s] { s.shutdownWrite(); }).attach(kj::mv(stream));
}

bool authorized(const server_context& ctx, const kube::request_head& head) {
  const auto& token = ctx.config.admin_token;
  auto value = head.field("Authorization");
  return kube::bearer_authorizes(value ? std::optional<std::string_view>(*value) : std::nullopt, token);
}

/// kubelet's answer when no offered protocol is served (httpstream.Handshake).
std::string protocol_refusal(const kube::request_head& head, const char* served) {
  return fmt::format("unable to upgrade: unable to negotiate protocol: client supports [{}], server supports [{}]",
                     head.field("X-Stream-Protocol-Version").value_or(""), served);
}

/// A SPDY upgrade to pods/NAME/portforward.
kj::Promise<void> serve_spdy_portforward(head_reader& r, kube::head_parse parsed, const kube::request_target& target,
                                         server_context& ctx) {
  const auto& head = parsed.head;
  if (!authorized(ctx, head)) return refuse(kj::mv(r.stream), answer_of(kube::unauthorized()));
  if (head.method != "POST" && head.method != "GET")
    return refuse(kj::mv(r.stream), answer_of(kube::method_not_allowed("pods/portforward", head.method)));
  // No header at all: a client from before protocol negotiation, served as portforward.k8s.io.
  const bool offered = head.field("X-Stream-Protocol-Version").has_value();
  if (offered && !head.has_token("X-Stream-Protocol-Version", kube::k_portforward_protocol))
    return refuse(kj::mv(r.stream),
                  answer_of(kube::forbidden("pods", target.name, protocol_refusal(head, kube::k_portforward_protocol))));
  auto rest = r.bytes.substr(head.length);
  return find_pod_target(ctx, target.namespace_, target.name)
      .then([&r, &ctx, offered, rest = std::move(rest)](kj::OneOf<pod_target, kube_answer> found) mutable
            -> kj::Promise<void> {
        KJ_SWITCH_ONEOF(found) {
          KJ_CASE_ONEOF(refusal, kube_answer) { return refuse(kj::mv(r.stream), refusal); }
          KJ_CASE_ONEOF(pod, pod_target) {
            auto answer = fmt::format(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n{}\r\n",
                offered ? fmt::format("X-Stream-Protocol-Version: {}\r\n", kube::k_portforward_protocol) : "");
            auto& s = *r.stream;
            return write_all(s, std::move(answer))
                .then([&r, &ctx, pod = std::move(pod), rest = std::move(rest)]() mutable {
                  return serve_portforward(ctx, std::move(pod), stream_transport(kj::mv(r.stream), std::move(rest)));
                });
          }
        }
        KJ_UNREACHABLE;
      });
}

/// A SPDY upgrade to pods/NAME/exec or attach: the same checks as the
/// WebSocket path (kube_exec.cpp), in the same order, then kubelet's
/// protocol negotiation.
kj::Promise<void> serve_spdy_exec(head_reader& r, kube::head_parse parsed, const kube::request_target& target,
                                  server_context& ctx) {
  const auto& head = parsed.head;
  const bool attach = target.subresource == "attach";
  const char* what = attach ? "pods/attach" : "pods/exec";
  if (!authorized(ctx, head)) return refuse(kj::mv(r.stream), answer_of(kube::unauthorized()));
  if (head.method != "POST" && head.method != "GET")
    return refuse(kj::mv(r.stream), answer_of(kube::method_not_allowed(what, head.method)));
  std::string error;
  auto request = kube::parse_exec_request(kube::split_url(head.target).second, attach, error);
  if (!request) return refuse(kj::mv(r.stream), answer_of(kube::bad_request(error)));
  const bool v4 = head.has_token("X-Stream-Protocol-Version", kube::k_remotecommand_v4);
  auto refusal = v4 ? std::string() : protocol_refusal(head, kube::k_remotecommand_v4);
  auto rest = r.bytes.substr(head.length);
  return find_exec_target(ctx, target.namespace_, target.name, std::move(*request), attach)
      .then([&r, &ctx, name = target.name, refusal = std::move(refusal), rest = std::move(rest)](
                kj::OneOf<exec_target, exec_refusal> found) mutable -> kj::Promise<void> {
        KJ_SWITCH_ONEOF(found) {
          KJ_CASE_ONEOF(refused, exec_refusal) { return refuse(kj::mv(r.stream), answer_of(std::move(refused.status))); }
          KJ_CASE_ONEOF(exec, exec_target) {
            // Before v4 the error stream carried text, not a Status: no exit codes. Every
            // client-go since 1.8 offers v4, so older ones are refused as kubelet words it.
            if (!refusal.empty()) return refuse(kj::mv(r.stream), answer_of(kube::forbidden("pods", name, refusal)));
            auto answer = fmt::format(
                "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                "X-Stream-Protocol-Version: {}\r\n\r\n",
                kube::k_remotecommand_v4);
            auto& s = *r.stream;
            return write_all(s, std::move(answer))
                .then([&r, &ctx, exec = kj::mv(exec), rest = std::move(rest)]() mutable {
                  return serve_exec_spdy(ctx, kj::mv(exec), stream_transport(kj::mv(r.stream), std::move(rest)));
                });
          }
        }
        KJ_UNREACHABLE;
      });
}

}  // namespace

kj::Promise<kj::OneOf<pod_target, kube_answer>> find_pod_target(server_context& ctx, const std::string& ns,
                                                                 const std::string& name) {
  using result = kj::OneOf<pod_target, kube_answer>;
  auto [promise, done] = reply_to<actors::outcome>();
  ctx.cp.ask(actors::get_query{{actors::kind::pod, ns, name}}, done);
  return promise.then([name](actors::outcome o) -> result {
    if (o.result != actors::outcome::code::ok || !o.object) return answer_of(kube::not_found("pods", name));
    const auto& pod = std::get<model::pod>(*o.object);
    if (pod.spec.node_name.empty())
      return answer_of(kube::bad_request(fmt::format("pod {} does not have a host assigned", name)));
    return pod_target{pod.metadata.namespace_, pod.metadata.name, pod.metadata.uid, pod.spec.node_name};
  });
}

bool is_portforward(const kube_call& call) {
  return call.target.resource == "pods" && call.target.subresource == "portforward" && !call.target.name.empty();
}

kj::Promise<void> serve_portforward_websocket(kube_call call, const kj::HttpHeaders& headers,
                                              kj::HttpService::Response& response, kj::HttpHeaderTable& table) {
  if (!headers.isWebSocket())
    return send_kube_answer(response, table,
                            answer_of(kube::bad_request("pods/portforward: expected an upgrade to SPDY/3.1 or to a "
                                                        "WebSocket with subprotocol " +
                                                        std::string(k_tunnel_protocol))));
  auto protocols = table.stringToId("Sec-WebSocket-Protocol");
  std::string offered;
  KJ_IF_MAYBE (id, protocols) {
    KJ_IF_MAYBE (v, headers.get(*id)) { offered = v->cStr(); }
  }
  kube::request_head offer;
  offer.fields.emplace_back("Sec-WebSocket-Protocol", offered);
  if (!offer.has_token("Sec-WebSocket-Protocol", k_tunnel_protocol))
    return send_kube_answer(
        response, table,
        answer_of(kube::bad_request(fmt::format("pods/portforward: no WebSocket subprotocol served among [{}]; "
                                                "expected {}",
                                                offered, k_tunnel_protocol))));
  auto owned = kj::heap<kube_call>(kj::mv(call));
  auto& c = *owned;
  return find_pod_target(c.ctx, c.target.namespace_, c.target.name)
      .then([&c, &response, &table, protocols](kj::OneOf<pod_target, kube_answer> found) -> kj::Promise<void> {
        KJ_SWITCH_ONEOF(found) {
          KJ_CASE_ONEOF(refusal, kube_answer) { return send_kube_answer(response, table, kj::mv(refusal)); }
          KJ_CASE_ONEOF(pod, pod_target) {
            kj::HttpHeaders reply(table);
            KJ_IF_MAYBE (id, protocols) { reply.set(*id, k_tunnel_protocol); }
            auto socket = response.acceptWebSocket(reply);
            return serve_portforward(c.ctx, std::move(pod), websocket_transport(kj::mv(socket)));
          }
        }
        KJ_UNREACHABLE;
      })
      .attach(kj::mv(owned));
}

kj::Promise<void> serve_api_connection(kj::Own<kj::AsyncIoStream> stream, server_context& ctx, kube_http_parts& kube) {
  auto reader = kj::heap<head_reader>();
  reader->stream = kj::mv(stream);
  auto& r = *reader;
  auto head = ctx.timer->timeoutAfter(k_head_timeout, read_head(r));
  return head
      .then(
          [&r, &ctx, &kube](kube::head_parse parsed) -> kj::Promise<void> {
            if (parsed.what == kube::head_parse::status::complete &&
                kube::upgrade_of(parsed.head) == kube::upgrade_kind::spdy) {
              auto [path, query] = kube::split_url(parsed.head.target);
              auto target = kube::parse_target(path);
              if (target.kind == kube::request_target::what::resource && target.resource == "pods" &&
                  !target.name.empty()) {
                if (target.subresource == "portforward") return serve_spdy_portforward(r, kj::mv(parsed), target, ctx);
                if (target.subresource == "exec" || target.subresource == "attach")
                  return serve_spdy_exec(r, kj::mv(parsed), target, ctx);
              }
            }
            // Everything else, bad heads included, is KJ's to answer.
            auto prefix = kj::heapArray<kj::byte>(r.bytes.size());
            if (!r.bytes.empty()) std::memcpy(prefix.begin(), r.bytes.data(), r.bytes.size());
            return kube.server->listenHttp(replay_prefix(kj::mv(prefix), kj::mv(r.stream)));
          },
          [](kj::Exception&&) -> kj::Promise<void> { return kj::READY_NOW; })  // silent, or gone: closed
      .attach(kj::mv(reader));
}

}  // namespace berth::rpc
