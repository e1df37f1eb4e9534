// docker_runtime's streaming methods: logs, execSync and watchEvents. Each
// reads a long or endless HTTP body from dockerd and hands it on with Cap'n
// Proto's flow control, so a slow consumer slows the reading instead of
// growing buffers.

#include <chrono>

#include <fmt/format.h>

#include "node-agent/docker/docker_mapping.hpp"
#include "node-agent/docker/docker_runtime.hpp"
#include "node-agent/docker/log_stream.hpp"

namespace berth::agent::docker {

namespace {

constexpr std::size_t read_buffer_size = 64 * 1024;

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

// The whole body of a failed streaming reply, as dockerd's error.
kj::Promise<std::string> stream_error(docker_stream stream) {
  auto status = stream.status;
  auto body = stream.body->readAllText();
  return body.attach(kj::mv(stream.body)).then([status](kj::String text) {
    return docker_error(docker_reply{status, std::string(text.cStr(), text.size())});
  });
}

// ------------------------------------------------------------------ logs

// Copies a multiplexed log body to a ByteSink: one `write` per read chunk
// (stdout and stderr merged in arrival order), awaiting each for flow control.
class log_pump {
 public:
  log_pump(kj::Own<kj::AsyncInputStream> body, schema::ByteSink::Client sink)
      : body_(kj::mv(body)), sink_(kj::mv(sink)), buffer_(kj::heapArray<char>(read_buffer_size)) {}

  /// Resolves at the end of the body: "" or why the stream was malformed.
  kj::Promise<std::string> run() {
    return body_->tryRead(buffer_.begin(), 1, buffer_.size()).then([this](std::size_t n) -> kj::Promise<std::string> {
      if (n == 0) return demux_.finish();
      auto fed = demux_.feed(std::string_view(buffer_.begin(), n));
      std::string merged;
      for (auto& frame : fed.frames) merged += frame.payload;
      kj::Promise<void> sent = kj::READY_NOW;
      if (!merged.empty()) {
        auto request = sink_.writeRequest();
        request.setData(kj::arrayPtr(reinterpret_cast<const kj::byte*>(merged.data()), merged.size()));
        sent = request.send();
      }
      if (!fed.error.empty()) return sent.then([error = fed.error] { return error; });
      return sent.then([this] { return run(); });
    });
  }

 private:
  kj::Own<kj::AsyncInputStream> body_;
  schema::ByteSink::Client sink_;
  kj::Array<char> buffer_;
  log_demuxer demux_;
};

std::string logs_path(std::string_view id, schema::LogOptions::Reader options) {
  auto tail = options.getTailLines() < 0 ? std::string("all") : std::to_string(options.getTailLines());
  return fmt::format("/containers/{}/logs?stdout=1&stderr=1&follow={}&tail={}&timestamps={}", url_encode(id),
                     options.getFollow() ? 1 : 0, tail, options.getTimestamps() ? 1 : 0);
}

// ------------------------------------------------------------------ exec

// Collects an exec's multiplexed output up to a limit (the rest is read and dropped).
struct exec_output {
  kj::Own<kj::AsyncInputStream> body;
  kj::Array<char> buffer = kj::heapArray<char>(read_buffer_size);
  log_demuxer demux;
  std::string output;
  std::size_t limit = 0;
  std::string error;

  kj::Promise<void> read_all() {
    return body->tryRead(buffer.begin(), 1, buffer.size()).then([this](std::size_t n) -> kj::Promise<void> {
      if (n == 0) {
        error = demux.finish();
        return kj::READY_NOW;
      }
      auto fed = demux.feed(std::string_view(buffer.begin(), n));
      for (auto& frame : fed.frames) {
        output.append(frame.payload, 0, std::min(frame.payload.size(), limit - std::min(limit, output.size())));
      }
      if (!fed.error.empty()) {
        error = fed.error;
        return kj::READY_NOW;
      }
      return read_all();
    });
  }
};

// ------------------------------------------------------------------ events

// A running `GET /events` for one RuntimeEventSink. The stream is restarted
// (with `since` = the last event seen) when dockerd ends it; it stops for
// good when the handle is cancelled or dropped, or when the sink fails (its
// owner went away).
class event_watch final : public schema::WatchHandle::Server {
 public:
  event_watch(std::shared_ptr<docker_client> client, schema::RuntimeEventSink::Client sink, std::int64_t since_ns)
      : client_(std::move(client)), sink_(kj::mv(sink)), since_ns_(since_ns) {}

  /// Opens the first stream; resolves once dockerd accepted it.
  kj::Promise<void> start() {
    return open().then([this](kj::Own<kj::AsyncInputStream> body) {
      // Runs on its own until cancelled; it only ends by itself when the sink
      // failed, and then there is nobody left to tell.
      task_ = watch(kj::mv(body)).eagerlyEvaluate([](kj::Exception&&) {});
    });
  }

 protected:
  kj::Promise<void> cancel(CancelContext) override {
    task_ = nullptr;
    return kj::READY_NOW;
  }

 private:
  kj::Promise<kj::Own<kj::AsyncInputStream>> open() {
    json_writer filters;
    filters.begin_object()
        .key("type")
        .strings({"container"})
        .key("label")
        .strings({text(schema::LABEL_POD_UID.get())})
        .end_object();
    // `since` makes dockerd replay what happened after it from its buffer:
    // nothing is lost between the call and the subscription, or across a restart.
    auto path = fmt::format("/events?since={}&filters={}", docker_since(since_ns_), url_encode(filters.str()));
    return client_->open(kj::HttpMethod::GET, path).then([](docker_stream stream) {
      if (stream.status != 200) {
        return stream_error(kj::mv(stream)).then([](std::string error) -> kj::Own<kj::AsyncInputStream> {
          throw docker_failure(error);
        });
      }
      return kj::Promise<kj::Own<kj::AsyncInputStream>>(kj::mv(stream.body));
    });
  }

  // Reads one stream to its end, then reconnects after a back-off.
  kj::Promise<void> watch(kj::Own<kj::AsyncInputStream> body) {
    pending_.clear();
    return read(*body)
        .attach(kj::mv(body))
        .then([this]() { return reconnect(); },
              [this](kj::Exception&& e) -> kj::Promise<void> {
                if (sink_failed_) return kj::mv(e);  // nobody listens any more
                return reconnect();
              });
  }

  kj::Promise<void> reconnect() {
    auto delay = backoff_;
    backoff_ = std::min(backoff_ * 2, 30 * kj::SECONDS);
    return client_->timer()
        .afterDelay(delay)
        .then([this] { return open(); })
        .then(
            [this](kj::Own<kj::AsyncInputStream> body) {
              backoff_ = 1 * kj::SECONDS;
              return watch(kj::mv(body));
            },
            [this](kj::Exception&&) { return reconnect(); });
  }

  kj::Promise<void> read(kj::AsyncInputStream& body) {
    return body.tryRead(buffer_.begin(), 1, buffer_.size()).then([this, &body](std::size_t n) -> kj::Promise<void> {
      if (n == 0) return kj::READY_NOW;
      pending_.append(buffer_.begin(), n);
      return deliver_lines().then([this, &body] { return read(body); });
    });
  }

  // dockerd writes one JSON object per line.
  kj::Promise<void> deliver_lines() {
    auto newline = pending_.find('\n');
    if (newline == std::string::npos) return kj::READY_NOW;
    auto line = pending_.substr(0, newline);
    pending_.erase(0, newline + 1);
    if (line.empty()) return deliver_lines();
    auto event = parse_event(json_doc(line).root());
    if (!event) return deliver_lines();
    // Replays after a reconnect may repeat the events of the last instant; the
    // agent treats events as hints to look again, so repeats are harmless.
    since_ns_ = std::max(since_ns_, event->time_ns - 1000);
    auto request = sink_.eventRequest();
    request.setContainerId(event->id);
    request.setAction(event->action);
    auto labels = request.initLabels(static_cast<unsigned>(event->labels.size()));
    unsigned i = 0;
    for (const auto& [k, v] : event->labels) {
      labels[i].setKey(k);
      labels[i].setValue(v);
      ++i;
    }
    return request.send().then([this] { return deliver_lines(); },
                               [this](kj::Exception&& e) -> kj::Promise<void> {
                                 sink_failed_ = true;
                                 return kj::mv(e);
                               });
  }

  std::shared_ptr<docker_client> client_;
  schema::RuntimeEventSink::Client sink_;
  std::int64_t since_ns_;
  kj::Duration backoff_ = 1 * kj::SECONDS;
  kj::Array<char> buffer_ = kj::heapArray<char>(read_buffer_size);
  std::string pending_;
  bool sink_failed_ = false;
  kj::Maybe<kj::Promise<void>> task_;
};

std::int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// ------------------------------------------------------------------ methods

kj::Promise<void> docker_runtime::logs(LogsContext context) {
  auto params = context.getParams();
  auto path = logs_path(text(params.getId()), params.getOptions());
  auto sink = params.getSink();
  return client_->open(kj::HttpMethod::GET, path)
      .then([sink](docker_stream stream) mutable -> kj::Promise<std::string> {
        if (stream.status != 200) return stream_error(kj::mv(stream));
        auto pump = kj::heap<log_pump>(kj::mv(stream.body), sink);
        auto done = pump->run();
        return done.attach(kj::mv(pump));
      })
      .then([context, sink](std::string error) mutable {
        context.getResults().setError(error);
        // `previous` needs nothing here: the caller picked the dead container's id.
        return sink.doneRequest().send().ignoreResult();
      });
}

kj::Promise<void> docker_runtime::execSync(ExecSyncContext context) {
  auto params = context.getParams();
  json_writer create;
  create.begin_object()
      .key("AttachStdout")
      .value(true)
      .key("AttachStderr")
      .value(true)
      .key("Tty")
      .value(false)
      .key("Cmd")
      .begin_array();
  for (auto arg : params.getCommand()) create.value(text(arg));
  create.end_array().end_object();
  auto timeout = params.getTimeoutSeconds();
  auto path = fmt::format("/containers/{}/exec", url_encode(text(params.getId())));
  return client_->call(kj::HttpMethod::POST, path, create.str())
      .then([this, context, timeout](docker_reply reply) mutable -> kj::Promise<void> {
        if (reply.status != 201) {
          context.getResults().setError(docker_error(reply));
          return kj::READY_NOW;
        }
        auto exec_id = json_string(json_doc(reply.body).root(), {"Id"});
        return run_exec(context, exec_id, timeout);
      });
}

kj::Promise<void> docker_runtime::run_exec(ExecSyncContext context, std::string exec_id, std::int32_t timeout_seconds) {
  auto start_path = fmt::format("/exec/{}/start", url_encode(exec_id));
  // The reply to `start` is the raw multiplexed stream on a hijacked
  // connection (no length, no chunking): KJ reads it until dockerd closes.
  auto collected = client_->open(kj::HttpMethod::POST, start_path, R"({"Detach":false,"Tty":false})")
                       .then([this](docker_stream stream) -> kj::Promise<kj::Own<exec_output>> {
                         if (stream.status != 200) {
                           return stream_error(kj::mv(stream)).then([](std::string error) {
                             auto out = kj::heap<exec_output>();
                             out->error = error;
                             return out;
                           });
                         }
                         auto out = kj::heap<exec_output>();
                         out->body = kj::mv(stream.body);
                         out->limit = config_.exec_output_limit;
                         auto& ref = *out;
                         return ref.read_all().then([out = kj::mv(out)]() mutable { return kj::mv(out); });
                       });
  kj::Promise<kj::Maybe<kj::Own<exec_output>>> bounded =
      collected.then([](kj::Own<exec_output> out) { return kj::Maybe<kj::Own<exec_output>>(kj::mv(out)); });
  if (timeout_seconds > 0) {
    // dockerd has no call to kill an exec: on timeout the process is left to
    // finish on its own, as kubelet's dockershim did.
    bounded = bounded.exclusiveJoin(client_->timer().afterDelay(timeout_seconds * kj::SECONDS).then([]() {
      return kj::Maybe<kj::Own<exec_output>>();
    }));
  }
  return bounded.then([this, context, exec_id](kj::Maybe<kj::Own<exec_output>> done) mutable -> kj::Promise<void> {
    auto results = context.getResults();
    KJ_IF_MAYBE (out, done) {
      auto& o = **out;
      results.setOutput(kj::arrayPtr(reinterpret_cast<const kj::byte*>(o.output.data()), o.output.size()));
      if (!o.error.empty()) {
        results.setError(o.error);
        return kj::READY_NOW;
      }
      return exec_exit_code(exec_id, 0).then([context](std::int32_t code) mutable {
        context.getResults().setExitCode(code);
      });
    }
    results.setTimedOut(true);
    results.setExitCode(-1);
    return kj::READY_NOW;
  });
}

kj::Promise<std::int32_t> docker_runtime::exec_exit_code(std::string exec_id, int tries) {
  return client_->call(kj::HttpMethod::GET, fmt::format("/exec/{}/json", url_encode(exec_id)))
      .then([this, exec_id, tries](docker_reply reply) -> kj::Promise<std::int32_t> {
        if (!reply.ok()) throw docker_failure(docker_error(reply));
        json_doc doc(reply.body);
        // The stream can close a moment before dockerd records the exit code.
        if (json_bool(doc.root(), {"Running"}) && tries < 50) {
          return client_->timer().afterDelay(20 * kj::MILLISECONDS).then([this, exec_id, tries] {
            return exec_exit_code(exec_id, tries + 1);
          });
        }
        return static_cast<std::int32_t>(json_int(doc.root(), {"ExitCode"}, -1));
      });
}

kj::Promise<void> docker_runtime::watchEvents(WatchEventsContext context) {
  auto watch = kj::heap<event_watch>(client_, context.getParams().getSink(), wall_clock_ns());
  auto started = watch->start();
  return started.then([context, watch = kj::mv(watch)]() mutable { context.getResults().setHandle(kj::mv(watch)); });
}

}  // namespace berth::agent::docker
