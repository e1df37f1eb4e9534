// `berth console` end to end: the real berth binary against a real berthd and
// a real `berth-agent --hollow 3` (in-memory runtime, no Docker) with its
// introspection listener — what an operator types and sees.
#include <doctest/doctest.h>

#include <capnp/compat/json.h>
#include <capnp/message.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#include "tests/cli/run_process.hpp"
#include "tests/cli/temp_files.hpp"
#include "tests/cli/text_lines.hpp"
#include "tests/integration/berthd_process.hpp"

using namespace berth;
using testing::eventually;
using testing::lines_of;
using testing::process_result;
using testing::words_of;

namespace {

const char* k_frontend = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: frontend
spec:
  replicas: 4
  selector:
    app: frontend
  template:
    metadata:
      labels:
        app: frontend
    spec:
      containers:
      - name: web
        image: busybox
)";

std::string exe(const char* variable) {
  const char* path = std::getenv(variable);
  REQUIRE_MESSAGE(path != nullptr, variable << " is not set (meson passes the binaries' paths)");
  return path;
}

/// The text after `marker` up to the end of its line, once `text` has it.
std::string after(const std::string& text, const std::string& marker) {
  auto at = text.find(marker);
  if (at == std::string::npos) return {};
  auto end = text.find('\n', at);
  return end == std::string::npos ? std::string() : text.substr(at + marker.size(), end - at - marker.size());
}

/// How many elements the JSON list `field` of the top-level object has (-1: not JSON, or no such list).
int json_list_size(const std::string& json, const char* field) {
  capnp::MallocMessageBuilder message;
  auto root = message.initRoot<capnp::JsonValue>();
  capnp::JsonCodec codec;
  try {
    codec.decodeRaw(kj::ArrayPtr<const char>(json.data(), json.size()), root);
  } catch (const kj::Exception&) {
    return -1;
  }
  if (!root.isObject()) return -1;
  for (auto f : root.getObject())
    if (f.getName() == field && f.getValue().isArray()) return static_cast<int>(f.getValue().getArray().size());
  return -1;
}

/// The first words of the rows of a table (header excluded).
std::vector<std::string> first_column(const std::string& table) {
  std::vector<std::string> out;
  auto lines = lines_of(table);
  for (std::size_t i = 1; i < lines.size(); ++i)
    if (auto w = words_of(lines[i]); !w.empty()) out.push_back(w[0]);
  return out;
}

bool all_start_with(const std::vector<std::string>& names, const std::string& prefix) {
  return std::all_of(names.begin(), names.end(), [&](const auto& n) { return n.rfind(prefix, 0) == 0; });
}

/// berthd, a hollow agent of three nodes with its introspection listener, and
/// a scratch HOME (no real ~/.berth/config, and the console's history there).
struct cluster {
  testing::temp_dir home{"berth-console-home"};
  testing::data_dir_cleanup data{"berth-console"};
  testing::berthd_process berthd{data.path};
  std::unique_ptr<testing::background_process> agent;
  std::string agent_address;

  cluster() {
    berthd.start();
    agent = std::make_unique<testing::background_process>(
        exe("BERTH_AGENT"),
        std::vector<std::string>{"--hollow", "3", "--token-file", node_token_file(), "--server", berthd.rpc_address(),
                                 "--introspect-listen", "127.0.0.1:0", "--heartbeat-interval", "1s", "--cluster-dns",
                                 "none", "--state-dir", home.path() + "/agent"});
    REQUIRE_MESSAGE(eventually([&] { return !after(agent->err(), "introspection on ").empty(); }),
                    "the agent did not print its introspection address: " << agent->err());
    agent_address = after(agent->err(), "introspection on ");
    REQUIRE(eventually([&] {
      auto nodes = berth({"get", "nodes"});
      return std::count(nodes.out.begin(), nodes.out.end(), '\n') == 4 &&
             nodes.out.find("NotReady") == std::string::npos;
    }));
  }

  std::string node_token_file() const { return data.path + "/node.token"; }

  process_result berth(const std::vector<std::string>& args, std::map<std::string, std::string> env = {}) {
    env.emplace("BERTH_SERVER", berthd.rpc_address());
    env.emplace("BERTH_TOKEN", berthd.admin_token());
    env.emplace("BERTH_CA", berthd.ca_file());
    env.emplace("HOME", home.path());
    return testing::run_process(exe("BERTH"), args, env);
  }

  /// `berth console -c COMMAND [more flags]`.
  process_result console(const std::string& command, std::vector<std::string> more = {},
                         std::map<std::string, std::string> env = {}) {
    std::vector<std::string> args{"console", "-c", command};
    args.insert(args.end(), more.begin(), more.end());
    return berth(args, std::move(env));
  }

  /// The RC of 4 created and its pods Running.
  void create_frontend() {
    auto created = berth({"create", "-f", home.write("frontend.yaml", k_frontend)});
    REQUIRE(created.exit_code == 0);
    REQUIRE(eventually([&] { return running_pods() == 4; }));
  }

  std::size_t running_pods() {
    auto lines = lines_of(berth({"get", "pods", "-l", "app=frontend"}).out);
    return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
      auto w = words_of(l);
      return w.size() == 5 && w[2] == "Running";
    }));
  }
};

}  // namespace

TEST_CASE("console -c against berthd: actors, -o json, inspect, tree and nodes of an RC of 4 on 3 hollow nodes") {
  cluster k;
  k.create_frontend();
  // The pod actors follow the store's folds: wait until all four are listed.
  process_result pods;
  REQUIRE(eventually([&] {
    pods = k.console("actors kind=pod");
    return first_column(pods.out).size() == 4;
  }));
  CHECK(pods.exit_code == 0);
  CHECK(pods.err == "");
  CHECK(words_of(lines_of(pods.out).at(0)) == std::vector<std::string>{"NAME", "KIND", "MAILBOX", "HANDLED", "RATE/S",
                                                                       "P50", "P99", "LAST", "MESSAGE", "AGE"});
  auto names = first_column(pods.out);
  CHECK(all_start_with(names, "pod/default/frontend-"));

  auto json = k.console("actors kind=pod", {"-o", "json"});
  CHECK(json.exit_code == 0);
  CHECK(json_list_size(json.out, "actors") == 4);
  CHECK(json.out.find("\"kind\":\"pod\"") != std::string::npos);
  CHECK(json.out.find("\"ratePerSecond\":") != std::string::npos);  // the schema's field names

  auto inspect = k.console("inspect " + names.at(0));
  CHECK(inspect.exit_code == 0);
  CHECK(inspect.out.rfind("name: " + names.at(0) + "\n", 0) == 0);
  CHECK(inspect.out.find("owner: rc/default/frontend\n") != std::string::npos);
  CHECK(inspect.out.find("\"phase\": \"Running\"") != std::string::npos);
  auto inspect_json = k.console("inspect " + names.at(0), {"-o", "json"});
  CHECK(inspect_json.out.rfind("{\"info\":{", 0) == 0);
  CHECK(inspect_json.out.find("\"state\":{") != std::string::npos);
  auto missing = k.console("inspect pod/default/nope");
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "error: no actor named pod/default/nope\n");

  // tree: the four pods right under their RC, one level deeper.
  auto tree = lines_of(k.console("tree").out);
  auto rc = std::find_if(tree.begin(), tree.end(),
                         [](const auto& l) { return l.find("rc/default/frontend") != std::string::npos; });
  REQUIRE(rc != tree.end());
  auto rc_column = rc->find("rc/default/frontend");
  for (int i = 1; i <= 4; ++i) {
    REQUIRE(rc + i != tree.end());
    CAPTURE(*(rc + i));
    CHECK((rc + i)->find("── pod/default/frontend-") != std::string::npos);
    CHECK((rc + i)->find("pod/") > rc_column);
  }

  // nodes: the three hollow nodes, each with its node actor, and the four pods among them.
  auto nodes = k.console("nodes");
  CHECK(nodes.exit_code == 0);
  for (const char* node : {"hollow-0000", "hollow-0001", "hollow-0002"}) {
    CHECK(nodes.out.find(std::string(node) + "\n") != std::string::npos);
    CHECK(nodes.out.find("── node/" + std::string(node) + "\n") != std::string::npos);
  }
  auto node_lines = lines_of(nodes.out);
  CHECK(std::count_if(node_lines.begin(), node_lines.end(),
                      [](const auto& l) { return l.find("── pod/default/frontend-") != std::string::npos; }) == 4);
  CHECK(json_list_size(k.console("nodes", {"-o", "json"}).out, "nodes") == 3);

  auto bad = k.console("actors kind>pod");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "error: kind>pod: kind takes = or != (mailbox, handled and rate take >, >=, <, <= too)\n");
  auto unknown = k.console("lst");
  CHECK(unknown.exit_code == 1);
  CHECK(unknown.err ==
        "error: unknown command \"lst\" (commands: actors, top, inspect, trace, tree, nodes, help, quit)\n");
}

TEST_CASE("console -c 'trace store --max 3' prints three events while the RC scales, then why it stopped") {
  cluster k;
  k.create_frontend();
  testing::background_process trace(
      exe("BERTH"), {"console", "-c", "trace store --max 3 --for 60s"},
      {{"BERTH_SERVER", k.berthd.rpc_address()}, {"BERTH_TOKEN", k.berthd.admin_token()}, {"BERTH_CA", k.berthd.ca_file()}, {"HOME", k.home.path()}});
  int replicas = 4;
  REQUIRE_MESSAGE(eventually([&] {
                    if (trace.out().find("stopped: ") != std::string::npos) return true;
                    replicas = replicas == 4 ? 5 : 4;
                    k.berth({"scale", "rc", "frontend", fmt::format("--replicas={}", replicas)});
                    return false;
                  }),
                  "the trace did not stop: " << trace.out() << trace.err());
  auto lines = lines_of(trace.out());
  REQUIRE(lines.size() == 4);
  for (int i = 0; i < 3; ++i) {
    CAPTURE(lines[i]);
    CHECK((lines[i].find("  <- ") == 12 || lines[i].find("  -> ") == 12));  // after HH:MM:SS.mmm
    CHECK(lines[i].find(" B") != std::string::npos);
  }
  CHECK(lines[3] == "stopped: limit (3 events)");
  trace.stop();
}

TEST_CASE("console --agent lists the agent's own actors; wrong tokens exit 2 with the reason") {
  cluster k;
  k.create_frontend();
  process_result agent;
  REQUIRE(eventually([&] {
    agent = k.console("actors", {"--agent", k.agent_address, "--token-file", k.node_token_file()});
    auto names = first_column(agent.out);
    return std::count_if(names.begin(), names.end(),
                         [](const auto& n) { return n.rfind("pod/default/frontend-", 0) == 0; }) == 4;
  }));
  CHECK(agent.exit_code == 0);
  auto names = first_column(agent.out);
  for (const char* node : {"node/hollow-0000", "node/hollow-0001", "node/hollow-0002"})
    CHECK(std::find(names.begin(), names.end(), node) != names.end());
  auto agent_nodes = k.console("nodes", {"--agent", k.agent_address, "--token-file", k.node_token_file()});
  CHECK(agent_nodes.out.find("hollow-0001\n") != std::string::npos);

  auto wrong = k.console("actors", {}, {{"BERTH_TOKEN", "not-the-token"}});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.out == "");
  CHECK(wrong.err == fmt::format("error: berthd at {}: login refused: the token is not valid for this cluster\n",
                                 k.berthd.rpc_address()));
  auto wrong_agent = k.console("actors", {"--agent", k.agent_address, "--token", "not-the-token"});
  CHECK(wrong_agent.exit_code == 2);
  CHECK(wrong_agent.err == fmt::format("error: the agent at {}: invalid token: use the node token this agent joined "
                                       "with (berthd's DATA/node.token)\n",
                                       k.agent_address));
  auto unreachable = k.console("actors", {"--server", "127.0.0.1:1"});
  CHECK(unreachable.exit_code == 2);
  CHECK(unreachable.err == "error: cannot reach berthd at 127.0.0.1:1: connect(): Connection refused\n");
}
