// pods/exec and pods/attach over SPDY/3.1 (actors/kube/remotecommand.hpp):
// kubectl up to 1.29, and 1.30+ with KUBECTL_REMOTE_COMMAND_WEBSOCKETS=false.
// The request was checked and the connection upgraded in kube_upgrade.cpp;
// here the client's streams are collected and, once all it asked for are
// open, an exec_session (exec_session.hpp) runs over them:
//
//   stdin stream   DATA ──received()──> session.stdin_data   FIN ──> close_stdin
//   resize stream  JSON ──resize_reader──> session.resize
//   stdout/stderr  <──send_data()── output(1 / 2)
//   error stream   <── exited(): the Status, FIN; then every stream's FIN and
//                      the transport's end, as kubelet ends the connection.
#include <kj/debug.h>

#include "actors/kube/remotecommand.hpp"
#include "actors/rpc/exec_session.hpp"
#include "actors/rpc/kube_internal.hpp"
#include "actors/rpc/kube_spdy.hpp"

namespace berth::rpc {
namespace {

using kube::exec_stream;

/// kubelet's default streamCreationTimeout: a client that opens fewer
/// streams than it asked for is not waited for longer.
constexpr auto k_streams_wait = 30 * kj::SECONDS;
/// After the end, how long the client gets to close the connection itself.
constexpr auto k_close_wait = 2 * kj::SECONDS;

class spdy_exec final : public spdy_handler, public exec_transport {
 public:
  spdy_exec(server_context& ctx, exec_target target, kj::Own<spdy_transport> transport)
      : ctx_(ctx), streams_(target.request), target_(kj::mv(target)), spdy_(kj::mv(transport)) {}

  /// Runs until the process ended and its Status went out (then until the
  /// client hangs up, briefly), or until the client went away or never
  /// opened its streams (either ends the session).
  kj::Promise<void> run() {
    auto reading = spdy_.run(*this).fork();
    auto ended = ended_.promise.then([this, client = reading.addBranch()]() mutable {
      return spdy_.close().then([this, client = kj::mv(client)]() mutable {
        return client.exclusiveJoin(ctx_.timer->afterDelay(k_close_wait));
      });
    });
    auto stalled = ctx_.timer->afterDelay(k_streams_wait).then([this]() -> kj::Promise<void> {
      if (session_.get() != nullptr) return kj::NEVER_DONE;
      KJ_LOG(WARNING, "exec over SPDY: the client did not open the streams it asked for in time", target_.pod.metadata.name);
      return kj::READY_NOW;
    });
    return ended.exclusiveJoin(reading.addBranch())
        .exclusiveJoin(kj::mv(stalled))
        .catch_([](kj::Exception&&) {})  // a client that vanished or spoke no SPDY: nothing more to say
        .then([this] { session_ = nullptr; });
  }

  // ---- spdy_handler: the client's streams

  std::string accept(std::uint32_t id, const kube::spdy::header_list& headers) override {
    const auto* type = kube::spdy::find_header(headers, "streamtype");
    if (type == nullptr) return "a remotecommand stream needs a streamtype header";
    return streams_.add(id, *type);
  }

  void opened(std::uint32_t) override {
    if (session_.get() != nullptr || !streams_.complete()) return;
    // client-go writes stdin only once every stream is open, so the session
    // exists before the first byte of it can arrive.
    session_ = kj::heap<exec_session>(ctx_, kj::mv(target_), *this);
    session_done_ = session_->done().then([this] { ended_.fulfiller->fulfill(); }).eagerlyEvaluate(nullptr);
    if (stdin_closed_) session_->close_stdin();
  }

  kj::Promise<void> received(std::uint32_t id, kj::ArrayPtr<const kj::byte> bytes) override {
    if (session_.get() == nullptr) return kj::READY_NOW;
    auto kind = streams_.kind(id);
    if (kind == exec_stream::stdin_) {
      // A failed write means the process is gone; its end is reported by the session.
      return session_->stdin_data(bytes).catch_([](kj::Exception&&) {});
    }
    if (kind == exec_stream::resize && !resize_failed_) {
      std::string error;
      for (auto size : resize_.feed(std::string_view(reinterpret_cast<const char*>(bytes.begin()), bytes.size()), error))
        session_->resize(size.width, size.height);
      if (!error.empty()) {
        // kubelet too stops resizing on a bad message; the session goes on.
        KJ_LOG(WARNING, "exec over SPDY: resize stream", error);
        resize_failed_ = true;
      }
    }
    return kj::READY_NOW;  // the error and output streams carry nothing from the client
  }

  void half_closed(std::uint32_t id) override { client_done(id); }
  void reset(std::uint32_t id) override { client_done(id); }

  // ---- exec_transport: the session's output and end

  kj::Promise<void> output(std::uint8_t stream, kj::ArrayPtr<const kj::byte> data) override {
    auto id = streams_.id(stream == 2 ? exec_stream::stderr_ : exec_stream::stdout_);
    if (id == 0) return kj::READY_NOW;  // not asked for
    return spdy_.send_data(id, data);
  }

  kj::Promise<void> exited(std::int32_t exit_code, std::string error) override {
    auto status = error.empty() ? kube::exit_status_json(exit_code) : kube::failure_status_json(error);
    for (auto s : {exec_stream::stdin_, exec_stream::stdout_, exec_stream::stderr_, exec_stream::resize})
      if (auto id = streams_.id(s)) spdy_.finish(id);
    auto bytes = kj::arrayPtr(reinterpret_cast<const kj::byte*>(status.data()), status.size());
    return spdy_.send_data(streams_.id(exec_stream::error), bytes, true);
  }

 private:
  /// The client sends nothing more on `id`: for stdin, the process's EOF.
  void client_done(std::uint32_t id) {
    if (streams_.kind(id) != exec_stream::stdin_) return;
    if (session_.get() != nullptr)
      session_->close_stdin();
    else
      stdin_closed_ = true;
  }

  server_context& ctx_;
  kube::exec_streams streams_;
  exec_target target_;  // moved into the session when it starts
  spdy_session spdy_;
  kube::resize_reader resize_;
  bool resize_failed_ = false;
  bool stdin_closed_ = false;  // stdin's FIN came before the session started
  kj::PromiseFulfillerPair<void> ended_ = kj::newPromiseAndFulfiller<void>();
  kj::Own<exec_session> session_;
  kj::Promise<void> session_done_ = nullptr;  // fulfills ended_; goes before the session
};

}  // namespace

kj::Promise<void> serve_exec_spdy(server_context& ctx, exec_target target, kj::Own<spdy_transport> transport) {
  auto exec = kj::heap<spdy_exec>(ctx, kj::mv(target), kj::mv(transport));
  auto& ref = *exec;
  return ref.run().attach(kj::mv(exec));
}

}  // namespace berth::rpc
