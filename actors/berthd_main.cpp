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
#include <vector>
#include <string>

#include <caf/all.hpp>
#include <fmt/format.h>

#include "actors/berthd_options.hpp"
#include "actors/core/store.hpp"
#include "actors/introspect/instrumented.hpp"
#include "actors/model/replay.hpp"
#include "actors/pki/join.hpp"
#include "actors/pki/pki.hpp"
#include "actors/rpc/rpc_server.hpp"
#include "actors/serving_addresses.hpp"
#include "actors/shutdown_watchdog.hpp"
#include "actors/tokens.hpp"
#include "actors/secrets/sealed.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"

namespace {

using namespace berth;

using options = actors::berthd_options;

/// The store's part of the options.
actors::store_config store_config_of(const options& o) {
  actors::store_config c;
  c.liveness = o.liveness;
  c.snapshot_every = o.snapshot_every;
  c.addresses = o.addresses;
  return c;
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

/// The host part of HOST:PORT ("[::1]:6443" -> "::1").
int run(const options& o) {
  if (::mkdir(o.data_dir.c_str(), 0700) != 0 && errno != EEXIST) {
    fmt::print(stderr, "berthd: cannot create {}: {}\n", o.data_dir, std::strerror(errno));
    return 2;
  }
  std::string error;
  auto tokens = actors::load_or_create_tokens(o.data_dir, error);
  if (!error.empty()) return fmt::print(stderr, "berthd: {}\n", error), 2;

  // Secrets are sealed with this key before they reach the journal.
  const auto key_path = o.encryption_key_file.empty() ? o.data_dir + "/encryption.key" : o.encryption_key_file;
  auto key = secrets::load_or_create_key_file(key_path);
  if (!key.k) return fmt::print(stderr, "berthd: {}\n", key.error), 2;
  if (key.created) fmt::print(stderr, "berthd: created encryption key {} (id {})\n", key_path, key.k->id);
  secrets::install_keyring(std::make_shared<const secrets::keyring>(std::move(*key.k)));

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

  // The cluster CA and the serving certificate (docs/pki.md), before any
  // listener: the API's and the RPC listener's TLS need them.
  std::optional<pki::cluster_pki> certs;
  if (o.api_listen != "none" || !o.insecure_rpc) {
    auto ips = actors::certificate_ips({o.listen, o.api_listen}, actors::local_interface_ips());
    auto made = pki::ensure_cluster_pki(o.data_dir, ips, {});
    if (!made.ok()) return fmt::print(stderr, "berthd: {}\n", made.error()), 2;
    certs = made.value();
    if (!certs->server_reason.empty())
      fmt::print(stderr, "berthd: issued {} ({})\n", certs->server_cert_path, certs->server_reason);
  }

  journal::writer_options wo;
  wo.min_free_bytes = o.journal_min_free_bytes;
  auto w = std::make_unique<journal::writer>(*j, wo);
  // Armed by the signal: berthd is gone within --shutdown-timeout whatever
  // its actors are busy with (shutdown_watchdog.hpp).
  std::optional<actors::shutdown_watchdog> watchdog;
  {
    // A system_config carries the introspection registry every actor reports
    // to; a plain one (--no-actor-stats) leaves the actors uninstrumented.
    introspect::registry* registry = nullptr;
    auto cfg = introspect::make_system_config(o.actor_stats, 2, &registry);
    caf::actor_system sys{*cfg};
    auto store = actors::spawn_store(sys, std::move(replayed.value().state), *j, *w, store_config_of(o));
    auto tail = actors::connect_tail(*w, store);
    auto cp = actors::make_control_plane(store, *j);
    {
      rpc::server_config sc;
      sc.rpc_listen = o.listen;
      sc.insecure_rpc = o.insecure_rpc;
      sc.http_listen = o.http_listen;
      if (certs) {
        if (o.api_listen != "none") sc.api_listen = o.api_listen;
        // The chain ends with the CA, so that an agent holding only a join
        // token can find the CA whose key hash the token pins (pki/join.hpp).
        sc.tls_cert_pem = certs->server_cert_pem + certs->ca_cert_pem;
        sc.tls_key_pem = certs->server_key_pem;
      }
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
      if (certs && !o.insecure_rpc) {
        // An agent's way in from another machine: one string that names the
        // node token and pins the CA (berth-agent --join-token).
        auto token = pki::make_join_token(certs->ca_cert_pem, tokens.node);
        auto path = o.data_dir + "/join-token";
        if (!token.ok()) {
          fmt::print(stderr, "berthd: cannot make the join token: {}\n", token.error());
        } else if (auto why = pki::write_join_token(path, token.value())) {
          fmt::print(stderr, "berthd: cannot write {}: {}\n", path, *why);
        }
      }
      if (!sc.api_listen.empty()) {
        // kubectl's way in: KUBECONFIG=DATA_DIR/kubeconfig (as k3s writes one).
        auto url = "https://" + actors::client_address(server.api_address());
        auto path = o.data_dir + "/kubeconfig";
        if (auto why = pki::write_kubeconfig(path, pki::kubeconfig_text(url, certs->ca_cert_pem, tokens.admin)))
          fmt::print(stderr, "berthd: cannot write {}: {}\n", path, *why);
      }
      fmt::print(stderr, "berthd {}: RPC on {}, HTTP on {}, API on {}, data in {}\n", BERTH_VERSION,
                 server.rpc_address(), server.http_address(),
                 sc.api_listen.empty() ? std::string("(off)") : "https://" + server.api_address(), o.data_dir);
      wait_for_signal();
      watchdog.emplace(o.shutdown_timeout, [&w](const char*) { w->close(); });
    }  // network stopped: no more calls into the facade
    w->unsubscribe(tail);
    caf::anon_send_exit(store, caf::exit_reason::user_shutdown);
    sys.await_all_actors_done();
  }
  if (watchdog) watchdog->finish();
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

  auto parsed = actors::parse_berthd_options(std::vector<std::string>(argv + 1, argv + argc));
  if (parsed.help) return fmt::print("{}", parsed.text), 0;
  if (!parsed.options) return fmt::print(stderr, "berthd: {}\n{}\n", parsed.text, actors::berthd_usage()), 1;
  return run(*parsed.options);
}
