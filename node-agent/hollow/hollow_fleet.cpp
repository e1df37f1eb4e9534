#include "actors/rpc/dial.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"

#include <future>
#include <mutex>
#include <random>
#include <set>

#include <capnp/rpc-twoparty.h>
#include <fmt/format.h>
#include <kj/async-io.h>
#include <kj/debug.h>
#include <kj/thread.h>

#include "actors/model/capnp_convert.hpp"
#include "actors/model/quantity.hpp"
#include "actors/rpc/kj_bridge.hpp"
#include "schema/api.capnp.h"
#include "actors/text/kj_describe.hpp"

namespace berth::agent {
namespace {

model::time_ns now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct pod_entry {
  model::pod pod;
  bool started = false;     // a Running (or Failed) status was reported
  bool terminated = false;  // reportPodTerminated was sent
};

class error_log : public kj::TaskSet::ErrorHandler {
 public:
  void taskFailed(kj::Exception&& e) override {
    if (e.getType() != kj::Exception::Type::DISCONNECTED) fmt::print(stderr, "hollow: {}\n", text::describe(e));
  }
};

struct shared_state;

/// One simulated node (KJ thread only).
struct hollow_node {
  hollow_node_spec spec;
  int index = 0;
  shared_state& shared;
  kj::Own<kj::AsyncIoStream> connection;
  kj::Own<capnp::TwoPartyClient> client;
  kj::Maybe<schema::NodeSession::Client> session;
  std::map<std::string, pod_entry> pods;  // by uid
  bool heartbeating = true;
  bool joined = false;
  std::chrono::milliseconds heartbeat_interval{10'000};  // as agreed at join
  std::uint32_t next_ip = 1;

  hollow_node(hollow_node_spec s, int i, shared_state& sh) : spec(std::move(s)), index(i), shared(sh) {}
  kj::Promise<void> join();
  void heartbeat_loop();
  void set_pods(const std::vector<model::pod>& desired);
  void upsert(const model::pod& p);
  void remove(const std::string& uid);
  void start_pod(const std::string& uid);
  void publish();
};

struct shared_state {
  hollow_config config;
  kj::AsyncIoContext* io = nullptr;
  error_log errors;
  kj::TaskSet tasks{errors};
  std::mt19937_64 random;
  mutable std::mutex view_mutex;
  std::map<std::string, hollow_node_view> views;
  explicit shared_state(hollow_config c) : config(std::move(c)), random(config.seed) {}
};

model::node registration(const hollow_node& n) {
  model::node node;
  node.metadata.name = n.spec.name;
  node.metadata.labels = n.spec.labels;
  node.metadata.labels["kubernetes.io/hostname"] = n.spec.name;
  for (auto* list : {&node.status.capacity, &node.status.allocatable}) {
    (*list)["cpu"] = *model::parse_quantity(n.spec.cpu);
    (*list)["memory"] = *model::parse_quantity(n.spec.memory);
    (*list)["pods"] = *model::parse_quantity(std::to_string(n.spec.max_pods));
  }
  node.status.addresses = {{"InternalIP", fmt::format("127.10.{}.{}", n.index / 250, n.index % 250 + 1)},
                           {"Hostname", n.spec.name}};
  node.status.node_info.kubelet_version = "berth-hollow";
  node.status.node_info.container_runtime_version = "hollow://1";
  node.status.node_info.operating_system = "linux";
  node.status.node_info.architecture = "amd64";
  return node;
}

class hollow_agent final : public schema::NodeAgent::Server {
 public:
  explicit hollow_agent(hollow_node& n) : node_(n) {}

 protected:
  kj::Promise<void> setPods(SetPodsContext c) override {
    std::vector<model::pod> pods;
    for (auto p : c.getParams().getPods()) pods.push_back(model::from_capnp(p));
    node_.set_pods(pods);
    return kj::READY_NOW;
  }
  kj::Promise<void> upsertPod(UpsertPodContext c) override {
    node_.upsert(model::from_capnp(c.getParams().getPod()));
    return kj::READY_NOW;
  }
  kj::Promise<void> removePod(RemovePodContext c) override {
    node_.remove(c.getParams().getPod().getUid());
    return kj::READY_NOW;
  }
  // Hollow nodes run no service proxy: services are accepted and ignored.
  kj::Promise<void> setServices(SetServicesContext) override { return kj::READY_NOW; }
  // Nor mounts or environments: their secrets are accepted and dropped.
  kj::Promise<void> setSecrets(SetSecretsContext) override { return kj::READY_NOW; }
  kj::Promise<void> setClaims(SetClaimsContext) override { return kj::READY_NOW; }
  kj::Promise<void> logs(LogsContext c) override {
    c.getResults().setError("hollow nodes run no containers: there are no logs");
    return kj::READY_NOW;
  }
  kj::Promise<void> portForward(PortForwardContext c) override {
    c.getResults().setError("hollow nodes run no containers: there is nothing to forward to");
    return kj::READY_NOW;
  }

 private:
  hollow_node& node_;
};

kj::Promise<void> hollow_node::join() {
  auto& network = shared.io->provider->getNetwork();
  return rpc::dial_rpc(network, shared.config.server, shared.config.security)
      .then([this](kj::Own<kj::AsyncIoStream> stream) {
        connection = kj::mv(stream);
        client = kj::heap<capnp::TwoPartyClient>(*connection);
        auto gateway = client->bootstrap().castAs<schema::Gateway>();
        auto req = gateway.joinRequest();
        req.setToken(shared.config.token);
        model::to_capnp(registration(*this), req.initNode());
        req.setAgent(kj::heap<hollow_agent>(*this));
        req.setHeartbeatIntervalMs(static_cast<std::uint64_t>(shared.config.heartbeat_interval.count()));
        return req.send().then([this](auto response) {
          session = response.getSession();
          if (auto ms = response.getHeartbeat().getIntervalMs(); ms > 0)
            heartbeat_interval = std::chrono::milliseconds(ms);
          else if (shared.config.heartbeat_interval.count() > 0)
            heartbeat_interval = shared.config.heartbeat_interval;
          joined = true;
          publish();
          heartbeat_loop();
        });
      });
}

void hollow_node::heartbeat_loop() {
  auto interval = heartbeat_interval.count() * kj::MILLISECONDS;
  shared.tasks.add(shared.io->provider->getTimer().afterDelay(interval).then([this]() -> kj::Promise<void> {
    KJ_IF_MAYBE (s, session) {
      heartbeat_loop();
      if (heartbeating) return s->heartbeatRequest().send().ignoreResult();
    }
    return kj::READY_NOW;
  }));
}

void hollow_node::set_pods(const std::vector<model::pod>& desired) {
  std::set<std::string> keep;
  for (const auto& p : desired) {
    keep.insert(p.metadata.uid);
    upsert(p);
  }
  for (auto it = pods.begin(); it != pods.end();) it = keep.count(it->first) ? std::next(it) : pods.erase(it);
  publish();
}

void hollow_node::upsert(const model::pod& p) {
  auto& e = pods[p.metadata.uid];
  bool fresh = e.pod.metadata.uid.empty();
  e.pod = p;
  if (p.metadata.deletion_timestamp != 0) {
    if (!e.terminated) {
      e.terminated = true;
      KJ_IF_MAYBE (s, session) {
        auto req = s->reportPodTerminatedRequest();
        auto ref = req.initPod();
        ref.setNamespace(p.metadata.namespace_);
        ref.setName(p.metadata.name);
        ref.setUid(p.metadata.uid);
        shared.tasks.add(req.send().ignoreResult());
      }
    }
  } else if (fresh || !e.started) {
    auto uid = p.metadata.uid;
    auto latency = shared.config.start_latency.count() * kj::MILLISECONDS;
    shared.tasks.add(shared.io->provider->getTimer().afterDelay(latency).then([this, uid] { start_pod(uid); }));
  }
  publish();
}

void hollow_node::remove(const std::string& uid) {
  pods.erase(uid);
  publish();
}

void hollow_node::start_pod(const std::string& uid) {
  auto it = pods.find(uid);
  if (it == pods.end() || it->second.started || it->second.terminated) return;
  auto& e = it->second;
  e.started = true;
  bool fail = std::uniform_real_distribution<double>(0, 1)(shared.random) < shared.config.failure_rate;
  auto now = now_ns();
  model::pod_status s;
  s.phase = fail ? model::pod_phase::failed : model::pod_phase::running;
  s.host_ip = fmt::format("127.10.{}.{}", index / 250, index % 250 + 1);
  s.pod_ip = fmt::format("127.{}.{}.{}", 11 + index / 250, index % 250, next_ip++ % 250 + 1);
  s.start_time = now;
  s.conditions.push_back(
      {"Ready", fail ? model::condition_status::is_false : model::condition_status::is_true, "", "", now, 0, 0});
  for (const auto& c : e.pod.spec.containers) {
    model::container_status cs;
    cs.name = c.name;
    cs.image = c.image;
    cs.container_id = fmt::format("hollow://{}/{}", uid, c.name);
    if (fail)
      cs.state = model::container_state_terminated{1, 0, "Error", "simulated start failure", now, now, cs.container_id};
    else
      cs.state = model::container_state_running{now};
    cs.ready = !fail;
    s.container_statuses.push_back(std::move(cs));
  }
  KJ_IF_MAYBE (session_client, session) {
    auto req = session_client->reportPodStatusRequest();
    auto ref = req.initPod();
    ref.setNamespace(e.pod.metadata.namespace_);
    ref.setName(e.pod.metadata.name);
    ref.setUid(uid);
    model::to_capnp(s, req.initStatus());
    shared.tasks.add(req.send().ignoreResult());
  }
  publish();
}

void hollow_node::publish() {
  hollow_node_view v;
  v.joined = joined;
  v.heartbeating = heartbeating;
  v.pods = pods.size();
  for (const auto& [_, e] : pods) v.running += e.started && !e.terminated ? 1 : 0;
  std::lock_guard<std::mutex> lock(shared.view_mutex);
  shared.views[spec.name] = v;
}

}  // namespace

struct hollow_fleet::impl {
  hollow_config config;
  std::shared_ptr<rpc::kj_inbox> inbox = std::make_shared<rpc::kj_inbox>();
  std::unique_ptr<shared_state> shared;
  std::map<std::string, std::unique_ptr<hollow_node>> nodes;  // KJ thread
  kj::Own<kj::Thread> thread;
  std::mutex stop_mutex;
  kj::Own<kj::CrossThreadPromiseFulfiller<void>> stop;

  void run(std::promise<std::string>& started);
};

void hollow_fleet::impl::run(std::promise<std::string>& started) {
  auto io = kj::setupAsyncIo();
  shared = std::make_unique<shared_state>(config);
  shared->io = &io;
  int i = 0;
  for (const auto& spec : config.nodes) nodes.emplace(spec.name, std::make_unique<hollow_node>(spec, i++, *shared));
  auto inbox_loop = inbox->run();
  std::string error;
  try {
    auto joins = kj::heapArrayBuilder<kj::Promise<void>>(nodes.size());
    for (auto& [_, n] : nodes) joins.add(n->join());
    kj::joinPromises(joins.finish()).wait(io.waitScope);
  } catch (const kj::Exception& e) {
    error = fmt::format("hollow nodes could not join {}: {}", config.server, text::describe(e));
  }
  auto paf = kj::newPromiseAndCrossThreadFulfiller<void>();
  {
    std::lock_guard<std::mutex> lock(stop_mutex);
    stop = kj::mv(paf.fulfiller);
  }
  started.set_value(error);
  paf.promise.wait(io.waitScope);
  inbox->close();
  nodes.clear();
  shared.reset();
}

hollow_fleet::hollow_fleet(hollow_config config) : impl_(std::make_unique<impl>()) {
  impl_->config = std::move(config);
}

hollow_fleet::~hollow_fleet() {
  {
    std::lock_guard<std::mutex> lock(impl_->stop_mutex);
    if (impl_->stop) impl_->stop->fulfill();
  }
  impl_->thread = nullptr;
}

std::string hollow_fleet::start() {
  std::promise<std::string> started;
  auto result = started.get_future();
  auto* self = impl_.get();
  impl_->thread = kj::heap<kj::Thread>([self, &started] { self->run(started); });
  return result.get();
}

void hollow_fleet::set_heartbeating(const std::string& node, bool on) {
  auto* self = impl_.get();
  std::promise<void> done;
  impl_->inbox->post([self, node, on, &done] {
    if (auto it = self->nodes.find(node); it != self->nodes.end()) {
      it->second->heartbeating = on;
      it->second->publish();
    }
    done.set_value();
  });
  done.get_future().wait();
}

void hollow_fleet::disconnect(const std::string& node) {
  auto* self = impl_.get();
  std::promise<void> done;
  impl_->inbox->post([self, node, &done] {
    if (auto it = self->nodes.find(node); it != self->nodes.end()) {
      auto& n = *it->second;
      n.session = nullptr;
      n.client = nullptr;
      n.connection = nullptr;
      n.joined = false;
      n.publish();
    }
    done.set_value();
  });
  done.get_future().wait();
}

std::map<std::string, hollow_node_view> hollow_fleet::view() const {
  std::lock_guard<std::mutex> lock(impl_->shared->view_mutex);
  return impl_->shared->views;
}

}  // namespace berth::agent
