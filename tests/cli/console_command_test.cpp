// `berth console`'s pure parts, part 3: the command language (every command,
// every argument error), durations, word splitting, help, tab completion and
// the console's own flags.
#include <doctest/doctest.h>

#include "cli/console_args.hpp"
#include "cli/console_command.hpp"

using namespace berth::cli;

namespace {

console_command parsed(std::string_view line) {
  auto r = parse_console_command(line);
  REQUIRE_MESSAGE(r.command.has_value(), r.error);
  CHECK(r.error == "");
  return *r.command;
}

std::string error_of(std::string_view line) {
  auto r = parse_console_command(line);
  CHECK_FALSE(r.command.has_value());
  return r.error;
}

const std::vector<std::string> k_names{"store", "scheduler", "pod/default/web-a", "pod/default/web-b",
                                       "rc/default/web"};

}  // namespace

TEST_CASE("every command parses with its arguments") {
  auto actors = parsed("actors kind=pod mailbox>2");
  CHECK(actors.verb == console_verb::actors);
  CHECK(actors.filters == std::vector<actor_filter>{{filter_field::kind, filter_op::eq, "pod", 0},
                                                    {filter_field::mailbox, filter_op::gt, "", 2}});
  CHECK(parsed("  actors  ").filters.empty());
  CHECK(parsed("top").sort == sort_key::mailbox);
  CHECK(parsed("top --sort rate").sort == sort_key::rate);
  CHECK(parsed("top --sort=rate").sort == sort_key::rate);
  auto inspect = parsed("inspect pod/default/web-a");
  CHECK(inspect.verb == console_verb::inspect);
  CHECK(inspect.actor == "pod/default/web-a");
  auto trace = parsed("trace store");
  CHECK(trace.verb == console_verb::trace);
  CHECK(trace.actor == "store");
  CHECK(trace.for_ms == 10'000);
  CHECK(trace.max == 1'000);
  auto limited = parsed("trace --max 3 store --for=500ms");
  CHECK(limited.actor == "store");
  CHECK(limited.max == 3);
  CHECK(limited.for_ms == 500);
  CHECK(parsed("tree").verb == console_verb::tree);
  CHECK(parsed("nodes").verb == console_verb::nodes);
  CHECK(parsed("help").topic == "");
  CHECK(parsed("help trace").topic == "trace");
  CHECK(parsed("quit").verb == console_verb::quit);
  CHECK(parsed("exit").verb == console_verb::quit);
  CHECK(parsed("inspect 'pod/default/web a'").actor == "pod/default/web a");
}

TEST_CASE("a blank line is neither a command nor an error") {
  auto r = parse_console_command("   ");
  CHECK_FALSE(r.command.has_value());
  CHECK(r.error == "");
}

TEST_CASE("bad commands and arguments get an error naming the word") {
  struct row {
    const char* line;
    const char* error;
  };
  const row rows[] = {
      {"lst", "unknown command \"lst\" (commands: actors, top, inspect, trace, tree, nodes, help, quit)"},
      {"actors kind>pod", "kind>pod: kind takes = or != (mailbox, handled and rate take >, >=, <, <= too)"},
      {"actors pods", "pods: expected FIELD=VALUE or FIELD>N (e.g. kind=pod, name=web, mailbox>10)"},
      {"top --sort name", "--sort: \"name\" is not mailbox or rate"},
      {"top --sort", "--sort: needs a value"},
      {"top fast", "top: unexpected argument \"fast\" (usage: top [--sort mailbox|rate])"},
      {"inspect", "inspect: missing ACTOR (usage: inspect ACTOR)"},
      {"inspect a b", "inspect: unexpected argument \"b\" (usage: inspect ACTOR)"},
      {"inspect --for 1s a", "inspect: unexpected argument \"--for\" (usage: inspect ACTOR)"},
      {"trace", "trace: missing ACTOR (usage: trace ACTOR [--for DURATION] [--max N])"},
      {"trace store --for", "--for: needs a value"},
      {"trace store --for 10", "--for: \"10\" is not a duration from 1ms to 5m (like 500ms, 10s, 2m)"},
      {"trace store --for 6m", "--for: \"6m\" is not a duration from 1ms to 5m (like 500ms, 10s, 2m)"},
      {"trace store --for 0s", "--for: \"0s\" is not a duration from 1ms to 5m (like 500ms, 10s, 2m)"},
      {"trace store --for 99999999m", "--for: \"99999999m\" is not a duration from 1ms to 5m (like 500ms, 10s, 2m)"},
      {"trace store --max 0", "--max: \"0\" is not a whole number from 1 to 10000"},
      {"trace store --max 10001", "--max: \"10001\" is not a whole number from 1 to 10000"},
      {"trace store --max three", "--max: \"three\" is not a whole number from 1 to 10000"},
      {"trace store --verbose",
       "trace: unexpected argument \"--verbose\" (usage: trace ACTOR [--for DURATION] [--max N])"},
      {"tree all", "tree: unexpected argument \"all\" (usage: tree)"},
      {"nodes n1", "nodes: unexpected argument \"n1\" (usage: nodes)"},
      {"help a b", "help: unexpected argument \"b\" (usage: help [COMMAND])"},
      {"quit now", "quit: unexpected argument \"now\" (usage: quit | exit)"},
      {"inspect 'store", "unterminated single quote"},
      {"inspect \"store", "unterminated double quote"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.line);
    CHECK(error_of(r.line) == r.error);
  }
}

TEST_CASE("split_words keeps quoted blanks and empty quoted words") {
  std::string error;
  CHECK(split_words("a  'b c' \"d\"e ''", error) == std::vector<std::string>{"a", "b c", "de", ""});
  CHECK(split_words("", error) == std::vector<std::string>{});
}

TEST_CASE("help lists every command; help COMMAND gives its usage; unknown topics say so") {
  auto all = console_help();
  for (const char* usage :
       {"actors [kind=K]", "top [--sort mailbox|rate]", "inspect ACTOR", "trace ACTOR [--for DURATION] [--max N]",
        "\n  tree", "\n  nodes", "help [COMMAND]", "quit | exit"})
    CHECK_MESSAGE(all.find(usage) != std::string::npos, usage);
  CHECK(console_help("inspect") ==
        "usage: inspect ACTOR\n"
        "The actor's counters and its state as it renders it (JSON). ACTOR is a name or an id (#42).\n");
  CHECK(console_help("exit").rfind("usage: quit | exit\n", 0) == 0);
  CHECK(console_help("bogus") ==
        "no command \"bogus\" (commands: actors, top, inspect, trace, tree, nodes, help, quit)\n");
}

TEST_CASE("completion: commands first, then actor names, filter fields and flags") {
  struct row {
    const char* before;
    const char* word;
    std::vector<std::string> expected;
  };
  const row rows[] = {
      {"", "", {"actors", "exit", "help", "inspect", "nodes", "quit", "top", "trace", "tree"}},
      {"", "t", {"top", "trace", "tree"}},
      {"", "tr", {"trace", "tree"}},
      {"  ", "ins", {"inspect"}},
      {"inspect ", "pod/", {"pod/default/web-a", "pod/default/web-b"}},
      {"inspect ", "s", {"scheduler", "store"}},
      {"inspect store ", "", {}},
      {"trace ", "rc", {"rc/default/web"}},
      {"trace store ", "--", {"--for", "--max"}},
      {"trace store --for ", "", {}},
      {"top ", "", {"--sort"}},
      {"top --sort ", "r", {"rate"}},
      {"actors ", "", {"handled>", "kind=", "mailbox>", "name=", "owner=", "rate>"}},
      {"actors kind=pod ", "m", {"mailbox>"}},
      {"help ", "n", {"nodes"}},
      {"tree ", "", {}},
      {"bogus ", "", {}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.before);
    CAPTURE(r.word);
    CHECK(complete(r.before, r.word, k_names) == r.expected);
  }
}

TEST_CASE("berth console's flags") {
  std::string error;
  auto o = parse_console_args({"-c", "actors kind=pod", "-o", "json", "--server", "10.0.0.5:7420", "--token=t"}, error);
  REQUIRE_MESSAGE(o.has_value(), error);
  CHECK(o->command == "actors kind=pod");
  CHECK(o->json);
  CHECK(o->connection.server == "10.0.0.5:7420");
  CHECK(o->connection.token == "t");
  CHECK_FALSE(o->agent.has_value());

  auto agent = parse_console_args({"--agent", "127.0.0.1:4000", "--token-file", "/d/node.token", "-ojson"}, error);
  REQUIRE_MESSAGE(agent.has_value(), error);
  CHECK(agent->agent == "127.0.0.1:4000");
  CHECK(agent->connection.token_file == "/d/node.token");
  CHECK(agent->json);
  CHECK_FALSE(agent->command.has_value());

  auto help = parse_console_args({"--help"}, error);
  REQUIRE(help.has_value());
  CHECK(help->help);
  CHECK(console_flags_help().rfind("Usage:\n  berth console", 0) == 0);
  CHECK(console_flags_help().find("--agent HOST:PORT") != std::string::npos);
  CHECK(is_console_command({"console", "-c", "tree"}));
  CHECK_FALSE(is_console_command({"get", "console"}));
  CHECK_FALSE(is_console_command({}));
}

TEST_CASE("berth console's flag errors") {
  struct row {
    std::vector<std::string> args;
    const char* error;
  };
  const row rows[] = {
      {{"-o", "yaml"}, "--output: expected json (or no -o, for tables), got \"yaml\""},
      {{"-c"}, "-c: needs a value"},
      {{"--server"}, "--server: needs a value"},
      {{"--agent", "127.0.0.1:4000"},
       "--agent needs the node token: --token-file DATA/node.token (from berthd's data directory) or --token"},
      {{"--verbose"}, "unknown flag: --verbose"},
      {{"-x"}, "unknown shorthand flag: 'x' in -x"},
      {{"actors"}, "unexpected argument \"actors\""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.error);
    std::string error;
    CHECK_FALSE(parse_console_args(r.args, error).has_value());
    CHECK(error == r.error);
  }
}
