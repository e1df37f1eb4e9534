#pragma once
// The Docker side of the podstart benchmark: the same containers a berth pod
// runs, started straight through the Engine API (the agent's own
// docker_client, so both use one HTTP stack), and the Docker timestamps of a
// berth pod's containers. All Engine API calls run on one worker thread that
// owns a KJ event loop and keeps its connection to dockerd warm, as the
// agent's is; the benchmark's thread keeps its own loop for berthd's client.
//
// Every container made here carries the label io.berth.bench=<run>, never the
// io.berth.pod.* labels (the agent must not take them for its own), and is
// removed after its measurement; the destructor removes any left over.

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kj {
class WaitScope;
}

namespace berth::agent::docker {
class docker_client;
}

namespace berth::bench {

/// The label key of every container the benchmark makes itself.
constexpr const char* k_bench_label = "io.berth.bench";

/// The Docker timestamps (ns since the epoch, wall clock) of a berth pod's
/// infra container and its (first) app container; 0 where unknown.
struct pod_container_times {
  std::int64_t infra_created_ns = 0;
  std::int64_t app_started_ns = 0;
};

class docker_side {
 public:
  /// Starts the worker and asks dockerd for its version; throws
  /// std::runtime_error when dockerd does not answer. `run` names this run's
  /// containers and labels them.
  docker_side(std::string socket, std::string run, std::string pause_image, std::string app_image,
              std::vector<std::string> command);
  /// Removes every container labelled with this run; stops the worker.
  ~docker_side();
  docker_side(const docker_side&) = delete;
  docker_side& operator=(const docker_side&) = delete;

  /// Seconds from just before the first create to inspect saying the app
  /// container runs: a pause container, then the app container joined to its
  /// network and IPC namespaces (the layout of a berth pod). Removes both
  /// afterwards (not timed). Throws std::runtime_error with dockerd's error.
  double start_infra_app(int index);

  /// The same for the app container alone on the default bridge network.
  double start_plain(int index);

  /// The timestamps of the containers of pod `pod` on node `node`.
  pod_container_times pod_times(const std::string& node, const std::string& pod);

  /// Force-removes every container whose labels match `label` ("k=v");
  /// returns how many there were.
  std::size_t remove_labelled(const std::string& label);

 private:
  using job = std::function<void(kj::WaitScope&, agent::docker::docker_client&)>;

  /// Runs `j` on the worker thread and waits for it; rethrows what it threw.
  void on_loop(job j);
  /// The worker thread: sets up the KJ loop and the client, then serves jobs.
  void worker(std::string socket);
  /// Runs each posted job through `run_job` until the destructor says quit.
  void serve(const std::function<void(job&)>& run_job);

  std::string run_, pause_image_, app_image_;
  std::vector<std::string> command_;
  std::mutex mutex_;
  std::condition_variable wake_;
  job pending_;
  bool done_ = false;  // the pending job finished
  bool quit_ = false;
  std::exception_ptr failure_;
  std::thread thread_;
};

}  // namespace berth::bench
