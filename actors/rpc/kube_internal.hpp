#pragma once
// The Kubernetes REST API's KJ side (internal to actors/rpc): the HttpService
// that kube_http.cpp routes, the verbs of kube_verbs.cpp and the watch
// streams of kube_watch.cpp. The pure parts (paths, patches, JSON shapes,
// Status bodies, Tables) live in actors/kube/; this layer only reads
// requests, asks the control plane and writes answers. Everything here runs
// on the RPC server's KJ thread.

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include <kj/async.h>
#include <kj/async-io.h>
#include <kj/one-of.h>
#include <kj/compat/http.h>

#include "actors/control_plane.hpp"
#include "actors/kube/events_json.hpp"
#include "actors/kube/request_target.hpp"
#include "actors/kube/status.hpp"
#include "actors/kube/tables.hpp"
#include "actors/rpc/rpc_internal.hpp"
#include "actors/store/watch_filter.hpp"

namespace berth::rpc {

/// The largest request body accepted (kube-apiserver's limit is 3 MiB).
constexpr std::uint64_t k_kube_max_body = 3 * 1024 * 1024;

/// The header ids the API reads or writes.
struct kube_headers {
  kj::HttpHeaderId authorization, accept, content_type, websocket_protocol;
};

/// One API request, as the verbs see it.
struct kube_call {
  server_context& ctx;
  kj::HttpMethod method;
  kube::request_target target;
  std::map<std::string, std::string> query;
  std::string accept;        // the Accept header ("" when absent)
  std::string content_type;  // the Content-Type header ("" when absent)
  std::string body;          // read whole (at most k_kube_max_body)
  std::string principal = "user:admin";
  std::string query_text;    // the query string as sent (still percent-encoded)

  /// A query parameter, or "" when absent.
  const std::string& param(const std::string& name) const;
};

/// A JSON answer with a content type ("application/json" unless said).
struct kube_answer {
  int code = 200;
  std::string body;
  std::string content_type = "application/json";
};

kube_answer answer_of(kube::reply r);

/// "Created" for 201, and so on (the reason phrase of an HTTP status).
const char* kube_status_text(int code);

/// The API's HTTP server and what it needs, owned together by the RPC server.
struct kube_http_parts {
  kj::Own<kj::HttpHeaderTable> table;
  kj::Own<kj::HttpService> service;
  kj::Own<kj::HttpServer> server;  // serves one TLS connection at a time via listenHttp(stream)
};
kube_http_parts make_kube_http(server_context& ctx, kj::Timer& timer, const std::string& server_address);

/// GET/POST/PUT/PATCH/DELETE on a resource path, except watches (kube_verbs.cpp).
kj::Promise<kube_answer> serve_resource(kube_call call);

/// An object as the API shows it (compact JSON with kind and apiVersion).
std::string render_object(const actors::any_object& o);
/// A Table of objects of kind `k` (kube_render.cpp).
std::string render_table(actors::kind k, const std::vector<actors::any_object>& items,
                         const kube::table_options& options);
/// A PodList, ReplicationControllerList, ... of kind `k`.
std::string render_list(actors::kind k, std::uint64_t resource_version, const std::vector<actors::any_object>& items,
                        const std::string& continue_token);

/// The wall clock now (Unix ns), for ages in Tables and events.
std::int64_t now_ns();

/// Resources the store does not hold but derives: events,
/// componentstatuses (kube_derived.cpp).
kj::Promise<kube_answer> serve_derived(const kube_call& call);

/// The involvedObject.* (and metadata.namespace) terms of an events field
/// selector; false with `error` naming a term that is not one of them.
bool parse_event_filter(const std::string& selector, store::event_filter& f, std::string& error);

/// The Event row of one journal event about one object (kube_derived.cpp).
kube::journal_event_row event_row_of(const actors::event_summary& e, actors::kind k, const model::object_meta& meta);

/// Subresources other than status and scale: pods/log, pods/eviction (kube_subresources.cpp).
kj::Promise<kube_answer> serve_subresource(const kube_call& call, actors::kind k);

/// True for GET pods/NAME/log?follow=true (streamed, not collected).
bool is_log_follow(const kube_call& call);
kj::Promise<void> serve_log_follow(kube_call call, kj::HttpService::Response& response, kj::HttpHeaderTable& table);

/// True for pods/NAME/exec and pods/NAME/attach (kube_exec.cpp).
bool is_exec(const kube_call& call);
/// Checks an exec or attach, then upgrades the connection to a WebSocket
/// (`protocol_header`: Sec-WebSocket-Protocol) and runs the session until
/// the process ends or the client leaves; refusals are Status answers.
kj::Promise<void> serve_exec(kube_call call, const kj::HttpHeaders& headers, kj::HttpService::Response& response,
                             kj::HttpHeaderTable& table, kj::HttpHeaderId protocol_header);

/// The pod a streaming subresource (portforward, exec) names, found before
/// the upgrade is answered.
struct pod_target {
  std::string namespace_, name, uid, node;
};
/// The pod, or the answer refusing the request: 404 when it does not exist,
/// 400 when it has no node yet.
kj::Promise<kj::OneOf<pod_target, kube_answer>> find_pod_target(server_context& ctx, const std::string& ns,
                                                                 const std::string& name);

class spdy_transport;
/// A port-forward session (kube_portforward.cpp) over `transport`, until the
/// client leaves.
kj::Promise<void> serve_portforward(server_context& ctx, pod_target pod, kj::Own<spdy_transport> transport);

struct exec_target;
/// An exec or attach over SPDY/3.1 (kube_exec_spdy.cpp), after the upgrade
/// (kube_upgrade.cpp checked the request): the session runs until the
/// process ends or the client leaves.
kj::Promise<void> serve_exec_spdy(server_context& ctx, exec_target target, kj::Own<spdy_transport> transport);

/// True for pods/NAME/portforward.
bool is_portforward(const kube_call& call);
/// kubectl 1.32's port-forward: SPDY/3.1 tunnelled in a WebSocket
/// (subprotocol "SPDY/3.1+portforward.k8s.io"), served by KJ's
/// acceptWebSocket (kube_upgrade.cpp). Not a WebSocket request: 400.
kj::Promise<void> serve_portforward_websocket(kube_call call, const kj::HttpHeaders& headers,
                                              kj::HttpService::Response& response, kj::HttpHeaderTable& table);

/// One connection to the API port, after TLS: a SPDY/3.1 upgrade (which
/// KJ's HttpServer cannot accept) is answered here, anything else goes to
/// `kube.server` with the bytes already read (kube_upgrade.cpp).
kj::Promise<void> serve_api_connection(kj::Own<kj::AsyncIoStream> stream, server_context& ctx, kube_http_parts& kube);

/// Sends `a` whole (with its length).
kj::Promise<void> send_kube_answer(kj::HttpService::Response& response, kj::HttpHeaderTable& table, kube_answer a);

/// True when `call` asks to watch (GET with watch=true|1).
bool is_watch(const kube_call& call);

/// Streams a watch to `response` until the client goes away or the store
/// closes it (kube_watch.cpp).
kj::Promise<void> serve_watch(kube_call call, kj::HttpService::Response& response, kj::HttpHeaderTable& table);

}  // namespace berth::rpc
