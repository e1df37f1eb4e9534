// berthd's /metrics end to end: a real berthd, hollow nodes, an RC of 5;
// the scrape passes `promtool check metrics` and shows the cluster's actors,
// RPC calls by method and outcome, and the journal; Introspection.metrics()
// serves the same text; the admin token is required.
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>


#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "schema/api.capnp.h"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/http_get.hpp"
#include "tests/integration/rpc_security_of.hpp"
#include "tests/integration/tls_rpc_client.hpp"

using namespace berth;
using testing::bearer;
using testing::berthd_process;
using testing::eventually;
using testing::http_get;
using testing::http_response;

namespace {

constexpr const char* k_promtool = "/usr/bin/promtool";

actors::any_object rc_of(const std::string& name, int replicas) {
  auto yaml = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
              "\nspec:\n  replicas: " + std::to_string(replicas) +
              "\n  template:\n    metadata:\n      labels:\n        app: " + name +
              "\n    spec:\n      containers:\n      - name: web\n        image: busybox\n";
  auto r = manifest::decode_manifests(yaml, "test.yaml");
  REQUIRE_MESSAGE(r.ok(), (r.errors.empty() ? "" : r.errors[0].to_string()));
  REQUIRE(r.objects.size() == 1);
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

agent::hollow_config fleet_of(const berthd_process& b, int n) {
  agent::hollow_config c;
  c.server = b.rpc_address();
  c.security = testing::security_of(b);
  c.token = b.node_token();
  c.heartbeat_interval = std::chrono::milliseconds(100);
  for (int i = 1; i <= n; ++i) c.nodes.push_back({"n" + std::to_string(i), "2", "4Gi", 110, {}});
  return c;
}

/// The value of the sample line that starts with `series` + " ", or "" when there is none.
std::string sample(const std::string& text, const std::string& series) {
  auto key = series + " ";
  std::size_t at = text.rfind(key, 0) == 0 ? 0 : text.find("\n" + key);
  if (at == std::string::npos) return "";
  if (at != 0) at += 1;
  auto begin = at + key.size();
  return text.substr(begin, text.find('\n', begin) - begin);
}

struct command_result {
  int status = -1;
  std::string output;
};

/// `promtool check metrics` on `text` via stdin; its exit status and everything it printed.
command_result promtool_check(const std::string& text) {
  auto file = testing::make_temp_dir("berth-promtool") + "/metrics.txt";
  std::ofstream(file) << text;
  auto command = std::string(k_promtool) + " check metrics < " + file + " 2>&1";
  command_result r;
  FILE* p = ::popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.output.append(buf, n);
  int raw = ::pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::filesystem::remove_all(std::filesystem::path(file).parent_path());
  return r;
}

/// Introspection.metrics() over the RPC API, logged in with the admin token.
std::string introspection_metrics(const berthd_process& b) {
  testing::tls_rpc_client rpc(b.rpc_address(), testing::security_of(b));
  auto& ws = rpc.getWaitScope();
  auto login = rpc.getMain<schema::Gateway>().loginRequest();
  login.setToken(b.admin_token());
  auto cluster = login.send().wait(ws).getCluster();
  auto introspection = cluster.introspectionRequest().send().wait(ws).getIntrospection();
  return introspection.metricsRequest().send().wait(ws).getText().cStr();
}

}  // namespace

TEST_CASE("GET /metrics without the admin token is 401, with a body that says what is missing") {
  berthd_process b(testing::make_temp_dir("berth-metrics"));
  b.start();
  const std::string why = "Unauthorized: /metrics needs the admin token as 'Authorization: Bearer TOKEN'\n";

  auto none = http_get(b.http_address(), "/metrics");
  CHECK(none.status_line == "HTTP/1.1 401 Unauthorized");
  CHECK(none.body == why);

  auto wrong = http_get(b.http_address(), "/metrics", bearer(b.admin_token() + "x"));
  CHECK(wrong.status_line == "HTTP/1.1 401 Unauthorized");
  CHECK(wrong.body == why);

  auto node_token = http_get(b.http_address(), "/metrics", bearer(b.node_token()));
  CHECK(node_token.status_line == "HTTP/1.1 401 Unauthorized");

  auto basic = http_get(b.http_address(), "/metrics", "Authorization: Basic " + b.admin_token() + "\r\n");
  CHECK(basic.status_line == "HTTP/1.1 401 Unauthorized");

  CHECK(http_get(b.http_address(), "/metricsx", bearer(b.admin_token())).status_line == "HTTP/1.1 404 Not Found");
}

TEST_CASE("GET /metrics of a cluster with an RC of 5: promtool-clean, exact actor and RPC series, journal totals") {
  REQUIRE_MESSAGE(std::filesystem::exists(k_promtool),
                  "promtool is missing: install Debian's prometheus package (tools/install-deps)");
  berthd_process b(testing::make_temp_dir("berth-metrics"));
  b.start();
  agent::hollow_fleet fleet(fleet_of(b, 2));
  REQUIRE(fleet.start() == "");
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  REQUIRE(c.create(rc_of("web", 5)).result == actors::outcome::code::ok);
  CHECK(c.create(rc_of("web", 5)).result == actors::outcome::code::already_exists);
  CHECK(c.get({actors::kind::pod, "default", "nope"}).result == actors::outcome::code::not_found);
  CHECK_THROWS_AS(cli::client(b.rpc_address(), "not-the-token", testing::security_of(b)), cli::client_error);

  auto scrape = [&] { return http_get(b.http_address(), "/metrics", bearer(b.admin_token())); };
  REQUIRE(eventually([&] {
    auto view = fleet.view();
    std::size_t running = 0;
    for (auto& [name, v] : view) running += v.running;
    auto text = scrape().body;
    // Heartbeats come every 100 ms from the start, but a loaded machine may
    // run the whole scale-up before the first one: wait for one too.
    return running == 5 && sample(text, "berth_actors{kind=\"pod\"}") == "5" &&
           !sample(text, "berth_rpc_calls_total{method=\"NodeSession.heartbeat\",outcome=\"ok\"}").empty();
  }));

  auto r = scrape();
  CHECK(r.status_line == "HTTP/1.1 200 OK");
  CHECK(r.headers.find("Content-Type: text/plain; version=0.0.4; charset=utf-8") != std::string::npos);
  const auto& text = r.body;

  auto lint = promtool_check(text);
  CHECK_MESSAGE(lint.status == 0, lint.output);
  CHECK(lint.output == "");

  CHECK(sample(text, "berth_actors{kind=\"pod\"}") == "5");
  CHECK(sample(text, "berth_actors{kind=\"rc\"}") == "1");
  CHECK(std::stoull(sample(text, "berth_actor_messages_handled_total{kind=\"pod\"}")) > 0);
  CHECK(std::stoull(sample(text, "berth_actor_messages_handled_total{kind=\"rc\"}")) > 0);
  CHECK(sample(text, "berth_actor_processing_seconds_count{kind=\"pod\"}") ==
        sample(text, "berth_actor_processing_seconds_bucket{kind=\"pod\",le=\"+Inf\"}"));

  CHECK(sample(text, "berth_rpc_calls_total{method=\"Cluster.create\",outcome=\"ok\"}") == "1");
  CHECK(sample(text, "berth_rpc_calls_total{method=\"Cluster.create\",outcome=\"already_exists\"}") == "1");
  CHECK(sample(text, "berth_rpc_calls_total{method=\"Cluster.get\",outcome=\"not_found\"}") == "1");
  CHECK(sample(text, "berth_rpc_calls_total{method=\"Gateway.login\",outcome=\"error\"}") == "1");
  CHECK(sample(text, "berth_rpc_calls_total{method=\"Gateway.join\",outcome=\"ok\"}") == "2");
  CHECK(std::stoull(sample(text, "berth_rpc_calls_total{method=\"Gateway.login\",outcome=\"ok\"}")) >= 1);
  CHECK(std::stoull(sample(text, "berth_rpc_calls_total{method=\"NodeSession.heartbeat\",outcome=\"ok\"}")) > 0);

  auto records = sample(text, "berth_journal_records_total");
  CHECK(std::stoull(records) > 0);
  CHECK(sample(text, "berth_journal_append_seconds_count") == records);
  CHECK(sample(text, "berth_journal_append_seconds_bucket{le=\"+Inf\"}") == records);
  CHECK(sample(text, "berth_journal_group_commit_records_sum") == records);
  CHECK(sample(text, "berth_journal_group_commit_records_count") == sample(text, "berth_journal_batches_total"));
  CHECK(std::stod(sample(text, "berth_process_start_time_seconds")) > 1.6e9);

  // The console's Introspection.metrics() is the same rendering.
  auto via_rpc = introspection_metrics(b);
  CHECK(sample(via_rpc, "berth_actors{kind=\"pod\"}") == "5");
  CHECK(sample(via_rpc, "berth_rpc_calls_total{method=\"Cluster.introspection\",outcome=\"ok\"}") == "1");
  CHECK(sample(via_rpc, "berth_rpc_calls_total{method=\"Cluster.create\",outcome=\"ok\"}") == "1");
}
