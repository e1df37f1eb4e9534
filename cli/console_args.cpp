#include "cli/console_args.hpp"

#include <fmt/format.h>

#include <string_view>

namespace berth::cli {
namespace {

constexpr const char* k_usage = R"(Usage:
  berth console [--server HOST:PORT] [--token T | --token-file F] [-c 'COMMAND'] [-o json]
  berth console --agent HOST:PORT --token-file NODE_TOKEN_FILE [-c 'COMMAND'] [-o json]

An interactive console on the actors of berthd (or, with --agent, of a node
agent's --introspect-listen address, logged in with the node token: berthd's
DATA/node.token). Without -c it reads commands with line editing, history
(~/.berth_console_history) and tab completion; `help` lists the commands:
actors, top, inspect, trace, tree, nodes.)";

/// "--flag=value" → value; "--flag value" → the next argument (advancing `i`).
std::optional<std::string> value_of(const std::vector<std::string>& args, std::size_t& i, std::string_view flag,
                                    std::string& error) {
  const auto& a = args[i];
  if (a.size() > flag.size() && a.compare(0, flag.size(), flag) == 0 && a[flag.size()] == '=')
    return a.substr(flag.size() + 1);
  if (flag.size() == 2 && a.size() > 2 && a.compare(0, 2, flag) == 0) return a.substr(2);  // -ojson
  if (i + 1 >= args.size()) {
    error = fmt::format("{} needs a value", flag);
    return std::nullopt;
  }
  return args[++i];
}

bool names(const std::string& arg, std::string_view flag) {
  if (arg.compare(0, flag.size(), flag) != 0) return false;
  if (arg.size() == flag.size()) return true;
  return arg[flag.size()] == '=' || flag.size() == 2;  // --flag=v, or -Xvalue for short flags
}

}  // namespace

bool is_console_command(const std::vector<std::string>& args) { return !args.empty() && args[0] == "console"; }

std::optional<console_options> parse_console_args(const std::vector<std::string>& args, std::string& error) {
  console_options o;
  struct flag {
    std::string_view name;
    std::optional<std::string>* into;
  };
  std::optional<std::string> output;
  const flag flags[] = {{"--server", &o.connection.server}, {"-s", &o.connection.server},
                        {"--token-file", &o.connection.token_file}, {"--token", &o.connection.token},
                        {"--agent", &o.agent}, {"-c", &o.command}, {"--output", &output}, {"-o", &output}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      o.help = true;
      continue;
    }
    const flag* f = nullptr;
    for (const auto& candidate : flags)
      if (names(a, candidate.name)) {
        f = &candidate;
        break;
      }
    if (f == nullptr) {
      error = fmt::format("console: unknown argument \"{}\"", a);
      return std::nullopt;
    }
    auto v = value_of(args, i, f->name, error);
    if (!v) return std::nullopt;
    *f->into = std::move(*v);
  }
  if (output && *output != "json") {
    error = fmt::format("-o: \"{}\" is not supported here (use -o json, or nothing for tables)", *output);
    return std::nullopt;
  }
  o.json = output.has_value();
  if (o.agent && !o.connection.token && !o.connection.token_file) {
    error = "--agent needs the node token: --token-file DATA/node.token (from berthd's data directory) or --token";
    return std::nullopt;
  }
  return o;
}

std::string console_usage() { return k_usage; }

}  // namespace berth::cli
