// NodeAgent.portForward: one forwarded TCP connection to a pod (`kubectl
// port-forward`, through berthd). The agent dials the pod's IP from the host,
// as kubelet's runtimes dial inside the pod's network namespace; with host
// networking the pod listens on the host, so 127.0.0.1 it is.
//
//   berthd                        agent                      pod
//   upstream.write(bytes)*  --->  socket.write           ---> IP:port
//   upstream.done()         --->  socket.shutdownWrite
//   downstream.write(bytes)* <--  socket.read (64 KiB)   <---
//   downstream.done()       <---  end of stream (or a reset)
//
// Both directions are streamed calls, so a slow reader on either side holds
// the writer back. Dropping the upstream capability ends the connection at
// once, whatever is in flight.
#include <fmt/format.h>
#include <kj/async-io.h>

#include "actors/text/kj_describe.hpp"
#include "node-agent/agent/node_session_impl.hpp"
#include "node-agent/agent/runtime_view.hpp"

namespace berth::agent {
namespace {

constexpr std::size_t k_read_size = 64 * 1024;

/// Owns the connection and the pump from the pod to berthd; berthd's writes
/// go to the pod. Destroying it cancels the pump and closes the socket.
class upstream_sink final : public schema::ByteSink::Server {
 public:
  upstream_sink(kj::Own<kj::AsyncIoStream> conn, schema::ByteSink::Client downstream)
      : conn_(kj::mv(conn)),
        downstream_(kj::mv(downstream)),
        buffer_(kj::heapArray<kj::byte>(k_read_size)),
        pump_(pump().catch_([](kj::Exception&&) {}).eagerlyEvaluate(nullptr)) {}

 protected:
  kj::Promise<void> write(WriteContext c) override {
    if (write_closed_) return KJ_EXCEPTION(FAILED, "the connection to the pod is closed for writing (done() was called)");
    auto data = c.getParams().getData();
    auto copy = kj::heapArray<kj::byte>(data);
    auto& ref = copy;
    return conn_->write(ref.begin(), ref.size()).attach(kj::mv(copy));
  }
  kj::Promise<void> done(DoneContext) override {
    if (!write_closed_) conn_->shutdownWrite();
    write_closed_ = true;
    return kj::READY_NOW;
  }

 private:
  kj::Promise<void> pump() {
    return conn_->tryRead(buffer_.begin(), 1, buffer_.size())
        .then(
            [this](std::size_t n) -> kj::Promise<void> {
              if (n == 0) return downstream_.doneRequest().send().ignoreResult();
              auto req = downstream_.writeRequest();
              req.setData(buffer_.slice(0, n));
              return req.send().then([this] { return pump(); });
            },
            // A reset from the pod ends its side like an end of stream.
            [this](kj::Exception&&) { return downstream_.doneRequest().send().ignoreResult(); });
  }

  kj::Own<kj::AsyncIoStream> conn_;
  schema::ByteSink::Client downstream_;
  kj::Array<kj::byte> buffer_;
  bool write_closed_ = false;
  kj::Promise<void> pump_;  // last: destroyed first, while what it uses is alive
};

}  // namespace

kj::Promise<void> node_session::impl::port_forward(schema::PodRef::Reader ref, std::uint16_t port,
                                                   schema::ByteSink::Client downstream,
                                                   schema::NodeAgent::PortForwardResults::Builder results) {
  std::string uid = ref.getUid(), name = ref.getName();
  auto it = desired.find(uid);
  if (it == desired.end()) {
    results.setError(fmt::format("pod {} does not run on node {}", name, config.node.name));
    return kj::READY_NOW;
  }
  const bool host_network = it->second.spec.host_network;
  auto req = runtime.listContainersRequest();
  auto filter = req.initFilter();
  auto labels = filter.initLabels(2);
  labels[0].setKey(schema::LABEL_NODE);
  labels[0].setValue(config.node.name);
  labels[1].setKey(schema::LABEL_POD_UID);
  labels[1].setValue(uid);
  return req.send().then([this, name, port, host_network, results, downstream = kj::mv(downstream)](
                             auto response) mutable -> kj::Promise<void> {
    auto pod = observe_pod(response.getContainers());
    const observed_container* sandbox = nullptr;
    for (const auto& s : pod.sandboxes)
      if (s.state_ == observed_container::state::running) sandbox = &s;
    if (sandbox == nullptr) {
      results.setError(fmt::format("pod {} is not running: its sandbox has no running container", name));
      return kj::READY_NOW;
    }
    std::string ip = host_network || sandbox->ip.empty() ? "127.0.0.1" : sandbox->ip;
    auto target = fmt::format("{}:{}", ip, port);
    return io.provider->getNetwork()
        .parseAddress(target)
        .then([](kj::Own<kj::NetworkAddress> a) { return a->connect().attach(kj::mv(a)); })
        .then(
            [results, downstream = kj::mv(downstream)](kj::Own<kj::AsyncIoStream> conn) mutable {
              results.setUpstream(kj::heap<upstream_sink>(kj::mv(conn), kj::mv(downstream)));
            },
            [results, target](kj::Exception&& e) mutable {
              results.setError(fmt::format("dial tcp {}: {}", target, text::describe(e)));
            });
  });
}

}  // namespace berth::agent
