// The interactive `top`: raw terminal (no echo, a key at a time), a frame
// per second, keys q / m / r. Every way out — q, Ctrl-C, SIGTERM, an error
// from the server — goes through raw_terminal's destructor, which puts the
// terminal back as it was.
#include <fmt/format.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <ostream>

#include "cli/console_render.hpp"
#include "cli/console_run.hpp"
#include "cli/console_session.hpp"

namespace berth::cli {
namespace {

class raw_terminal {
 public:
  raw_terminal() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);  // ISIG stays: Ctrl-C still signals
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    ok_ = ::tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
  }
  ~raw_terminal() {
    if (ok_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  raw_terminal(const raw_terminal&) = delete;
  raw_terminal& operator=(const raw_terminal&) = delete;

 private:
  termios saved_{};
  bool ok_ = false;
};

/// Actor rows that fit: the terminal's height less the header, blank line,
/// table header and "… N more" line (0: unknown, all).
std::size_t rows_that_fit() {
  winsize w{};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &w) != 0 || w.ws_row < 6) return 0;
  return static_cast<std::size_t>(w.ws_row) - 5;
}

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// Waits up to `ms` for a key; 0 when none came (or a signal interrupted the wait).
char next_key(int ms) {
  pollfd p{STDIN_FILENO, POLLIN, 0};
  if (::poll(&p, 1, ms) <= 0) return 0;
  char c = 0;
  return ::read(STDIN_FILENO, &c, 1) == 1 ? c : 0;
}

}  // namespace

int run_top_tty(console_context& ctx, sort_key sort) {
  interrupt_guard guard;
  raw_terminal raw;
  ctx.io.out << "\x1b[?25l";  // hide the cursor while redrawing
  struct cursor_back {
    std::ostream& out;
    ~cursor_back() { out << "\x1b[?25h" << std::flush; }
  } restore{ctx.io.out};
  while (!interrupt_guard::raised()) {
    auto p = ctx.session.process();
    auto rows = ctx.session.actors();
    ctx.io.out << "\x1b[H\x1b[2J" << render_top(p, std::move(rows), sort, now_ns(), rows_that_fit()) << std::flush;
    auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    bool redraw = false;
    while (!redraw && !interrupt_guard::raised()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      char key = next_key(static_cast<int>(left.count()));
      if (key == 'q' || key == 'Q') return k_exit_ok;
      if (key == 'm' || key == 'r') {
        sort = key == 'm' ? sort_key::mailbox : sort_key::rate;
        redraw = true;
      }
    }
  }
  return k_exit_ok;
}

}  // namespace berth::cli
