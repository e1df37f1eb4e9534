#pragma once
// berth's commands, run against a connected client. Each prints like kubectl
// and returns the exit code:
//   0  success
//   1  user error: invalid object (field by field), not found, already exists,
//      a bad selector; several objects: 1 if any failed (the rest still done)
//   2  connection or server error — thrown as client_error by the client and
//      turned into 2 by main, or an "unavailable" outcome.

#include <iosfwd>

#include "cli/args.hpp"

namespace berth::cli {

class client;

inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_user = 1;
inline constexpr int k_exit_server = 2;

/// Where a command reads and writes (the process's std streams in main).
struct streams {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
};

/// Runs `c` (not help) on `api`. Throws client_error on connection/server errors.
int run_command(const command_line& c, client& api, streams io);

/// The client's version text (the meson project version).
const char* client_version();

namespace detail {
int run_create_or_apply(const command_line& c, client& api, streams io);
int run_delete(const command_line& c, client& api, streams io);
int run_scale(const command_line& c, client& api, streams io);
int run_rolling_update(const command_line& c, client& api, streams io);
int run_get(const command_line& c, client& api, streams io);
int run_describe(const command_line& c, client& api, streams io);
}  // namespace detail

}  // namespace berth::cli
