#pragma once
// The debugging commands, run on a source (actors/debug/source.hpp): the same
// code for `--journal DIR` and for berthd over the API. Each prints and
// returns the exit code: 0 success; 1 bad input (unknown object, a point
// outside the journal, a malformed time) or, for verify, a problem found;
// 2 the journal could not be read.

#include <string>
#include <vector>

#include "actors/debug/source.hpp"
#include "cli/commands.hpp"
#include "cli/journal_args.hpp"

namespace berth::cli {

/// Runs a parsed debugging command (not help) on `s`.
int run_journal_command(const journal_command& c, const debug::source& s, streams io);

/// The whole of `berth journal|history|why ...` (args after argv[0]):
/// parse, open the journal (offline) or connect (online), run.
int run_journal_cli(const std::vector<std::string>& args, streams io);

namespace detail {
/// Prints "error: <message>" and returns the exit code for a journal error:
/// 1 for invalid_argument and not_found (the user's input), else 2.
int report_journal_error(const journal::error& e, streams io);

int run_journal_ls(const journal_command& c, const debug::source& s, streams io);
int run_journal_show(const journal_command& c, const debug::source& s, streams io);
int run_journal_export(const journal_command& c, const debug::source& s, streams io);
int run_journal_verify(const journal_command& c, const debug::source& s, streams io);
int run_journal_diff(const journal_command& c, const debug::source& s, streams io);
int run_journal_replay(const journal_command& c, const debug::source& s, streams io);
int run_history(const journal_command& c, const debug::source& s, streams io);
int run_why(const journal_command& c, const debug::source& s, streams io);
}  // namespace detail

}  // namespace berth::cli
