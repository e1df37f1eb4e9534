// berth-agent: the node agent. Registers a node with berthd, runs the pods
// berthd binds to it on a container runtime, and reports what they do.
//
//   berth-agent --token-file DATA/node.token            Docker, in-process
//   berth-agent --token-file F --runtime unix:/run/r.sock   a runtime served elsewhere
//   berth-agent runtime serve unix:/run/r.sock          serve the Docker runtime on a socket
//   berth-agent --token-file F --hollow 1000            1,000 simulated nodes (scale tests)
//
// Threads: the main thread runs the KJ event loop (berthd connections, the
// runtime client, Docker's HTTP); CAF's workers run the node and pod actors.
// SIGTERM/SIGINT stop the agent and leave the containers running: a restarted
// agent adopts them.
#include <signal.h>

#include <caf/all.hpp>
#include <fmt/format.h>
#include <kj/async-io.h>
#include <kj/async-unix.h>

#include "actors/rpc/kj_bridge.hpp"
#include "actors/tokens.hpp"
#include "actors/introspect/instrumented.hpp"
#include "actors/introspect/prometheus.hpp"
#include "node-agent/agent/agent_options.hpp"
#include "node-agent/agent/join_credentials.hpp"
#include "node-agent/agent/introspect_listener.hpp"
#include "node-agent/agent/dns_feeder.hpp"
#include "node-agent/agent/machine.hpp"
#include "node-agent/agent/node_session.hpp"
#include "node-agent/docker/docker_runtime.hpp"
#include "node-agent/hollow/hollow_runtime.hpp"
#include "node-agent/proxy/service_proxy.hpp"
#include "node-agent/runtime/runtime_socket.hpp"
#include "actors/text/kj_describe.hpp"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.0.0-dev"
#endif

namespace {

using namespace berth;
using namespace berth::agent;

kj::Promise<void> shutdown_signal(kj::UnixEventPort& port) {
  return port.onSignal(SIGTERM).ignoreResult().exclusiveJoin(port.onSignal(SIGINT).ignoreResult());
}

session_config base_config(const agent_options& o, const std::string& token, const rpc::rpc_security& security,
                           introspect::registry* registry) {
  session_config c;
  c.registry = registry;
  c.server = o.server;
  c.security = security;
  c.token = token;
  c.agent_version = fmt::format("berth-agent {}", BERTH_VERSION);
  c.heartbeat_interval = o.heartbeat_interval;
  c.pods.backoff.base = std::chrono::nanoseconds(o.backoff_base).count();
  c.pods.backoff.cap = std::chrono::nanoseconds(o.backoff_cap).count();
  c.pods.backoff.reset_after = std::chrono::nanoseconds(o.backoff_reset).count();
  c.pods.resync_interval = o.resync_interval;
  return c;
}

schema::Runtime::Client docker_runtime_client(kj::AsyncIoContext& io, const agent_options& o) {
  docker::docker_runtime_config rc;
  rc.socket = o.docker_socket;
  rc.pause_image = o.pause_image;
  return kj::heap<docker::docker_runtime>(io.provider->getNetwork(), io.provider->getTimer(), rc);
}

int serve_runtime_main(const agent_options& o) {
  auto io = kj::setupAsyncIo();
  auto served = serve_runtime(*io.provider, o.serve_path, docker_runtime_client(io, o));
  fmt::print(stderr, "berth-agent: serving the Docker runtime on unix:{}\n", o.serve_path);
  shutdown_signal(io.unixEventPort).exclusiveJoin(kj::mv(served)).wait(io.waitScope);
  return 0;
}

int agent_main(const agent_options& o) {
  // The node token, and the CA that berthd's TLS port must prove it holds.
  join_credentials joined;
  if (auto why = resolve_join_credentials(o, joined); !why.empty())
    return fmt::print(stderr, "berth-agent: {}\n", why), 1;
  const auto& token = joined.token;
  const auto& security = joined.security;

  // A system_config carries the registry the actors report to; a plain one
  // (--no-actor-stats) leaves them uninstrumented.
  introspect::registry* registry = nullptr;
  auto cfg = introspect::make_system_config(o.actor_stats, 2, &registry);
  caf::actor_system sys{*cfg};
  auto io = kj::setupAsyncIo();
  rpc::kj_inbox inbox;
  auto inbox_loop = inbox.run().eagerlyEvaluate(nullptr);
  std::vector<std::unique_ptr<node_session>> sessions;
  auto machine = machine_identity();
  std::unique_ptr<proxy::service_proxy> service_proxy;  // real nodes only
  std::unique_ptr<dns_feeder> cluster_dns;
  kj::Own<runtime_connection> remote;  // --runtime unix:PATH: the connection outlives the sessions

  std::unique_ptr<introspect_listener> introspection;
  std::unique_ptr<metrics_listener> metrics;
  auto started_ns = introspect::unix_now_ns();
  auto metrics_text = [registry, started_ns] { return introspect::render_agent_metrics(*registry, started_ns); };
  if (!o.metrics_listen.empty()) {  // the options rule out --no-actor-stats here
    try {
      metrics = std::make_unique<metrics_listener>(io, o.metrics_listen, token, metrics_text);
    } catch (const kj::Exception& e) {
      return fmt::print(stderr, "berth-agent: cannot listen on {}: {}\n", o.metrics_listen, text::describe(e)), 2;
    }
    fmt::print(stderr, "berth-agent: metrics on http://{}/metrics\n", metrics->address());
  }
  if (!o.introspect_listen.empty()) {  // the options rule out --no-actor-stats here
    introspect::service_hooks hooks;
    hooks.role = "berth-agent";
    hooks.version = BERTH_VERSION;
    hooks.started_ns = started_ns;
    hooks.metrics_text = metrics_text;
    // Bound before any node actor exists, so that failing to bind returns
    // with nothing to stop; the sessions are listed once they exist.
    auto node_names = [&sessions] {
      std::vector<std::string> names;
      for (auto& s : sessions) names.push_back(s->name());
      return names;
    };
    hooks.node_names = node_names;
    hooks.nodes = [registry, node_names](auto c) { return agent_nodes(*registry, node_names(), c); };
    try {
      introspection = std::make_unique<introspect_listener>(io, o.introspect_listen, token, *registry, hooks);
    } catch (const kj::Exception& e) {
      return fmt::print(stderr, "berth-agent: cannot listen on {}: {}\n", o.introspect_listen, text::describe(e)), 2;
    }
    fmt::print(stderr, "berth-agent: introspection on {}\n", introspection->address());
  }

  if (o.hollow > 0) {
    for (int i = 0; i < o.hollow; ++i) {
      auto c = base_config(o, token, security, registry);
      c.quiet = true;
      c.node.name = fmt::format("{}-{:04}", o.node_name.empty() ? "hollow" : o.node_name, i);
      c.node.labels = o.labels;
      c.node.host_ip = fmt::format("127.10.{}.{}", i / 250, i % 250 + 1);
      c.node.cpu_millis = 4000;
      c.node.memory_bytes = 8LL << 30;
      c.node.max_pods = o.max_pods;
      c.node.os_image = machine.os_image;
      c.node.kernel_version = machine.kernel_version;
      hollow_runtime_config hc;
      hc.start_latency = o.hollow_start_latency;
      hc.failure_rate = o.hollow_failure_rate;
      hc.seed = static_cast<std::uint64_t>(i) + 1;
      hc.ip_prefix = fmt::format("10.{}.{}.", 128 + i / 250, i % 250);
      schema::Runtime::Client rt = kj::heap<hollow_runtime>(hc, io.provider->getTimer());
      sessions.push_back(std::make_unique<node_session>(io, inbox, sys, kj::mv(rt), std::move(c)));
    }
    fmt::print(stderr, "berth-agent: {} hollow nodes joining {}\n", o.hollow, o.server);
  } else {
    auto c = base_config(o, token, security, registry);
    c.node = machine;
    if (!o.node_name.empty()) c.node.name = o.node_name;
    if (!o.node_ip.empty()) c.node.host_ip = o.node_ip;
    c.node.labels = o.labels;
    c.node.max_pods = o.max_pods;
    // Per node: agents of several nodes may share one --state-dir, and each
    // removes the volume directories of pods it does not know.
    c.volume_root = fmt::format("{}/nodes/{}", o.state_dir, c.node.name);
    // kube-proxy's job: cluster IPs (routed to this machine) and node ports.
    proxy::proxy_config pc;
    pc.cluster_cidr = o.service_cidr;
    pc.node_addresses = {"0.0.0.0"};
    service_proxy = std::make_unique<proxy::service_proxy>(*io.provider, pc);
    if (auto why = service_proxy->prepare(); !why.empty())
      return fmt::print(stderr, "berth-agent: cannot route the service range {} locally: {}\n", o.service_cidr, why), 2;
    if (o.cluster_dns != "none") {
      dns::dns_config dc;
      dc.listen_ip = o.cluster_dns;
      dc.domain = o.cluster_domain;
      // Keyed by the address, not the node: one machine serves one cluster DNS
      // address, and a restarted agent stops the dnsmasq a killed one left behind.
      dc.state_dir = fmt::format("{}/dns-{}", o.state_dir, o.cluster_dns);
      cluster_dns = std::make_unique<dns_feeder>(dc);
      c.cluster_dns_ip = o.cluster_dns;
      c.cluster_domain = o.cluster_domain;
    }
    auto* proxy_ptr = service_proxy.get();
    auto* dns_ptr = cluster_dns.get();
    c.on_services = [proxy_ptr, dns_ptr](const std::vector<model::service>& services,
                                         const std::vector<model::endpoints>& endpoints) {
      proxy_ptr->update(services, endpoints);
      if (dns_ptr) dns_ptr->update(services, endpoints);
    };
    schema::Runtime::Client rt = nullptr;
    if (o.runtime.empty()) {
      rt = docker_runtime_client(io, o);
    } else {
      auto path = runtime_socket_path(o.runtime);
      try {
        remote = runtime_connection::connect(*io.provider, path).wait(io.waitScope);
      } catch (const kj::Exception& e) {
        return fmt::print(stderr, "berth-agent: cannot reach the runtime at {}: {}\n", o.runtime, text::describe(e)), 2;
      }
      rt = remote->runtime();
    }
    fmt::print(stderr, "berth-agent {}: node {} ({}) joining {}, runtime {}\n", BERTH_VERSION, c.node.name,
               c.node.host_ip, o.server, o.runtime.empty() ? "docker:" + o.docker_socket : o.runtime);
    sessions.push_back(std::make_unique<node_session>(io, inbox, sys, kj::mv(rt), std::move(c)));
  }
  for (auto& s : sessions) s->start();

  shutdown_signal(io.unixEventPort).wait(io.waitScope);
  fmt::print(stderr, "berth-agent: stopping (containers keep running; a restarted agent adopts them)\n");
  introspection.reset();
  metrics.reset();
  inbox.close();
  for (auto& s : sessions) s->stop_actors();
  sys.await_all_actors_done();
  sessions.clear();
  service_proxy.reset();  // closes the listeners (the local route stays: see service_proxy.hpp)
  cluster_dns.reset();    // stops dnsmasq
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken by the KJ loop; block them before any thread starts.
  kj::UnixEventPort::captureSignal(SIGTERM);
  kj::UnixEventPort::captureSignal(SIGINT);
  signal(SIGPIPE, SIG_IGN);

  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  auto o = parse_agent_options(args, error);
  if (!o) return fmt::print(stderr, "berth-agent: {}\n{}\n(berth-agent --help: every flag)\n", error, agent_usage()), 1;
  if (o->mode_ == agent_options::mode::help) return fmt::print("{}", agent_help()), 0;
  if (o->mode_ == agent_options::mode::serve_runtime) return serve_runtime_main(*o);
  return agent_main(*o);
}
