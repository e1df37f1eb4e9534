#pragma once
// Internals of the RPC server, shared by its translation units. Everything
// here lives on the KJ thread unless said otherwise.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <capnp/capability.h>
#include <kj/async.h>
#include <kj/compat/http.h>
#include <kj/timer.h>

#include "actors/control_plane.hpp"
#include "actors/debug/journal_service.hpp"
#include "actors/rpc/kj_bridge.hpp"
#include "actors/rpc/rpc_server.hpp"
#include "actors/rpc/rpc_stats.hpp"
#include "actors/rpc/watch_hub.hpp"
#include "schema/api.capnp.h"

namespace berth::rpc {

/// Logs failures of fire-and-forget calls (pushes to agents, watch events).
class log_errors : public kj::TaskSet::ErrorHandler {
 public:
  explicit log_errors(const char* what) : what_(what) {}
  void taskFailed(kj::Exception&& e) override;

 private:
  const char* what_;
};

/// The connected agents' NodeAgent capabilities, by connection id.
class agent_registry {
 public:
  agent_registry() : errors_("push to node agent"), tasks_(errors_) {}
  std::uint64_t add(std::string node, schema::NodeAgent::Client client);
  void remove(std::uint64_t id);
  /// The newest connection of `node`, if any.
  kj::Maybe<schema::NodeAgent::Client> find(const std::string& node);
  /// Every connection: node name and capability, by connection id.
  std::vector<std::pair<std::string, schema::NodeAgent::Client>> all();

  void set_pods(std::uint64_t id, const std::vector<model::pod>& pods);
  void upsert_pod(std::uint64_t id, const model::pod& p);
  void remove_pod(std::uint64_t id, const std::string& ns, const std::string& name, const std::string& uid);
  void set_services(std::uint64_t id, const std::vector<model::service>& services,
                    const std::vector<model::endpoints>& endpoints);
  void set_secrets(std::uint64_t id, const std::vector<model::secret>& secrets);
  void set_claims(std::uint64_t id, const std::vector<model::bound_claim>& claims);

 private:
  struct entry {
    std::string node;
    schema::NodeAgent::Client client;
  };
  std::map<std::uint64_t, entry> agents_;
  std::uint64_t next_id_ = 1;
  log_errors errors_;
  kj::TaskSet tasks_;
};

/// Open Cap'n Proto watches: the client's Watcher capability, the chain of
/// streamed calls and the bytes of the calls not sent yet (the watch cache's
/// backlog limit applies to them too).
class watch_registry {
 public:
  watch_registry() : errors_("watch stream"), tasks_(errors_) {}
  void add(std::uint64_t id, schema::Watcher::Client client);
  void deliver(std::uint64_t id, const actors::watch_event& ev);
  void close(std::uint64_t id, const std::string& reason);
  void remove(std::uint64_t id);
  std::size_t backlog_bytes(std::uint64_t id) const;
  /// Resolves once the calls queued so far are sent (at once for an unknown id).
  kj::Promise<void> drained(std::uint64_t id);

 private:
  struct entry {
    schema::Watcher::Client client;
    kj::Promise<void> chain = kj::READY_NOW;  // events are sent one after another
    std::size_t backlog = 0;
  };
  std::map<std::uint64_t, entry> watches_;
  log_errors errors_;
  kj::TaskSet tasks_;
};

/// What the capability implementations share.
struct server_context {
  actors::control_plane& cp;
  server_config config;
  std::shared_ptr<kj_inbox> inbox;  // CAF -> KJ
  agent_registry agents;
  watch_registry watches;
  debug::journal_service* journal_reads = nullptr;  // owned by the server; nullptr: no journal to serve
  kj::Timer* timer = nullptr;
  rpc_stats rpc_calls{};  // every Gateway, Cluster and NodeSession call, for /metrics
  std::unique_ptr<watch_hub> hub;  // every watch, REST or Cap'n Proto (watch_hub.hpp)
};

/// berthd's Introspection capability (console): its registry, and its
/// agents' actors asked over their NodeAgent links. Throws when berthd has
/// no registry.
schema::Introspection::Client make_berthd_introspection(server_context& ctx);

// ---- HTTP (rpc_server.cpp dispatches; each route family has its own file)

/// One HTTP answer.
struct http_reply {
  unsigned status = 200;
  std::string status_text = "OK";
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

/// What the HTTP routes see of a request.
struct http_request {
  server_context& ctx;
  kj::StringPtr url;  // path and query
  const kj::HttpHeaders& headers;
  kj::HttpHeaderId authorization;  // "Authorization: Bearer TOKEN" (the admin token)
  /// True when the request carries the admin token.
  bool authorized() const;
};

/// /metrics (http_metrics.cpp); nullptr when the URL is not one of its paths.
kj::Maybe<kj::Promise<http_reply>> route_metrics(const http_request& r);
/// /console and /api/introspect/... (http_console.cpp); nullptr when the URL is not one of its paths.
kj::Maybe<kj::Promise<http_reply>> route_console(const http_request& r);

/// berthd's metrics in the Prometheus text format (/metrics and
/// Introspection.metrics()): its registry's actors, the journal writer, the
/// RPC calls and its start time; families whose source is absent (no
/// registry, no writer) are left out.
std::string berthd_metrics_text(server_context& ctx);

kj::Own<schema::Gateway::Server> make_gateway(server_context& ctx);
kj::Own<schema::Cluster::Server> make_cluster(server_context& ctx, std::string principal);

/// A node_agent_link for the actors: posts each push to the KJ thread.
class agent_link final : public actors::node_agent_link {
 public:
  agent_link(server_context& ctx, std::uint64_t id) : ctx_(ctx), inbox_(ctx.inbox), id_(id) {}
  void set_pods(std::vector<model::pod> pods) override;
  void upsert_pod(model::pod p) override;
  void remove_pod(std::string ns, std::string name, std::string uid) override;
  void set_services(std::shared_ptr<const std::vector<model::service>> services,
                    std::shared_ptr<const std::vector<model::endpoints>> endpoints) override;
  void set_secrets(std::vector<model::secret> secrets) override;
  void set_claims(std::vector<model::bound_claim> claims) override;
  bool connected() const override { return connected_; }
  void mark_disconnected() { connected_ = false; }

 private:
  server_context& ctx_;  // touched only inside posted tasks (KJ thread)
  std::shared_ptr<kj_inbox> inbox_;
  std::uint64_t id_;
  std::atomic<bool> connected_{true};
};

}  // namespace berth::rpc
