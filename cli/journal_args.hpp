#pragma once
// The command lines of the debugging commands, parsed into a plain value (no
// I/O): `berth journal ls|show|replay|diff|verify|export …`, `berth history
// KIND/NAME`, `berth why KIND/NAME`. Kept apart from args.hpp because every
// one of them also runs offline (`--journal DIR`) where no server is needed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"

namespace berth::cli {

enum class journal_verb : std::uint8_t { ls, show, replay, diff, verify, export_, history, why };

/// An object as `history`/`why` name it; kind as in event headers ("Pod", ...).
struct object_arg {
  std::string kind;
  std::string namespace_;
  std::string name;
  bool operator==(const object_arg&) const = default;
};

struct journal_command {
  journal_verb verb = journal_verb::ls;
  connection_flags connection;
  std::optional<std::string> journal_dir;  // --journal DIR: offline
  // Offline only: where the object index is kept between runs (default:
  // $XDG_CACHE_HOME/berth/journal-index), or --no-index-cache.
  std::optional<std::string> index_cache_dir;  // --index-cache DIR
  bool no_index_cache = false;                 // --no-index-cache
  std::optional<std::string> since, until, at;
  std::vector<std::string> points;  // show SEQ; diff A B
  // ls filters (empty: any)
  std::string kind_filter;  // event header kind ("Pod")
  std::string name_filter, type_filter, principal_filter;
  // replay: get-style selection; history/why: the object
  std::optional<actors::kind> kind;
  std::vector<std::string> names;
  std::optional<std::string> namespace_;
  bool all_namespaces = false;
  std::string label_selector;
  output_format output = output_format::table;
  bool output_given = false;
  std::optional<object_arg> object;
  bool help = false;
  bool operator==(const journal_command&) const = default;
};

struct journal_parse_result {
  std::optional<journal_command> command;
  std::string error;  // one line, without "error: "
  std::string usage;
  std::string help_text;  // with command->help: the --help of the command asked about
};

/// True when `args` (after argv[0]) start with journal, history or why,
/// possibly after the connection flags (-s/--server, --token, --token-file).
bool is_journal_command(const std::vector<std::string>& args);

/// Parses a debugging command line (args after argv[0]). Never throws.
journal_parse_result parse_journal_args(const std::vector<std::string>& args);

/// "Pod", "ReplicationController", ... for a kind (the names event headers use).
const char* header_kind(actors::kind k);

/// The usage text of the debugging commands.
std::string journal_usage();

}  // namespace berth::cli
