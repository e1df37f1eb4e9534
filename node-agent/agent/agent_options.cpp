#include "node-agent/agent/agent_options.hpp"

#include <fmt/format.h>

#include "actors/cmdline/duration.hpp"
#include "actors/cmdline/options.hpp"

namespace berth::agent {
namespace {

constexpr const char* k_usage = R"(Usage: berth-agent --token-file FILE [OPTIONS]
       berth-agent runtime serve unix:PATH [--docker-socket PATH] [--pause-image IMAGE])";

/// "k=v,k2=v2" → the labels; nullopt (and the bad item) when one is not key=value.
std::optional<std::map<std::string, std::string>> parse_labels(const std::string& text, std::string* bad = nullptr) {
  std::map<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      if (bad != nullptr) *bad = item;
      return std::nullopt;
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

CLI::Validator labels_check() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        std::string bad;
        if (parse_labels(v, &bad)) return {};
        return fmt::format("expected key=value pairs like zone=a,disk=ssd, got \"{}\"", bad);
      },
      "", "labels");
}

CLI::Validator unix_path() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (v.rfind("unix:", 0) == 0 && v.size() > 5) return {};
        return fmt::format("expected unix:PATH, got \"{}\"", v);
      },
      "", "unix:PATH");
}

/// berth-agent's flags as a CLI11 app bound to `o`. `runtime serve
/// unix:PATH` is a subcommand pair; the flags stay on the app (CLI11's
/// fallthrough), because both modes read --docker-socket and --pause-image.
struct agent_app {
  CLI::App app{"", "berth-agent"};
  CLI::App* runtime = nullptr;
  CLI::App* serve = nullptr;
  std::string serve_address;

  explicit agent_app(agent_options& o) {
    cmdline::configure(app);
    cmdline::set_synopsis(app, k_usage);
    app.description(
        "berth-agent: the node agent (kubelet and service proxy) of one node, or of --hollow N "
        "simulated ones");
    app.footer("durations: 500ms, 10s, 2m");
    app.fallthrough();
    runtime = app.add_subcommand("runtime", "serve the container runtime on a unix socket");
    serve = runtime->add_subcommand("serve", "serve the Docker runtime at unix:PATH");
    serve->add_option("address", serve_address, "where to listen")->type_name("unix:PATH");
    auto text = [&](const std::string& name, std::string& into, const std::string& what, const std::string& type) {
      return app.add_option(name, into, what)->type_name(type);
    };
    auto duration = [&](const std::string& name, std::chrono::milliseconds& into, const std::string& what) {
      app.add_option_function<std::string>(
             name, [&into](const std::string& v) { into = *cmdline::parse_duration(v); }, what)
          ->type_name("D")
          ->check(cmdline::duration());
    };
    text("--server", o.server, "berthd's RPC address (default 127.0.0.1:7420)", "HOST:PORT");
    text("--token-file", o.token_file, "the node join token (berthd's DATA/node.token); required", "FILE");
    text("--join-token", o.join_token,
         "berthd's DATA/join-token: the node token and the CA's hash, so nothing else need be copied", "TOKEN");
    text("--ca-file", o.ca_file, "the cluster CA to verify berthd with (default: ca.crt beside --token-file)",
         "FILE");
    app.add_flag("--insecure-rpc", o.insecure_rpc,
                 "plain TCP, for a berthd started with --insecure-rpc (tests only)");
    text("--node-name", o.node_name, "default: the host name", "NAME");
    text("--node-ip", o.node_ip, "the node's InternalIP (default: the primary IPv4 address)", "IP");
    app.add_option_function<std::string>(
           "--labels", [&o](const std::string& v) { o.labels = *parse_labels(v); }, "node labels")
        ->type_name("k=v,k2=v2")
        ->check(labels_check());
    text("--runtime", o.runtime, "use a runtime served on a unix socket (default: Docker in-process)", "unix:PATH")
        ->check(unix_path());
    text("--docker-socket", o.docker_socket, "default /var/run/docker.sock", "PATH");
    text("--pause-image", o.pause_image, "the infra container's image (default berth/pause:latest)", "IMAGE");
    app.add_option("--max-pods", o.max_pods, "default 110")->type_name("N")->check(cmdline::whole_number(1));
    duration("--heartbeat-interval", o.heartbeat_interval,
             "override the interval berthd gives at join (refused above a third of berthd's grace period)");
    duration("--backoff-base", o.backoff_base, "CrashLoopBackOff's first delay (default 10s)");
    duration("--backoff-cap", o.backoff_cap, "its largest delay (default 5m)");
    duration("--backoff-reset", o.backoff_reset, "a container running this long resets its back-off (default 10m)");
    duration("--resync-interval", o.resync_interval,
             "look at every pod's containers at least this often (default 10s)");
    text("--cluster-dns", o.cluster_dns,
         "serve cluster DNS (dnsmasq) there and point pods at it (default 10.96.0.10; "
         "none = off)",
         "IP");
    text("--cluster-domain", o.cluster_domain, "default cluster.local", "D");
    text("--service-cluster-ip-range", o.service_cidr, "berthd's service range, routed locally (default 10.96.0.0/16)",
         "CIDR");
    text("--state-dir", o.state_dir, "the agent's own files, e.g. the DNS hosts file (default /var/lib/berth-agent)",
         "DIR");
    text("--introspect-listen", o.introspect_listen,
         "serve this agent's actors to `berth console --agent HOST:PORT` "
         "(login with the node token; port 0: any free port; default: off)",
         "HOST:PORT");
    text("--metrics-listen", o.metrics_listen, "serve GET /metrics (Prometheus; Authorization: Bearer NODE_TOKEN)",
         "HOST:PORT");
    app.add_flag_callback(
        "--no-actor-stats", [&o] { o.actor_stats = false; },
        "keep no per-actor counters (for measuring what they cost)");
    app.add_option("--hollow", o.hollow, "N simulated nodes (scale tests only; no containers are run)")
        ->type_name("N")
        ->check(cmdline::whole_number(1, std::numeric_limits<int>::max()));
    duration("--hollow-start-latency", o.hollow_start_latency, "simulated container start time (default 0ms)");
    app.add_option("--hollow-failure-rate", o.hollow_failure_rate, "share of simulated starts that fail (default 0)")
        ->type_name("F")
        ->check(cmdline::number_between(0, 1));
  }
};

/// Why the options make no sense together, or "".
std::string check(const agent_options& o) {
  if (!o.actor_stats && (!o.introspect_listen.empty() || !o.metrics_listen.empty()))
    return fmt::format("{} serves the actor stats that --no-actor-stats turns off: give one of them",
                       o.introspect_listen.empty() ? "--metrics-listen" : "--introspect-listen");
  if (o.mode_ == agent_options::mode::agent && o.token_file.empty() && o.join_token.empty())
    return "--token-file is required (berthd's DATA/node.token), or --join-token (berthd's DATA/join-token)";
  if (!o.token_file.empty() && !o.join_token.empty()) return "give --token-file or --join-token, not both";
  if (o.backoff_cap < o.backoff_base) return "--backoff-cap must not be shorter than --backoff-base";
  return "";
}

}  // namespace

std::string ca_file_of(const agent_options& o) {
  if (!o.ca_file.empty()) return o.ca_file;
  auto slash = o.token_file.rfind('/');
  if (slash == std::string::npos) return "ca.crt";
  return o.token_file.substr(0, slash + 1) + "ca.crt";
}

std::string agent_usage() { return k_usage; }

std::string agent_help() {
  agent_options o;
  agent_app a(o);
  return a.app.help();
}

std::optional<agent_options> parse_agent_options(const std::vector<std::string>& args, std::string& error) {
  agent_options o;
  agent_app a(o);
  auto out = cmdline::parse(a.app, args);
  if (out.status == cmdline::outcome::kind::help) {
    o.mode_ = agent_options::mode::help;
    return o;
  }
  if (out.status == cmdline::outcome::kind::error) {
    error = out.message;
    return std::nullopt;
  }
  if (a.runtime->parsed()) {
    if (!a.serve->parsed() || a.serve_address.size() <= 5 || a.serve_address.rfind("unix:", 0) != 0) {
      error = "runtime: expected `runtime serve unix:PATH`";
      return std::nullopt;
    }
    o.mode_ = agent_options::mode::serve_runtime;
    o.serve_path = a.serve_address.substr(5);
  }
  error = check(o);
  if (!error.empty()) return std::nullopt;
  return o;
}

}  // namespace berth::agent
