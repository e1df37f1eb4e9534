#pragma once
// The container runtime interface (schema/runtime.capnp) served from memory:
// no containers run, but every call behaves as the Docker runtime's would, so
// the real agent logic drives it unchanged. `berth-agent --hollow N` serves one
// per simulated node for scale tests and benchmarks (Kubernetes' kubemark).
//
// Memory is what limits a hollow fleet (10,000 pods across 1,000 runtimes in
// one process): a container is one small record, and the pod's identity
// (node, uid, namespace, name) is shared by its sandbox and app containers.
//
// Single-threaded: lives on the KJ event loop that serves it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include <kj/async.h>
#include <kj/timer.h>

#include "schema/runtime.capnp.h"

namespace berth::agent {

struct hollow_runtime_config {
  std::chrono::milliseconds start_latency{0};  // startContainer answers after this
  double failure_rate = 0;                     // share of starts that fail (exit 1)
  std::uint64_t seed = 1;                      // failures and container ids
  /// Pod IPs are this prefix plus as many octets as it lacks ("10.250." ->
  /// 10.250.0.1, 10.250.0.2, ...). Runtimes of one fleet need distinct prefixes
  /// for pod IPs to be unique across nodes ("10.7.3." for node 7*256+3).
  std::string ip_prefix = "10.250.";
};

/// A Runtime::Server that keeps its containers in a map. Owned by the
/// Cap'n Proto client that serves it (kj::heap, then a Runtime::Client);
/// `timer` must outlive it. Ordinary failures are result values, as the
/// interface asks; nothing here throws on a client's mistake.
class hollow_runtime final : public berth::schema::Runtime::Server, private kj::TaskSet::ErrorHandler {
 public:
  hollow_runtime(hollow_runtime_config config, kj::Timer& timer);
  ~hollow_runtime() noexcept(false);
  hollow_runtime(const hollow_runtime&) = delete;
  hollow_runtime& operator=(const hollow_runtime&) = delete;

  /// Containers held (sandboxes included, any state): for tests and memory accounting.
  std::size_t size() const { return containers_.size(); }

 protected:
  kj::Promise<void> version(VersionContext context) override;
  kj::Promise<void> imageStatus(ImageStatusContext context) override;
  kj::Promise<void> runSandbox(RunSandboxContext context) override;
  kj::Promise<void> createContainer(CreateContainerContext context) override;
  kj::Promise<void> startContainer(StartContainerContext context) override;
  kj::Promise<void> stopContainer(StopContainerContext context) override;
  kj::Promise<void> removeContainer(RemoveContainerContext context) override;
  kj::Promise<void> listContainers(ListContainersContext context) override;
  kj::Promise<void> inspectContainer(InspectContainerContext context) override;
  kj::Promise<void> logs(LogsContext context) override;
  kj::Promise<void> execSync(ExecSyncContext context) override;
  kj::Promise<void> watchEvents(WatchEventsContext context) override;

 private:
  /// The labels every container of one pod shares.
  struct pod_identity {
    std::string node;
    std::string uid;
    std::string namespace_;
    std::string name;
    std::int64_t grace_period = 0;
  };

  struct record {
    std::string id;
    std::shared_ptr<const pod_identity> pod;
    std::string name;       // "POD" for sandboxes
    std::string spec_hash;  // empty for sandboxes
    std::string image;
    std::string ip;  // sandboxes only
    std::string error;
    std::uint32_t attempt = 0;
    std::int64_t backoff_delay = 0;  // ns; the label only when > 0
    berth::schema::ContainerStateKind state = berth::schema::ContainerStateKind::CREATED;
    std::int32_t exit_code = 0;
    std::int64_t created_at = 0;
    std::int64_t started_at = 0;
    std::int64_t finished_at = 0;
    std::uint32_t serial = 0;  // creation order, for stable listings and pids
  };

  struct watcher;

  std::string new_id();
  std::string next_ip();
  record* find(kj::StringPtr id);
  std::optional<std::string> label_value(const record& r, kj::StringPtr key) const;
  bool matches(const record& r, berth::schema::LabelFilter::Reader filter) const;
  std::vector<std::pair<kj::StringPtr, std::string>> labels_of(const record& r) const;
  void fill(const record& r, berth::schema::ContainerInfo::Builder info) const;
  std::string finish_start(const std::string& id);
  void emit(const record& r, kj::StringPtr action);
  void taskFailed(kj::Exception&& exception) override;

  hollow_runtime_config config_;
  kj::Timer& timer_;
  std::mt19937_64 random_;
  std::unordered_map<std::string, record> containers_;
  std::vector<kj::Own<watcher>> watchers_;
  std::uint32_t next_serial_ = 0;
  std::uint64_t next_ip_ = 0;
  kj::TaskSet events_;  // event deliveries in flight; last, so it goes first
};

}  // namespace berth::agent
