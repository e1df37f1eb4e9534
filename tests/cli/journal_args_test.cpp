// Parsing of `berth journal|history|why` command lines (cli/journal_args.hpp).
#include <doctest/doctest.h>

#include "cli/journal_args.hpp"

using namespace berth::cli;

namespace {
journal_command ok(const std::vector<std::string>& args) {
  auto r = parse_journal_args(args);
  REQUIRE_MESSAGE(r.command.has_value(), r.error);
  return *r.command;
}
std::string error_of(const std::vector<std::string>& args) {
  auto r = parse_journal_args(args);
  REQUIRE(!r.command.has_value());
  return r.error;
}
}  // namespace

TEST_CASE("replay_takes_a_point_a_kind_names_and_get_style_flags") {
  auto c = ok({"journal", "replay", "--at", "2026-11-26T10:15:00Z", "pods", "-o", "wide", "-A"});
  CHECK(c.verb == journal_verb::replay);
  CHECK(c.at == "2026-11-26T10:15:00Z");
  CHECK(c.kind == berth::actors::kind::pod);
  CHECK(c.output == output_format::wide);
  CHECK(c.all_namespaces);
  CHECK(error_of({"journal", "replay", "pods"}) == "journal replay needs --at SEQ|TIME");
}

TEST_CASE("history_and_why_name_one_object_as_kind_slash_name_or_kind_name") {
  auto h = ok({"history", "rc/web", "-n", "prod"});
  CHECK(h.object == object_arg{"ReplicationController", "prod", "web"});
  auto w = ok({"why", "node", "n2", "--at=41", "--journal", "/tmp/j"});
  CHECK(w.object == object_arg{"Node", "", "n2"});
  CHECK(w.at == "41");
  CHECK(w.journal_dir == "/tmp/j");
  CHECK(error_of({"why"}) == "name the object: KIND/NAME (e.g. pod/web-x7k2q)");
  CHECK(error_of({"history", "widgets/x"}) == "unknown resource type \"widgets\"");
}

TEST_CASE("ls_filters_and_unknown_commands_and_flags") {
  auto c = ok({"journal", "ls", "--kind", "pods", "--type", "podEvicted", "--principal", "admin", "--since", "5"});
  CHECK(c.kind_filter == "Pod");
  CHECK(c.type_filter == "podEvicted");
  CHECK(c.principal_filter == "admin");
  CHECK(c.since == "5");
  CHECK(error_of({"journal", "rewind"}) ==
        "unknown journal command \"rewind\"; use ls, show, replay, diff, verify or export");
  CHECK(error_of({"journal", "ls", "--colour"}) == "unknown flag: --colour");
  CHECK(error_of({"journal", "diff", "3"}) == "journal diff needs two points: A B (each a SEQ or an RFC 3339 time)");
  CHECK(error_of({"journal", "replay", "--at"}) == "--at: needs a value");
}

TEST_CASE("connection_flags_may_come_before_the_command_as_they_do_for_get") {
  CHECK(is_journal_command({"--token-file", "/d/admin.token", "journal", "ls"}));
  CHECK(is_journal_command({"-s", "h:1", "--token=t", "why", "pod/web"}));
  CHECK_FALSE(is_journal_command({"--token-file", "journal"}));  // "journal" is the flag's value
  CHECK_FALSE(is_journal_command({"--token", "t", "get", "pods"}));
  auto c = ok({"--token-file", "/d/admin.token", "--server=h:1", "journal", "ls", "--kind", "pods"});
  CHECK(c.connection.token_file == "/d/admin.token");
  CHECK(c.connection.server == "h:1");
  CHECK(c.kind_filter == "Pod");
  CHECK(ok({"--token", "t", "history", "pod/web"}).connection.token == "t");
}

TEST_CASE("the_offline_index_cache_flags_go_with_journal_dir_and_exclude_each_other") {
  auto c = ok({"history", "pod/web-1", "--journal", "/tmp/j", "--index-cache", "/tmp/cache"});
  CHECK(c.index_cache_dir == "/tmp/cache");
  CHECK_FALSE(c.no_index_cache);
  auto n = ok({"why", "pod/web-1", "--journal", "/tmp/j", "--no-index-cache"});
  CHECK(n.no_index_cache);
  CHECK_FALSE(n.index_cache_dir.has_value());
  CHECK(error_of({"history", "pod/web-1", "--journal", "/tmp/j", "--index-cache", "/c", "--no-index-cache"}) ==
        "--index-cache and --no-index-cache exclude each other");
  CHECK(error_of({"history", "pod/web-1", "--no-index-cache"}) ==
        "--no-index-cache applies only with --journal DIR (berthd keeps its object index in memory)");
  CHECK(error_of({"history", "pod/web-1", "--index-cache", "/c"}) ==
        "--index-cache applies only with --journal DIR (berthd keeps its object index in memory)");
}

TEST_CASE("journal_flag_errors_name_the_flag_and_what_it_expected") {
  CHECK(error_of({"journal", "ls", "--kind", "widgets"}) ==
        "--kind: expected a kind (pods, rc, svc, ep, nodes), got \"widgets\"");
  CHECK(error_of({"journal", "show", "3", "-o", "xml"}) ==
        "--output: expected one of wide, json, yaml, name, got \"xml\"");
  CHECK(error_of({"history", "pod/a", "--until"}) == "--until: needs a value");
  CHECK(error_of({"journal", "verify", "--kind", "pods"}) == "unknown flag: --kind");
  CHECK(error_of({"journal"}) == "berth journal needs a command: ls, show, replay, diff, verify or export");
  CHECK(error_of({"journal", "verify", "extra"}) == "unexpected argument \"extra\"");
  CHECK(ok({"journal", "ls", "-ojson"}).output == output_format::json);
  CHECK(ok({"why", "pod/a", "--server=h:1", "--token-file", "/t"}).connection.server == "h:1");
}

TEST_CASE("journal_help_is_the_verbs_own") {
  auto h = parse_journal_args({"journal", "replay", "--help"});
  REQUIRE(h.command);
  CHECK(h.command->help);
  CHECK(h.help_text.rfind("Usage: berth journal replay --at", 0) == 0);
  CHECK(h.help_text.find("--all-namespaces") != std::string::npos);
  auto j = parse_journal_args({"journal", "help"});
  REQUIRE(j.command);
  CHECK(j.help_text.find("berth why KIND/NAME") != std::string::npos);
  CHECK(parse_journal_args({"why", "-h"}).help_text.find("--at") != std::string::npos);
}
