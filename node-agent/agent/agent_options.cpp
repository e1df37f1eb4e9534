#include "node-agent/agent/agent_options.hpp"

#include <charconv>

#include <fmt/format.h>

namespace berth::agent {

const char* const k_agent_usage = R"(usage: berth-agent --token-file FILE [options]
       berth-agent runtime serve unix:PATH [--docker-socket PATH] [--pause-image IMAGE]
  --server HOST:PORT          berthd's RPC address (default 127.0.0.1:7420)
  --token-file FILE           the node join token (berthd's DATA/node.token)
  --node-name NAME            default: the host name
  --node-ip IP                the node's InternalIP (default: the primary IPv4 address)
  --labels k=v,k2=v2          node labels
  --runtime unix:PATH         use a runtime served on a unix socket (default: Docker in-process)
  --docker-socket PATH        default /var/run/docker.sock
  --pause-image IMAGE         the infra container's image (default berth/pause:latest)
  --max-pods N                default 110
  --heartbeat-interval D      default 10s
  --backoff-base D            CrashLoopBackOff's first delay (default 10s)
  --backoff-cap D             its largest delay (default 5m)
  --backoff-reset D           a container running this long resets its back-off (default 10m)
  --resync-interval D         look at every pod's containers at least this often (default 10s)
  --cluster-dns IP            serve cluster DNS (dnsmasq) there and point pods at it (default 10.96.0.10; none = off)
  --cluster-domain D          default cluster.local
  --service-cluster-ip-range CIDR   berthd's service range, routed locally (default 10.96.0.0/16)
  --state-dir DIR             the agent's own files, e.g. the DNS hosts file (default /var/lib/berth-agent)
  --introspect-listen HOST:PORT   serve this agent's actors to `berth console --agent HOST:PORT`
                              (login with the node token; port 0: any free port; default: off)
  --metrics-listen HOST:PORT  serve GET /metrics (Prometheus; Authorization: Bearer NODE_TOKEN)
  --no-actor-stats            keep no per-actor counters (for measuring what they cost)
  --hollow N                  N simulated nodes (scale tests only; no containers are run)
  --hollow-start-latency D    simulated container start time (default 0ms)
  --hollow-failure-rate F     share of simulated starts that fail (default 0)
durations: 500ms, 10s, 2m)";

std::optional<std::chrono::milliseconds> parse_duration_ms(const std::string& text) {
  long long n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || n < 0) return std::nullopt;
  std::string unit(end, text.data() + text.size());
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::seconds(n);
  if (unit == "m") return std::chrono::minutes(n);
  return std::nullopt;
}

namespace {

bool parse_labels(const std::string& text, std::map<std::string, std::string>& out, std::string& error) {
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0) {
      error = fmt::format("--labels: \"{}\" is not key=value", item);
      return false;
    }
    out[item.substr(0, eq)] = item.substr(eq + 1);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

}  // namespace

std::optional<agent_options> parse_agent_options(const std::vector<std::string>& args, std::string& error) {
  agent_options o;
  std::size_t i = 0;
  if (args.size() >= 2 && args[0] == "runtime") {
    if (args[1] != "serve" || args.size() < 3 || args[2].rfind("unix:", 0) != 0) {
      error = "runtime: expected `runtime serve unix:PATH`";
      return std::nullopt;
    }
    o.mode_ = agent_options::mode::serve_runtime;
    o.serve_path = args[2].substr(5);
    i = 3;
  }
  for (; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "-h" || a == "--help") {
      o.mode_ = agent_options::mode::help;
      return o;
    }
    if (a == "--no-actor-stats") {  // the one flag without a value
      o.actor_stats = false;
      continue;
    }
    if (i + 1 >= args.size()) {
      error = fmt::format("{}: {}", a, a.rfind("--", 0) == 0 ? "needs a value" : "unknown argument");
      return std::nullopt;
    }
    const auto& v = args[++i];
    auto duration = [&](std::chrono::milliseconds& out) {
      auto d = parse_duration_ms(v);
      if (!d) error = fmt::format("{}: \"{}\" is not a duration like 500ms, 10s or 2m", a, v);
      if (d) out = *d;
      return d.has_value();
    };
    auto number = [&](auto& out, long long min) {
      long long n = 0;
      auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec != std::errc{} || end != v.data() + v.size() || n < min) {
        error = fmt::format("{}: \"{}\" is not a whole number >= {}", a, v, min);
        return false;
      }
      out = static_cast<std::remove_reference_t<decltype(out)>>(n);
      return true;
    };
    bool ok = true;
    if (a == "--server") o.server = v;
    else if (a == "--token-file") o.token_file = v;
    else if (a == "--node-name") o.node_name = v;
    else if (a == "--node-ip") o.node_ip = v;
    else if (a == "--introspect-listen") o.introspect_listen = v;
    else if (a == "--metrics-listen") o.metrics_listen = v;
    else if (a == "--labels") ok = parse_labels(v, o.labels, error);
    else if (a == "--runtime") {
      ok = v.rfind("unix:", 0) == 0 && v.size() > 5;
      if (ok) o.runtime = v;
      else error = fmt::format("--runtime: \"{}\" is not unix:PATH", v);
    } else if (a == "--docker-socket") o.docker_socket = v;
    else if (a == "--cluster-dns") o.cluster_dns = v;
    else if (a == "--cluster-domain") o.cluster_domain = v;
    else if (a == "--service-cluster-ip-range") o.service_cidr = v;
    else if (a == "--state-dir") o.state_dir = v;
    else if (a == "--pause-image") o.pause_image = v;
    else if (a == "--max-pods") ok = number(o.max_pods, 1);
    else if (a == "--heartbeat-interval") ok = duration(o.heartbeat_interval);
    else if (a == "--backoff-base") ok = duration(o.backoff_base);
    else if (a == "--backoff-cap") ok = duration(o.backoff_cap);
    else if (a == "--backoff-reset") ok = duration(o.backoff_reset);
    else if (a == "--resync-interval") ok = duration(o.resync_interval);
    else if (a == "--hollow") ok = number(o.hollow, 1);
    else if (a == "--hollow-start-latency") ok = duration(o.hollow_start_latency);
    else if (a == "--hollow-failure-rate") {
      char* end = nullptr;
      o.hollow_failure_rate = std::strtod(v.c_str(), &end);
      ok = end && *end == '\0' && o.hollow_failure_rate >= 0 && o.hollow_failure_rate <= 1;
      if (!ok) error = fmt::format("--hollow-failure-rate: \"{}\" is not a number from 0 to 1", v);
    } else {
      error = fmt::format("{}: unknown argument", a);
      ok = false;
    }
    if (!ok) return std::nullopt;
  }
  if (!o.actor_stats && (!o.introspect_listen.empty() || !o.metrics_listen.empty())) {
    error = fmt::format("{} serves the actor stats that --no-actor-stats turns off: give one of them",
                        o.introspect_listen.empty() ? "--metrics-listen" : "--introspect-listen");
    return std::nullopt;
  }
  if (o.mode_ == agent_options::mode::agent && o.token_file.empty()) {
    error = "--token-file is required (berthd's DATA/node.token)";
    return std::nullopt;
  }
  if (o.backoff_cap < o.backoff_base) {
    error = "--backoff-cap must not be shorter than --backoff-base";
    return std::nullopt;
  }
  return o;
}

}  // namespace berth::agent
