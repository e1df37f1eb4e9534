#pragma once
// berth's container runtime interface (schema/runtime.capnp) on the local
// Docker daemon, through its Engine API (docker_client). A pod is an infra
// ("pause") container holding the network and IPC namespaces plus app
// containers joined to it, as kubelet's dockershim did.
//
// Lives on the KJ event-loop thread; served in-process (a Runtime::Client
// made with kj::heap<docker_runtime>) or on a unix socket (runtime_socket).
// Ordinary failures (missing image, dockerd's 4xx/5xx) are the `error`
// results, with dockerd's message and status; an unreachable dockerd is an
// exception.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <kj/async-io.h>

#include "node-agent/docker/docker_client.hpp"
#include "node-agent/docker/docker_json.hpp"
#include "schema/runtime.capnp.h"

namespace berth::agent::docker {

/// Where dockerd is and which image holds a pod's namespaces.
struct docker_runtime_config {
  std::string socket = "/var/run/docker.sock";
  std::string pause_image = "berth/pause:latest";
  /// Cap on an execSync's captured output (a runaway probe must not eat the agent).
  std::size_t exec_output_limit = 4 << 20;
};

/// The Docker implementation of schema::Runtime, with interactive sessions
/// (StreamingRuntime: exec and attach, docker_exec.cpp).
class docker_runtime final : public schema::StreamingRuntime::Server {
 public:
  /// `network` and `timer` (the thread's AsyncIoProvider) must outlive it.
  docker_runtime(kj::Network& network, kj::Timer& timer, docker_runtime_config config = {});

  /// The Engine API client (for callers that need a call the interface lacks).
  docker_client& client() { return *client_; }

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
  kj::Promise<void> readFile(ReadFileContext context) override;
  kj::Promise<void> tailLog(TailLogContext context) override;
  kj::Promise<void> exec(ExecContext context) override;
  kj::Promise<void> attach(AttachContext context) override;

 private:
  struct image_check {
    bool present = false;
    std::string image_id;
    std::string error;
  };
  struct created {
    std::string id;
    std::string error;
  };

  kj::Promise<image_check> check_image(std::string image);
  /// Creates a container named `name`; on a name conflict left by an agent
  /// that died mid-create, removes the stale container if it belongs to the
  /// same pod (`pod_uid`) and retries once.
  kj::Promise<created> create_named(std::string name, std::string body, std::string pod_uid, bool retry);
  /// Starts `id`; "" or dockerd's error.
  kj::Promise<std::string> start(std::string id);
  /// Force-removes `id`; "" or dockerd's error (a missing container is fine).
  kj::Promise<std::string> remove(std::string id);
  /// The inspect document of `id`, nullopt when dockerd does not know it.
  kj::Promise<std::optional<json_doc>> inspect(std::string id);
  /// Starts a created exec and fills the results (output, exit code, timeout).
  kj::Promise<void> run_exec(ExecSyncContext context, std::string exec_id, std::int32_t timeout_seconds);
  /// The exit code of a finished exec (waits briefly while dockerd still says running).
  kj::Promise<std::int32_t> exec_exit_code(std::string exec_id, int tries);

  // Shared with the event watches this runtime hands out: a WatchHandle may
  // outlive the runtime capability.
  std::shared_ptr<docker_client> client_;
  docker_runtime_config config_;
};

}  // namespace berth::agent::docker
