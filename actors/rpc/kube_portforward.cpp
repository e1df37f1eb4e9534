// pods/portforward: kubectl's forwarded connections, relayed through berthd
// to the pod's node agent (NodeAgent.portForward), which dials the pod.
//
// Per local connection kubectl opens an error stream and a data stream
// (actors/kube/portforward.hpp). Once both are open berthd asks the agent;
//
//   kubectl data stream ──received()──> upstream.write()  ──> agent ──> pod
//   kubectl data stream <──send_data()── downstream.write() <── agent <── pod
//
// The client's FIN on the data stream is upstream.done() (a half-close
// toward the pod); the pod's end is downstream.done(), which finishes both
// streams. A refused connection, a pod that does not run or an agent that is
// not connected is written on the error stream as kubelet words it ("error
// forwarding port 8080 to pod web, uid ...: ..."), which kubectl prints.
#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/kube/portforward.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/rpc/kube_spdy.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {
namespace {

class portforward_handler;

/// One forwarded connection. Shared with the agent's downstream sink, which
/// may outlive the session: `owner` is null once the session is gone.
struct forward {
  kube::portforward_pair pair;
  portforward_handler* owner = nullptr;
  kj::Maybe<schema::ByteSink::Client> upstream;  // once the agent connected
  kj::Maybe<kj::ForkedPromise<void>> connected;  // the agent's answer
  bool ended = false;
};

class portforward_handler final : public spdy_handler {
 public:
  portforward_handler(server_context& ctx, spdy_session& session, pod_target pod)
      : ctx_(ctx), session_(session), pod_(std::move(pod)), errors_("port-forward"), tasks_(errors_) {}
  ~portforward_handler() noexcept(false) override {
    for (auto& [_, f] : forwards_) {
      f->owner = nullptr;
      f->upstream = nullptr;  // the agent closes the pod connection
    }
  }

  std::string accept(std::uint32_t id, const kube::spdy::header_list& headers) override {
    auto parsed = kube::parse_portforward_stream(headers, id);
    if (auto* why = std::get_if<std::string>(&parsed)) return *why;
    const auto& stream = std::get<kube::portforward_stream>(parsed);
    auto paired = pairing_.add(id, stream);
    if (auto* why = std::get_if<std::string>(&paired)) return *why;
    stream_request_[id] = stream.request_id;
    const auto& pair = std::get<kube::portforward_pair>(paired);
    if (pair.complete()) to_start_ = pair;
    return "";
  }

  void opened(std::uint32_t) override {
    KJ_IF_MAYBE (pair, to_start_) {
      auto p = *pair;
      to_start_ = nullptr;
      pairing_.remove(p.request_id);
      start(p);
    }
  }

  kj::Promise<void> received(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes) override {
    auto f = data_forward(id);
    if (!f) return kj::READY_NOW;  // the error stream carries nothing from the client
    return when_connected(*f).then([f, bytes]() -> kj::Promise<void> {
      KJ_IF_MAYBE (up, f->upstream) {
        auto req = up->writeRequest();
        req.setData(bytes);
        // A failed write means the pod's side is gone; the agent reports that as its end.
        return req.send().catch_([](kj::Exception&&) {});
      }
      return kj::READY_NOW;
    });
  }

  void half_closed(std::uint32_t id) override {
    auto f = data_forward(id);
    if (!f) return;
    tasks_.add(when_connected(*f).then([f]() -> kj::Promise<void> {
      KJ_IF_MAYBE (up, f->upstream) { return up->doneRequest().send().ignoreResult().catch_([](kj::Exception&&) {}); }
      return kj::READY_NOW;
    }));
  }

  void reset(std::uint32_t id) override {
    auto it = stream_request_.find(id);
    if (it == stream_request_.end()) return;
    auto f = forwards_.find(it->second);
    if (f == forwards_.end()) {
      pairing_.remove(it->second);  // half a pair: forget it
      stream_request_.erase(it);
      return;
    }
    // kubectl resets the data stream when it is done with the connection.
    session_.finish(f->second->pair.error_stream);
    end(f->second);
  }

  /// The pod's bytes, for kubectl (the agent's downstream.write()).
  kj::Promise<void> to_client(forward& f, kj::ArrayPtr<const kj::byte> bytes) {
    return session_.send_data(f.pair.data_stream, bytes);
  }

  /// The pod ended its side (downstream.done()).
  void pod_done(const std::shared_ptr<forward>& f) {
    session_.finish(f->pair.data_stream);
    session_.finish(f->pair.error_stream);
    end(f);
  }

 private:
  void start(const kube::portforward_pair& pair);
  void fail(const std::shared_ptr<forward>& f, const std::string& why);
  void end(const std::shared_ptr<forward>& f);

  std::shared_ptr<forward> data_forward(std::uint32_t id) {
    auto it = stream_request_.find(id);
    if (it == stream_request_.end()) return nullptr;
    auto f = forwards_.find(it->second);
    if (f == forwards_.end() || f->second->pair.data_stream != id || f->second->ended) return nullptr;
    return f->second;
  }

  static kj::Promise<void> when_connected(forward& f) {
    KJ_IF_MAYBE (c, f.connected) { return c->addBranch(); }
    return kj::READY_NOW;
  }

  server_context& ctx_;
  spdy_session& session_;
  pod_target pod_;
  kube::portforward_pairing pairing_;
  kj::Maybe<kube::portforward_pair> to_start_;                  // completed by accept(), started by opened()
  std::map<std::uint32_t, std::string> stream_request_;          // stream id -> request id
  std::map<std::string, std::shared_ptr<forward>> forwards_;    // by request id
  log_errors errors_;
  kj::TaskSet tasks_;
};

/// The agent's side of the pod's bytes.
class downstream_sink final : public schema::ByteSink::Server {
 public:
  explicit downstream_sink(std::shared_ptr<forward> f) : f_(std::move(f)) {}

 protected:
  kj::Promise<void> write(WriteContext c) override {
    if (f_->owner == nullptr || f_->ended)
      return KJ_EXCEPTION(DISCONNECTED, "the port-forward client is gone");
    return f_->owner->to_client(*f_, c.getParams().getData());
  }
  kj::Promise<void> done(DoneContext) override {
    if (f_->owner != nullptr && !f_->ended) f_->owner->pod_done(f_);
    return kj::READY_NOW;
  }

 private:
  std::shared_ptr<forward> f_;
};

void portforward_handler::start(const kube::portforward_pair& pair) {
  auto f = std::make_shared<forward>();
  f->pair = pair;
  f->owner = this;
  forwards_[pair.request_id] = f;
  KJ_IF_MAYBE (agent, ctx_.agents.find(pod_.node)) {
    auto req = agent->portForwardRequest();
    auto ref = req.initPod();
    ref.setNamespace(pod_.namespace_);
    ref.setName(pod_.name);
    ref.setUid(pod_.uid);
    req.setPort(pair.port);
    req.setDownstream(kj::heap<downstream_sink>(f));
    // The continuation holds the forward weakly: the forward owns this promise.
    std::weak_ptr<forward> weak = f;
    f->connected = req.send()
                       .then(
                           [weak](auto r) {
                             auto f = weak.lock();
                             if (!f || f->owner == nullptr || f->ended) return;
                             if (r.getError().size() > 0)
                               f->owner->fail(f, r.getError().cStr());
                             else
                               f->upstream = r.getUpstream();
                           },
                           [weak](kj::Exception&& e) {
                             auto f = weak.lock();
                             if (f && f->owner != nullptr && !f->ended) f->owner->fail(f, text::describe(e));
                           })
                       .fork();
    return;
  }
  fail(f, fmt::format("node {} is not connected", pod_.node));
}

void portforward_handler::fail(const std::shared_ptr<forward>& f, const std::string& why) {
  auto text = fmt::format("error forwarding port {} to pod {}, uid {}: {}", f->pair.port, pod_.name, pod_.uid, why);
  auto bytes = kj::arrayPtr(reinterpret_cast<const kj::byte*>(text.data()), text.size());
  tasks_.add(session_.send_data(f->pair.error_stream, bytes, true));
  session_.finish(f->pair.data_stream);
  end(f);
}

void portforward_handler::end(const std::shared_ptr<forward>& f) {
  f->ended = true;
  f->upstream = nullptr;  // the agent closes the pod connection
  stream_request_.erase(f->pair.error_stream);
  stream_request_.erase(f->pair.data_stream);
  // Released in a later turn: this may run inside the forward's own promise.
  auto keep = f;
  forwards_.erase(f->pair.request_id);
  tasks_.add(kj::evalLater([keep = std::move(keep)] {}));
}

}  // namespace

kj::Promise<void> serve_portforward(server_context& ctx, pod_target pod, kj::Own<spdy_transport> transport) {
  auto session = kj::heap<spdy_session>(kj::mv(transport));
  auto handler = kj::heap<portforward_handler>(ctx, *session, std::move(pod));
  auto& s = *session;
  auto& h = *handler;
  return s.run(h)
      .then([&s] { return s.close(); })
      .attach(kj::mv(handler))
      .attach(kj::mv(session));  // the handler goes first: it holds a reference to the session
}

}  // namespace berth::rpc
