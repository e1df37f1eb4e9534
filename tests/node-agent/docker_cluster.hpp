#pragma once
// The end-to-end fixture of the node-agent tests: a real berthd (short liveness
// timings), real berth-agent processes on the local Docker, the real `berth`
// CLI. Each cluster uses its own node names and removes every container
// labelled with them at the end (also when a test fails).
#include <doctest/doctest.h>

#include <fmt/format.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/cli/run_process.hpp"
#include "tests/cli/temp_files.hpp"
#include "tests/cli/text_lines.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::testing {

inline std::string env_path(const char* name) {
  const char* v = std::getenv(name);
  REQUIRE_MESSAGE(v != nullptr, name << " is not set (meson passes the binaries' paths)");
  return v;
}

/// The path of a file of the Kubernetes v1.0 examples (examples/kubernetes-v1.0.0),
/// passed to `berth create -f` as the example's README passes it to kubectl.
inline std::string example_path(const std::string& relative) {
  std::string path = env_path("BERTH_EXAMPLES") + "/kubernetes-v1.0.0/" + relative;
  REQUIRE_MESSAGE(std::filesystem::exists(path), path << " is missing");
  return path;
}

inline process_result docker(const std::vector<std::string>& args) { return run_process("/usr/bin/docker", args); }

/// The status of a pod's first container (`berth get pod -o json`), or null.
inline YAML::Node first_container_status(const YAML::Node& pod) {
  auto cs = pod ? pod["status"]["containerStatuses"] : YAML::Node();
  return cs && cs.IsSequence() && cs.size() > 0 ? cs[0] : YAML::Node();
}

inline int next_cluster = 0;

/// berthd (short liveness timings) + berth-agent processes on the local Docker.
struct docker_cluster {
  temp_dir home{"berth-agent-e2e"};
  data_dir_cleanup data{"berth-agent-data"};
  berthd_process berthd;
  std::string prefix = fmt::format("e2e{}-{}", ::getpid(), next_cluster++);
  std::map<std::string, std::unique_ptr<background_process>> agents;
  std::set<std::string> nodes;
  /// The agents' --heartbeat-interval override ("": none, berthd's contract applies).
  std::string agent_heartbeat = "200ms";
  /// The agents' CrashLoopBackOff base and cap (short, so tests see several delays).
  std::string backoff_base = "1s";
  std::string backoff_cap = "4s";

  explicit docker_cluster(std::vector<std::string> berthd_flags = {"--heartbeat-interval", "200ms", "--grace-period",
                                                                   "1s", "--eviction-timeout", "2s"})
      : berthd(data.path, std::move(berthd_flags)) {
    berthd.start();
  }

  ~docker_cluster() {
    for (auto& [name, a] : agents)
      if (a) MESSAGE("agent ", name, " log:\n", a->err());
    for (auto& [name, a] : agents)
      if (a) a->stop();  // SIGTERM: the agent stops its dnsmasq and proxy listeners
    agents.clear();
    for (const auto& n : nodes) {
      auto ids = nonempty_lines_of(docker({"ps", "-aq", "--filter", "label=io.berth.node=" + n}).out);
      if (ids.empty()) continue;
      std::vector<std::string> rm{"rm", "-f"};
      rm.insert(rm.end(), ids.begin(), ids.end());
      docker(rm);
    }
  }

  std::string node(const std::string& suffix) const { return prefix + "-" + suffix; }

  /// Starts an agent for node `suffix` and waits until berthd shows it Ready.
  void start_agent(const std::string& suffix, std::vector<std::string> extra = {}) {
    auto name = node(suffix);
    nodes.insert(name);
    std::vector<std::string> args{"--server",          berthd.rpc_address(),
                                  "--token-file",      berthd.data_dir() + "/node.token",
                                  "--node-name",       name,
                                  "--resync-interval", "1s",
                                  "--backoff-base",    backoff_base,
                                  "--backoff-cap",     backoff_cap,
                                  "--state-dir",       "/var/lib/berth-agent-test"};
    if (!agent_heartbeat.empty()) {
      args.push_back("--heartbeat-interval");
      args.push_back(agent_heartbeat);
    }
    // Cluster DNS binds one address per machine: only tests that need it ask for it.
    if (std::find(extra.begin(), extra.end(), "--cluster-dns") == extra.end()) {
      args.push_back("--cluster-dns");
      args.push_back("none");
    }
    args.insert(args.end(), extra.begin(), extra.end());
    agents[suffix] = std::make_unique<background_process>(env_path("BERTH_AGENT"), args);
    REQUIRE_MESSAGE(eventually([&] { return node_status(name) == "Ready"; }, 30), agents[suffix]->err());
  }

  /// SIGKILL, like a crash.
  void kill_agent(const std::string& suffix) { agents.erase(suffix); }

  std::string node_status(const std::string& name) {
    for (const auto& line : nonempty_lines_of(berth({"get", "nodes"}).out)) {
      auto w = words_of(line);
      if (w.size() >= 2 && w[0] == name) return w[1];
    }
    return "";
  }

  process_result berth(const std::vector<std::string>& args, const std::string& stdin_text = "") {
    std::map<std::string, std::string> env{
        {"BERTH_SERVER", berthd.rpc_address()}, {"BERTH_TOKEN", berthd.admin_token()}, {"BERTH_CA", berthd.ca_file()}, {"HOME", home.path()}};
    return run_process(env_path("BERTH"), args, env, stdin_text);
  }

  void create(const std::string& manifest) {
    auto r = berth({"create", "-f", "-"}, manifest);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }

  /// The pod as `berth get pod NAME -o json` prints it (YAML parses JSON).
  YAML::Node pod(const std::string& name) {
    auto r = berth({"get", "pod", name, "-o", "json"});
    if (r.exit_code != 0) return {};
    return YAML::Load(r.out);
  }

  std::string phase(const std::string& name) {
    auto p = pod(name);
    return p && p["status"]["phase"] ? p["status"]["phase"].as<std::string>() : "";
  }

  /// The pod's IP once it is Running with its first container ready ("" before).
  std::string ready_pod_ip(const std::string& name) {
    auto p = pod(name);
    auto c = first_container_status(p);
    if (!p || !p["status"]["phase"] || p["status"]["phase"].as<std::string>() != "Running" || !c || !c["ready"] ||
        !c["ready"].as<bool>() || !p["status"]["podIP"])
      return "";
    return p["status"]["podIP"].as<std::string>();
  }

  /// The node's running containers of a pod (full ids), sandbox included.
  std::vector<std::string> running_ids(const std::string& pod_name) {
    auto ids = nonempty_lines_of(docker({"ps", "-q", "--no-trunc", "--filter", "label=io.berth.pod.name=" + pod_name,
                                         "--filter", "label=io.berth.node"})
                                     .out);
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  /// The running app containers of a pod (not its infra container).
  std::vector<std::string> app_ids(const std::string& pod_name) {
    std::vector<std::string> out;
    auto rows = nonempty_lines_of(docker({"ps", "--no-trunc", "--filter", "label=io.berth.pod.name=" + pod_name,
                                          "--format", "{{.ID}} {{.Label \"io.berth.container.name\"}}"})
                                      .out);
    for (const auto& row : rows) {
      auto w = words_of(row);
      if (w.size() == 2 && w[1] != "POD") out.push_back(w[0]);
    }
    return out;
  }

  std::vector<std::string> pod_names(const std::string& selector) {
    std::vector<std::string> out;
    auto lines = nonempty_lines_of(berth({"get", "pods", "-l", selector}).out);
    for (std::size_t i = 1; i < lines.size(); ++i) out.push_back(words_of(lines[i])[0]);
    return out;
  }
};

/// A file of examples/kubernetes-v1.0.0 (BERTH_EXAMPLES), as its README has users create it.
inline std::string example_manifest(const std::string& relative) {
  std::ifstream in(example_path(relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// GET through curl (5 s at most); "" when the request failed.
inline std::string curl_get(const std::string& url) {
  auto r = run_process("/usr/bin/curl", {"-sS", "--max-time", "5", url});
  return r.exit_code == 0 ? r.out : "";
}

}  // namespace berth::testing
