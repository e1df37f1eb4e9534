// The bootstrap capability (login / join / version), node sessions, and the
// registries of agent and watcher capabilities.
#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/bearer.hpp"
#include "actors/model/capnp_convert.hpp"
#include "actors/reconcile/node_liveness.hpp"
#include "actors/rpc/api_convert.hpp"
#include "actors/rpc/rpc_internal.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {

void log_errors::taskFailed(kj::Exception&& e) {
  fmt::print(stderr, "berthd: {} failed: {}\n", what_, text::describe(e));
}

// ------------------------------------------------------------ agent registry

std::uint64_t agent_registry::add(std::string node, schema::NodeAgent::Client client) {
  auto id = next_id_++;
  agents_.emplace(id, entry{std::move(node), kj::mv(client)});
  return id;
}

void agent_registry::remove(std::uint64_t id) { agents_.erase(id); }

kj::Maybe<schema::NodeAgent::Client> agent_registry::find(const std::string& node) {
  for (auto it = agents_.rbegin(); it != agents_.rend(); ++it)
    if (it->second.node == node) return it->second.client;
  return nullptr;
}

std::vector<std::pair<std::string, schema::NodeAgent::Client>> agent_registry::all() {
  std::vector<std::pair<std::string, schema::NodeAgent::Client>> out;
  for (auto& [id, e] : agents_) out.emplace_back(e.node, e.client);
  return out;
}

void agent_registry::set_pods(std::uint64_t id, const std::vector<model::pod>& pods) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.setPodsRequest();
  auto list = req.initPods(static_cast<unsigned>(pods.size()));
  for (unsigned i = 0; i < pods.size(); ++i) model::to_capnp(pods[i], list[i]);
  tasks_.add(req.send().ignoreResult());
}

void agent_registry::upsert_pod(std::uint64_t id, const model::pod& p) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.upsertPodRequest();
  model::to_capnp(p, req.initPod());
  tasks_.add(req.send().ignoreResult());
}

void agent_registry::remove_pod(std::uint64_t id, const std::string& ns, const std::string& name,
                                const std::string& uid) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.removePodRequest();
  auto ref = req.initPod();
  ref.setNamespace(ns);
  ref.setName(name);
  ref.setUid(uid);
  tasks_.add(req.send().ignoreResult());
}

void agent_registry::set_services(std::uint64_t id, const std::vector<model::service>& services,
                                  const std::vector<model::endpoints>& endpoints) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.setServicesRequest();
  auto s = req.initServices(static_cast<unsigned>(services.size()));
  for (unsigned i = 0; i < services.size(); ++i) model::to_capnp(services[i], s[i]);
  auto e = req.initEndpoints(static_cast<unsigned>(endpoints.size()));
  for (unsigned i = 0; i < endpoints.size(); ++i) model::to_capnp(endpoints[i], e[i]);
  tasks_.add(req.send().ignoreResult());
}

void agent_registry::set_secrets(std::uint64_t id, const std::vector<model::secret>& secrets) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.setSecretsRequest();
  auto list = req.initSecrets(static_cast<unsigned>(secrets.size()));
  for (unsigned i = 0; i < secrets.size(); ++i) model::to_capnp(secrets[i], list[i]);
  tasks_.add(req.send().ignoreResult());
}

void agent_registry::set_claims(std::uint64_t id, const std::vector<model::bound_claim>& claims) {
  auto it = agents_.find(id);
  if (it == agents_.end()) return;
  auto req = it->second.client.setClaimsRequest();
  auto list = req.initClaims(static_cast<unsigned>(claims.size()));
  for (unsigned i = 0; i < claims.size(); ++i) model::to_capnp(claims[i], list[i]);
  tasks_.add(req.send().ignoreResult());
}

void agent_link::set_claims(std::vector<model::bound_claim> claims) {
  inbox_->post([&ctx = ctx_, id = id_, claims = std::move(claims)] { ctx.agents.set_claims(id, claims); });
}

void agent_link::set_secrets(std::vector<model::secret> secrets) {
  inbox_->post([&ctx = ctx_, id = id_, secrets = std::move(secrets)] { ctx.agents.set_secrets(id, secrets); });
}

void agent_link::set_services(std::shared_ptr<const std::vector<model::service>> services,
                              std::shared_ptr<const std::vector<model::endpoints>> endpoints) {
  inbox_->post([&ctx = ctx_, id = id_, services = std::move(services), endpoints = std::move(endpoints)] {
    ctx.agents.set_services(id, *services, *endpoints);
  });
}

void agent_link::set_pods(std::vector<model::pod> pods) {
  inbox_->post([&ctx = ctx_, id = id_, pods = std::move(pods)] { ctx.agents.set_pods(id, pods); });
}
void agent_link::upsert_pod(model::pod p) {
  inbox_->post([&ctx = ctx_, id = id_, p = std::move(p)] { ctx.agents.upsert_pod(id, p); });
}
void agent_link::remove_pod(std::string ns, std::string name, std::string uid) {
  inbox_->post([&ctx = ctx_, id = id_, ns = std::move(ns), name = std::move(name), uid = std::move(uid)] {
    ctx.agents.remove_pod(id, ns, name, uid);
  });
}

// ------------------------------------------------------------ watch registry

void watch_registry::add(std::uint64_t id, schema::Watcher::Client client) {
  watches_.emplace(id, entry{kj::mv(client)});
}

void watch_registry::deliver(std::uint64_t id, const actors::watch_event& ev) {
  auto it = watches_.find(id);
  if (it == watches_.end()) return;
  auto req = it->second.client.eventRequest();
  req.setType(to_capnp(ev.type));
  to_capnp(ev.object, req.initObject());
  req.setResourceVersion(ev.resource_version);
  const std::size_t bytes = req.totalSize().wordCount * sizeof(capnp::word);
  it->second.backlog += bytes;
  // Streaming calls: capnp applies flow control; chaining keeps them in order
  // and surfaces a failure (client gone) once.
  it->second.chain = it->second.chain.then([req = kj::mv(req)]() mutable { return req.send(); }).then([this, id, bytes] {
    if (auto e = watches_.find(id); e != watches_.end()) e->second.backlog -= bytes;
  });
}

std::size_t watch_registry::backlog_bytes(std::uint64_t id) const {
  auto it = watches_.find(id);
  return it == watches_.end() ? 0 : it->second.backlog;
}

kj::Promise<void> watch_registry::drained(std::uint64_t id) {
  auto it = watches_.find(id);
  if (it == watches_.end()) return kj::READY_NOW;
  auto forked = it->second.chain.fork();
  it->second.chain = forked.addBranch();
  // A failed call (client gone) ends the wait too; the failure itself is
  // reported where the chain ends.
  return forked.addBranch().catch_([](kj::Exception&&) {});
}

void watch_registry::close(std::uint64_t id, const std::string& reason) {
  auto it = watches_.find(id);
  if (it == watches_.end()) return;
  auto req = it->second.client.closedRequest();
  req.setReason(reason);
  tasks_.add(it->second.chain.then([req = kj::mv(req)]() mutable { return req.send().ignoreResult(); }));
  watches_.erase(it);
}

void watch_registry::remove(std::uint64_t id) {
  auto it = watches_.find(id);
  if (it == watches_.end()) return;
  tasks_.add(kj::mv(it->second.chain));
  watches_.erase(it);
}

namespace {

// ---------------------------------------------------------------- sessions

/// One joined agent's session. Destroyed when the agent disconnects (or drops
/// the capability): then berthd forgets the link and the node actor stops
/// pushing; liveness takes it from there.
class node_session_impl final : public schema::NodeSession::Server {
 public:
  node_session_impl(server_context& ctx, std::string node, std::shared_ptr<agent_link> link, std::uint64_t id)
      : ctx_(ctx), node_(std::move(node)), link_(std::move(link)), id_(id) {}
  ~node_session_impl() {
    link_->mark_disconnected();
    ctx_.agents.remove(id_);
    ctx_.cp.tell(actors::disconnect_msg{node_, link_});
  }

  // Every call passes here: counted for /metrics (rpc_stats.hpp).
  DispatchCallResult dispatchCall(std::uint64_t interface_id, std::uint16_t method_id,
                                  capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context) override {
    return count_calls(ctx_.rpc_calls, capnp::Schema::from<schema::NodeSession>(), interface_id, method_id, context,
                       [&] { return schema::NodeSession::Server::dispatchCall(interface_id, method_id, context); });
  }

 protected:
  kj::Promise<void> heartbeat(HeartbeatContext) override {
    ctx_.cp.tell(actors::heartbeat_msg{node_});
    return kj::READY_NOW;
  }
  kj::Promise<void> reportPodStatus(ReportPodStatusContext c) override {
    auto p = c.getParams();
    ctx_.cp.tell(actors::pod_status_report{node_, p.getPod().getNamespace(), p.getPod().getName(), p.getPod().getUid(),
                                           model::from_capnp(p.getStatus())});
    return kj::READY_NOW;
  }
  kj::Promise<void> reportPodTerminated(ReportPodTerminatedContext c) override {
    auto pod = c.getParams().getPod();
    ctx_.cp.tell(actors::pod_terminated_report{node_, pod.getNamespace(), pod.getName(), pod.getUid()});
    return kj::READY_NOW;
  }
  kj::Promise<void> reportPodEvent(ReportPodEventContext c) override {
    auto p = c.getParams();
    auto pod = p.getPod();
    auto r = p.getReport();
    // Bounded: a report is a short line, not a log.
    static constexpr std::size_t k_max = 1024;
    auto cut = [](capnp::Text::Reader t) { return std::string(t.cStr(), std::min<std::size_t>(t.size(), k_max)); };
    ctx_.cp.tell(actors::pod_event_report{node_, pod.getNamespace(), pod.getName(), pod.getUid(), cut(r.getReason()),
                                          cut(r.getMessage()), cut(r.getContainer())});
    return kj::READY_NOW;
  }

 private:
  server_context& ctx_;
  std::string node_;
  std::shared_ptr<agent_link> link_;
  std::uint64_t id_;
};

class gateway_impl final : public schema::Gateway::Server {
 public:
  explicit gateway_impl(server_context& ctx) : ctx_(ctx) {}

  // Every call passes here: counted for /metrics (rpc_stats.hpp).
  DispatchCallResult dispatchCall(std::uint64_t interface_id, std::uint16_t method_id,
                                  capnp::CallContext<capnp::AnyPointer, capnp::AnyPointer> context) override {
    return count_calls(ctx_.rpc_calls, capnp::Schema::from<schema::Gateway>(), interface_id, method_id, context,
                       [&] { return schema::Gateway::Server::dispatchCall(interface_id, method_id, context); });
  }

 protected:
  kj::Promise<void> login(LoginContext c) override {
    auto presented = c.getParams().getToken();
    if (!kube::token_equals(std::string_view(presented.cStr(), presented.size()), ctx_.config.admin_token))
      throw KJ_EXCEPTION(FAILED, "login refused: the token is not valid for this cluster");
    std::string principal = "user:admin";
    c.getResults().setPrincipal(principal);
    c.getResults().setCluster(make_cluster(ctx_, principal));
    return kj::READY_NOW;
  }

  kj::Promise<void> join(JoinContext c) override {
    auto params = c.getParams();
    auto presented = params.getToken();
    if (!kube::token_equals(std::string_view(presented.cStr(), presented.size()), ctx_.config.node_token))
      throw KJ_EXCEPTION(FAILED, "join refused: the node token is not valid for this cluster");
    auto node = model::from_capnp(params.getNode());
    if (node.metadata.name.empty()) throw KJ_EXCEPTION(FAILED, "join refused: node.metadata.name: Required value");
    auto id = ctx_.agents.add(node.metadata.name, params.getAgent());
    auto link = std::make_shared<agent_link>(ctx_, id);
    auto name = node.metadata.name;
    auto [promise, done] = reply_to<actors::outcome>();
    auto asked = std::chrono::milliseconds(params.getHeartbeatIntervalMs());
    ctx_.cp.ask(actors::join_cmd{std::move(node), link, asked}, done);
    return promise.then([this, c, link, name, id](actors::outcome o) mutable {
      if (o.result != actors::outcome::code::ok) {
        ctx_.agents.remove(id);
        auto why = o.message.empty() && !o.errors.empty() ? o.errors[0].field + ": " + o.errors[0].message : o.message;
        throw KJ_EXCEPTION(FAILED, "join refused", why);
      }
      c.getResults().setSession(kj::heap<node_session_impl>(ctx_, name, link, id));
      const auto* registered = o.object ? std::get_if<model::node>(&*o.object) : nullptr;
      if (auto contract = registered ? reconcile::contract_of(*registered) : std::nullopt) {
        using std::chrono::duration_cast;
        using std::chrono::milliseconds;
        auto h = c.getResults().initHeartbeat();
        h.setIntervalMs(duration_cast<milliseconds>(contract->interval).count());
        h.setGracePeriodMs(duration_cast<milliseconds>(contract->grace_period).count());
        h.setEvictionTimeoutMs(duration_cast<milliseconds>(contract->eviction_timeout).count());
      }
    });
  }

  kj::Promise<void> version(VersionContext c) override {
    auto info = c.getResults().initInfo();
    info.setVersion(ctx_.config.version);
    info.setJournalSeq(ctx_.cp.journal_seq());
    return kj::READY_NOW;
  }

 private:
  server_context& ctx_;
};

}  // namespace

kj::Own<schema::Gateway::Server> make_gateway(server_context& ctx) { return kj::heap<gateway_impl>(ctx); }

}  // namespace berth::rpc
