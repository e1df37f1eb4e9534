// The node's connection to berthd: join with the node's registration, then
// heartbeats; on any disconnect, reconnect with back-off (250 ms doubling to
// 5 s) and join again. berthd answers a join with the full desired pod set
// (setPods), so a reconnect or an agent restart resyncs without touching
// running containers: pod actors find them by their labels (adoption).
#include "actors/rpc/dial.hpp"
#include "node-agent/agent/node_session_impl.hpp"

#include "actors/rpc/dial.hpp"

#include <set>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/introspect/introspection_service.hpp"
#include "actors/model/capnp_convert.hpp"
#include "actors/model/quantity.hpp"
#include "node-agent/agent/runtime_view.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::agent {

void task_errors::taskFailed(kj::Exception&& e) {
  if (e.getType() != kj::Exception::Type::DISCONNECTED) fmt::print(stderr, "{}: {}\n", prefix_, text::describe(e));
}

namespace {

model::node registration(const session_config& c, const std::string& runtime_version) {
  model::node n;
  n.metadata.name = c.node.name;
  n.metadata.labels = c.node.labels;
  n.metadata.labels["kubernetes.io/hostname"] = c.node.name;
  for (auto* list : {&n.status.capacity, &n.status.allocatable}) {
    (*list)["cpu"] = *model::parse_quantity(fmt::format("{}m", c.node.cpu_millis));
    (*list)["memory"] = *model::parse_quantity(fmt::format("{}Ki", c.node.memory_bytes / 1024));
    (*list)["pods"] = *model::parse_quantity(std::to_string(c.node.max_pods));
  }
  n.status.addresses = {{"InternalIP", c.node.host_ip}, {"Hostname", c.node.name}};
  auto& info = n.status.node_info;
  info.kubelet_version = c.agent_version;
  info.container_runtime_version = runtime_version;
  info.operating_system = "linux";
  info.architecture = c.node.architecture;
  info.os_image = c.node.os_image;
  info.kernel_version = c.node.kernel_version;
  return n;
}

void fill_ref(const model::pod& p, schema::PodRef::Builder ref) {
  ref.setNamespace(p.metadata.namespace_);
  ref.setName(p.metadata.name);
  ref.setUid(p.metadata.uid);
}

template <class Results>
void answer(Results results, exec_started s) {
  results.setError(s.error);
  KJ_IF_MAYBE (input, s.input) { results.setInput(kj::mv(*input)); }
}

/// The capability berthd calls on this node (one per connection).
class agent_server final : public schema::NodeAgent::Server {
 public:
  agent_server(node_session::impl& s, std::uint64_t gen) : s_(s), gen_(gen) {}

 protected:
  kj::Promise<void> setPods(SetPodsContext c) override {
    if (stale()) return kj::READY_NOW;
    std::vector<model::pod> pods;
    for (auto p : c.getParams().getPods()) pods.push_back(model::from_capnp(p));
    s_.set_pods(std::move(pods));
    return kj::READY_NOW;
  }
  kj::Promise<void> upsertPod(UpsertPodContext c) override {
    if (stale()) return kj::READY_NOW;
    auto pod = model::from_capnp(c.getParams().getPod());
    s_.desired[pod.metadata.uid] = pod;
    send_upsert_pod(s_.node_actor, std::move(pod));
    return kj::READY_NOW;
  }
  kj::Promise<void> removePod(RemovePodContext c) override {
    if (stale()) return kj::READY_NOW;
    std::string uid = c.getParams().getPod().getUid();
    s_.desired.erase(uid);
    send_remove_pod(s_.node_actor, uid);
    return kj::READY_NOW;
  }
  kj::Promise<void> setServices(SetServicesContext c) override {
    if (stale()) return kj::READY_NOW;
    auto params = c.getParams();
    std::vector<model::service> services;
    std::vector<model::endpoints> endpoints;
    for (auto s : params.getServices()) services.push_back(model::from_capnp(s));
    for (auto e : params.getEndpoints()) endpoints.push_back(model::from_capnp(e));
    if (s_.config.on_services) s_.config.on_services(services, endpoints);
    s_.services = std::move(services);
    return kj::READY_NOW;
  }
  kj::Promise<void> setSecrets(SetSecretsContext c) override {
    if (stale()) return kj::READY_NOW;
    std::vector<model::secret> secrets;
    for (auto s : c.getParams().getSecrets()) secrets.push_back(model::from_capnp(s));
    s_.set_secrets(make_node_secrets(std::move(secrets)));
    return kj::READY_NOW;
  }
  kj::Promise<void> setClaims(SetClaimsContext c) override {
    if (stale()) return kj::READY_NOW;
    std::vector<model::bound_claim> claims;
    for (auto x : c.getParams().getClaims()) claims.push_back(model::from_capnp(x));
    s_.set_claims(make_node_claims(std::move(claims)));
    return kj::READY_NOW;
  }
  kj::Promise<void> actors(ActorsContext c) override {
    std::vector<introspect::actor_info> mine;
    if (s_.config.registry) {
      auto node = "node/" + s_.config.node.name;
      for (auto& a : s_.config.registry->list())
        if (a.name == node || a.owner == node) mine.push_back(std::move(a));
    }
    introspect::to_capnp(mine, c.getResults().initActors(static_cast<unsigned>(mine.size())));
    return kj::READY_NOW;
  }
  kj::Promise<void> logs(LogsContext c) override {
    auto params = c.getParams();
    auto error = kj::heap<std::string>();
    auto& e = *error;
    return s_.logs(params.getPod(), params.getOptions(), params.getSink(), e)
        .then([c, error = kj::mv(error)]() mutable { c.getResults().setError(*error); });
  }
  kj::Promise<void> exec(ExecContext c) override {
    auto p = c.getParams();
    return s_.exec(p.getPod(), p.getOptions(), p.getOutput(), false).then([c](exec_started s) mutable {
      answer(c.getResults(), kj::mv(s));
    });
  }
  kj::Promise<void> attach(AttachContext c) override {
    auto p = c.getParams();
    return s_.exec(p.getPod(), p.getOptions(), p.getOutput(), true).then([c](exec_started s) mutable {
      answer(c.getResults(), kj::mv(s));
    });
  }
  kj::Promise<void> portForward(PortForwardContext c) override {
    auto params = c.getParams();
    return s_.port_forward(params.getPod(), params.getPort(), params.getDownstream(), c.getResults());
  }

 private:
  bool stale() const { return gen_ != s_.generation; }
  node_session::impl& s_;
  std::uint64_t gen_;
};

/// Runtime events: a container of one of our pods changed; its actor looks again.
class event_sink final : public schema::RuntimeEventSink::Server {
 public:
  explicit event_sink(node_session::impl& s) : s_(s) {}

 protected:
  kj::Promise<void> event(EventContext c) override {
    auto labels = c.getParams().getLabels();
    if (label_of(labels, schema::LABEL_NODE->cStr()) == s_.config.node.name) {
      auto uid = label_of(labels, schema::LABEL_POD_UID->cStr());
      if (!uid.empty()) send_container_event(s_.node_actor, uid);
    }
    return kj::READY_NOW;
  }

 private:
  node_session::impl& s_;
};

}  // namespace

void node_session::impl::log(const std::string& line) const {
  if (!config.quiet) fmt::print(stderr, "berth-agent: node {}: {}\n", config.node.name, line);
}

void node_session::impl::connect() {
  auto gen = ++generation;
  tasks.add(rpc::dial_rpc(io.provider->getNetwork(), config.server, config.security)
                .then([this, gen](kj::Own<kj::AsyncIoStream> stream) { return join(gen, kj::mv(stream)); })
                .then([this, gen]() -> kj::Promise<void> {
                  if (gen != generation || !client) return kj::READY_NOW;
                  return client->onDisconnect();
                })
                .then([this, gen]() { lost(gen, "berthd closed the connection"); },
                      [this, gen](kj::Exception&& e) { lost(gen, text::describe(e)); }));
}

kj::Promise<void> node_session::impl::join(std::uint64_t gen, kj::Own<kj::AsyncIoStream> stream) {
  connection = kj::mv(stream);
  client = kj::heap<capnp::TwoPartyClient>(*connection);
  auto gateway = client->bootstrap().castAs<schema::Gateway>();
  return runtime.versionRequest().send().then([this, gen, gateway](auto v) mutable {
    runtime_version = fmt::format("{}://{}", v.getRuntimeName().cStr(), v.getRuntimeVersion().cStr());
    auto req = gateway.joinRequest();
    req.setToken(config.token);
    model::to_capnp(registration(config, runtime_version), req.initNode());
    req.setAgent(kj::heap<agent_server>(*this, gen));
    req.setHeartbeatIntervalMs(static_cast<std::uint64_t>(config.heartbeat_interval.count()));
    return req.send().then([this, gen](auto response) {
      if (gen != generation) return;
      session = response.getSession();
      joined = true;
      backoff = std::chrono::milliseconds{0};
      // berthd's contract; an older berthd sends none: keep the flag's (or 10s).
      auto contract = response.getHeartbeat();
      auto given = std::chrono::milliseconds(contract.getIntervalMs());
      heartbeat_interval = given.count() > 0                       ? given
                           : config.heartbeat_interval.count() > 0 ? config.heartbeat_interval
                                                                   : std::chrono::milliseconds(10'000);
      log(fmt::format("joined berthd at {} ({}); heartbeat every {}ms, NotReady after {}ms without one", config.server,
                      runtime_version, heartbeat_interval.count(), contract.getGracePeriodMs()));
      flush_unsent();
      heartbeat(gen);
    });
  });
}

void node_session::impl::lost(std::uint64_t gen, const std::string& why) {
  if (gen != generation) return;
  bool was_joined = joined.exchange(false);
  session = nullptr;
  client = nullptr;
  connection = nullptr;
  backoff = backoff.count() == 0 ? config.reconnect_min : std::min(backoff * 2, config.reconnect_max);
  if (was_joined || backoff == config.reconnect_min)
    log(fmt::format("lost berthd ({}); reconnecting with back-off", why));
  ++generation;  // callbacks of the old connection are stale from here on
  tasks.add(io.provider->getTimer().afterDelay(backoff.count() * kj::MILLISECONDS).then([this] { connect(); }));
}

void node_session::impl::heartbeat(std::uint64_t gen) {
  auto interval = heartbeat_interval.count() * kj::MILLISECONDS;
  tasks.add(io.provider->getTimer().afterDelay(interval).then([this, gen]() -> kj::Promise<void> {
    if (gen != generation) return kj::READY_NOW;
    KJ_IF_MAYBE (s, session) {
      return s->heartbeatRequest().send().then([this, gen](auto) { heartbeat(gen); },
                                               [this, gen](kj::Exception&& e) { lost(gen, text::describe(e)); });
    }
    return kj::READY_NOW;
  }));
}

void node_session::impl::watch_runtime() {
  auto req = runtime.watchEventsRequest();
  req.setSink(kj::heap<event_sink>(*this));
  tasks.add(req.send().then(
      [this](auto response) { runtime_watch = response.getHandle(); },
      [this](kj::Exception&& e) {
        log(fmt::format("runtime events unavailable ({}); retrying", text::describe(e)));
        tasks.add(io.provider->getTimer().afterDelay(1 * kj::SECONDS).then([this] { watch_runtime(); }));
      }));
}

void node_session::impl::set_pods(std::vector<model::pod> pods) {
  desired.clear();
  for (const auto& p : pods) {
    desired[p.metadata.uid] = p;
    // berthd sends the secrets before the pods on a join: secret volumes left
    // mounted by an agent that restarted get the current values here.
    if (!model::referenced_secrets(p.spec).empty())
      if (auto why = volumes.update_secret_volumes(p, secrets); !why.empty())
        log(fmt::format("pod {}/{}: {}", p.metadata.namespace_, p.metadata.name, why));
  }
  send_set_pods(node_actor, std::move(pods));
  clean_orphans();
}

void node_session::impl::set_secrets(node_secrets next) {
  for (const auto& [uid, pod] : desired) {
    if (!secrets_changed_for(pod, secrets, next)) continue;
    if (auto why = volumes.update_secret_volumes(pod, next); !why.empty())
      log(fmt::format("pod {}/{}: {}", pod.metadata.namespace_, pod.metadata.name, why));
    send_container_event(node_actor, uid);  // its actor looks again: a waiting pod may start now
  }
  secrets = std::move(next);
}

void node_session::impl::set_claims(node_claims next) {
  for (const auto& [uid, pod] : desired)
    if (claims_changed_for(pod, claims, next)) send_container_event(node_actor, uid);
  claims = std::move(next);
}

/// Containers of this node whose pod berthd no longer lists (deleted while the
/// agent was away): their pods go to the node actor as deletions.
void node_session::impl::clean_orphans() {
  auto req = runtime.listContainersRequest();
  auto filter = req.initFilter();
  filter.setIncludeExited(true);
  auto labels = filter.initLabels(1);
  labels[0].setKey(schema::LABEL_NODE);
  labels[0].setValue(config.node.name);
  tasks.add(req.send().then([this](auto response) {
    std::map<std::string, model::pod> orphans;
    for (auto info : response.getContainers()) {
      auto labels = info.getLabels();
      auto uid = label_of(labels, schema::LABEL_POD_UID->cStr());
      if (uid.empty() || desired.count(uid) || orphans.count(uid)) continue;
      orphans.emplace(uid, pod_from_labels(labels));
    }
    std::set<std::string> on_runtime;
    for (const auto& [uid, _] : orphans) on_runtime.insert(uid);
    clean_volume_dirs(on_runtime);
    if (orphans.empty()) return;
    log(fmt::format("{} pod(s) on the runtime are no longer wanted; stopping them", orphans.size()));
    std::vector<model::pod> list;
    for (auto& [_, p] : orphans) list.push_back(std::move(p));
    send_orphans(node_actor, std::move(list));
  }));
}

kj::Promise<void> node_session::impl::logs(schema::PodRef::Reader ref, schema::LogOptions::Reader options,
                                           schema::ByteSink::Client sink, std::string& error) {
  std::string uid = ref.getUid(), pod_name = ref.getName(), wanted = options.getContainer();
  std::vector<std::string> names;
  if (auto it = desired.find(uid); it != desired.end())
    for (const auto& c : it->second.spec.containers) names.push_back(c.name);
  if (wanted.empty()) {
    if (names.size() != 1) {
      error = fmt::format("a container name must be specified for pod {}, choose one of: [{}]", pod_name,
                          fmt::join(names, " "));
      return kj::READY_NOW;
    }
    wanted = names[0];
  }
  auto req = runtime.listContainersRequest();
  auto filter = req.initFilter();
  filter.setIncludeExited(true);
  auto labels = filter.initLabels(2);
  labels[0].setKey(schema::LABEL_POD_UID);
  labels[0].setValue(uid);
  labels[1].setKey(schema::LABEL_CONTAINER_NAME);
  labels[1].setValue(wanted);
  bool previous = options.getPrevious();
  auto opts = kj::heap<capnp::MallocMessageBuilder>();
  opts->setRoot(options);
  return req.send().then([this, &error, previous, wanted, pod_name, sink = kj::mv(sink),
                          opts = kj::mv(opts)](auto response) mutable -> kj::Promise<void> {
    auto pod = observe_pod(response.getContainers());
    std::sort(pod.containers.begin(), pod.containers.end(),
              [](const auto& a, const auto& b) { return a.attempt > b.attempt; });
    std::size_t pick = previous ? 1 : 0;
    if (pod.containers.size() <= pick) {
      error = previous ? fmt::format("previous terminated container \"{}\" in pod \"{}\" not found", wanted, pod_name)
                       : fmt::format("container \"{}\" in pod \"{}\" has not started yet", wanted, pod_name);
      return kj::READY_NOW;
    }
    auto logs = runtime.logsRequest();
    logs.setId(pod.containers[pick].id);
    logs.setOptions(opts->getRoot<schema::LogOptions>());
    logs.setSink(kj::mv(sink));
    return logs.send().then([&error](auto r) { error = r.getError(); });
  });
}

// ---------------------------------------------------------------- node_session

node_session::node_session(kj::AsyncIoContext& io, rpc::kj_inbox& inbox, caf::actor_system& sys,
                           schema::Runtime::Client runtime, session_config config)
    : impl_(std::make_unique<impl>(*this, io, inbox, kj::mv(runtime), std::move(config))) {
  impl_->node_actor = spawn_node_actor(sys, *this, impl_->config.pods, impl_->config.node.name);
}

node_session::~node_session() = default;

void node_session::start() {
  impl_->watch_runtime();
  impl_->connect();
}

void node_session::stop_actors() { caf::anon_send_exit(impl_->node_actor, caf::exit_reason::user_shutdown); }

bool node_session::joined() const { return impl_->joined; }

const std::string& node_session::name() const { return impl_->config.node.name; }

std::string node_session::host_ip() const { return impl_->config.node.host_ip; }

void node_session::impl::send_status(const model::pod& pod, const model::pod_status& status) {
  KJ_IF_MAYBE (s, session) {
    auto req = s->reportPodStatusRequest();
    fill_ref(pod, req.initPod());
    model::to_capnp(status, req.initStatus());
    tasks.add(req.send().ignoreResult());
    return;
  }
  unsent_status[pod.metadata.uid] = {pod, status};
}

/// Volume directories of pods deleted while the agent was away (their
/// containers already gone): orphans still on the runtime are removed when
/// their pod actor reports them terminated.
void node_session::impl::clean_volume_dirs(const std::set<std::string>& still_on_runtime) {
  for (const auto& uid : volumes.pods_on_disk()) {
    if (desired.count(uid) || still_on_runtime.count(uid)) continue;
    if (auto why = volumes.remove_pod(uid); !why.empty()) log(fmt::format("pod {}: volumes: {}", uid, why));
  }
}

void node_session::impl::send_terminated(const model::pod& pod) {
  // Every container is gone: the pod's volumes go too.
  if (auto why = volumes.remove_pod(pod.metadata.uid); !why.empty())
    log(fmt::format("pod {}/{}: volumes: {}", pod.metadata.namespace_, pod.metadata.name, why));
  KJ_IF_MAYBE (s, session) {
    auto req = s->reportPodTerminatedRequest();
    fill_ref(pod, req.initPod());
    tasks.add(req.send().ignoreResult());
    return;
  }
  unsent_terminated[pod.metadata.uid] = pod;
}

void node_session::impl::send_event(const model::pod& pod, const model::pod_event_observed& event) {
  KJ_IF_MAYBE (s, session) {
    auto req = s->reportPodEventRequest();
    fill_ref(pod, req.initPod());
    auto r = req.initReport();
    r.setReason(event.reason);
    r.setMessage(event.message);
    r.setContainer(event.container);
    tasks.add(req.send().ignoreResult());
  }
  // Disconnected: dropped, as Kubernetes' events are best effort; the
  // status (restart count, readiness) is what is resent.
}

void node_session::impl::flush_unsent() {
  auto statuses = std::move(unsent_status);
  auto terminated = std::move(unsent_terminated);
  unsent_status.clear();
  unsent_terminated.clear();
  if (!statuses.empty() || !terminated.empty())
    log(fmt::format("sending {} status and {} termination report(s) made while disconnected", statuses.size(),
                    terminated.size()));
  for (const auto& [_, r] : statuses) send_status(r.first, r.second);
  for (const auto& [_, p] : terminated) send_terminated(p);
}

void node_session::report_status(const model::pod& pod, const model::pod_status& status) {
  auto* s = impl_.get();
  s->inbox.post([s, pod, status] { s->send_status(pod, status); });
}

void node_session::report_terminated(const model::pod& pod) {
  auto* s = impl_.get();
  s->inbox.post([s, pod] { s->send_terminated(pod); });
}

void node_session::report_event(const model::pod& pod, const model::pod_event_observed& event) {
  auto* s = impl_.get();
  s->inbox.post([s, pod, event] { s->send_event(pod, event); });
}

}  // namespace berth::agent
