#pragma once
// `berth console`: parse its flags, connect to berthd (or --agent), then run
// -c 'COMMAND' once or the REPL. main() hands over when is_console_command().

#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace berth::cli {

/// Runs `berth console ...` (`args` after argv[0], starting with "console").
/// Exit codes: 0; 1 bad flags, unknown command, bad arguments or no such
/// actor (-c); 2 unreachable server or agent, refused token, server error.
int run_console_cli(const std::vector<std::string>& args, streams io);

}  // namespace berth::cli
