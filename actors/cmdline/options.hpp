#pragma once
// berth's programs all parse their command lines with CLI11; this is what
// they do the same way on top of it: the error wording (`--flag: expected
// X, got "V"`), the validators behind it, switches that also take
// `--flag=false`, a hand-written synopsis at the top of --help, and one
// parse() that turns CLI11's exceptions into a value. Only the parsers'
// .cpp files include this header: the programs' option headers stay free
// of CLI11.

#include <CLI/CLI.hpp>

#include <limits>
#include <string>
#include <vector>

namespace berth::cmdline {

/// A whole number in [min, max]: `expected a whole number >= 1, got "abc"`.
CLI::Validator whole_number(long long min, long long max = std::numeric_limits<long long>::max());

/// A number (fractions allowed) in [min, max].
CLI::Validator number_between(double min, double max);

/// A duration in cmdline/duration.hpp's syntax: "500ms", "10s", "2m".
CLI::Validator duration();

/// One of `words`: `expected one of json, yaml, got "xml"`.
CLI::Validator one_of(std::vector<std::string> words);

/// A transform for options with a value that lets `-o=json` mean `-ojson`
/// (kubectl accepts both; CLI11 would take "=json" as the value).
CLI::Validator short_equals();

/// A switch: `--watch`, `--watch=true`, `--watch=false`, short groups `-wA`.
CLI::Option* add_switch(CLI::App& app, const std::string& names, bool& into, const std::string& description);

/// Sets what berth's apps share, before any option or subcommand is added:
/// the formatter (synopsis first), last-one-wins for repeated options, and
/// unknown arguments kept for parse() to report in berth's words.
void configure(CLI::App& app);

/// The line(s) that --help and errors show as "Usage: ...". CLI11 2.1 can
/// only derive one from the options, which cannot say `rc NAME --replicas=N`.
void set_synopsis(CLI::App& app, std::string text);

/// `app`'s synopsis; CLI11's own usage line when none was set.
std::string synopsis_of(const CLI::App& app);

struct outcome {
  enum class kind { ok, help, error };
  outcome::kind status = kind::ok;
  std::string message;                    // help: the full help text; error: one line naming the flag
  const CLI::App* concerned = nullptr;    // the (sub)command the help or error is about
  std::vector<std::string> extras;        // ok only: unknown arguments, when parse() was told to keep them
  std::vector<std::string> after_dashes;  // ok only: the words after `--`, when kept like extras
};

/// Parses `args` (after argv[0]) into the options bound to `app`. Unknown
/// arguments are an error (`unknown flag: --x`, `unexpected argument "x"`)
/// unless `keep_extras`, then they are returned for the caller to judge,
/// and so are the words after `--`: CLI11 2.1 hands those to the parent app
/// once a subcommand's positionals have their minimum, where they are lost
/// (`berth get pods -- -x`), so parse() cuts them off itself. Never throws.
outcome parse(CLI::App& app, const std::vector<std::string>& args, bool keep_extras = false);

/// berth's wording for an argument nobody took: a flag or a positional.
std::string unknown_argument(const std::string& arg);

/// The deepest subcommand selected in `app` (or `app` itself).
const CLI::App* selected(const CLI::App& app);

}  // namespace berth::cmdline
