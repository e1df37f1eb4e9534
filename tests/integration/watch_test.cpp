// Watches served by the watch cache, on a real berthd over HTTPS: many
// concurrent REST watchers each get every change once and in order;
// BOOKMARK events come when asked and only then; a watch from a
// resourceVersion older than the cache's window is caught up from the
// journal; `kubectl get events -w` shows a new pod's Scheduled event.
// Settings come from berthd's environment (BERTH_WATCH_*), set per test.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/cli/run_process.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"
#include "tools/bench/api_bench/rest_watchers.hpp"

namespace berth::testing {
namespace {

/// A berthd with `env` in its environment (unset again once it started).
struct watch_fixture {
  std::string dir = make_temp_dir("berth-watch");
  berthd_process berthd{dir + "/data"};

  explicit watch_fixture(const std::map<std::string, std::string>& env = {}) {
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    berthd.start();
    for (const auto& [k, v] : env) unsetenv(k.c_str());
  }
  ~watch_fixture() {
    berthd.terminate();
    std::filesystem::remove_all(dir);
  }
  cli::client client() { return cli::client(berthd.rpc_address(), berthd.admin_token(), security_of(berthd)); }
  std::string ca_pem() const {
    std::ifstream in(berthd.ca_file());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  bench::rest_watchers watch(const std::string& path, int count) {
    return bench::rest_watchers(berthd.api_address(), ca_pem(), berthd.admin_token(), path, count);
  }
};

std::map<std::string, std::string> env_of(const std::string& name, const std::string& value) { return {{name, value}}; }

actors::any_object pod(const std::string& name) {
  model::pod p;
  p.metadata.name = name;
  p.metadata.namespace_ = "default";
  p.metadata.labels = {{"app", "watched"}};
  model::container c;
  c.name = "main";
  c.image = "busybox";
  p.spec.containers.push_back(c);
  return p;
}

TEST_CASE("200 concurrent REST watchers each get every change exactly once, in journal order") {
  watch_fixture f;
  auto c = f.client();
  const auto from = c.list(actors::kind::pod, "default").resource_version;
  auto watchers = f.watch(fmt::format("/api/v1/namespaces/default/pods?watch=true&resourceVersion={}", from), 200);
  constexpr int k_pods = 20;
  for (int i = 0; i < k_pods; ++i) REQUIRE(c.create(pod(fmt::format("w{}", i))).result == actors::outcome::code::ok);
  for (int i = 0; i < 5; ++i)
    REQUIRE(c.remove({actors::kind::pod, "default", fmt::format("w{}", i)}, 0).result == actors::outcome::code::ok);
  // Every watcher ends with the 5 deletions; wait until all have them.
  auto deleted_everywhere = [&] { return watchers.lines() >= 200u * (k_pods + 5); };
  REQUIRE(eventually(deleted_everywhere, 30));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // anything extra would show now
  auto records = watchers.stop();
  REQUIRE(records.size() == 200);
  const auto& reference = records[0].lines;
  for (const auto& r : records) {
    CHECK(r.status == 200);
    CHECK(r.end.empty());
    REQUIRE(r.lines.size() == reference.size());
    std::set<std::pair<char, std::string>> seen;
    std::uint64_t last_rv = from;
    for (std::size_t i = 0; i < r.lines.size(); ++i) {
      const auto& l = r.lines[i];
      CHECK(l.type == reference[i].type);
      CHECK(l.name == reference[i].name);
      CHECK(l.resource_version == reference[i].resource_version);
      CHECK(l.resource_version > from);
      CHECK(l.resource_version >= last_rv);
      last_rv = l.resource_version;
      if (l.type == 'A' || l.type == 'D') CHECK(seen.insert({l.type, l.name}).second);  // once each
    }
    int added = 0, deleted = 0;
    for (const auto& [type, name] : seen) (type == 'A' ? added : deleted) += type == 'A' || type == 'D' ? 1 : 0;
    CHECK(added == k_pods);
    CHECK(deleted == 5);
  }
}

TEST_CASE("allowWatchBookmarks=true gets BOOKMARK events with the current resourceVersion; without it none") {
  watch_fixture f(env_of("BERTH_WATCH_BOOKMARK_INTERVAL_MS", "200"));
  auto c = f.client();
  REQUIRE(c.create(pod("b1")).result == actors::outcome::code::ok);
  const auto rv = c.list(actors::kind::pod, "default").resource_version;
  auto with = f.watch(fmt::format("/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion={}", rv), 1);
  auto without = f.watch(fmt::format("/api/v1/pods?watch=true&resourceVersion={}", rv), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  auto marked = with.stop();
  auto plain = without.stop();
  // b1 may still change (the scheduler finds no node for it): only bookmarks are counted.
  int bookmarks = 0;
  for (const auto& l : marked[0].lines) {
    if (l.type != 'B') continue;
    CHECK(l.resource_version >= rv);
    ++bookmarks;
  }
  CHECK(bookmarks >= 3);
  for (const auto& l : plain[0].lines) CHECK(l.type != 'B');
}

TEST_CASE("a watch from before the cache's window is caught up from the journal, then goes on live") {
  watch_fixture f(env_of("BERTH_WATCH_CACHE_CHANGES", "3"));
  auto c = f.client();
  const auto from = c.list(actors::kind::pod, "default").resource_version;
  for (int i = 0; i < 10; ++i) REQUIRE(c.create(pod(fmt::format("old{}", i))).result == actors::outcome::code::ok);
  auto w = f.watch(fmt::format("/api/v1/namespaces/default/pods?watch=true&resourceVersion={}", from), 1);
  REQUIRE(eventually([&] { return w.lines() >= 10; }, 20));
  REQUIRE(c.create(pod("new")).result == actors::outcome::code::ok);
  REQUIRE(eventually([&] { return w.lines() >= 11; }, 20));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto r = w.stop();
  // Each pod ADDED once, in creation order (MODIFIED lines may come between:
  // the scheduler finds no node for them).
  std::vector<std::string> added;
  std::uint64_t last_rv = from;
  for (const auto& l : r[0].lines) {
    CHECK(l.resource_version >= last_rv);
    last_rv = l.resource_version;
    if (l.type == 'A') added.push_back(l.name);
  }
  std::vector<std::string> want;
  for (int i = 0; i < 10; ++i) want.push_back(fmt::format("old{}", i));
  want.push_back("new");
  CHECK(added == want);
}

TEST_CASE("kubectl get events -w shows a new pod's Scheduled event") {
  watch_fixture f;
  agent::hollow_config fleet_config;
  fleet_config.server = f.berthd.rpc_address();
  fleet_config.security = security_of(f.berthd);
  fleet_config.token = f.berthd.node_token();
  fleet_config.nodes.push_back({"n1", "2", "4Gi", 110, {}});
  agent::hollow_fleet fleet(fleet_config);
  REQUIRE(fleet.start().empty());
  auto c = f.client();
  REQUIRE(eventually([&] { return c.list(actors::kind::node, "").items.size() == 1; }));
  const char* kubectl = std::getenv("KUBECTL");
  std::string home = f.dir + "/home";
  std::filesystem::create_directories(home);
  background_process watch(kubectl && *kubectl ? kubectl : "/usr/bin/kubectl",
                           {"--kubeconfig", f.berthd.data_dir() + "/kubeconfig", "get", "events", "-w"},
                           {{"HOME", home}, {"KUBECONFIG", ""}});
  std::this_thread::sleep_for(std::chrono::seconds(1));
  REQUIRE(c.create(pod("ev")).result == actors::outcome::code::ok);
  bool seen = eventually([&] {
    auto out = watch.out();
    return out.find("Scheduled") != std::string::npos && out.find("pod/ev") != std::string::npos;
  });
  INFO(watch.out());
  CHECK(seen);
}

}  // namespace
}  // namespace berth::testing
