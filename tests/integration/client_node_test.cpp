// A Kubernetes client library unchanged against berthd: the official
// JavaScript client (@kubernetes/client-node 1.4.0, installed by tools/test
// into tests/client-node/node_modules) lists, creates, reads, selects,
// watches and deletes pods through DATA_DIR/kubeconfig
// (tests/client-node/client_test.mjs).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "tests/cli/run_process.hpp"
#include "tests/integration/berthd_process.hpp"

namespace berth::testing {
namespace {

TEST_CASE("@kubernetes/client-node lists, creates, watches and deletes pods") {
  const char* script = std::getenv("CLIENT_NODE_TEST");
  REQUIRE_MESSAGE(script != nullptr, "CLIENT_NODE_TEST is not set (meson passes the script's path)");
  REQUIRE_MESSAGE(std::filesystem::exists(std::filesystem::path(script).parent_path() / "node_modules"),
                  "tests/client-node/node_modules is missing: tools/test installs it (npm ci)");
  auto dir = make_temp_dir("berth-client-node");
  berthd_process berthd(dir + "/data");
  berthd.start();
  auto r = run_process("/usr/bin/env", {"node", script}, {{"KUBECONFIG", berthd.data_dir() + "/kubeconfig"}});
  MESSAGE(r.out, r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("created from-client-node") != std::string::npos);
  CHECK(r.out.find("selected 1") != std::string::npos);
  CHECK(r.out.find("conflict 409") != std::string::npos);
  CHECK(r.out.find("watched ADDED from-client-node") != std::string::npos);
  CHECK(r.out.find("DELETED from-client-node") != std::string::npos);
  berthd.terminate();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace berth::testing
