#pragma once
// berthd (temporary journal) with three hollow nodes on the real node
// protocol, and the real `berth` binary pointed at it: the fixture of the
// CLI's end-to-end tests (cli_e2e_test.cpp, rolling_update_e2e_test.cpp).

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/cli/run_process.hpp"
#include "tests/cli/temp_files.hpp"
#include "tests/cli/text_lines.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

namespace berth::testing {

/// The berth binary meson passes in $BERTH.
inline std::string berth_exe() {
  const char* exe = std::getenv("BERTH");
  REQUIRE_MESSAGE(exe != nullptr, "BERTH is not set (meson passes the path of the berth binary)");
  return exe;
}

/// berthd + three hollow nodes + a scratch HOME (so no real ~/.berth/config is read).
struct cluster {
  testing::temp_dir home{"berth-cli-home"};
  testing::data_dir_cleanup data{"berth-cli"};
  testing::berthd_process berthd{data.path};
  std::unique_ptr<agent::hollow_fleet> fleet;

  cluster() {
    berthd.start();
    agent::hollow_config c;
    c.server = berthd.rpc_address();
    c.security = testing::security_of(berthd);
    c.token = berthd.node_token();
    c.heartbeat_interval = std::chrono::milliseconds(100);
    for (int i = 1; i <= 3; ++i) c.nodes.push_back({fmt::format("n{}", i), "2", "4Gi", 110, {}});
    fleet = std::make_unique<agent::hollow_fleet>(c);
    REQUIRE(fleet->start() == "");
  }

  /// Runs berth with BERTH_SERVER / BERTH_TOKEN pointing at this berthd (overridable by `env`).
  process_result berth(const std::vector<std::string>& args, std::map<std::string, std::string> env = {},
                       const std::string& stdin_text = "") {
    env.emplace("BERTH_SERVER", berthd.rpc_address());
    env.emplace("BERTH_TOKEN", berthd.admin_token());
    env.emplace("BERTH_CA", berthd.ca_file());
    env.emplace("HOME", home.path());
    return testing::run_process(berth_exe(), args, env, stdin_text);
  }

  /// Rows (header excluded) of a table printed by `berth get ...`.
  std::vector<std::vector<std::string>> rows(const std::vector<std::string>& args) {
    auto r = berth(args);
    std::vector<std::vector<std::string>> out;
    auto lines = lines_of(r.out);
    for (std::size_t i = 1; i < lines.size(); ++i) out.push_back(words_of(lines[i]));
    return out;
  }

  /// Every pod of app=web (not terminating) Running 1/1.
  bool web_running(std::size_t n) {
    auto rows_now = rows({"get", "pods", "-l", "app=web"});
    return rows_now.size() == n && std::all_of(rows_now.begin(), rows_now.end(), [](const auto& row) {
             return row.size() == 5 && row[1] == "1/1" && row[2] == "Running";
           });
  }
};

}  // namespace berth::testing
