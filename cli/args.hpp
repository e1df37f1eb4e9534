#pragma once
// The berth command line, parsed into a plain value (no I/O, no client).
// CLI11 does the parsing (cli/args.cpp); this header does not show it.
//
// kubectl's habits: the verb first, then kinds, names and flags in any order;
// `--flag value`, `--flag=value`, `-f value`, `-fvalue`; `KIND NAME` or
// `KIND/NAME`; `--` ends the flags. A few short flags mean different things
// per verb, as in kubectl (`-f` is --filename for create and --follow for
// logs), so flags after the verb are looked up in that verb's table. Flags
// before the verb may only be the global ones (--server, --token, -n, ...).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/control_plane.hpp"

namespace berth::cli {

enum class verb : std::uint8_t {
  help,
  create,
  apply,
  get,
  describe,
  remove,
  scale,
  rolling_update,
  logs,
  exec,
  version,
  kubeconfig
};

enum class output_format : std::uint8_t { table, wide, json, yaml, name };

/// Where to reach berthd, as given by flags (unset: ask the environment, then the config file).
struct connection_flags {
  std::optional<std::string> server;
  std::optional<std::string> token;
  std::optional<std::string> token_file;
  std::optional<std::string> ca_file;  // --ca-file: the cluster CA to pin (berthd's DATA/ca.crt)
  bool insecure_rpc = false;           // --insecure-rpc: plain TCP, for a berthd started so
  bool operator==(const connection_flags&) const = default;
};

/// What `berth logs` asks for (mirrors client.hpp's log_options, kept here so
/// that parsing does not depend on the RPC client).
struct logs_flags {
  std::string container;
  bool follow = false;
  std::int64_t tail_lines = -1;
  bool previous = false;
  bool timestamps = false;
  bool operator==(const logs_flags&) const = default;
};

/// What `berth exec` asks for.
struct exec_flags {
  std::string container;             // -c; "": the pod's only container
  bool stdin_ = false;               // -i: pass stdin to the command
  bool tty = false;                  // -t: a terminal (output is one stream)
  std::vector<std::string> command;  // everything after --
  bool operator==(const exec_flags&) const = default;
};

/// What `berth rolling-update` asks for (cli/rolling_update.hpp decides the
/// steps; the new controller comes from -f, in command_line::files, or from
/// --image).
struct rolling_update_flags {
  std::string image;      // --image: the new controller is the old one with this image
  std::string container;  // --container: whose image (default: the template's only container)
  std::chrono::milliseconds update_period{std::chrono::minutes(1)};  // between a scale-up and the scale-down
  std::chrono::milliseconds poll_interval{std::chrono::seconds(3)};  // between readiness checks
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};        // longest wait for pods to be ready
  bool rollback = false;  // --rollback: abort an interrupted update, back to the old controller
  bool operator==(const rolling_update_flags&) const = default;
};

struct command_line {
  cli::verb verb = verb::help;
  connection_flags connection;
  std::optional<std::string> namespace_;  // -n; unset: "default" (or the manifest's own)
  bool all_namespaces = false;            // -A
  std::optional<actors::kind> kind;
  std::vector<std::string> names;
  std::vector<std::string> files;  // -f, in order given
  bool dry_run = false;
  std::string label_selector;  // -l, sent to berthd as text
  std::string field_selector;
  output_format output = output_format::table;
  bool watch = false;
  bool no_headers = false;         // get: the table without its header line
  bool show_labels = false;        // get: a last LABELS column
  std::int64_t grace_period = -1;  // -1: the object's own
  bool orphan = false;              // delete --cascade=orphan: an RC's pods stay
  std::int32_t replicas = -1;      // scale; -1: not given
  logs_flags logs;
  exec_flags exec;
  rolling_update_flags rolling_update;
  std::string data_dir;  // kubeconfig: berthd's data directory ("": $BERTH_DATA_DIR, then ./berth-data)
  bool help = false;  // -h / `berth help [VERB]`: print the help text, exit 0
  bool operator==(const command_line&) const = default;
};

/// A parsed command line, or why not: `error` is one line without "error: ",
/// `usage` the usage text of the verb concerned (the general one if unknown),
/// `help_text` (with `command->help`) the verb's whole --help: usage, every
/// flag with what it does.
struct parse_result {
  std::optional<command_line> command;
  std::string error;
  std::string usage;
  std::string help_text;
};

/// Parses the arguments after argv[0]. Never throws.
parse_result parse_args(const std::vector<std::string>& args);

/// "pods", "po", "pod", "rc", ..., "minions" → the kind; nullopt if unknown.
std::optional<actors::kind> parse_kind(std::string_view text);

/// The usage text of one verb ("Usage: berth get KIND ..."), or of berth as a whole for verb::help.
std::string usage_of(verb v);

/// The verb's name as typed ("delete" for verb::remove).
const char* verb_name(verb v);

}  // namespace berth::cli
