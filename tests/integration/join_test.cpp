// Joining with only a join token: berthd writes DATA_DIR/join-token (the node
// token and its CA's key hash); a real berth-agent on a machine that has no
// ca.crt finds the CA on berthd's TLS port by that hash and joins. A token
// pinning another CA, or a CA file that is not the pinned one, is refused
// before any token is sent.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "actors/model/objects.hpp"
#include "cli/client.hpp"
#include "tests/cli/run_process.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

namespace berth::testing {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string agent_path() {
  const char* path = std::getenv("BERTH_AGENT");
  REQUIRE_MESSAGE(path != nullptr, "BERTH_AGENT is not set");
  return path;
}

int ready_nodes(const berthd_process& b) {
  cli::client c(b.rpc_address(), b.admin_token(), security_of(b));
  int ready = 0;
  for (const auto& item : c.list(actors::kind::node, "").items) {
    const auto& n = std::get<model::node>(item);
    const auto* r = model::find_condition(n.status.conditions, "Ready");
    if (r != nullptr && r->status == model::condition_status::is_true) ++ready;
  }
  return ready;
}

/// Runs the agent until it exits (a refused join exits at once).
process_result agent_once(const std::vector<std::string>& args) {
  return run_process("/usr/bin/timeout", [&] {
    std::vector<std::string> all{"20", agent_path()};
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }());
}

}  // namespace

TEST_CASE("an agent with only the join token finds the CA by its hash and joins; a wrong pin is refused") {
  berthd_process b(make_temp_dir("berth-join"), {"--heartbeat-interval", "200ms"});
  b.start();
  const auto token_path = b.data_dir() + "/join-token";
  struct stat st {};
  REQUIRE(::stat(token_path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto token = read_all(token_path);
  while (!token.empty() && token.back() == '\n') token.pop_back();
  CHECK(std::regex_match(token, std::regex("K10[0-9a-f]{64}::" + b.node_token())));

  // A working directory with nothing of berthd's in it.
  const auto elsewhere = make_temp_dir("berth-join-agent");
  background_process agent(agent_path(), {"--server", b.rpc_address(), "--join-token", token, "--hollow", "1",
                                          "--heartbeat-interval", "200ms", "--state-dir", elsewhere});
  CHECK_MESSAGE(eventually([&] { return ready_nodes(b) == 1; }, 20), agent.err());
  agent.stop();

  // One hex digit changed: another CA's hash. Nothing is sent, nothing joins.
  auto wrong = token;
  wrong[3] = wrong[3] == '0' ? '1' : '0';
  auto refused = agent_once({"--server", b.rpc_address(), "--join-token", wrong, "--hollow", "1"});
  CHECK(refused.exit_code == 1);
  CHECK_MESSAGE(refused.err.find("sent no certificate with the CA key the join token pins") != std::string::npos,
                refused.err);

  // A CA file that is not the pinned CA.
  berthd_process other(make_temp_dir("berth-join-other"));
  other.start();
  auto mismatch =
      agent_once({"--server", b.rpc_address(), "--join-token", token, "--ca-file", other.ca_file(), "--hollow", "1"});
  CHECK(mismatch.exit_code == 1);
  CHECK_MESSAGE(mismatch.err.find("is not the CA the join token pins") != std::string::npos, mismatch.err);

  // A malformed join token is named as such.
  auto malformed = agent_once({"--server", b.rpc_address(), "--join-token", "K10abc::x", "--hollow", "1"});
  CHECK(malformed.exit_code == 1);
  CHECK(malformed.err.find("join token: expected 64 lowercase hex digits after K10") != std::string::npos);
  std::filesystem::remove_all(elsewhere);
}

}  // namespace berth::testing
