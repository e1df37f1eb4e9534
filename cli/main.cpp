// berth: the command-line client of berthd. main() only wires the pieces:
// parse → resolve server and token → connect → run the command → exit code.
#include <kj/exception.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "cli/args.hpp"
#include "cli/client.hpp"
#include "cli/commands.hpp"
#include "cli/config.hpp"
#include "cli/console_args.hpp"
#include "cli/console_main.hpp"
#include "cli/journal_cmds.hpp"
#include "actors/text/kj_describe.hpp"

namespace {

using namespace berth::cli;

std::optional<std::string> getenv_nonempty(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// `berth kubeconfig`: the file berthd writes into its data directory, read
/// locally (it holds the admin token: whoever may read it may use it).
int run_kubeconfig(const command_line& c, streams io) {
  std::string dir = c.data_dir;
  if (dir.empty()) dir = getenv_nonempty("BERTH_DATA_DIR").value_or("berth-data");
  const auto path = dir + "/kubeconfig";
  std::ifstream in(path);
  if (!in) {
    io.err << "error: cannot read " << path << ": " << std::strerror(errno)
           << " (berthd writes it on start when it serves the Kubernetes API; --data-dir names its directory)\n";
    return k_exit_user;
  }
  io.out << in.rdbuf() << std::flush;
  return 0;
}

int run(const command_line& c, streams io) {
  if (c.verb == verb::kubeconfig) return run_kubeconfig(c, io);
  if (c.verb == verb::version) io.out << "Client Version: " << client_version() << "\n" << std::flush;
  std::string error;
  auto connection = load_connection(c.connection, getenv_nonempty, error);
  if (!connection) {
    io.err << "error: " << error << "\n";
    return k_exit_user;
  }
  try {
    client api(connection->server, connection->token, connection->security);
    return run_command(c, api, io);
  } catch (const client_error& e) {
    io.err << "error: " << e.what() << "\n";  // already without KJ's prefix (client.cpp)
  } catch (const kj::Exception& e) {
    io.err << "error: berthd at " << connection->server << ": " << berth::text::describe(e) << "\n";
  }
  return k_exit_server;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // The debugging commands also run offline (--journal DIR): their own parser and dispatch.
  if (is_journal_command(args)) return run_journal_cli(args, {std::cout, std::cerr, std::cin});
  if (is_console_command(args)) return run_console_cli(args, {std::cout, std::cerr, std::cin});
  auto parsed = parse_args(args);
  if (!parsed.command) {
    std::cerr << "error: " << parsed.error << "\n" << parsed.usage << "\n";
    return k_exit_user;
  }
  if (parsed.command->help) {
    std::cout << parsed.help_text;
    return k_exit_ok;
  }
  return run(*parsed.command, {std::cout, std::cerr, std::cin});
}
