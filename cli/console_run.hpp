#pragma once
// Runs one parsed console command against a session and prints its result
// (tables or -o json), the same for the REPL and for -c. Also the REPL, the
// interactive `top` and the Ctrl-C handling they share.

#include <signal.h>

#include "cli/commands.hpp"
#include "cli/console_command.hpp"

namespace berth::cli {

class console_session;

struct console_context {
  console_session& session;
  streams io;
  bool json = false;
  bool interactive = false;  // the REPL on a terminal: `top` refreshes
};

/// Runs `c` (not quit). Returns k_exit_ok, or k_exit_user after printing
/// "error: ..." (no such actor, unknown help topic). Throws client_error on
/// connection or server errors.
int run_console_command(const console_command& c, console_context& ctx);

/// The interactive `top` on a terminal: redraws every second until q, Ctrl-C
/// or SIGTERM; m/r switch the sort. The terminal's settings are restored on
/// every way out. Throws client_error like the commands.
int run_top_tty(console_context& ctx, sort_key sort);

/// The REPL: libedit line editing, in-memory history (also kept in
/// ~/.berth_console_history when $HOME is writable), tab completion of
/// commands and actor names. Reads plain lines, without a prompt, when stdin
/// is not a terminal. Returns k_exit_ok at quit/exit/EOF.
int run_repl(console_context& ctx);

/// Ctrl-C (and SIGTERM) while a guard lives set a flag instead of killing
/// the console; the previous handlers come back when it ends. A signal
/// handler can only reach a flag with static storage, hence the statics.
class interrupt_guard {
 public:
  interrupt_guard();
  ~interrupt_guard();
  interrupt_guard(const interrupt_guard&) = delete;
  interrupt_guard& operator=(const interrupt_guard&) = delete;

  /// True once a signal came since the guard (or clear()).
  static bool raised();
  static void clear();

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace berth::cli
