#include "actors/berthd_options.hpp"

#include <fmt/format.h>

#include <cstdio>

#include "actors/cmdline/duration.hpp"
#include "actors/cmdline/options.hpp"
#include "actors/model/quantity.hpp"

namespace berth::actors {
namespace {

constexpr const char* k_usage =
    "Usage: berthd [--data-dir DIR] [--listen HOST:PORT] [--http-listen HOST:PORT] [--api-listen HOST:PORT] "
    "[OPTIONS]";

/// A check built from one of reconcile's parsers: "expected <what>, got \"v\"".
template <class Parse>
CLI::Validator parsed_by(Parse parse, std::string what) {
  return CLI::Validator(
      [parse, what](std::string& v) -> std::string {
        if (parse(v)) return {};
        return fmt::format("expected {}, got \"{}\"", what, v);
      },
      "", what);
}

/// "30000-32767" → {30000, 32767}; both in 1..65535, low <= high.
std::optional<std::pair<int, int>> parse_port_range(const std::string& text) {
  int lo = 0, hi = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d-%d%c", &lo, &hi, &tail) != 2 || lo < 1 || hi > 65535 || lo > hi)
    return std::nullopt;
  return std::pair{lo, hi};
}

void define(CLI::App& app, berthd_options& o) {
  cmdline::configure(app);
  cmdline::set_synopsis(app, k_usage);
  app.description("berthd: the control plane (API server, scheduler and controllers in one event-sourced process)");
  app.footer("durations: 500ms, 10s, 2m");
  app.add_option("--data-dir", o.data_dir, "journal and tokens (default ./berth-data)")->type_name("DIR");
  app.add_option("--encryption-key-file", o.encryption_key_file,
                 "32-byte key that encrypts secrets in the journal (default DATA_DIR/encryption.key, created "
                 "mode 0600 on first start)")
      ->type_name("PATH");
  app.add_option("--listen", o.listen, "Cap'n Proto RPC for the CLI and agents (default 127.0.0.1:7420)")
      ->type_name("HOST:PORT");
  app.add_option("--http-listen", o.http_listen, "/healthz, /version (default 127.0.0.1:7421)")->type_name("HOST:PORT");
  app.add_option("--api-listen", o.api_listen,
                 "the Kubernetes API over HTTPS, for kubectl (default 127.0.0.1:6443; none: off)")
      ->type_name("HOST:PORT");
  app.add_flag("--insecure-rpc", o.insecure_rpc,
               "serve --listen as plain TCP instead of TLS (tests only: anyone on the path can read tokens)");
  auto duration = [&](const std::string& name, std::chrono::nanoseconds& into, const std::string& what) {
    app.add_option_function<std::string>(
           name, [&into](const std::string& v) { into = *cmdline::parse_duration(v); }, what)
        ->type_name("D")
        ->check(cmdline::duration());
  };
  duration("--heartbeat-interval", o.liveness.heartbeat_interval, "expected agent heartbeat interval (default 10s)");
  duration("--grace-period", o.liveness.grace_period, "NotReady after no heartbeat for D (default 40s)");
  duration("--eviction-timeout", o.liveness.eviction_timeout, "evict pods of a node NotReady for D (default 60s)");
  duration("--shutdown-timeout", o.shutdown_timeout,
           "after SIGTERM, exit within D even if actors are busy; the journal is closed first (default 1s)");
  app.add_option("--snapshot-every", o.snapshot_every, "snapshot the state every N events (default 10000, 0 = never)")
      ->type_name("N")
      ->check(cmdline::whole_number(0));
  app.add_option_function<std::string>(
         "--journal-min-free",
         [&o](const std::string& v) {
           o.journal_min_free_bytes = static_cast<std::uint64_t>(model::parse_quantity(v)->value());
         },
         "refuse writes (\"journal full\") while the journal's file system has less free; reads go on "
         "(default 64Mi)")
      ->type_name("SIZE")
      ->check(parsed_by(
          [](const std::string& v) {
            auto q = model::parse_quantity(v);
            return q && q->milli >= 0;
          },
          "a size like 64Mi, 1Gi or 500M"));
  app.add_option_function<std::string>(
         "--service-cluster-ip-range",
         [&o](const std::string& v) { o.addresses.cluster_ips = *reconcile::parse_ipv4_range(v); },
         "cluster IPs of services (default 10.96.0.0/16)")
      ->type_name("CIDR")
      ->check(parsed_by(reconcile::parse_ipv4_range,
                        "an IPv4 CIDR block like 10.96.0.0/16 (prefix 8 to 30, no host bits)"));
  app.add_option_function<std::string>(
         "--service-node-port-range",
         [&o](const std::string& v) {
           auto [lo, hi] = *parse_port_range(v);
           o.addresses.node_port_min = lo;
           o.addresses.node_port_max = hi;
         },
         "node ports of NodePort services (default 30000-32767)")
      ->type_name("A-B")
      ->check(parsed_by(parse_port_range, "a port range like 30000-32767"));
  app.add_option_function<std::string>(
         "--cluster-dns", [&o](const std::string& v) { o.addresses.reserved = {*reconcile::parse_ipv4(v)}; },
         "the address node agents serve cluster DNS on; never given to a service (default 10.96.0.10)")
      ->type_name("IP")
      ->check(parsed_by(reconcile::parse_ipv4, "an IPv4 address like 10.96.0.10"));
  cmdline::add_switch(app, "--salvage", o.salvage,
                      "open a corrupted journal by dropping everything from the first bad record");
  cmdline::add_switch(app, "--fast-open", o.fast_open, "check only the journal's last record on open (not every one)");
  app.add_flag_callback(
      "--no-actor-stats", [&o] { o.actor_stats = false; },
      "keep no per-actor counters (the console then lists no actors; for measuring what they "
      "cost: tools/bench/hollow)");
}

}  // namespace

berthd_parse_result parse_berthd_options(const std::vector<std::string>& args) {
  berthd_parse_result r;
  berthd_options o;
  CLI::App app{"", "berthd"};
  define(app, o);
  auto out = cmdline::parse(app, args);
  if (out.status == cmdline::outcome::kind::help) {
    r.help = true;
    r.text = out.message;
  } else if (out.status == cmdline::outcome::kind::error) {
    r.text = out.message;
  } else if (auto why = reconcile::check_config(o.liveness); !why.empty()) {
    r.text = why;
  } else {
    r.options = o;
  }
  return r;
}

std::string berthd_usage() { return fmt::format("{} (berthd --help: every flag)", k_usage); }

}  // namespace berth::actors
