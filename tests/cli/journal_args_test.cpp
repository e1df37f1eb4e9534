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
  CHECK(error_of({"journal", "ls", "--colour"}) == "unknown flag --colour");
  CHECK(error_of({"journal", "diff", "3"}) ==
        "journal diff needs two points: A B (each a SEQ or an RFC 3339 time)");
  CHECK(error_of({"journal", "show", "--at"}) == "flag --at needs a value");
}
