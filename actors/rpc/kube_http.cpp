// The Kubernetes API's HTTP service: authentication, then discovery
// documents here and resource paths in kube_verbs.cpp / kube_watch.cpp.
//
// Every request needs "Authorization: Bearer ADMIN_TOKEN"; anything else is
// a 401 Status before the body is even read, so an unauthenticated request
// can change nothing.
#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/bearer.hpp"
#include "actors/kube/discovery.hpp"
#include "actors/kube/openapi.hpp"
#include "actors/rpc/kube_internal.hpp"

namespace berth::rpc {

const std::string& kube_call::param(const std::string& name) const {
  static const std::string none;
  auto it = query.find(name);
  return it == query.end() ? none : it->second;
}

kube_answer answer_of(kube::reply r) { return kube_answer{r.code, std::move(r.body)}; }

const char* kube_status_text(int code) {
  switch (code) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

kj::Promise<void> send_kube_answer(kj::HttpService::Response& response, kj::HttpHeaderTable& table, kube_answer a) {
  kj::HttpHeaders headers(table);
  headers.set(kj::HttpHeaderId::CONTENT_TYPE, a.content_type);
  auto stream = response.send(static_cast<unsigned>(a.code), kube_status_text(a.code), headers, a.body.size());
  auto data = kj::heapString(a.body.data(), a.body.size());
  auto promise = stream->write(data.begin(), data.size());
  return promise.attach(kj::mv(stream), kj::mv(data));
}

namespace {

std::string too_large_message() { return fmt::format("limit is {} bytes", k_kube_max_body); }

std::string header_text(const kj::HttpHeaders& headers, kj::HttpHeaderId id) {
  KJ_IF_MAYBE (v, headers.get(id)) { return std::string(v->cStr()); }
  return "";
}

/// /openapi/v3 and /openapi/v3/api/v1 (actors/kube/openapi.hpp), as JSON.
kube_answer openapi_v3(std::string_view path, const std::string& accept) {
  const auto target = kube::parse_openapi_v3(path);
  if (target == kube::openapi_v3_target::not_found) return answer_of(kube::path_not_found());
  if (!kube::openapi_accepts_json(accept)) return answer_of(kube::openapi_not_acceptable());
  auto document = kube::openapi_v3_api_v1();
  if (target == kube::openapi_v3_target::index) return {200, kube::openapi_v3_index(document)};
  return {200, std::move(document)};
}

/// The discovery documents: legacy JSON, or aggregated discovery when the
/// client's Accept header asks for it (kubectl 1.32 does).
kube_answer discovery(const kube::request_target& target, std::string_view path, const std::string& accept,
                      const std::string& version, const std::string& server_address) {
  using what = kube::request_target::what;
  const auto wanted = kube::wants_discovery(accept);
  switch (target.kind) {
    case what::version: return {200, kube::version_json(version)};
    case what::api:
      if (wanted != kube::discovery_kind::legacy) {
        auto typed = kube::aggregated_api_json(wanted);
        return {200, std::move(typed.body), std::move(typed.content_type)};
      }
      return {200, kube::api_versions_json(server_address)};
    case what::apis:
      if (wanted != kube::discovery_kind::legacy) {
        auto typed = kube::aggregated_apis_json(wanted);
        return {200, std::move(typed.body), std::move(typed.content_type)};
      }
      return {200, kube::api_group_list_json()};
    case what::api_v1: return {200, kube::api_resource_list_json()};
    // No v2 document: kubectl 1.20 reads v2 as protobuf only, and an empty
    // body is an empty protobuf document, so it validates nothing
    // client-side (what `--validate=false` does); the server validates every
    // object anyway. kubectl 1.32 reads v3 first (explain, apply's patches).
    case what::openapi_v2: return {200, "", "application/octet-stream"};
    case what::openapi_v3: return openapi_v3(path, accept);
    default: return answer_of(kube::path_not_found());
  }
}

class kube_service final : public kj::HttpService {
 public:
  kube_service(server_context& ctx, kj::HttpHeaderTable& table, kube_headers ids, std::string server_address)
      : ctx_(ctx), table_(table), ids_(ids), server_address_(std::move(server_address)) {}

  kj::Promise<void> request(kj::HttpMethod method, kj::StringPtr url, const kj::HttpHeaders& headers,
                            kj::AsyncInputStream& body, Response& response) override {
    if (!authorized(headers)) return send(response, answer_of(kube::unauthorized()));
    auto [path, query_text] = kube::split_url(std::string_view(url.cStr(), url.size()));
    std::string query_error;
    auto query = kube::parse_query(query_text, query_error);
    if (!query_error.empty()) return send(response, answer_of(kube::bad_request(query_error)));
    auto target = kube::parse_target(path);
    const auto accept = header_text(headers, ids_.accept);
    if (target.kind != kube::request_target::what::resource) {
      if (method != kj::HttpMethod::GET && method != kj::HttpMethod::HEAD)
        return send(response, answer_of(kube::method_not_allowed(path, kj::str(method).cStr())));
      return send(response, discovery(target, path, accept, ctx_.config.version, server_address_));
    }
    kube_call call{ctx_, method, std::move(target), std::move(query), accept,
                   header_text(headers, ids_.content_type), {}, "user:admin", std::string(query_text)};
    if (is_portforward(call)) return serve_portforward_websocket(kj::mv(call), headers, response, table_);
    if (is_watch(call)) return serve_watch(kj::mv(call), response, table_);
    if (is_log_follow(call)) return serve_log_follow(kj::mv(call), response, table_);
    if (is_exec(call)) return serve_exec(kj::mv(call), headers, response, table_, ids_.websocket_protocol);
    // The body is read whole, up to the limit; a longer one is refused
    // without being read further.
    KJ_IF_MAYBE (length, headers.get(kj::HttpHeaderId::CONTENT_LENGTH)) {
      if (length->size() > 7 || std::stoull(length->cStr()) > k_kube_max_body)
        return send(response, answer_of(kube::request_too_large(too_large_message())));
    }
    return body.readAllText(k_kube_max_body + 1)
        .then(
            [this, &response, call = kj::mv(call)](kj::String text) mutable -> kj::Promise<void> {
              if (text.size() > k_kube_max_body)
                return send(response, answer_of(kube::request_too_large(too_large_message())));
              call.body.assign(text.cStr(), text.size());
              return serve_resource(kj::mv(call)).then([this, &response](kube_answer a) {
                return send(response, kj::mv(a));
              });
            },
            [this, &response](kj::Exception&& e) -> kj::Promise<void> {
              // readAllText's limit, or a client that went away mid-body.
              if (e.getType() == kj::Exception::Type::DISCONNECTED) return kj::mv(e);
              return send(response, answer_of(kube::request_too_large(too_large_message())));
            });
  }

 private:
  bool authorized(const kj::HttpHeaders& headers) const {
    const auto& token = ctx_.config.admin_token;
    KJ_IF_MAYBE (value, headers.get(ids_.authorization)) {
      return kube::bearer_authorizes(std::string_view(value->begin(), value->size()), token);
    }
    return false;
  }

  kj::Promise<void> send(Response& response, kube_answer a) { return send_kube_answer(response, table_, kj::mv(a)); }

  server_context& ctx_;
  kj::HttpHeaderTable& table_;
  kube_headers ids_;
  std::string server_address_;  // HOST:PORT, for /api's serverAddressByClientCIDRs
};

}  // namespace

kube_http_parts make_kube_http(server_context& ctx, kj::Timer& timer, const std::string& server_address) {
  kube_http_parts parts;
  kj::HttpHeaderTable::Builder builder;
  kube_headers ids{builder.add("Authorization"), builder.add("Accept"), kj::HttpHeaderId::CONTENT_TYPE,
                   builder.add("Sec-WebSocket-Protocol")};
  parts.table = builder.build();
  parts.service = kj::heap<kube_service>(ctx, *parts.table, ids, server_address);
  kj::HttpServerSettings settings;
  parts.server = kj::heap<kj::HttpServer>(timer, *parts.table, *parts.service, settings);
  return parts;
}

}  // namespace berth::rpc
