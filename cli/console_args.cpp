#include "cli/console_args.hpp"

#include <fmt/format.h>

#include "actors/cmdline/options.hpp"

namespace berth::cli {
namespace {

constexpr const char* k_synopsis = R"(Usage:
  berth console [--server HOST:PORT] [--token T | --token-file F] [-c 'COMMAND'] [-o json]
  berth console --agent HOST:PORT --token-file NODE_TOKEN_FILE [-c 'COMMAND'] [-o json])";

constexpr const char* k_description = R"(An interactive console on the actors of berthd (or, with --agent, of a node
agent's --introspect-listen address, logged in with the node token: berthd's
DATA/node.token). Without -c it reads commands with line editing, history
(~/.berth_console_history) and tab completion; `help` lists the commands:
actors, top, inspect, trace, tree, nodes.)";

/// `berth console`'s flags as a CLI11 app, bound to `o`.
void define(CLI::App& app, console_options& o) {
  cmdline::configure(app);
  cmdline::set_synopsis(app, k_synopsis);
  app.description(k_description);
  auto text = [&](const std::string& names, std::optional<std::string>& into, const std::string& what,
                  const std::string& type) {
    return app
        .add_option_function<std::string>(
            names, [&into](const std::string& v) { into = v; }, what)
        ->type_name(type)
        ->transform(cmdline::short_equals());
  };
  text("-s,--server", o.connection.server, "berthd's address (default: $BERTH_SERVER, ~/.berth/config)", "HOST:PORT");
  text("--token", o.connection.token, "the admin token (with --agent: the node token)", "TOKEN");
  text("--token-file", o.connection.token_file, "read the token from FILE (with --agent: DATA/node.token)", "FILE");
  text("--ca-file", o.connection.ca_file, "the cluster CA to verify berthd with (berthd's DATA/ca.crt)", "FILE");
  cmdline::add_switch(app, "--insecure-rpc", o.connection.insecure_rpc,
                      "plain TCP, for a berthd started with --insecure-rpc (tests only)");
  text("--agent", o.agent, "a node agent's --introspect-listen address instead of berthd", "HOST:PORT");
  text("-c", o.command, "run this console command and exit (default: the interactive console)", "'COMMAND'");
  app.add_option_function<std::string>(
         "-o,--output", [&o](const std::string&) { o.json = true; }, "json: print JSON instead of tables")
      ->type_name("json")
      ->transform(cmdline::short_equals())
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            if (v == "json") return {};
            return fmt::format("expected json (or no -o, for tables), got \"{}\"", v);
          },
          "", "json"));
}

}  // namespace

bool is_console_command(const std::vector<std::string>& args) { return !args.empty() && args[0] == "console"; }

std::optional<console_options> parse_console_args(const std::vector<std::string>& args, std::string& error) {
  console_options o;
  CLI::App app{"", "berth console"};
  define(app, o);
  auto out = cmdline::parse(app, args);
  if (out.status == cmdline::outcome::kind::help) {
    o.help = true;
    return o;
  }
  if (out.status == cmdline::outcome::kind::error) {
    error = out.message;
    return std::nullopt;
  }
  if (o.agent && !o.connection.token && !o.connection.token_file) {
    error = "--agent needs the node token: --token-file DATA/node.token (from berthd's data directory) or --token";
    return std::nullopt;
  }
  return o;
}

std::string console_usage() { return k_synopsis; }

std::string console_flags_help() {
  console_options o;
  CLI::App app{"", "berth console"};
  define(app, o);
  return app.help();
}

}  // namespace berth::cli
