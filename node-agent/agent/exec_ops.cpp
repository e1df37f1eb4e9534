// NodeAgent.exec and NodeAgent.attach: which container of the pod, then the
// runtime's interactive session (StreamingRuntime), whose ExecInput goes
// back to berthd as it is: the bytes flow between berthd and the runtime
// without the agent copying them.
#include <fmt/format.h>

#include "node-agent/agent/node_session_impl.hpp"
#include "node-agent/agent/runtime_view.hpp"

namespace berth::agent {

kj::Promise<exec_started> node_session::impl::exec(schema::PodRef::Reader ref, schema::ExecOptions::Reader options,
                                                   schema::ExecOutput::Client output, bool attach) {
  std::string uid = ref.getUid(), pod_name = ref.getName(), wanted = options.getContainer();
  std::vector<std::string> names;
  if (auto it = desired.find(uid); it != desired.end())
    for (const auto& c : it->second.spec.containers) names.push_back(c.name);
  if (wanted.empty()) {
    if (names.size() != 1)
      return exec_started{fmt::format("a container name must be specified for pod {}, choose one of: [{}]", pod_name,
                                      fmt::join(names, " ")),
                          nullptr};
    wanted = names[0];
  }
  auto req = runtime.listContainersRequest();
  auto filter = req.initFilter();
  auto labels = filter.initLabels(2);
  labels[0].setKey(schema::LABEL_POD_UID);
  labels[0].setValue(uid);
  labels[1].setKey(schema::LABEL_CONTAINER_NAME);
  labels[1].setValue(wanted);
  auto opts = kj::heap<capnp::MallocMessageBuilder>();
  opts->setRoot(options);
  return req.send().then([this, attach, wanted, pod_name, output = kj::mv(output),
                          opts = kj::mv(opts)](auto response) mutable -> kj::Promise<exec_started> {
    auto pod = observe_pod(response.getContainers());
    const observed_container* running = nullptr;
    for (const auto& c : pod.containers)
      if (c.state_ == observed_container::state::running && (!running || c.attempt > running->attempt)) running = &c;
    if (running == nullptr)
      return exec_started{fmt::format("container \"{}\" in pod \"{}\" is not running", wanted, pod_name), nullptr};
    auto streaming = runtime.castAs<schema::StreamingRuntime>();
    auto started = [](auto r) {
      exec_started s{r.getError(), nullptr};
      if (s.error.empty()) s.input = r.getInput();
      return s;
    };
    auto unsupported = [this](kj::Exception&& e) -> exec_started {
      if (e.getType() == kj::Exception::Type::UNIMPLEMENTED)
        return {fmt::format("the container runtime of node {} does not support exec or attach", config.node.name),
                nullptr};
      throw kj::mv(e);
    };
    if (attach) {
      auto call = streaming.attachRequest();
      call.setId(running->id);
      call.setOptions(opts->getRoot<schema::ExecOptions>());
      call.setOutput(kj::mv(output));
      return call.send().then(started, unsupported);
    }
    auto call = streaming.execRequest();
    call.setId(running->id);
    call.setOptions(opts->getRoot<schema::ExecOptions>());
    call.setOutput(kj::mv(output));
    return call.send().then(started, unsupported);
  });
}

}  // namespace berth::agent
