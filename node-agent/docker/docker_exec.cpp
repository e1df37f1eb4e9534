// docker_runtime's interactive sessions (StreamingRuntime): exec and attach
// on a hijacked connection (hijack.hpp), as schema/api.capnp's ExecOutput
// describes them.
//
//   exec:   POST /containers/{id}/exec {Cmd, Attach*, Tty} → exec id
//           POST /exec/{id}/start (hijacked) → the process's streams
//           POST /exec/{id}/resize?h=&w=      (tty)
//           GET  /exec/{id}/json              → ExitCode once the stream ended
//   attach: GET  /containers/{id}/json        → running? a terminal (Config.Tty)?
//           POST /containers/{id}/attach?stream=1&stdin=&stdout=&stderr= (hijacked)
//           POST /containers/{id}/resize?h=&w= (tty)
//           GET  /containers/{id}/json        → State.ExitCode once it ended
//
// One session object owns the connection and the task copying its output to
// the caller's ExecOutput; the ExecInput handed back owns the session, so the
// caller dropping it closes the process's streams.

#include <fmt/format.h>

#include "node-agent/docker/docker_runtime.hpp"
#include "node-agent/docker/hijack.hpp"
#include "node-agent/docker/log_stream.hpp"

namespace berth::agent::docker {
namespace {

constexpr std::size_t k_read_size = 32 * 1024;

std::string text(capnp::Text::Reader t) { return std::string(t.cStr(), t.size()); }

kj::ArrayPtr<const kj::byte> bytes_of(std::string_view s) {
  return kj::arrayPtr(reinterpret_cast<const kj::byte*>(s.data()), s.size());
}

/// One exec or attach, from the hijack to `exited`.
class session {
 public:
  session(std::shared_ptr<docker_client> client, schema::ExecOutput::Client output, hijacked h, bool tty,
          std::string object_path, bool is_exec)
      : client_(std::move(client)),
        output_(kj::mv(output)),
        io_(kj::mv(h.io)),
        tty_(tty),
        object_path_(std::move(object_path)),
        is_exec_(is_exec) {
    auto early = std::move(h.early);
    pump_ = forward(early)
                .then([this] { return read_loop(); })
                .then([this] { return finish(); },
                      [this](kj::Exception&& e) { return report(-1, e.getDescription().cStr()); })
                .eagerlyEvaluate([](kj::Exception&&) {});  // the caller went away: nobody to tell
  }

  kj::Promise<void> write_stdin(kj::ArrayPtr<const kj::byte> data) {
    if (stdin_closed_) return KJ_EXCEPTION(FAILED, "stdin is already closed");
    auto copy = kj::heapArray<kj::byte>(data);
    auto& ref = copy;
    return io_->write(ref.begin(), ref.size()).attach(kj::mv(copy));
  }

  void close_stdin() {
    if (stdin_closed_) return;
    stdin_closed_ = true;
    io_->shutdownWrite();
  }

  kj::Promise<void> resize(std::uint16_t width, std::uint16_t height) {
    if (!tty_) return kj::READY_NOW;
    return client_->call(kj::HttpMethod::POST, fmt::format("{}/resize?h={}&w={}", object_path_, height, width))
        .ignoreResult();
  }

 private:
  kj::Promise<void> send(std::uint8_t stream, std::string_view data) {
    if (data.empty()) return kj::READY_NOW;
    auto req = output_.outputRequest();
    req.setStream(stream);
    req.setData(bytes_of(data));
    return req.send();
  }

  kj::Promise<void> send_frames(std::vector<log_frame> frames, std::size_t i) {
    if (i == frames.size()) return kj::READY_NOW;
    auto sent = send(frames[i].stream == 2 ? 2 : 1, frames[i].payload);
    return sent.then([this, frames = std::move(frames), i]() mutable { return send_frames(std::move(frames), i + 1); });
  }

  /// A chunk of the connection's output: raw with a terminal, else multiplexed.
  kj::Promise<void> forward(std::string_view chunk) {
    if (chunk.empty()) return kj::READY_NOW;
    if (tty_) return send(1, chunk);
    auto fed = demux_.feed(chunk);
    if (!fed.error.empty()) throw docker_failure(fed.error);
    return send_frames(std::move(fed.frames), 0);
  }

  kj::Promise<void> read_loop() {
    return io_->tryRead(buffer_.begin(), 1, buffer_.size()).then([this](std::size_t n) -> kj::Promise<void> {
      if (n == 0) {
        if (!tty_) {
          auto cut = demux_.finish();
          if (!cut.empty()) throw docker_failure(cut);
        }
        return kj::READY_NOW;
      }
      return forward(std::string_view(buffer_.begin(), n)).then([this] { return read_loop(); });
    });
  }

  /// The output ended: tell the exit code once dockerd has it.
  kj::Promise<void> finish() {
    return exit_code(0).then([this](std::int32_t code) { return report(code, ""); },
                             [this](kj::Exception&& e) { return report(-1, e.getDescription().cStr()); });
  }

  kj::Promise<std::int32_t> exit_code(int tries) {
    return client_->call(kj::HttpMethod::GET, object_path_ + "/json")
        .then([this, tries](docker_reply reply) -> kj::Promise<std::int32_t> {
          if (!reply.ok()) throw docker_failure(docker_error(reply));
          json_doc doc(reply.body);
          auto running = is_exec_ ? json_bool(doc.root(), {"Running"}) : json_bool(doc.root(), {"State", "Running"});
          // The stream can close a moment before dockerd records the exit.
          if (running && tries < 50)
            return client_->timer().afterDelay(20 * kj::MILLISECONDS).then([this, tries] {
              return exit_code(tries + 1);
            });
          // An attached container still running (its output was closed): no code yet.
          if (running) return 0;
          return static_cast<std::int32_t>(is_exec_ ? json_int(doc.root(), {"ExitCode"}, -1)
                                                    : json_int(doc.root(), {"State", "ExitCode"}, -1));
        });
  }

  kj::Promise<void> report(std::int32_t code, const std::string& error) {
    auto req = output_.exitedRequest();
    req.setExitCode(code);
    req.setError(error);
    return req.send().ignoreResult();
  }

  std::shared_ptr<docker_client> client_;
  schema::ExecOutput::Client output_;
  kj::Own<kj::AsyncIoStream> io_;
  bool tty_;
  std::string object_path_;  // "/exec/ID" or "/containers/ID"
  bool is_exec_;
  bool stdin_closed_ = false;
  log_demuxer demux_;
  kj::Array<char> buffer_ = kj::heapArray<char>(k_read_size);
  kj::Promise<void> pump_ = nullptr;
};

/// What the caller holds: dropping it ends the session.
class session_input final : public schema::ExecInput::Server {
 public:
  explicit session_input(kj::Own<session> s) : s_(kj::mv(s)) {}

 protected:
  kj::Promise<void> stdin(StdinContext c) override { return s_->write_stdin(c.getParams().getData()); }
  kj::Promise<void> closeStdin(CloseStdinContext) override {
    s_->close_stdin();
    return kj::READY_NOW;
  }
  kj::Promise<void> resize(ResizeContext c) override {
    auto p = c.getParams();
    // A failed resize is not worth ending the session for.
    return s_->resize(p.getWidth(), p.getHeight()).catch_([](kj::Exception&&) {});
  }

 private:
  kj::Own<session> s_;
};

std::string attach_query(schema::ExecOptions::Reader o) {
  return fmt::format("stream=1&stdin={}&stdout={}&stderr={}", o.getStdin() ? 1 : 0, o.getStdout() ? 1 : 0,
                     o.getStderr() ? 1 : 0);
}

}  // namespace

kj::Promise<void> docker_runtime::exec(ExecContext context) {
  auto params = context.getParams();
  auto options = params.getOptions();
  if (options.getCommand().size() == 0) {
    context.getResults().setError("exec needs a command");
    return kj::READY_NOW;
  }
  bool tty = options.getTty();
  json_writer create;
  create.begin_object()
      .key("AttachStdin")
      .value(options.getStdin())
      .key("AttachStdout")
      .value(options.getStdout())
      .key("AttachStderr")
      .value(options.getStderr())
      .key("Tty")
      .value(tty)
      .key("Cmd")
      .begin_array();
  for (auto arg : options.getCommand()) create.value(text(arg));
  create.end_array().end_object();
  auto path = fmt::format("/containers/{}/exec", url_encode(text(params.getId())));
  return client_->call(kj::HttpMethod::POST, path, create.str())
      .then([this, tty](docker_reply reply) -> kj::Promise<std::pair<hijacked, std::string>> {
        if (reply.status != 201) {
          hijacked refused;
          refused.error = docker_error(reply);
          return std::make_pair(kj::mv(refused), std::string());
        }
        auto id = json_string(json_doc(reply.body).root(), {"Id"});
        auto start = fmt::format(R"({{"Detach":false,"Tty":{}}})", tty ? "true" : "false");
        return hijack(*client_, fmt::format("/exec/{}/start", url_encode(id)), start)
            .then([id](hijacked h) { return std::make_pair(kj::mv(h), id); });
      })
      .then([this, context, tty](std::pair<hijacked, std::string> started) mutable {
        auto& [h, id] = started;
        if (!h.io) {
          context.getResults().setError(h.error);
          return;
        }
        auto s = kj::heap<session>(client_, context.getParams().getOutput(), kj::mv(h), tty,
                                   "/exec/" + url_encode(id), true);
        context.getResults().setInput(kj::heap<session_input>(kj::mv(s)));
      });
}

kj::Promise<void> docker_runtime::attach(AttachContext context) {
  auto id = text(context.getParams().getId());
  return inspect(id).then([this, context, id](std::optional<json_doc> doc) mutable -> kj::Promise<void> {
    if (!doc) {
      context.getResults().setError(fmt::format("container {} not found", id));
      return kj::READY_NOW;
    }
    if (!json_bool(doc->root(), {"State", "Running"})) {
      context.getResults().setError(fmt::format("container {} is not running", id));
      return kj::READY_NOW;
    }
    bool tty = json_bool(doc->root(), {"Config", "Tty"});
    auto object = "/containers/" + url_encode(id);
    auto path = fmt::format("{}/attach?{}", object, attach_query(context.getParams().getOptions()));
    return hijack(*client_, path, "").then([this, context, tty, object](hijacked h) mutable {
      if (!h.io) {
        context.getResults().setError(h.error);
        return;
      }
      auto s = kj::heap<session>(client_, context.getParams().getOutput(), kj::mv(h), tty, object, false);
      context.getResults().setInput(kj::heap<session_input>(kj::mv(s)));
    });
  });
}

}  // namespace berth::agent::docker
