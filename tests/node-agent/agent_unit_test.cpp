// berth-agent's pure parts outside logic/: its command line and what it reads
// from the machine.
#include <doctest/doctest.h>

#include <arpa/inet.h>

#include "node-agent/agent/agent_options.hpp"
#include "node-agent/agent/machine.hpp"

using namespace berth::agent;

namespace {

std::optional<agent_options> parse(std::vector<std::string> args, std::string& error) {
  return parse_agent_options(args, error);
}

}  // namespace

TEST_CASE("agent options: defaults, every flag, and errors that name the flag") {
  std::string error;
  auto o = parse({"--token-file", "/d/node.token"}, error);
  REQUIRE(o);
  CHECK(o->server == "127.0.0.1:7420");
  CHECK(o->heartbeat_interval == std::chrono::milliseconds(0));  // berthd's, given at join
  CHECK(o->backoff_base == std::chrono::seconds(10));
  CHECK(o->backoff_cap == std::chrono::minutes(5));
  CHECK(o->runtime == "");
  CHECK(o->hollow == 0);

  o = parse({"--token-file",
             "t",
             "--server",
             "10.0.0.1:9",
             "--node-name",
             "n1",
             "--labels",
             "zone=a,disk=ssd",
             "--runtime",
             "unix:/run/r.sock",
             "--heartbeat-interval",
             "200ms",
             "--backoff-base",
             "1s",
             "--backoff-cap",
             "2m",
             "--hollow",
             "100",
             "--hollow-failure-rate",
             "0.25",
             "--max-pods",
             "30"},
            error);
  REQUIRE(o);
  CHECK(o->server == "10.0.0.1:9");
  CHECK(o->node_name == "n1");
  CHECK(o->labels == std::map<std::string, std::string>{{"disk", "ssd"}, {"zone", "a"}});
  CHECK(o->runtime == "unix:/run/r.sock");
  CHECK(o->heartbeat_interval == std::chrono::milliseconds(200));
  CHECK(o->backoff_cap == std::chrono::minutes(2));
  CHECK(o->hollow == 100);
  CHECK(o->hollow_failure_rate == 0.25);
  CHECK(o->max_pods == 30);

  CHECK_FALSE(parse({}, error));
  CHECK(error == "--token-file is required (berthd's DATA/node.token), or --join-token (berthd's DATA/join-token)");
  CHECK_FALSE(parse({"--token-file", "t", "--heartbeat-interval", "10"}, error));
  CHECK(error == "--heartbeat-interval: expected a duration like 500ms, 10s or 2m, got \"10\"");
  CHECK_FALSE(parse({"--token-file", "t", "--labels", "zone"}, error));
  CHECK(error == "--labels: expected key=value pairs like zone=a,disk=ssd, got \"zone\"");
  CHECK_FALSE(parse({"--token-file", "t", "--runtime", "tcp:1.2.3.4"}, error));
  CHECK(error == "--runtime: expected unix:PATH, got \"tcp:1.2.3.4\"");
  CHECK_FALSE(parse({"--token-file", "t", "--hollow", "-3"}, error));
  CHECK(error == "--hollow: expected a whole number from 1 to 2147483647, got \"-3\"");
  CHECK_FALSE(parse({"--token-file", "t", "--hollow-failure-rate", "2"}, error));
  CHECK(error == "--hollow-failure-rate: expected a number from 0 to 1, got \"2\"");
  CHECK_FALSE(parse({"--token-file", "t", "--bogus", "1"}, error));
  CHECK(error == "unknown flag: --bogus");
  CHECK_FALSE(parse({"--token-file"}, error));
  CHECK(error == "--token-file: needs a value");
  CHECK(error == "--token-file: needs a value");
  CHECK_FALSE(parse({"--token-file", "t", "--backoff-base", "10s", "--backoff-cap", "1s"}, error));
  CHECK(error == "--backoff-cap must not be shorter than --backoff-base");
}

TEST_CASE("agent options: the introspection listener and --no-actor-stats, which rule each other out") {
  std::string error;
  auto o = parse({"--token-file", "t"}, error);
  REQUIRE(o);
  CHECK(o->introspect_listen == "");
  CHECK(o->actor_stats);
  o = parse({"--token-file", "t", "--introspect-listen", "127.0.0.1:0"}, error);
  REQUIRE(o);
  CHECK(o->introspect_listen == "127.0.0.1:0");
  o = parse({"--no-actor-stats", "--token-file", "t"}, error);
  REQUIRE(o);
  CHECK_FALSE(o->actor_stats);
  CHECK_FALSE(parse({"--token-file", "t", "--no-actor-stats", "--introspect-listen", "127.0.0.1:0"}, error));
  CHECK(error == "--introspect-listen serves the actor stats that --no-actor-stats turns off: give one of them");
}

TEST_CASE("agent options: `runtime serve unix:PATH` needs no token") {
  std::string error;
  auto o = parse({"runtime", "serve", "unix:/run/berth-runtime.sock", "--pause-image", "p:1"}, error);
  REQUIRE(o);
  CHECK(o->mode_ == agent_options::mode::serve_runtime);
  CHECK(o->serve_path == "/run/berth-runtime.sock");
  CHECK(o->pause_image == "p:1");
  CHECK_FALSE(parse({"runtime", "serve", "/no/scheme"}, error));
  CHECK(error == "runtime: expected `runtime serve unix:PATH`");
}

TEST_CASE("agent options: more errors name the flag; --help lists every flag") {
  std::string error;
  CHECK_FALSE(parse({"--token-file", "t", "--max-pods", "many"}, error));
  CHECK(error == "--max-pods: expected a whole number >= 1, got \"many\"");
  CHECK_FALSE(parse({"--token-file", "t", "--backoff-cap", "5h"}, error));
  CHECK(error == "--backoff-cap: expected a duration like 500ms, 10s or 2m, got \"5h\"");
  CHECK_FALSE(parse({"--token-file", "t", "--hollow"}, error));
  CHECK(error == "--hollow: needs a value");
  CHECK_FALSE(parse({"--token-file", "t", "stray"}, error));
  CHECK(error == "unexpected argument \"stray\"");
  CHECK_FALSE(parse({"--token-file", "t", "--backoff-base", "1m", "--backoff-cap", "10s"}, error));
  CHECK(error == "--backoff-cap must not be shorter than --backoff-base");
  CHECK_FALSE(parse({"runtime"}, error));
  CHECK(error == "runtime: expected `runtime serve unix:PATH`");
  auto help = parse({"--server", "x", "--help"}, error);
  REQUIRE(help);
  CHECK(help->mode_ == agent_options::mode::help);
  const std::string text = agent_help();
  CHECK(text.rfind("Usage: berth-agent --token-file FILE", 0) == 0);
  for (const char* flag : {"--server", "--token-file", "--labels", "--runtime", "--max-pods", "--backoff-reset",
                           "--cluster-dns", "--introspect-listen", "--no-actor-stats", "--hollow-failure-rate"}) {
    CAPTURE(flag);
    CHECK(text.find(flag) != std::string::npos);
  }
}

TEST_CASE("machine facts: MemTotal and PRETTY_NAME are read from their files' text") {
  CHECK(parse_meminfo_total("MemTotal:       24585104 kB\nMemFree:  1 kB\n") == 24585104LL * 1024);
  CHECK(parse_meminfo_total("MemFree: 1 kB\nMemTotal: 2048 kB\n") == 2048 * 1024);
  CHECK_FALSE(parse_meminfo_total("MemFree: 1 kB\n"));
  CHECK_FALSE(parse_meminfo_total("MemTotal: lots\n"));
  CHECK_FALSE(parse_meminfo_total("XMemTotal: 5 kB\n"));
  CHECK(parse_os_release_name("NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n") ==
        "Debian GNU/Linux 12 (bookworm)");
  CHECK(parse_os_release_name("PRETTY_NAME=Plain\n") == "Plain");
  CHECK(parse_os_release_name("NAME=x\n") == "");
  auto me = machine_identity();
  CHECK(me.cpu_millis >= 1000);
  CHECK(me.memory_bytes > 0);
  in_addr parsed{};
  CHECK(inet_pton(AF_INET, me.host_ip.c_str(), &parsed) == 1);  // a dotted quad (127.0.0.1 when no interface is up)
}
