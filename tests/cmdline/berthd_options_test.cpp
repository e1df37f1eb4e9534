// berthd's command line (actors/berthd_options.hpp): defaults, every flag,
// and errors that name the flag.
#include <doctest/doctest.h>

#include "actors/berthd_options.hpp"

using namespace berth::actors;
using namespace std::chrono_literals;

namespace {

berthd_options ok(std::vector<std::string> args) {
  auto r = parse_berthd_options(args);
  REQUIRE_MESSAGE(r.options.has_value(), r.text);
  return *r.options;
}

std::string error_of(std::vector<std::string> args) {
  auto r = parse_berthd_options(args);
  CHECK_FALSE(r.options.has_value());
  CHECK_FALSE(r.help);
  return r.text;
}

}  // namespace

TEST_CASE("berthd options: defaults") {
  auto o = ok({});
  CHECK(o.data_dir == "berth-data");
  CHECK(o.listen == "127.0.0.1:7420");
  CHECK(o.http_listen == "127.0.0.1:7421");
  CHECK(o.liveness.heartbeat_interval == 10s);
  CHECK(o.liveness.grace_period == 40s);
  CHECK(o.liveness.eviction_timeout == 60s);
  CHECK(o.snapshot_every == 10'000);
  CHECK(o.shutdown_timeout == 1s);
  CHECK(o.journal_min_free_bytes == 64u << 20);
  CHECK(o.addresses.cluster_ips.text == "10.96.0.0/16");
  CHECK(o.addresses.node_port_min == 30000);
  CHECK(o.addresses.node_port_max == 32767);
  CHECK_FALSE(o.salvage);
  CHECK_FALSE(o.fast_open);
  CHECK(o.actor_stats);
}

TEST_CASE("berthd options: every flag") {
  auto o = ok({"--data-dir",
               "/d",
               "--listen",
               "0.0.0.0:1",
               "--http-listen=0.0.0.0:2",
               "--heartbeat-interval",
               "500ms",
               "--grace-period",
               "2s",
               "--eviction-timeout",
               "1m",
               "--snapshot-every",
               "0",
               "--shutdown-timeout",
               "250ms",
               "--journal-min-free",
               "1Gi",
               "--service-cluster-ip-range",
               "10.100.0.0/24",
               "--service-node-port-range",
               "31000-31010",
               "--cluster-dns",
               "10.100.0.53",
               "--salvage",
               "--fast-open",
               "--no-actor-stats"});
  CHECK(o.data_dir == "/d");
  CHECK(o.listen == "0.0.0.0:1");
  CHECK(o.http_listen == "0.0.0.0:2");
  CHECK(o.liveness.heartbeat_interval == 500ms);
  CHECK(o.liveness.grace_period == 2s);
  CHECK(o.liveness.eviction_timeout == 1min);
  CHECK(o.snapshot_every == 0);
  CHECK(o.shutdown_timeout == 250ms);
  CHECK(o.journal_min_free_bytes == 1ull << 30);
  CHECK(o.addresses.cluster_ips.text == "10.100.0.0/24");
  CHECK(o.addresses.node_port_min == 31000);
  CHECK(o.addresses.node_port_max == 31010);
  CHECK(o.addresses.reserved == std::set<std::uint32_t>{*berth::reconcile::parse_ipv4("10.100.0.53")});
  CHECK(o.salvage);
  CHECK(o.fast_open);
  CHECK_FALSE(o.actor_stats);
}

TEST_CASE("berthd options: errors name the flag and what it expected") {
  // Was an uncaught std::invalid_argument from std::stoull.
  CHECK(error_of({"--snapshot-every", "abc"}) == "--snapshot-every: expected a whole number >= 0, got \"abc\"");
  CHECK(error_of({"--snapshot-every", "-1"}) == "--snapshot-every: expected a whole number >= 0, got \"-1\"");
  CHECK(error_of({"--heartbeat-interval", "10"}) ==
        "--heartbeat-interval: expected a duration like 500ms, 10s or 2m, got \"10\"");
  CHECK(error_of({"--service-cluster-ip-range", "10.96.0.1/16"}) ==
        "--service-cluster-ip-range: expected an IPv4 CIDR block like 10.96.0.0/16 (prefix 8 to 30, no host "
        "bits), got \"10.96.0.1/16\"");
  CHECK(error_of({"--service-node-port-range", "32767-30000"}) ==
        "--service-node-port-range: expected a port range like 30000-32767, got \"32767-30000\"");
  CHECK(error_of({"--cluster-dns", "dns"}) == "--cluster-dns: expected an IPv4 address like 10.96.0.10, got \"dns\"");
  CHECK(error_of({"--journal-min-free", "lots"}) ==
        "--journal-min-free: expected a size like 64Mi, 1Gi or 500M, got \"lots\"");
  CHECK(error_of({"--data-dir"}) == "--data-dir: needs a value");
  CHECK(error_of({"--frobnicate"}) == "unknown flag: --frobnicate");
  CHECK(error_of({"data"}) == "unexpected argument \"data\"");
  CHECK(error_of({"--salvage=perhaps"}) == "--salvage: expected one of true, false, got \"perhaps\"");
  // The liveness timings must make sense together (reconcile::check_config).
  CHECK_FALSE(error_of({"--grace-period", "1s"}).empty());
}

TEST_CASE("berthd --help lists every flag with its default") {
  auto r = parse_berthd_options({"--help"});
  CHECK(r.help);
  CHECK(r.text.rfind("Usage: berthd", 0) == 0);
  for (const char* flag :
       {"--data-dir", "--listen", "--http-listen", "--heartbeat-interval", "--grace-period", "--eviction-timeout",
        "--shutdown-timeout", "--journal-min-free", "--snapshot-every", "--service-cluster-ip-range", "--service-node-port-range", "--cluster-dns", "--salvage",
        "--fast-open", "--no-actor-stats"}) {
    CAPTURE(flag);
    CHECK(r.text.find(flag) != std::string::npos);
  }
  CHECK(r.text.find("default 10000, 0 = never") != std::string::npos);
}
