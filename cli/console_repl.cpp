// The console's REPL. Line editing, history and completion are libedit's
// (its readline interface); what to complete is console_command.hpp's pure
// complete(). libedit's completion hook takes no user data, so the actor
// names reach it through one file-local pointer, set only while the REPL runs.
#include <editline/readline.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <kj/exception.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <ostream>

#include "cli/console_run.hpp"
#include "cli/console_session.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::cli {
namespace {

constexpr int k_history_size = 1000;
constexpr auto k_names_ttl = std::chrono::seconds(2);

/// What completion needs while the REPL runs.
struct completion_source {
  console_session& session;
  std::vector<std::string> names;
  std::chrono::steady_clock::time_point fetched{};

  /// Actor names, fetched at most every 2 s (a failure completes nothing).
  const std::vector<std::string>& actor_names() {
    auto now = std::chrono::steady_clock::now();
    if (now - fetched < k_names_ttl) return names;
    fetched = now;
    names.clear();
    try {
      for (auto& a : session.actors()) names.push_back(std::move(a.name));
    } catch (const client_error&) {}
    return names;
  }
};

completion_source* g_source = nullptr;
std::vector<std::string> g_matches;  // the candidates libedit is iterating over

char* next_match(const char*, int state) {
  auto i = static_cast<std::size_t>(state);
  return i < g_matches.size() ? ::strdup(g_matches[i].c_str()) : nullptr;
}

char** attempt_completion(const char* text, int start, int) {
  rl_attempted_completion_over = 1;  // never fall back to file names
  if (g_source == nullptr) return nullptr;
  std::string before(rl_line_buffer, static_cast<std::size_t>(std::max(start, 0)));
  g_matches = complete(before, text, g_source->actor_names());
  if (g_matches.empty()) return nullptr;
  // "kind=" / "mailbox>" take their value right after: no space.
  char last = g_matches.size() == 1 ? g_matches[0].back() : ' ';
  rl_completion_append_character = last == '=' || last == '>' ? '\0' : ' ';
  return rl_completion_matches(text, next_match);
}

/// ~/.berth_console_history, or "" when HOME is unset or not writable.
std::string history_path() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0' || ::access(home, W_OK) != 0) return {};
  return std::string(home) + "/.berth_console_history";
}

/// Runs one line; errors are printed and the REPL goes on. True: quit.
bool run_line(const std::string& line, console_context& ctx) {
  auto parsed = parse_console_command(line);
  if (!parsed.command) {
    if (!parsed.error.empty()) fmt::print(ctx.io.err, "error: {}\n", parsed.error);
    return false;
  }
  if (parsed.command->verb == console_verb::quit) return true;
  try {
    run_console_command(*parsed.command, ctx);
  } catch (const client_error& e) {
    fmt::print(ctx.io.err, "error: {}\n", e.what());
  } catch (const kj::Exception& e) {
    fmt::print(ctx.io.err, "error: {}\n", text::describe(e));
  }
  interrupt_guard::clear();
  return false;
}

int run_plain(console_context& ctx) {
  for (std::string line; std::getline(ctx.io.in, line);)
    if (run_line(line, ctx)) break;
  return k_exit_ok;
}

}  // namespace

int run_repl(console_context& ctx) {
  if (!::isatty(STDIN_FILENO)) return run_plain(ctx);
  completion_source source{ctx.session, {}, {}};
  g_source = &source;
  rl_readline_name = "berth";
  rl_basic_word_break_characters = " \t";
  rl_attempted_completion_function = attempt_completion;
  using_history();
  stifle_history(k_history_size);
  auto path = history_path();
  if (!path.empty()) read_history(path.c_str());
  fmt::print(ctx.io.out, "berth console on {} — `help` lists the commands, Ctrl-D quits.\n", ctx.session.peer());
  ctx.io.out << std::flush;
  interrupt_guard guard;  // Ctrl-C stops a trace or top, not the console
  while (true) {
    char* raw = readline("berth> ");
    if (raw == nullptr) {
      ctx.io.out << "\n" << std::flush;
      break;
    }
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(" \t") != std::string::npos) {
      add_history(line.c_str());
      if (!path.empty()) write_history(path.c_str());
    }
    if (run_line(line, ctx)) break;
  }
  g_source = nullptr;
  return k_exit_ok;
}

}  // namespace berth::cli
