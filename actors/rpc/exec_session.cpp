#include "actors/rpc/exec_session.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <kj/debug.h>

#include "actors/rpc/rpc_internal.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::rpc {

// ------------------------------------------------------------------ target

namespace {
exec_refusal bad(std::string message) { return {kube::bad_request(message), message}; }
}  // namespace

kj::OneOf<exec_target, exec_refusal> check_exec_target(model::pod pod, kube::exec_request request, bool attach) {
  const auto& name = pod.metadata.name;
  std::vector<std::string> names;
  for (const auto& c : pod.spec.containers) names.push_back(c.name);
  if (request.container.empty()) {
    if (names.size() != 1)
      return bad(
          fmt::format("a container name must be specified for pod {}, choose one of: [{}]", name, fmt::join(names, " ")));
    request.container = names[0];
  }
  if (std::find(names.begin(), names.end(), request.container) == names.end())
    return bad(fmt::format("container {} is not valid for pod {}", request.container, name));
  if (pod.spec.node_name.empty())
    return bad(fmt::format("pod {} is not scheduled to a node yet", name));
  const auto& statuses = pod.status.container_statuses;
  auto status = std::find_if(statuses.begin(), statuses.end(),
                             [&](const model::container_status& s) { return s.name == request.container; });
  if (status == statuses.end() || !std::holds_alternative<model::container_state_running>(status->state))
    return bad(fmt::format("container {} in pod {} is not running, so it cannot be {}", request.container, name,
                           attach ? "attached to" : "exec'd into"));
  return exec_target{std::move(pod), std::move(request), attach};
}

kj::Promise<kj::OneOf<exec_target, exec_refusal>> find_exec_target(server_context& ctx, std::string ns,
                                                                   std::string name, kube::exec_request request,
                                                                   bool attach) {
  using result = kj::OneOf<exec_target, exec_refusal>;
  auto [promise, done] = reply_to<actors::outcome>();
  ctx.cp.ask(actors::get_query{{actors::kind::pod, ns, name}}, done);
  return promise.then([&ctx, name, request = std::move(request), attach](actors::outcome o) mutable -> result {
    if (o.result != actors::outcome::code::ok || !o.object)
      return exec_refusal{kube::not_found("pods", name), fmt::format("pods \"{}\" not found", name)};
    auto checked = check_exec_target(std::get<model::pod>(std::move(*o.object)), std::move(request), attach);
    if (checked.is<exec_target>()) {
      const auto& pod = checked.get<exec_target>().pod;
      if (ctx.agents.find(pod.spec.node_name) == nullptr) {
        auto message = fmt::format("node {} of pod {} is not connected", pod.spec.node_name, pod.metadata.name);
        return exec_refusal{kube::service_unavailable(message), message};
      }
    }
    return checked;
  });
}

// ------------------------------------------------------------------ session

/// What the session and the ExecOutput the agent holds share. The agent may
/// call after the session is gone (the client left): `transport` is then
/// null and its calls fail, which ends the agent's side too.
struct exec_session::state final : kj::TaskSet::ErrorHandler {
  exec_transport* transport = nullptr;
  kj::Own<kj::PromiseFulfiller<void>> ended;
  kj::ForkedPromise<void> done_promise = nullptr;
  kj::Maybe<schema::ExecInput::Client> input;
  bool started = false;         // the agent answered without an error
  bool forwarder_gone = false;  // the agent dropped its ExecOutput
  bool exited = false;
  std::string node;
  kj::TaskSet tasks{*this};  // the agent call, closeStdin and resize calls

  // A failed closeStdin or resize changes nothing; the session's end is told by finish().
  void taskFailed(kj::Exception&&) override {}

  /// The transport's exited, once; then `done`.
  kj::Promise<void> finish(std::int32_t code, std::string error) {
    if (exited || transport == nullptr) return kj::READY_NOW;
    exited = true;
    return transport->exited(code, std::move(error)).then([this] {
      if (ended->isWaiting()) ended->fulfill();
    });
  }

  /// The agent stopped holding the session's output without saying it ended:
  /// its connection broke (node lost, agent restarted).
  void lost(const std::string& why) { tasks.add(finish(-1, fmt::format("lost the node agent of {}: {}", node, why))); }
};

namespace {

/// The ExecOutput berthd gives the agent: forwards to the transport.
class output_forwarder final : public schema::ExecOutput::Server {
 public:
  explicit output_forwarder(std::shared_ptr<exec_session::state> s) : s_(std::move(s)) {}
  ~output_forwarder() {
    s_->forwarder_gone = true;
    if (s_->started && !s_->exited) s_->lost("the session ended without an exit status");
  }

 protected:
  kj::Promise<void> output(OutputContext c) override {
    if (s_->transport == nullptr || s_->exited) return KJ_EXCEPTION(DISCONNECTED, "the exec client went away");
    auto p = c.getParams();
    return s_->transport->output(p.getStream(), p.getData());
  }
  kj::Promise<void> exited(ExitedContext c) override {
    auto p = c.getParams();
    return s_->finish(p.getExitCode(), p.getError());
  }

 private:
  std::shared_ptr<exec_session::state> s_;
};

void fill_options(const kube::exec_request& r, schema::ExecOptions::Builder o) {
  o.setContainer(r.container);
  auto command = o.initCommand(static_cast<unsigned>(r.command.size()));
  for (unsigned i = 0; i < r.command.size(); ++i) command.set(i, r.command[i]);
  o.setStdin(r.stdin_);
  o.setStdout(r.stdout_);
  o.setStderr(r.stderr_);
  o.setTty(r.tty);
}

/// Sends the agent's exec or attach call (alike but for the method).
template <class Request>
void start_call(Request req, const exec_target& t, std::shared_ptr<exec_session::state> state) {
  auto ref = req.initPod();
  ref.setNamespace(t.pod.metadata.namespace_);
  ref.setName(t.pod.metadata.name);
  ref.setUid(t.pod.metadata.uid);
  fill_options(t.request, req.initOptions());
  req.setOutput(kj::heap<output_forwarder>(state));
  auto sent = req.send();
  auto* s = state.get();
  s->input = sent.getInput();
  s->tasks.add(sent.then(
      [s](auto r) -> kj::Promise<void> {
        auto error = std::string(r.getError().cStr());
        if (!error.empty()) return s->finish(-1, error);
        s->started = true;
        if (s->forwarder_gone && !s->exited) s->lost("the session ended without an exit status");
        return kj::READY_NOW;
      },
      [s](kj::Exception&& e) -> kj::Promise<void> {
        s->lost(text::describe(e));
        return kj::READY_NOW;
      }));
}

}  // namespace

exec_session::exec_session(server_context& ctx, exec_target target, exec_transport& transport)
    : state_(std::make_shared<state>()) {
  state_->transport = &transport;
  state_->node = target.pod.spec.node_name;
  auto paf = kj::newPromiseAndFulfiller<void>();
  state_->ended = kj::mv(paf.fulfiller);
  state_->done_promise = paf.promise.fork();
  KJ_IF_MAYBE (agent, ctx.agents.find(state_->node)) {
    if (target.attach) {
      start_call(agent->attachRequest(), target, state_);
    } else {
      start_call(agent->execRequest(), target, state_);
    }
  } else {
    state_->tasks.add(state_->finish(-1, fmt::format("node {} is not connected", state_->node)));
  }
}

exec_session::~exec_session() {
  state_->transport = nullptr;
  state_->input = nullptr;  // dropping the input ends the agent's session
}

kj::Promise<void> exec_session::done() { return state_->done_promise.addBranch(); }

kj::Promise<void> exec_session::stdin_data(kj::ArrayPtr<const kj::byte> data) {
  KJ_IF_MAYBE (input, state_->input) {
    auto req = input->stdinRequest();
    req.setData(data);
    return req.send();
  }
  return kj::READY_NOW;
}

void exec_session::close_stdin() {
  KJ_IF_MAYBE (input, state_->input) { state_->tasks.add(input->closeStdinRequest().send().ignoreResult()); }
}

void exec_session::resize(std::uint16_t width, std::uint16_t height) {
  KJ_IF_MAYBE (input, state_->input) {
    auto req = input->resizeRequest();
    req.setWidth(width);
    req.setHeight(height);
    state_->tasks.add(req.send().ignoreResult());
  }
}

}  // namespace berth::rpc
