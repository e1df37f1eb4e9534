#pragma once
// A synchronous client of berthd's RPC API (schema/api.capnp), for the CLI,
// tools and tests. It owns a KJ event loop on the calling thread (so: one
// client per thread, never on a thread that already runs a KJ loop).
//
// Ordinary outcomes (invalid, not found, already exists) come back as values
// (actors::outcome); a connection failure, a refused token or a server error
// throws client_error — the CLI turns those into exit code 2.

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "actors/control_plane.hpp"
#include "actors/rpc/rpc_security.hpp"
#include "journal/stored_values.hpp"

namespace berth::cli {

class client_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct log_options {
  std::string container;
  bool follow = false;
  std::int64_t tail_lines = -1;
  bool previous = false;
  bool timestamps = false;
};

struct exec_options {
  std::string container;             // "": the pod's only container
  std::vector<std::string> command;  // the command and its arguments
  bool stdin_ = false;               // send what `stdin_fd` reads, then EOF
  bool tty = false;                  // a terminal: one output stream, resizable
  int stdin_fd = 0;
  std::uint16_t width = 0, height = 0;  // tty: the terminal's size (0: unknown, not sent)
};

/// How an exec ended: `error` (berthd, the agent or the runtime refused or
/// failed; nothing or not all ran) or the command's exit code.
struct exec_result {
  std::string error;
  std::int32_t exit_code = 0;
};

class client {
 public:
  /// Connects to `server` (host:port) over TLS pinning `security`'s CA (or
  /// plain TCP when it says insecure) and logs in with `token`.
  /// Throws client_error: "cannot reach berthd at 127.0.0.1:7420: connection refused",
  /// "berthd at ...: TLS handshake with berthd at ... failed: ...", "berthd at ... refused the token: ...".
  client(const std::string& server, const std::string& token, const rpc::rpc_security& security);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  actors::outcome create(const actors::any_object& o, bool dry_run = false);
  actors::outcome apply(const actors::any_object& o, bool dry_run = false);
  actors::outcome remove(const actors::object_key& key, std::int64_t grace_period_seconds = -1,
                         bool orphan_dependents = false);
  actors::outcome scale(const actors::object_key& key, std::int32_t replicas);
  actors::outcome get(const actors::object_key& key);
  actors::list_result list(actors::kind k, const std::string& namespace_, const std::string& label_selector = "",
                           const std::string& field_selector = "");
  std::vector<actors::event_summary> object_events(const actors::object_key& key, std::uint32_t limit = 20);

  struct version_info {
    std::string version;
    std::uint64_t journal_seq = 0;
  };
  version_info version();

  /// Streams watch events to `on_event` until it returns false, the server
  /// closes the watch (then returns the reason), or `timeout_ms` passes with
  /// no event (0: no timeout; returns "timeout").
  std::string watch(actors::kind k, const std::string& namespace_, const std::string& label_selector,
                    const std::string& field_selector, std::uint64_t from_resource_version,
                    const std::function<bool(const actors::watch_event&)>& on_event, std::uint64_t timeout_ms = 0);

  /// Streams a pod's logs to `on_data`; returns the error berthd or the agent
  /// reported ("" when the stream ended normally).
  std::string logs(const std::string& namespace_, const std::string& pod, const log_options& options,
                   const std::function<void(std::string_view)>& on_data);

  /// Runs a command in a pod's container (Cluster.exec): output goes to
  /// `on_output(stream, bytes)` (1 stdout, 2 stderr) as it arrives; returns
  /// once the command ended.
  exec_result exec(const std::string& namespace_, const std::string& pod, const exec_options& options,
                   const std::function<void(int, std::string_view)>& on_output);

  // ---- the journal, read-only (schema/api.capnp journal*; cli/remote_source.hpp)
  struct journal_extent {
    std::uint64_t first_seq = 0;
    std::uint64_t last_seq = 0;
    std::vector<std::uint64_t> snapshot_seqs;
  };
  journal_extent journal_info();
  /// Stored event values from key `from` on (at most `limit`; berthd caps it), unchecked.
  std::vector<journal::stored_value> journal_read(std::uint64_t from, std::uint32_t limit);
  /// The snapshot at `seq` as berthd's checked read gives it, or its error (code and message).
  struct snapshot_reply {
    std::string hash, state;
    std::string error_code;  // "" on success, else journal::to_string(code)
    std::string error;
  };
  snapshot_reply journal_snapshot(std::uint64_t seq);
  /// Seqs of the events naming the object (empty name: every object of `kind`).
  std::vector<std::uint64_t> journal_object_seqs(const std::string& kind, const std::string& namespace_,
                                                 const std::string& name);

  /// The server address this client talks to.
  const std::string& server() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace berth::cli
