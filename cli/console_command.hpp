#pragma once
// The console's command language, the same in the REPL and with -c:
//
//   actors [FILTER...]                 FILTER: kind=K name=SUBSTR owner=A mailbox>N handled>N rate>N
//   top [--sort mailbox|rate]
//   inspect ACTOR
//   trace ACTOR [--for DURATION] [--max N]
//   tree
//   nodes
//   help [COMMAND]
//   quit | exit
//
// Words are split on blanks; 'single' or "double" quotes keep blanks. Parsing
// and tab completion are pure; console_run.hpp executes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/console_filter.hpp"

namespace berth::cli {

enum class console_verb : std::uint8_t { actors, top, inspect, trace, tree, nodes, help, quit };

struct console_command {
  console_verb verb = console_verb::help;
  std::vector<actor_filter> filters;  // actors
  sort_key sort = sort_key::mailbox;  // top
  std::string actor;                  // inspect, trace
  std::uint32_t for_ms = 10'000;      // trace --for (default 10s)
  std::uint32_t max = 1'000;          // trace --max
  std::string topic;                  // help COMMAND
  bool operator==(const console_command&) const = default;
};

/// A parsed line: a command, nothing (a blank line: both unset), or `error`
/// (one line naming the bad word, e.g. `unknown command "lst" (try help)`).
struct console_parse {
  std::optional<console_command> command;
  std::string error;
};

/// Parses one line. Never throws.
console_parse parse_console_command(std::string_view line);

/// Splits `line` into words (quotes as above); nullopt and `error` for an
/// unterminated quote.
std::optional<std::vector<std::string>> split_words(std::string_view line, std::string& error);

/// The command names, for help and completion.
const std::vector<std::string>& console_verbs();

/// `help` (every command, one line each) or `help COMMAND` (its usage and
/// what it does); unknown topics say so.
std::string console_help(std::string_view topic = {});

/// Tab completion: the candidates for the word being typed, given the line
/// before it (`before`, which ends at a word boundary) and the actor names.
/// Command names in the first word; actor names after inspect/trace; filter
/// fields after actors; --sort values after top, --for/--max after trace ACTOR.
std::vector<std::string> complete(std::string_view before, std::string_view word,
                                  const std::vector<std::string>& actor_names);

}  // namespace berth::cli
