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

/// The address, token and transport: berthd's as every command finds them
/// (flags, environment, ~/.berth/config); with --agent, its address and the
/// token from the flags (parse_console_args insists on one), over plain TCP:
/// an agent's --introspect-listen port has no TLS (it is loopback by default).
std::optional<connection> connection_of(const console_options& o, std::string& error) {
  auto flags = o.connection;
  if (o.agent) flags.insecure_rpc = true;
  auto c = load_connection(flags, getenv_nonempty, error);
  if (!c) return std::nullopt;
  if (o.agent) c->server = *o.agent;
  return c;
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
    auto session = o->agent ? console_session::connect_agent(connection->server, connection->token)
                            : console_session::connect_berthd(connection->server, connection->token,
                                                              connection->security);
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
