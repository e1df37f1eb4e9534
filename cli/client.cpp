#include "cli/client.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <capnp/rpc-twoparty.h>
#include <fmt/format.h>
#include <kj/async-io.h>
#include <kj/debug.h>

#include "actors/rpc/api_convert.hpp"
#include "actors/rpc/dial.hpp"
#include "schema/api.capnp.h"
#include "actors/text/kj_describe.hpp"

namespace berth::cli {
namespace {

/// Receives watch events on the client's event loop and hands them to the caller.
class watcher_impl final : public schema::Watcher::Server {
 public:
  watcher_impl(const std::function<bool(const actors::watch_event&)>& on_event,
               kj::Own<kj::PromiseFulfiller<std::string>> done)
      : on_event_(on_event), done_(kj::mv(done)) {}

  void finish(std::string why) {
    if (done_->isWaiting()) done_->fulfill(kj::mv(why));
  }
  bool finished() { return !done_->isWaiting(); }
  void touch() { ++events_; }
  std::uint64_t events() const { return events_; }

 protected:
  kj::Promise<void> event(EventContext c) override {
    if (finished()) return kj::READY_NOW;
    auto p = c.getParams();
    actors::watch_event ev{rpc::from_capnp(p.getType()), rpc::from_capnp(p.getObject()), p.getResourceVersion()};
    touch();
    if (!on_event_(ev)) finish("");
    return kj::READY_NOW;
  }
  kj::Promise<void> closed(ClosedContext c) override {
    finish(c.getParams().getReason());
    return kj::READY_NOW;
  }

 private:
  const std::function<bool(const actors::watch_event&)>& on_event_;
  kj::Own<kj::PromiseFulfiller<std::string>> done_;
  std::uint64_t events_ = 0;
};

class sink_impl final : public schema::ByteSink::Server {
 public:
  explicit sink_impl(const std::function<void(std::string_view)>& on_data) : on_data_(on_data) {}

 protected:
  kj::Promise<void> write(WriteContext c) override {
    auto d = c.getParams().getData();
    on_data_(std::string_view(reinterpret_cast<const char*>(d.begin()), d.size()));
    return kj::READY_NOW;
  }
  kj::Promise<void> done(DoneContext) override { return kj::READY_NOW; }

 private:
  const std::function<void(std::string_view)>& on_data_;
};

/// Receives an exec's output and its end on the client's event loop.
class exec_output_impl final : public schema::ExecOutput::Server {
 public:
  exec_output_impl(const std::function<void(int, std::string_view)>& on_output,
                   kj::Own<kj::PromiseFulfiller<exec_result>> done)
      : on_output_(on_output), done_(kj::mv(done)) {}
  ~exec_output_impl() {
    if (done_->isWaiting()) done_->fulfill(exec_result{"the exec session ended without an exit status", -1});
  }

 protected:
  kj::Promise<void> output(OutputContext c) override {
    auto p = c.getParams();
    auto d = p.getData();
    on_output_(p.getStream(), std::string_view(reinterpret_cast<const char*>(d.begin()), d.size()));
    return kj::READY_NOW;
  }
  kj::Promise<void> exited(ExitedContext c) override {
    auto p = c.getParams();
    if (done_->isWaiting()) done_->fulfill(exec_result{p.getError(), p.getExitCode()});
    return kj::READY_NOW;
  }

 private:
  const std::function<void(int, std::string_view)>& on_output_;
  kj::Own<kj::PromiseFulfiller<exec_result>> done_;
};

/// True when epoll can watch `fd` (pipes, sockets, terminals); files and
/// /dev/null cannot be.
bool pollable(int fd) {
  struct stat st {};
  if (fstat(fd, &st) != 0) return false;
  return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd) != 0;
}

/// Copies a stream to the command's stdin, then closes it (EOF).
kj::Promise<void> pump_stdin(kj::AsyncInputStream& in, schema::ExecInput::Client input, kj::Array<kj::byte>& buffer) {
  return in.tryRead(buffer.begin(), 1, buffer.size())
      .then([&in, input, &buffer](std::size_t n) mutable -> kj::Promise<void> {
        if (n == 0) return input.closeStdinRequest().send().ignoreResult();
        auto req = input.stdinRequest();
        req.setData(buffer.slice(0, n));
        return req.send().then([&in, input, &buffer]() mutable { return pump_stdin(in, input, buffer); });
      });
}

}  // namespace

struct client::impl {
  std::string server;
  std::shared_ptr<kj::AsyncIoContext> shared_io = rpc::thread_async_io();  // first: outlives the rest
  kj::AsyncIoContext& io = *shared_io;
  kj::Own<kj::AsyncIoStream> stream;  // TLS (or plain TCP with --insecure-rpc)
  kj::Own<capnp::TwoPartyClient> rpc;
  kj::Maybe<schema::Cluster::Client> cluster;
  schema::Gateway::Client gateway = nullptr;

  kj::WaitScope& ws() { return io.waitScope; }
  schema::Cluster::Client& cl() {
    KJ_IF_MAYBE (c, cluster) {
      return *c;
    }
    throw client_error("not logged in");
  }

  /// Waits for `promise`, turning KJ failures into client_error.
  template <class T>
  T wait(kj::Promise<T>&& promise) {
    try {
      return promise.wait(ws());
    } catch (const kj::Exception& e) {
      if (e.getType() == kj::Exception::Type::DISCONNECTED)
        throw client_error(fmt::format("cannot reach berthd at {}: {}", server, text::describe(e)));
      throw client_error(fmt::format("berthd at {}: {}", server, text::describe(e)));
    }
  }
};

client::client(const std::string& server, const std::string& token, const rpc::rpc_security& security)
    : impl_(std::make_unique<impl>()) {
  impl_->server = server;
  impl_->stream = impl_->wait(rpc::dial_rpc(impl_->io.provider->getNetwork(), server, security));
  impl_->rpc = kj::heap<capnp::TwoPartyClient>(*impl_->stream);
  impl_->gateway = impl_->rpc->bootstrap().castAs<schema::Gateway>();
  auto req = impl_->gateway.loginRequest();
  req.setToken(token);
  auto response = impl_->wait(req.send());
  impl_->cluster = response.getCluster();
}

client::~client() = default;

const std::string& client::server() const { return impl_->server; }

actors::outcome client::create(const actors::any_object& o, bool dry_run) {
  auto req = impl_->cl().createRequest();
  rpc::to_capnp(o, req.initObject());
  req.setDryRun(dry_run);
  return rpc::from_capnp(impl_->wait(req.send()).getOutcome());
}

actors::outcome client::apply(const actors::any_object& o, bool dry_run) {
  auto req = impl_->cl().applyRequest();
  rpc::to_capnp(o, req.initObject());
  req.setDryRun(dry_run);
  return rpc::from_capnp(impl_->wait(req.send()).getOutcome());
}

actors::outcome client::remove(const actors::object_key& key, std::int64_t grace, bool orphan_dependents) {
  auto req = impl_->cl().deleteRequest();
  rpc::to_capnp(key, req.initKey());
  req.setGracePeriodSeconds(grace);
  req.setOrphanDependents(orphan_dependents);
  return rpc::from_capnp(impl_->wait(req.send()).getOutcome());
}

actors::outcome client::scale(const actors::object_key& key, std::int32_t replicas) {
  auto req = impl_->cl().scaleRequest();
  rpc::to_capnp(key, req.initKey());
  req.setReplicas(replicas);
  return rpc::from_capnp(impl_->wait(req.send()).getOutcome());
}

actors::outcome client::get(const actors::object_key& key) {
  auto req = impl_->cl().getRequest();
  rpc::to_capnp(key, req.initKey());
  return rpc::from_capnp(impl_->wait(req.send()).getOutcome());
}

actors::list_result client::list(actors::kind k, const std::string& ns, const std::string& labels,
                                 const std::string& fields) {
  auto req = impl_->cl().listRequest();
  req.setKind(rpc::to_capnp(k));
  req.setNamespace(ns);
  req.setLabelSelector(labels);
  req.setFieldSelector(fields);
  auto response = impl_->wait(req.send());
  return rpc::from_capnp(response.getResult());
}

std::vector<actors::event_summary> client::object_events(const actors::object_key& key, std::uint32_t limit) {
  auto req = impl_->cl().objectEventsRequest();
  rpc::to_capnp(key, req.initKey());
  req.setLimit(limit);
  auto response = impl_->wait(req.send());
  std::vector<actors::event_summary> out;
  for (auto e : response.getEvents()) out.push_back(rpc::from_capnp(e));
  return out;
}

client::version_info client::version() {
  auto response = impl_->wait(impl_->gateway.versionRequest().send());
  return {response.getInfo().getVersion(), response.getInfo().getJournalSeq()};
}

std::string client::watch(actors::kind k, const std::string& ns, const std::string& labels, const std::string& fields,
                          std::uint64_t from, const std::function<bool(const actors::watch_event&)>& on_event,
                          std::uint64_t timeout_ms) {
  auto paf = kj::newPromiseAndFulfiller<std::string>();
  auto server = kj::heap<watcher_impl>(on_event, kj::mv(paf.fulfiller));
  auto& watcher = *server;
  schema::Watcher::Client watcher_cap = kj::mv(server);
  auto req = impl_->cl().watchRequest();
  req.setKind(rpc::to_capnp(k));
  req.setNamespace(ns);
  req.setLabelSelector(labels);
  req.setFieldSelector(fields);
  req.setFromResourceVersion(from);
  req.setWatcher(watcher_cap);
  auto response = impl_->wait(req.send());
  auto handle = response.getHandle();
  if (timeout_ms == 0) return impl_->wait(kj::mv(paf.promise));
  // Idle timeout: finish when no event arrived during a whole period.
  auto& timer = impl_->io.provider->getTimer();
  std::uint64_t seen = watcher.events();
  auto finished = paf.promise.fork();
  while (true) {
    auto tick = timer.afterDelay(timeout_ms * kj::MILLISECONDS).then([]() -> std::string { return "\x01"; });
    auto r = impl_->wait(finished.addBranch().exclusiveJoin(kj::mv(tick)));
    if (r != "\x01") return r;
    if (watcher.finished()) return "";
    if (watcher.events() == seen) return "timeout";
    seen = watcher.events();
  }
}

std::string client::logs(const std::string& ns, const std::string& pod, const log_options& options,
                         const std::function<void(std::string_view)>& on_data) {
  auto req = impl_->cl().logsRequest();
  req.setNamespace(ns);
  req.setPod(pod);
  auto o = req.initOptions();
  o.setContainer(options.container);
  o.setFollow(options.follow);
  o.setTailLines(options.tail_lines);
  o.setPrevious(options.previous);
  o.setTimestamps(options.timestamps);
  req.setSink(kj::heap<sink_impl>(on_data));
  auto response = impl_->wait(req.send());
  return response.getError();
}

exec_result client::exec(const std::string& ns, const std::string& pod, const exec_options& options,
                         const std::function<void(int, std::string_view)>& on_output) {
  auto paf = kj::newPromiseAndFulfiller<exec_result>();
  auto req = impl_->cl().execRequest();
  req.setNamespace(ns);
  req.setPod(pod);
  auto o = req.initOptions();
  o.setContainer(options.container);
  auto command = o.initCommand(static_cast<unsigned>(options.command.size()));
  for (unsigned i = 0; i < options.command.size(); ++i) command.set(i, options.command[i]);
  o.setStdin(options.stdin_);
  o.setStdout(true);
  o.setStderr(!options.tty);
  o.setTty(options.tty);
  req.setOutput(kj::heap<exec_output_impl>(on_output, kj::mv(paf.fulfiller)));
  auto response = impl_->wait(req.send());
  if (response.getError().size() > 0) return exec_result{response.getError(), -1};
  auto input = response.getInput();
  if (options.tty && options.width > 0 && options.height > 0) {
    auto resize = input.resizeRequest();
    resize.setWidth(options.width);
    resize.setHeight(options.height);
    impl_->wait(resize.send().ignoreResult());
  }
  kj::Promise<void> feeding = kj::NEVER_DONE;
  kj::Own<kj::AsyncInputStream> in;
  auto buffer = kj::heapArray<kj::byte>(32 * 1024);
  int fd_flags = -1;
  if (options.stdin_ && pollable(options.stdin_fd)) {
    fd_flags = fcntl(options.stdin_fd, F_GETFL);
    in = impl_->io.lowLevelProvider->wrapInputFd(options.stdin_fd);
    // Once stdin is all sent, only the command's end is awaited.
    feeding = pump_stdin(*in, input, buffer).then([]() -> kj::Promise<void> { return kj::NEVER_DONE; });
  } else if (options.stdin_) {
    // A file or /dev/null cannot be watched by epoll: read it blocking (its
    // reads do not wait for anyone), handing each piece over in turn.
    ssize_t n;
    while ((n = ::read(options.stdin_fd, buffer.begin(), buffer.size())) > 0) {
      auto chunk = input.stdinRequest();
      chunk.setData(buffer.slice(0, static_cast<std::size_t>(n)));
      impl_->wait(chunk.send());
    }
    impl_->wait(input.closeStdinRequest().send().ignoreResult());
  }
  auto ended = paf.promise.exclusiveJoin(feeding.then([]() -> exec_result { KJ_UNREACHABLE; }));
  auto result = impl_->wait(kj::mv(ended));
  in = nullptr;
  // wrapInputFd made stdin non-blocking; the shell that shares it must not inherit that.
  if (fd_flags >= 0) fcntl(options.stdin_fd, F_SETFL, fd_flags);
  return result;
}

namespace {
std::string text_of(capnp::Data::Reader d) { return std::string(reinterpret_cast<const char*>(d.begin()), d.size()); }
}  // namespace

client::journal_extent client::journal_info() {
  auto response = impl_->wait(impl_->cl().journalInfoRequest().send());
  auto info = response.getInfo();
  journal_extent e{info.getFirstSeq(), info.getLastSeq(), {}};
  for (auto seq : info.getSnapshotSeqs()) e.snapshot_seqs.push_back(seq);
  return e;
}

std::vector<journal::stored_value> client::journal_read(std::uint64_t from, std::uint32_t limit) {
  auto req = impl_->cl().journalReadRequest();
  req.setFromSeq(from);
  req.setLimit(limit);
  auto response = impl_->wait(req.send());
  std::vector<journal::stored_value> out;
  out.reserve(response.getFrames().size());
  for (auto f : response.getFrames()) out.push_back({text_of(f.getKey()), text_of(f.getValue())});
  return out;
}

client::snapshot_reply client::journal_snapshot(std::uint64_t seq) {
  auto req = impl_->cl().journalSnapshotRequest();
  req.setSeq(seq);
  auto r = impl_->wait(req.send());
  return {text_of(r.getHash()), text_of(r.getState()), r.getErrorCode(), r.getError()};
}

std::vector<std::uint64_t> client::journal_object_seqs(const std::string& kind, const std::string& ns,
                                                       const std::string& name) {
  auto req = impl_->cl().journalObjectSeqsRequest();
  req.setKind(kind);
  req.setNamespace(ns);
  req.setName(name);
  auto response = impl_->wait(req.send());
  std::vector<std::uint64_t> out;
  out.reserve(response.getSeqs().size());
  for (auto seq : response.getSeqs()) out.push_back(seq);
  return out;
}

}  // namespace berth::cli
