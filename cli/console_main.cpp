#include "cli/console_main.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <kj/exception.h>

#include <cstdlib>
#include <memory>
#include <optional>

#include "cli/config.hpp"
#include "cli/console_args.hpp"
#include "cli/console_run.hpp"
#include "cli/console_session.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::cli {
namespace {

std::optional<std::string> getenv_nonempty(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// The address and token: berthd's as every command finds them (flags,
/// environment, ~/.berth/config); with --agent, its address and the token
/// from the flags (parse_console_args insists on one).
std::optional<std::pair<std::string, std::string>> connection_of(const console_options& o, std::string& error) {
  auto config = read_config_file(default_config_path(getenv_nonempty), error);
  if (!config) return std::nullopt;
  auto s = resolve_settings(o.connection, getenv_nonempty, *config);
  auto token = load_token(s, error);
  if (!token) return std::nullopt;
  return std::pair{o.agent ? *o.agent : s.server, *token};
}

int run_once(const std::string& line, console_context& ctx) {
  auto parsed = parse_console_command(line);
  if (!parsed.command) {
    fmt::print(ctx.io.err, "error: {}\n", parsed.error.empty() ? "-c: no command given (try -c help)" : parsed.error);
    return k_exit_user;
  }
  return run_console_command(*parsed.command, ctx);
}

}  // namespace

int run_console_cli(const std::vector<std::string>& args, streams io) {
  std::string error;
  auto o = parse_console_args(std::vector<std::string>(args.begin() + 1, args.end()), error);
  if (!o) {
    fmt::print(io.err, "error: {}\n{}\n", error, console_usage());
    return k_exit_user;
  }
  if (o->help) {
    fmt::print(io.out, "{}", console_flags_help());
    return k_exit_ok;
  }
  auto connection = connection_of(*o, error);
  if (!connection) {
    fmt::print(io.err, "error: {}\n", error);
    return k_exit_user;
  }
  try {
    auto session = o->agent ? console_session::connect_agent(connection->first, connection->second)
                            : console_session::connect_berthd(connection->first, connection->second);
    console_context ctx{*session, io, o->json, !o->command.has_value()};
    return o->command ? run_once(*o->command, ctx) : run_repl(ctx);
  } catch (const client_error& e) {
    fmt::print(io.err, "error: {}\n", e.what());
  } catch (const kj::Exception& e) {
    fmt::print(io.err, "error: {}\n", text::describe(e));
  }
  return k_exit_server;
}

}  // namespace berth::cli
