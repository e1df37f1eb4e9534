#pragma once
// berthd's side of `kubectl exec` / `kubectl attach`, independent of the
// wire protocol the client speaks: an exec session joins a transport
// (WebSocket with the channel protocol, kube_exec.cpp; SPDY/3.1 streams,
// kube_exec_spdy.cpp) to the pod's node agent (NodeAgent.exec / attach):
//
//   transport                 exec_session                node agent
//     stdin(bytes) ---------->  input.stdin  ------------>  process stdin
//     close_stdin() --------->  input.closeStdin -------->  EOF
//     resize(w, h) ---------->  input.resize ------------>  terminal size
//     output(stream, bytes) <-  ExecOutput.output  <------  stdout / stderr
//     exited(code, error) <---  ExecOutput.exited  <------  the end (once, last)
//
// A transport first checks the request (find_exec_target: the pod, its
// container, running, its node connected), answers a refusal as an ordinary
// HTTP Status, and only then upgrades the connection and starts the session,
// so that errors before the start reach kubectl as "Error from server ...".
// Everything here runs on the RPC server's KJ thread.

#include <cstdint>
#include <memory>
#include <string>

#include <kj/async.h>
#include <kj/one-of.h>

#include "actors/kube/exec_request.hpp"
#include "actors/kube/status.hpp"
#include "actors/model/objects.hpp"

namespace berth::rpc {

struct server_context;

/// A checked exec or attach: the pod as stored, the container resolved.
struct exec_target {
  model::pod pod;
  kube::exec_request request;  // request.container is always set
  bool attach = false;
};

/// Why an exec or attach cannot start: a Kubernetes Status (404 for a
/// missing pod, 400 for a bad container or one not running, 503 for a node
/// not connected) and its message in words (for `berth exec`).
struct exec_refusal {
  kube::reply status;
  std::string message;
};

/// The request's container resolved and checked against the pod as stored
/// (pure): the pod's only container when none is named; a named container
/// must exist and be running according to the pod's status.
kj::OneOf<exec_target, exec_refusal> check_exec_target(model::pod pod, kube::exec_request request, bool attach);

/// Reads the pod from the store, then check_exec_target.
kj::Promise<kj::OneOf<exec_target, exec_refusal>> find_exec_target(server_context& ctx, std::string ns,
                                                                   std::string name, kube::exec_request request,
                                                                   bool attach);

/// Where a session's output goes: the transport's half. Owned by the
/// transport; must outlive the session.
class exec_transport {
 public:
  virtual ~exec_transport() noexcept(false) = default;  // KJ members' destructors may throw
  /// Process output (`stream` 1 stdout, 2 stderr), in order; the session
  /// waits for each before the next (flow control reaches the process).
  virtual kj::Promise<void> output(std::uint8_t stream, kj::ArrayPtr<const kj::byte> data) = 0;
  /// The end, once, after all output: the exit code when `error` is empty,
  /// else why the session failed (the agent's or runtime's words).
  virtual kj::Promise<void> exited(std::int32_t exit_code, std::string error) = 0;
};

/// One running exec or attach. Destroying it ends the session (the agent
/// closes the process's streams).
class exec_session {
 public:
  /// Calls the agent of the target's node at once. `transport` must outlive the session.
  exec_session(server_context& ctx, exec_target target, exec_transport& transport);
  ~exec_session();
  exec_session(const exec_session&) = delete;
  exec_session& operator=(const exec_session&) = delete;

  /// Resolves once the transport got `exited` (the process ended, or the
  /// session failed: the agent refused, or its node went away).
  kj::Promise<void> done();

  /// Bytes for the process's stdin; resolves when the agent took them.
  kj::Promise<void> stdin_data(kj::ArrayPtr<const kj::byte> data);
  /// EOF on the process's stdin.
  void close_stdin();
  /// The terminal's new size (tty sessions).
  void resize(std::uint16_t width, std::uint16_t height);

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace berth::rpc
