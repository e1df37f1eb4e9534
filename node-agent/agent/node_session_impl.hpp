#pragma once
// node_session's insides, shared by node_session.cpp (berthd connection,
// NodeAgent capability, logs) and runtime_ops.cpp (observe / apply / probe).
// KJ thread only, except where noted.

#include <set>

#include <capnp/rpc-twoparty.h>
#include <caf/actor.hpp>
#include <kj/async-io.h>

#include "actors/rpc/kj_bridge.hpp"
#include "node-agent/agent/node_session.hpp"
#include "node-agent/agent/volume_host.hpp"
#include "node-agent/logic/pod_claims.hpp"
#include "schema/api.capnp.h"
#include "schema/runtime.capnp.h"

namespace berth::agent {

class task_errors : public kj::TaskSet::ErrorHandler {
 public:
  explicit task_errors(std::string prefix) : prefix_(std::move(prefix)) {}
  void taskFailed(kj::Exception&& e) override;

 private:
  std::string prefix_;
};

struct image_lookup {
  std::string error;  // "" = present
  std::chrono::steady_clock::time_point at;
};

/// How an exec or attach began: `error` (nothing started) or the session's input.
struct exec_started {
  std::string error;
  kj::Maybe<schema::ExecInput::Client> input;
};

struct node_session::impl {
  impl(node_session& o, kj::AsyncIoContext& i, rpc::kj_inbox& in, schema::Runtime::Client rt, session_config c)
      : owner(o),
        io(i),
        inbox(in),
        runtime(kj::mv(rt)),
        config(std::move(c)),
        errors("berth-agent: " + config.node.name),
        tasks(errors),
        volumes(config.volume_root,
                {config.node.name, !config.volume_root.empty() && volume_host::nfs_installed()}) {}

  node_session& owner;
  kj::AsyncIoContext& io;
  rpc::kj_inbox& inbox;
  schema::Runtime::Client runtime;
  session_config config;  // immutable after construction (read from any thread)
  task_errors errors;
  kj::TaskSet tasks;
  volume_host volumes;
  caf::actor node_actor;

  // berthd connection (generation bumps on every new connection; stale callbacks check it)
  std::uint64_t generation = 0;
  kj::Own<kj::AsyncIoStream> connection;
  kj::Own<capnp::TwoPartyClient> client;
  kj::Maybe<schema::NodeSession::Client> session;
  std::atomic<bool> joined{false};
  std::chrono::milliseconds backoff{0};
  std::chrono::milliseconds heartbeat_interval{0};  // as agreed at the last join
  // Reports made while not joined (disconnected, or berthd pushed the pods
  // before its join answer arrived): sent right after the next join, the
  // newest status per pod, so that nothing the node saw is lost.
  std::map<std::string, std::pair<model::pod, model::pod_status>> unsent_status;  // by uid
  std::map<std::string, model::pod> unsent_terminated;                            // by uid
  std::string runtime_version;
  std::map<std::string, model::pod> desired;  // by uid, as berthd last said
  std::vector<model::service> services;       // as berthd last pushed (for containers' environment)
  node_secrets secrets;                       // as berthd last pushed: only those our pods reference
  node_claims claims;                         // as berthd last pushed: the bound claims our pods mount
  std::map<std::string, image_lookup> images;
  // By container id, until the container is removed: the termination message
  // read once it exited, and a lifecycle hook that failed (reason, message).
  std::map<std::string, std::string> termination_messages;
  std::map<std::string, std::pair<std::string, std::string>> hook_failures;
  kj::Maybe<schema::WatchHandle::Client> runtime_watch;

  void log(const std::string& line) const;
  void connect();
  kj::Promise<void> join(std::uint64_t gen, kj::Own<kj::AsyncIoStream> stream);
  void lost(std::uint64_t gen, const std::string& why);
  void heartbeat(std::uint64_t gen);
  void send_status(const model::pod& pod, const model::pod_status& status);
  void send_terminated(const model::pod& pod);
  void send_event(const model::pod& pod, const model::pod_event_observed& event);
  void flush_unsent();
  void watch_runtime();
  void set_pods(std::vector<model::pod> pods);
  /// NodeAgent.setSecrets: keeps the set, rewrites the secret volumes of
  /// pods whose secrets changed and wakes their actors (a waiting pod starts).
  void set_secrets(node_secrets next);
  /// NodeAgent.setClaims: keeps the set and wakes the actors of pods whose
  /// claims changed (a pod waiting for its claim to be bound starts).
  void set_claims(node_claims next);
  void clean_orphans();
  /// Removes the volume directories of pods that are neither wanted nor on the runtime.
  void clean_volume_dirs(const std::set<std::string>& still_on_runtime);
  kj::Promise<void> logs(schema::PodRef::Reader ref, schema::LogOptions::Reader options, schema::ByteSink::Client sink,
                         std::string& error);
  /// NodeAgent.exec / attach (exec_ops.cpp): the running container, then the runtime's session.
  kj::Promise<exec_started> exec(schema::PodRef::Reader ref, schema::ExecOptions::Reader options,
                                 schema::ExecOutput::Client output, bool attach);
  // port_forward.cpp: NodeAgent.portForward (sets the error or the upstream in `results`).
  kj::Promise<void> port_forward(schema::PodRef::Reader ref, std::uint16_t port, schema::ByteSink::Client downstream,
                                 schema::NodeAgent::PortForwardResults::Builder results);

  // runtime_ops.cpp
  void observe(model::pod pod, std::function<void(observation)> done);
  kj::Promise<std::map<std::string, std::string>> lookup_images(const model::pod& pod);
  void apply(model::pod pod, pod_plan plan, std::string sandbox_id, std::function<void(std::vector<apply_error>)> done);
  void probe(probe_request request, int port, std::function<void(probe_result)> done);
  /// A probe's or a hook's action against a container (exec) or the pod (`ip`), within `timeout_seconds`.
  kj::Promise<probe_result> run_action(const model::lifecycle_handler& action, const std::string& container_id,
                                       const std::string& ip, int port, int timeout_seconds);
  /// A lifecycle hook of `spec`: "" or kubelet's failure message.
  kj::Promise<std::string> run_hook(const char* which, const model::lifecycle_handler& hook,
                                    const model::container& spec, const std::string& container_id,
                                    const std::string& ip, std::int64_t timeout_seconds);
  /// Fills the termination messages and hook failures of the pod's exited containers.
  kj::Promise<observed_pod> add_exit_details(const model::pod& pod, observed_pod o);
  kj::Promise<std::string> read_termination_message(const observed_container& c, const model::container& spec);
};

}  // namespace berth::agent
