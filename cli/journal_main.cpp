// `berth journal|history|why`: parse, open the journal (offline) or connect
// to berthd (online), and run the command on the resulting source.
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <kj/exception.h>

#include <cstdlib>
#include <filesystem>

#include "actors/debug/index_cache.hpp"
#include "cli/client.hpp"
#include "cli/config.hpp"
#include "cli/journal_cmds.hpp"
#include "cli/remote_source.hpp"
#include "actors/text/kj_describe.hpp"

namespace berth::cli {
namespace {

std::optional<std::string> getenv_nonempty(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  return std::string(v);
}

/// Where offline history/why keep the object index: --index-cache, else the
/// XDG default; "" (--no-index-cache, or no usable home) keeps none.
std::string index_cache_dir(const journal_command& c) {
  if (c.no_index_cache) return {};
  if (c.index_cache_dir) return *c.index_cache_dir;
  return debug::default_index_cache_dir(getenv_nonempty);
}

/// --journal takes berthd's data directory as well as the journal inside it:
/// a directory that is not a RocksDB database but holds `journal/` means that.
std::string journal_dir_of(const std::string& given) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir(given);
  if (!fs::exists(dir / "CURRENT", ec) && fs::is_directory(dir / "journal", ec)) return (dir / "journal").string();
  return given;
}

int run_offline(const journal_command& c, streams io) {
  const auto dir = journal_dir_of(*c.journal_dir);
  auto source = debug::local_source::open(dir, index_cache_dir(c));
  if (!source.ok()) {
    fmt::print(io.err, "error: cannot open the journal at {}: {}\n", dir, source.err().message);
    return source.err().code == journal::error_code::not_found ? k_exit_user : k_exit_server;
  }
  return run_journal_command(c, *source.value(), io);
}

int run_online(const journal_command& c, streams io) {
  std::string error;
  auto connection = load_connection(c.connection, getenv_nonempty, error);
  if (!connection) {
    fmt::print(io.err, "error: {}\n", error);
    return k_exit_user;
  }
  try {
    client api(connection->server, connection->token, connection->security);
    auto source = make_remote_source(api);
    return run_journal_command(c, *source, io);
  } catch (const client_error& e) {
    fmt::print(io.err, "error: {}\n", e.what());
  } catch (const kj::Exception& e) {
    fmt::print(io.err, "error: berthd at {}: {}\n", connection->server, text::describe(e));
  }
  return k_exit_server;
}

}  // namespace

int run_journal_command(const journal_command& c, const debug::source& s, streams io) {
  switch (c.verb) {
    case journal_verb::ls: return detail::run_journal_ls(c, s, io);
    case journal_verb::show: return detail::run_journal_show(c, s, io);
    case journal_verb::replay: return detail::run_journal_replay(c, s, io);
    case journal_verb::diff: return detail::run_journal_diff(c, s, io);
    case journal_verb::verify: return detail::run_journal_verify(c, s, io);
    case journal_verb::export_: return detail::run_journal_export(c, s, io);
    case journal_verb::history: return detail::run_history(c, s, io);
    case journal_verb::why: return detail::run_why(c, s, io);
  }
  return k_exit_user;
}

int run_journal_cli(const std::vector<std::string>& args, streams io) {
  auto parsed = parse_journal_args(args);
  if (!parsed.command) {
    fmt::print(io.err, "error: {}\n{}\n", parsed.error, parsed.usage);
    return k_exit_user;
  }
  if (parsed.command->help) {
    fmt::print(io.out, "{}", parsed.help_text);
    return k_exit_ok;
  }
  return parsed.command->journal_dir ? run_offline(*parsed.command, io) : run_online(*parsed.command, io);
}

}  // namespace berth::cli
