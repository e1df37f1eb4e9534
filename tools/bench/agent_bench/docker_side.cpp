#include "tools/bench/agent_bench/docker_side.hpp"

#include <map>
#include <stdexcept>
#include <utility>

#include <fmt/format.h>
#include <kj/async-io.h>

#include "node-agent/docker/docker_client.hpp"
#include "node-agent/docker/docker_json.hpp"
#include "node-agent/docker/docker_mapping.hpp"
#include "schema/runtime.capnp.h"
#include "tools/bench/api_bench/bench_support.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::bench {
namespace {

namespace dk = agent::docker;

// How often a just-started container is inspected before the benchmark
// gives up on it (dockerd reports a started container as running at once;
// the loop only guards against a daemon that does not).
constexpr int k_inspect_tries = 500;

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

/// One Engine API call, its status checked: the reply, or std::runtime_error
/// with dockerd's message.
dk::docker_reply call(kj::WaitScope& ws, dk::docker_client& c, kj::HttpMethod method, const std::string& path,
                      std::string body = {}) {
  auto reply = c.call(method, path, std::move(body)).wait(ws);
  if (!reply.ok() && reply.status != 304)  // 304: already started
    throw std::runtime_error(fmt::format("{} {}: {}", kj::str(method).cStr(), path, dk::docker_error(reply)));
  return reply;
}

std::string create(kj::WaitScope& ws, dk::docker_client& c, const std::string& name, std::string body) {
  auto reply = call(ws, c, kj::HttpMethod::POST, "/containers/create?name=" + dk::url_encode(name), std::move(body));
  return dk::json_string(dk::json_doc(reply.body).root(), {"Id"});
}

void start(kj::WaitScope& ws, dk::docker_client& c, const std::string& id) {
  call(ws, c, kj::HttpMethod::POST, fmt::format("/containers/{}/start", id));
}

void wait_running(kj::WaitScope& ws, dk::docker_client& c, const std::string& id) {
  for (int i = 0; i < k_inspect_tries; ++i) {
    auto reply = call(ws, c, kj::HttpMethod::GET, fmt::format("/containers/{}/json", id));
    if (dk::json_bool(dk::json_doc(reply.body).root(), {"State", "Running"})) return;
  }
  throw std::runtime_error(fmt::format("container {} was not running after {} inspections", id, k_inspect_tries));
}

/// Force-removes `ids` (newest first); errors are ignored: this is cleanup,
/// and the destructor's sweep by label catches what is left.
void remove_all(kj::WaitScope& ws, dk::docker_client& c, const std::vector<std::string>& ids) {
  for (auto it = ids.rbegin(); it != ids.rend(); ++it) {
    if (it->empty()) continue;
    try {
      c.call(kj::HttpMethod::DELETE, fmt::format("/containers/{}?force=1&v=1", *it)).wait(ws);
    } catch (const kj::Exception&) {}
  }
}

/// The ids of every container (running or not) whose labels match all of `labels`.
std::vector<std::string> list_labelled(kj::WaitScope& ws, dk::docker_client& c,
                                       const std::vector<std::string>& labels) {
  dk::json_writer w;
  w.begin_object().key("label").strings(labels).end_object();
  auto reply = call(ws, c, kj::HttpMethod::GET, "/containers/json?all=1&filters=" + dk::url_encode(w.str()));
  return dk::listed_ids(dk::json_doc(reply.body).root());
}

}  // namespace

docker_side::docker_side(std::string socket, std::string run, std::string pause_image, std::string app_image,
                         std::vector<std::string> command)
    : run_(std::move(run)),
      pause_image_(std::move(pause_image)),
      app_image_(std::move(app_image)),
      command_(std::move(command)) {
  thread_ = std::thread([this, socket = std::move(socket)] { worker(socket); });
  on_loop([](kj::WaitScope& ws, dk::docker_client& c) { call(ws, c, kj::HttpMethod::GET, "/version"); });
}

docker_side::~docker_side() {
  try {
    remove_labelled(fmt::format("{}={}", k_bench_label, run_));
  } catch (const std::exception& e) {
    fmt::print(stderr, "agent_bench: removing this run's containers failed: {}\n", e.what());
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    quit_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void docker_side::on_loop(job j) {
  std::unique_lock<std::mutex> lock(mutex_);
  pending_ = std::move(j);
  done_ = false;
  wake_.notify_all();
  wake_.wait(lock, [this] { return done_; });
  if (auto failure = std::exchange(failure_, nullptr)) std::rethrow_exception(failure);
}

void docker_side::worker(std::string socket) {
  try {
    auto io = kj::setupAsyncIo();
    dk::docker_client client(io.provider->getNetwork(), io.provider->getTimer(), socket);
    serve([&](job& j) { j(io.waitScope, client); });
  } catch (const kj::Exception& e) {
    // Only the setup throws here (serve keeps a job's failure for its caller).
    std::string why = fmt::format("no KJ event loop for the Docker client: {}", text::describe(e));
    serve([&](job&) { throw std::runtime_error(why); });
  }
}

void docker_side::serve(const std::function<void(job&)>& run_job) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return quit_ || pending_; });
    if (!pending_) return;
    auto j = std::exchange(pending_, nullptr);
    lock.unlock();
    std::exception_ptr failure;
    try {
      run_job(j);
    } catch (const kj::Exception& e) {
      failure = std::make_exception_ptr(std::runtime_error(fmt::format("dockerd: {}", text::describe(e))));
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    failure_ = failure;
    done_ = true;
    wake_.notify_all();
  }
}

double docker_side::start_infra_app(int index) {
  double took = -1;
  on_loop([&](kj::WaitScope& ws, dk::docker_client& c) {
    auto name = fmt::format("berthbench_{}_{}", run_, index);
    std::map<std::string, std::string> labels{{k_bench_label, run_}};
    dk::json_writer infra_body;  // as dk::sandbox_create_body makes it for a pod without ports
    infra_body.begin_object().key("Image").value(pause_image_).key("Hostname").value(name);
    infra_body.key("Labels").string_map(labels).key("HostConfig").begin_object();
    infra_body.key("NetworkMode").value("bridge").key("IpcMode").value("shareable").key("Init").value(false);
    infra_body.end_object().end_object();
    std::vector<std::string> ids;
    try {
      double t0 = now_s();
      ids.push_back(create(ws, c, name + "_POD", infra_body.str()));
      start(ws, c, ids[0]);
      auto joined = "container:" + ids[0];
      dk::json_writer app_body;  // as dk::container_create_body makes it
      app_body.begin_object().key("Image").value(app_image_).key("Entrypoint").strings(command_);
      app_body.key("Labels").string_map(labels).key("HostConfig").begin_object();
      app_body.key("NetworkMode").value(joined).key("IpcMode").value(joined).end_object().end_object();
      ids.push_back(create(ws, c, name + "_app", app_body.str()));
      start(ws, c, ids[1]);
      wait_running(ws, c, ids[1]);
      took = now_s() - t0;
    } catch (...) {
      remove_all(ws, c, ids);
      throw;
    }
    remove_all(ws, c, ids);
  });
  return took;
}

double docker_side::start_plain(int index) {
  double took = -1;
  on_loop([&](kj::WaitScope& ws, dk::docker_client& c) {
    dk::json_writer body;
    body.begin_object().key("Image").value(app_image_).key("Entrypoint").strings(command_);
    body.key("Labels").string_map({{k_bench_label, run_}}).end_object();
    std::vector<std::string> ids;
    try {
      double t0 = now_s();
      ids.push_back(create(ws, c, fmt::format("berthbench_{}_{}_plain", run_, index), body.str()));
      start(ws, c, ids[0]);
      wait_running(ws, c, ids[0]);
      took = now_s() - t0;
    } catch (...) {
      remove_all(ws, c, ids);
      throw;
    }
    remove_all(ws, c, ids);
  });
  return took;
}

pod_container_times docker_side::pod_times(const std::string& node, const std::string& pod) {
  pod_container_times t;
  on_loop([&](kj::WaitScope& ws, dk::docker_client& c) {
    auto ids = list_labelled(ws, c,
                             {fmt::format("{}={}", text(schema::LABEL_NODE.get()), node),
                              fmt::format("{}={}", text(schema::LABEL_POD_NAME.get()), pod)});
    auto container_label = text(schema::LABEL_CONTAINER_NAME.get());
    for (const auto& id : ids) {
      auto reply = call(ws, c, kj::HttpMethod::GET, fmt::format("/containers/{}/json", id));
      dk::json_doc doc(reply.body);
      auto labels = dk::json_string_map(doc.root(), {"Config", "Labels"});
      if (labels[container_label] == text(schema::SANDBOX_CONTAINER_NAME.get()))
        t.infra_created_ns = dk::parse_docker_time(dk::json_string(doc.root(), {"Created"}));
      else
        t.app_started_ns = dk::parse_docker_time(dk::json_string(doc.root(), {"State", "StartedAt"}));
    }
  });
  return t;
}

std::size_t docker_side::remove_labelled(const std::string& label) {
  std::size_t n = 0;
  on_loop([&](kj::WaitScope& ws, dk::docker_client& c) {
    auto ids = list_labelled(ws, c, {label});
    n = ids.size();
    remove_all(ws, c, ids);
  });
  return n;
}

}  // namespace berth::bench
