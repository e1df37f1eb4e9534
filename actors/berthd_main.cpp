// berthd: the control plane (API server, scheduler and controllers in one
// event-sourced process). main() wires everything explicitly:
//
//   journal (RocksDB) ── replay ──► state ──► store actor ──► object actors, scheduler
//        ▲                                      ▲
//        └── writer (group commit) ◄── appends ─┘◄── control_plane facade ◄── RPC/HTTP (KJ thread)
//
// Shutdown runs the other way: stop the network, stop the actors, drain the
// writer, close the journal.
#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/core/store.hpp"
#include "actors/introspect/instrumented.hpp"
#include "actors/model/replay.hpp"
#include "actors/rpc/rpc_server.hpp"
#include "actors/tokens.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"

namespace {

using namespace berth;

struct options {
  std::string data_dir = "berth-data";
  std::string listen = "127.0.0.1:7420";
  std::string http_listen = "127.0.0.1:7421";
  actors::store_config store;
  bool salvage = false;
  bool fast_open = false;
  bool actor_stats = true;
};

constexpr const char* k_usage = R"(usage: berthd [options]
  --data-dir DIR            journal and tokens (default ./berth-data)
  --listen HOST:PORT        Cap'n Proto RPC for the CLI and agents (default 127.0.0.1:7420)
  --http-listen HOST:PORT   /healthz, /version (default 127.0.0.1:7421)
  --heartbeat-interval D    expected agent heartbeat interval (default 10s)
  --grace-period D          NotReady after no heartbeat for D (default 40s)
  --eviction-timeout D      evict pods of a node NotReady for D (default 60s)
  --snapshot-every N        snapshot the state every N events (default 10000, 0 = never)
  --service-cluster-ip-range CIDR   cluster IPs of services (default 10.96.0.0/16)
  --service-node-port-range A-B     node ports of NodePort services (default 30000-32767)
  --cluster-dns IP          the address node agents serve cluster DNS on; never given to a service (default 10.96.0.10)
  --salvage                 open a corrupted journal by dropping everything from the first bad record
  --fast-open               check only the journal's last record on open (not every record)
  --no-actor-stats          keep no per-actor counters (the console then lists no actors;
                            for measuring what they cost: tools/bench/hollow)
durations: 500ms, 10s, 2m)";

std::optional<std::chrono::nanoseconds> parse_duration(const std::string& s) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(s, &used);
  } catch (...) {
    return std::nullopt;
  }
  auto unit = s.substr(used);
  if (n < 0) return std::nullopt;
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  return std::nullopt;
}

/// Parses argv; on a bad argument prints why and returns nullopt.
std::optional<options> parse(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= argc) return std::nullopt;
      return std::string(argv[++i]);
    };
    auto duration = [&](std::chrono::nanoseconds& out) {
      auto v = value();
      auto d = v ? parse_duration(*v) : std::nullopt;
      if (!d) fmt::print(stderr, "berthd: {} needs a duration like 500ms, 10s or 2m\n", a);
      if (d) out = *d;
      return d.has_value();
    };
    if (a == "-h" || a == "--help") {
      fmt::print("{}\n", k_usage);
      std::exit(0);
    } else if (a == "--service-cluster-ip-range") {
      auto v = value();
      auto range = v ? reconcile::parse_ipv4_range(*v) : std::nullopt;
      if (!range)
        return fmt::print(stderr, "berthd: {} needs an IPv4 CIDR block like 10.96.0.0/16 (prefix 8 to 30, no host bits)\n", a),
               std::nullopt;
      o.store.addresses.cluster_ips = *range;
    } else if (a == "--cluster-dns") {
      auto v = value();
      auto ip = v ? reconcile::parse_ipv4(*v) : std::nullopt;
      if (!ip) return fmt::print(stderr, "berthd: {} needs an IPv4 address like 10.96.0.10\n", a), std::nullopt;
      o.store.addresses.reserved = {*ip};
    } else if (a == "--service-node-port-range") {
      auto v = value();
      int lo = 0, hi = 0;
      char tail = 0;
      if (!v || std::sscanf(v->c_str(), "%d-%d%c", &lo, &hi, &tail) != 2 || lo < 1 || hi > 65535 || lo > hi)
        return fmt::print(stderr, "berthd: {} needs a port range like 30000-32767\n", a), std::nullopt;
      o.store.addresses.node_port_min = lo;
      o.store.addresses.node_port_max = hi;
    } else if (a == "--data-dir" || a == "--listen" || a == "--http-listen" || a == "--snapshot-every") {
      auto v = value();
      if (!v) return fmt::print(stderr, "berthd: {} needs a value\n{}\n", a, k_usage), std::nullopt;
      if (a == "--data-dir") o.data_dir = *v;
      if (a == "--listen") o.listen = *v;
      if (a == "--http-listen") o.http_listen = *v;
      if (a == "--snapshot-every") o.store.snapshot_every = std::stoull(*v);
    } else if (a == "--heartbeat-interval") {
      if (!duration(o.store.liveness.heartbeat_interval)) return std::nullopt;
    } else if (a == "--grace-period") {
      if (!duration(o.store.liveness.grace_period)) return std::nullopt;
    } else if (a == "--eviction-timeout") {
      if (!duration(o.store.liveness.eviction_timeout)) return std::nullopt;
    } else if (a == "--salvage") {
      o.salvage = true;
    } else if (a == "--fast-open") {
      o.fast_open = true;
    } else if (a == "--no-actor-stats") {
      o.actor_stats = false;
    } else {
      fmt::print(stderr, "berthd: unknown argument {}\n{}\n", a, k_usage);
      return std::nullopt;
    }
  }
  if (auto why = reconcile::check_config(o.store.liveness); !why.empty()) {
    fmt::print(stderr, "berthd: {}\n", why);
    return std::nullopt;
  }
  return o;
}

void wait_for_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  fmt::print(stderr, "berthd: {} received, shutting down\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
}

int run(const options& o) {
  if (::mkdir(o.data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fmt::print(stderr, "berthd: cannot create {}: {}\n", o.data_dir, std::strerror(errno));
    return 2;
  }
  std::string error;
  auto tokens = actors::load_or_create_tokens(o.data_dir, error);
  if (!error.empty()) return fmt::print(stderr, "berthd: {}\n", error), 2;

  journal::open_options jo;
  jo.salvage = o.salvage;
  jo.verify_all_on_open = !o.fast_open;
  jo.reporter = [](std::uint64_t seq, const std::string& reason) {
    fmt::print(stderr, "berthd: journal: seq {}: {}\n", seq, reason);
  };
  auto opened = journal::journal::open(o.data_dir + "/journal", jo);
  if (!opened.ok()) return fmt::print(stderr, "berthd: cannot open the journal: {}\n", opened.err().message), 2;
  auto j = std::move(opened.value());

  auto started = std::chrono::steady_clock::now();
  auto replayed = model::replay(*j, UINT64_MAX);
  if (!replayed.ok()) return fmt::print(stderr, "berthd: replay failed: {}\n", replayed.err().message), 2;
  for (const auto& w : replayed.value().warnings) fmt::print(stderr, "berthd: replay: {}\n", w);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  fmt::print(stderr, "berthd: journal at seq {} (snapshot {} + {} events folded in {} ms)\n",
             replayed.value().state.seq, replayed.value().snapshot_seq, replayed.value().events_folded, ms);

  auto w = std::make_unique<journal::writer>(*j);
  {
    // A system_config carries the introspection registry every actor reports
    // to; a plain one (--no-actor-stats) leaves the actors uninstrumented.
    introspect::registry* registry = nullptr;
    auto cfg = introspect::make_system_config(o.actor_stats, 2, &registry);
    caf::actor_system sys{*cfg};
    auto store = actors::spawn_store(sys, std::move(replayed.value().state), *j, *w, o.store);
    auto tail = actors::connect_tail(*w, store);
    auto cp = actors::make_control_plane(store, *j);
    {
      rpc::server_config sc;
      sc.rpc_listen = o.listen;
      sc.http_listen = o.http_listen;
      sc.admin_token = tokens.admin;
      sc.node_token = tokens.node;
      sc.version = BERTH_VERSION;
      sc.journal = j.get();
      sc.registry = registry;
      sc.started_ns = introspect::unix_now_ns();
      sc.writer = w.get();
      rpc::rpc_server server(*cp, sc);
      if (auto why = server.start(); !why.empty()) {
        fmt::print(stderr, "berthd: {}\n", why);
        caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
        w->unsubscribe(tail);
        return 2;
      }
      fmt::print(stderr, "berthd {}: RPC on {}, HTTP on {}, data in {}\n", BERTH_VERSION, server.rpc_address(),
                 server.http_address(), o.data_dir);
      wait_for_signal();
    }  // network stopped: no more calls into the facade
    w->unsubscribe(tail);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    sys.await_all_actors_done();
  }
  w.reset();  // drains what the actors appended last
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken by sigwait() in main; block them before any thread starts.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto o = parse(argc, argv);
  if (!o) return 1;
  return run(*o);
}
