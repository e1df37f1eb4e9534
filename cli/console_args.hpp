#pragma once
// `berth console`'s own command line (after the word "console"), parsed into
// a plain value; no I/O. Kept apart from args.hpp like the journal commands:
// the console has its own flags (--agent, -c) and connects differently.
// CLI11 does the parsing (cli/console_args.cpp).

#include <optional>
#include <string>
#include <vector>

#include "cli/args.hpp"

namespace berth::cli {

struct console_options {
  connection_flags connection;         // --server, --token, --token-file
  std::optional<std::string> agent;    // --agent HOST:PORT: a node agent's introspection listener
  std::optional<std::string> command;  // -c 'COMMAND': run it and exit
  bool json = false;                   // -o json
  bool help = false;                   // -h, --help
  bool operator==(const console_options&) const = default;
};

/// True when `args` (after argv[0]) start with "console".
bool is_console_command(const std::vector<std::string>& args);

/// Parses the arguments after "console"; nullopt and a one-line `error`
/// naming the bad argument otherwise. Never throws.
std::optional<console_options> parse_console_args(const std::vector<std::string>& args, std::string& error);

/// The usage lines of `berth console` (printed under a flag error).
std::string console_usage();

/// `berth console --help`: the usage, what the console is, every flag.
std::string console_flags_help();

}  // namespace berth::cli
