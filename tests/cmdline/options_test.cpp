// The CLI11 conventions every berth program shares (cmdline/options.hpp).
#include <doctest/doctest.h>

#include "actors/cmdline/options.hpp"

using namespace berth;

namespace {

struct toy {
  CLI::App app{"", "toy"};
  long long count = 0;
  std::string mode = "a";
  bool loud = false;
  std::string wait;

  toy() {
    cmdline::configure(app);
    cmdline::set_synopsis(app, "Usage: toy [--count N] [--mode a|b] [-l]");
    app.add_option("-c,--count", count, "how many")->check(cmdline::whole_number(1, 10));
    app.add_option("--mode", mode, "which")->transform(cmdline::short_equals())->check(cmdline::one_of({"a", "b"}));
    app.add_option("--wait", wait, "how long")->check(cmdline::duration());
    cmdline::add_switch(app, "-l,--loud", loud, "shout");
  }
};

std::string error_of(std::vector<std::string> args) {
  toy t;
  auto out = cmdline::parse(t.app, args);
  CHECK(out.status == cmdline::outcome::kind::error);
  return out.message;
}

}  // namespace

TEST_CASE("errors name the flag, what it expected and what it got") {
  CHECK(error_of({"--count", "abc"}) == "--count: expected a whole number from 1 to 10, got \"abc\"");
  CHECK(error_of({"-c", "11"}) == "--count: expected a whole number from 1 to 10, got \"11\"");
  CHECK(error_of({"--mode=c"}) == "--mode: expected one of a, b, got \"c\"");
  CHECK(error_of({"--wait", "10"}) == "--wait: expected a duration like 500ms, 10s or 2m, got \"10\"");
  CHECK(error_of({"--loud=maybe"}) == "--loud: expected one of true, false, got \"maybe\"");
  CHECK(error_of({"--count"}) == "--count: needs a value");
  CHECK(error_of({"--colour"}) == "unknown flag: --colour");
  CHECK(error_of({"--colour=red"}) == "unknown flag: --colour");
  CHECK(error_of({"-x"}) == "unknown shorthand flag: 'x' in -x");
  CHECK(error_of({"stray"}) == "unexpected argument \"stray\"");
  CHECK(error_of({"--", "--count"}) == "unexpected argument \"--count\"");
}

TEST_CASE("what parses: the last repeated value wins, -c3, switches with =false") {
  toy t;
  auto out = cmdline::parse(t.app, {"-c3", "--count", "4", "-l", "--loud=false", "--mode", "b"});
  REQUIRE(out.status == cmdline::outcome::kind::ok);
  CHECK(t.count == 4);
  CHECK_FALSE(t.loud);
  CHECK(t.mode == "b");
  toy kept;
  auto extras = cmdline::parse(kept.app, {"x", "--y", "--", "-z"}, true);
  REQUIRE(extras.status == cmdline::outcome::kind::ok);
  CHECK(extras.extras == std::vector<std::string>{"x", "--y"});
  CHECK(extras.after_dashes == std::vector<std::string>{"-z"});
}

TEST_CASE("--help: the synopsis first, then every flag with its description") {
  toy t;
  auto out = cmdline::parse(t.app, {"--count", "2", "--help"});
  REQUIRE(out.status == cmdline::outcome::kind::help);
  CHECK(out.message.rfind("Usage: toy [--count N]", 0) == 0);
  CHECK(out.message.find("-c,--count") != std::string::npos);
  CHECK(out.message.find("shout") != std::string::npos);
  CHECK(cmdline::synopsis_of(t.app) == "Usage: toy [--count N] [--mode a|b] [-l]");
}
