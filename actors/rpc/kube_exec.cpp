// pods/exec and pods/attach on the Kubernetes API: the request is checked
// (query, pod, container, node) and refused with an ordinary Status, then
// the connection is upgraded and an exec_session (exec_session.hpp) runs
// over it. Transports:
//
// - WebSocket with the channel protocol (actors/kube/channel.hpp), what
//   kubectl 1.30 and later send: `Upgrade: websocket`,
//   `Sec-WebSocket-Protocol: v5.channel.k8s.io` (v4 also accepted). The
//   session's end is one message on the error channel, then a close frame.
// - SPDY/3.1 (kubectl up to 1.29, and later ones with
//   KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false): KJ's HttpServer cannot accept
//   that upgrade, so it is taken before KJ sees the connection
//   (kube_upgrade.cpp, kube_exec_spdy.cpp). One that reaches this file came
//   later on a kept-alive connection, which kubectl never does: refused.
#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/channel.hpp"
#include "actors/rpc/exec_session.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

constexpr auto k_close_reply_wait = 2 * kj::SECONDS;

kj::ArrayPtr<const kj::byte> bytes_of(const std::string& s) {
  return kj::arrayPtr(reinterpret_cast<const kj::byte*>(s.data()), s.size());
}

std::string header_text(const kj::HttpHeaders& headers, kj::HttpHeaderId id) {
  KJ_IF_MAYBE (v, headers.get(id)) { return std::string(v->cStr()); }
  return "";
}

bool contains_ci(std::string haystack, std::string needle) {
  for (auto* s : {&haystack, &needle})
    for (auto& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return haystack.find(needle) != std::string::npos;
}

/// An exec session over a WebSocket speaking the channel protocol.
class websocket_exec final : public exec_transport {
 public:
  websocket_exec(kj::Own<kj::WebSocket> ws, kube::stream_protocol protocol, kj::Timer& timer)
      : ws_(kj::mv(ws)), protocol_(protocol), timer_(timer) {}

  /// Runs `target` until the process ended and the client answered the close,
  /// or until the client went away (which ends the session).
  kj::Promise<void> run(server_context& ctx, exec_target target) {
    session_ = kj::heap<exec_session>(ctx, kj::mv(target), *this);
    auto receiving = receive().fork();
    auto ended = session_->done().then([this, reply = receiving.addBranch()]() mutable {
      return reply.exclusiveJoin(timer_.afterDelay(k_close_reply_wait));
    });
    return ended.exclusiveJoin(receiving.addBranch())
        .catch_([](kj::Exception&&) {})  // a client that vanished: nothing more to say
        .then([this] { session_ = nullptr; });
  }

  kj::Promise<void> output(std::uint8_t stream, kj::ArrayPtr<const kj::byte> data) override {
    auto c = stream == 2 ? kube::channel::stderr_ : kube::channel::stdout_;
    return send(kube::frame(c, std::string_view(reinterpret_cast<const char*>(data.begin()), data.size())));
  }

  kj::Promise<void> exited(std::int32_t exit_code, std::string error) override {
    auto status = error.empty() ? kube::exit_status_json(exit_code) : kube::failure_status_json(error);
    return send(kube::frame(kube::channel::error, status)).then([this] {
      closed_ = true;
      return ws_->close(1000, "");
    });
  }

 private:
  /// Sends one message after those before it (a WebSocket takes one send at a time).
  kj::Promise<void> send(std::string message) {
    auto owned = kj::heap<std::string>(std::move(message));
    auto& ref = *owned;
    auto sent = sending_.addBranch().then([this, &ref] { return ws_->send(bytes_of(ref)); }).attach(kj::mv(owned)).fork();
    sending_ = sent.addBranch().catch_([](kj::Exception&&) {}).fork();
    return sent.addBranch();
  }

  /// The client's messages, until it closes or disconnects.
  kj::Promise<void> receive() {
    return ws_->receive().then([this](kj::WebSocket::Message message) -> kj::Promise<void> {
      KJ_SWITCH_ONEOF(message) {
        KJ_CASE_ONEOF(close, kj::WebSocket::Close) {
          // The client is done: after our close this is its reply; before it,
          // the client left and the session ends (exec_session's destructor).
          if (!closed_) return ws_->close(1000, "").catch_([](kj::Exception&&) {});
          return kj::READY_NOW;
        }
        KJ_CASE_ONEOF(text, kj::String) {
          (void)text;
          return refuse("the channel protocol sends binary messages, not text");
        }
        KJ_CASE_ONEOF(data, kj::Array<kj::byte>) {
          auto parsed = kube::parse_client_message(
              std::string_view(reinterpret_cast<const char*>(data.begin()), data.size()), protocol_);
          return handle(kj::mv(parsed));
        }
      }
      KJ_UNREACHABLE;
    });
  }

  kj::Promise<void> handle(kube::client_message m) {
    using what = kube::client_message::what;
    switch (m.kind) {
      case what::stdin_data: {
        auto data = kj::heapString(m.data.data(), m.data.size());
        auto bytes = kj::arrayPtr(reinterpret_cast<const kj::byte*>(data.begin()), data.size());
        // Waiting for the agent before reading on slows a fast client down.
        return session_->stdin_data(bytes).attach(kj::mv(data)).catch_([](kj::Exception&&) {}).then([this] {
          return receive();
        });
      }
      case what::stdin_close: session_->close_stdin(); break;
      case what::resize: session_->resize(m.width, m.height); break;
      case what::ignore: break;
      case what::error: return refuse(m.error);
    }
    return receive();
  }

  /// A message the protocol does not allow: the session ends with a Failure that says so.
  kj::Promise<void> refuse(const std::string& why) {
    return exited(-1, fmt::format("bad message from the client: {}", why)).then([this] {
      return timer_.afterDelay(k_close_reply_wait);
    });
  }

  kj::Own<kj::WebSocket> ws_;
  kube::stream_protocol protocol_;
  kj::Timer& timer_;
  kj::Own<exec_session> session_;
  kj::ForkedPromise<void> sending_ = kj::Promise<void>(kj::READY_NOW).fork();
  bool closed_ = false;  // our close frame is sent
};

/// Answers a checked request by upgrading the connection, or refuses it.
kj::Promise<void> upgrade(server_context& ctx, exec_target target, const kj::HttpHeaders& headers,
                          kj::HttpService::Response& response, kj::HttpHeaderTable& table,
                          kj::HttpHeaderId protocol_header) {
  auto upgrade_to = header_text(headers, kj::HttpHeaderId::UPGRADE);
  if (!headers.isWebSocket()) {
    auto refusal =
        contains_ci(upgrade_to, "spdy")
            ? kube::bad_request(
                  "exec and attach over SPDY/3.1 are served only as the first request of a connection; "
                  "expected a new connection for the upgrade")
            : kube::bad_request("exec and attach need a connection upgrade: Upgrade: websocket with "
                                "Sec-WebSocket-Protocol v5.channel.k8s.io or v4.channel.k8s.io");
    return send_kube_answer(response, table, answer_of(std::move(refusal)));
  }
  auto offered = header_text(headers, protocol_header);
  auto protocol = kube::negotiate_protocol(offered);
  if (!protocol) {
    return send_kube_answer(
        response, table,
        answer_of(kube::bad_request(fmt::format("Sec-WebSocket-Protocol: none of \"{}\" is served; "
                                                "expected v5.channel.k8s.io or v4.channel.k8s.io",
                                                offered))));
  }
  kj::HttpHeaders reply(table);
  auto name = kube::protocol_name(*protocol);
  reply.set(protocol_header, kj::heapString(name.data(), name.size()));
  auto exec = kj::heap<websocket_exec>(response.acceptWebSocket(reply), *protocol, *ctx.timer);
  auto& ref = *exec;
  return ref.run(ctx, kj::mv(target)).attach(kj::mv(exec));
}

}  // namespace

bool is_exec(const kube_call& call) {
  return call.target.resource == "pods" && !call.target.name.empty() &&
         (call.target.subresource == "exec" || call.target.subresource == "attach");
}

kj::Promise<void> serve_exec(kube_call call_value, const kj::HttpHeaders& headers, kj::HttpService::Response& response,
                             kj::HttpHeaderTable& table, kj::HttpHeaderId protocol_header) {
  const bool attach = call_value.target.subresource == "attach";
  if (call_value.method != kj::HttpMethod::GET && call_value.method != kj::HttpMethod::POST)
    return send_kube_answer(response, table,
                            answer_of(kube::method_not_allowed(attach ? "pods/attach" : "pods/exec", "this method")));
  std::string error;
  auto request = kube::parse_exec_request(call_value.query_text, attach, error);
  if (!request) return send_kube_answer(response, table, answer_of(kube::bad_request(error)));
  auto owned = kj::heap<kube_call>(kj::mv(call_value));
  auto& call = *owned;
  return find_exec_target(call.ctx, call.target.namespace_, call.target.name, std::move(*request), attach)
      .then([&call, &headers, &response, &table,
             protocol_header](kj::OneOf<exec_target, exec_refusal> found) mutable -> kj::Promise<void> {
        KJ_SWITCH_ONEOF(found) {
          KJ_CASE_ONEOF(refusal, exec_refusal) {
            return send_kube_answer(response, table, answer_of(std::move(refusal.status)));
          }
          KJ_CASE_ONEOF(target, exec_target) {
            return upgrade(call.ctx, kj::mv(target), headers, response, table, protocol_header);
          }
        }
        KJ_UNREACHABLE;
      })
      .attach(kj::mv(owned));
}

}  // namespace berth::rpc
