// meta.k8s.io/v1 Table bodies for kubectl get.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/kube/tables.hpp"
#include "tests/kube/fixtures.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

// What kubectl 1.20 and 1.32 send for `get`.
const std::string k_table_accept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

constexpr model::time_ns k_now = test::k_created + 5 * 60 * test::k_second;

table_options at_now() { return {k_now, 107, true}; }

std::vector<std::string> names_of(const YAML::Node& table, int priority) {
  std::vector<std::string> out;
  for (const auto& c : table["columnDefinitions"]) {
    if (c["priority"].as<int>() == priority) out.push_back(text(c["name"]));
  }
  return out;
}

std::vector<std::string> cells_of(const YAML::Node& row) {
  std::vector<std::string> out;
  for (const auto& c : row["cells"]) out.push_back(text(c));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("wants_table: kubectl get's Accept yes; -o json, discovery and client libraries no") {
  CHECK(wants_table(k_table_accept));
  CHECK(wants_table("application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
  CHECK(!wants_table("application/json"));
  CHECK(!wants_table("application/json, */*"));
  CHECK(!wants_table("application/json, */*;q=0.8"));
  CHECK(!wants_table(""));
  CHECK(!wants_table("application/json;as=Table;v=v2;g=meta.k8s.io,application/json"));
  CHECK(!wants_table("application/json,application/json;as=Table;v=v1;g=meta.k8s.io"));
}

TEST_CASE("pods: Name Ready Status Restarts Age, wide IP Node Nominated Node Readiness Gates") {
  std::vector<model::pod> pods = {test::running_pod()};
  auto t = parse_json(table_json(pods, at_now()));
  CHECK(text(t["kind"]) == "Table");
  CHECK(text(t["apiVersion"]) == "meta.k8s.io/v1");
  CHECK(text(t["metadata"]["resourceVersion"]) == "107");
  CHECK(names_of(t, 0) == strings{"Name", "Ready", "Status", "Restarts", "Age"});
  CHECK(names_of(t, 1) == strings{"IP", "Node", "Nominated Node", "Readiness Gates"});
  CHECK(text(t["columnDefinitions"][0]["format"]) == "name");
  CHECK(text(t["columnDefinitions"][0]["type"]) == "string");
  REQUIRE(t["rows"].size() == 1);
  CHECK(cells_of(t["rows"][0]) ==
        strings{"web-x7k2q", "1/1", "Running", "0", "5m", "10.1.0.5", "node1", "<none>", "<none>"});
  auto object = t["rows"][0]["object"];
  CHECK(text(object["kind"]) == "PartialObjectMetadata");
  CHECK(text(object["apiVersion"]) == "meta.k8s.io/v1");
  CHECK(text(object["metadata"]["labels"]["app"]) == "web");  // --show-labels reads these
  CHECK(text(object["metadata"]["uid"]) == "uid-web-x7k2q");
}

TEST_CASE("pods: restarts show when the last one was, as kubectl 1.22+ prints them") {
  auto p = test::running_pod();
  p.status.container_statuses[0].restart_count = 2;
  model::container_state_terminated last;
  last.exit_code = 1;
  last.finished_at = k_now - 90 * test::k_second;
  p.status.container_statuses[0].last_state = last;
  std::vector<model::pod> pods = {p};
  CHECK(text(parse_json(table_json(pods, at_now()))["rows"][0]["cells"][3]) == "2 (90s ago)");
}

TEST_CASE("replication controllers: integer Desired Current Ready, wide containers, images, selector") {
  std::vector<model::replication_controller> rcs = {test::web_rc()};
  auto t = parse_json(table_json(rcs, at_now()));
  CHECK(names_of(t, 0) == strings{"Name", "Desired", "Current", "Ready", "Age"});
  CHECK(names_of(t, 1) == strings{"Containers", "Images", "Selector"});
  CHECK(text(t["columnDefinitions"][1]["type"]) == "integer");
  CHECK(cells_of(t["rows"][0]) ==
        strings{"web", "3", "2", "1", "5m", "nginx,log", "nginx:1.25,busybox", "app=web,tier=front"});
  std::string body = table_json(rcs, at_now());
  CHECK(body.find(R"("cells":["web",3,2,1,)") != std::string::npos);  // numbers, not strings
}

TEST_CASE("services, endpoints, nodes") {
  std::vector<model::service> services = {test::web_service()};
  auto s = parse_json(table_json(services, at_now()));
  CHECK(names_of(s, 0) == strings{"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"});
  CHECK(names_of(s, 1) == strings{"Selector"});
  CHECK(cells_of(s["rows"][0]) == strings{"web", "ClusterIP", "10.0.0.10", "<none>", "80/TCP", "5m", "app=web"});

  std::vector<model::endpoints> endpoints = {test::web_endpoints()};
  auto e = parse_json(table_json(endpoints, at_now()));
  CHECK(names_of(e, 0) == strings{"Name", "Endpoints", "Age"});
  CHECK(cells_of(e["rows"][0]) == strings{"web", "10.1.0.5:8080", "5m"});

  std::vector<model::node> nodes = {test::ready_node()};
  auto n = parse_json(table_json(nodes, at_now()));
  CHECK(names_of(n, 0) == strings{"Name", "Status", "Roles", "Age", "Version"});
  CHECK(names_of(n, 1) == strings{"Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"});
  CHECK(cells_of(n["rows"][0]) == strings{"node1", "Ready", "worker", "5m", "v0.1.0-berth", "192.168.1.10", "<none>",
                                          "Debian GNU/Linux 12 (bookworm)", "<unknown>", "<unknown>"});
}

TEST_CASE("secrets: Name Type Data Age, as kubectl; Data counts the keys") {
  model::secret x;
  x.metadata = test::meta("s1");
  x.type = "Opaque";
  x.data = {{"a", "b"}, {"pw", "secret"}};
  std::vector<model::secret> secrets = {x};
  auto t = parse_json(table_json(secrets, at_now()));
  CHECK(names_of(t, 0) == strings{"Name", "Type", "Data", "Age"});
  CHECK(cells_of(t["rows"][0]) == strings{"s1", "Opaque", "2", "5m"});
}

TEST_CASE("events: Last Seen with the repeat count, the involved object as kind/name") {
  event_object ev;
  ev.metadata = test::meta("web-x7k2q.17a");
  ev.involved_object = {"Pod", "default", "web-x7k2q", "uid"};
  ev.type = "Warning";
  ev.reason = "BackOff";
  ev.message = "Back-off restarting failed container";
  ev.source_component = "berth-agent";
  ev.source_host = "node1";
  ev.first_timestamp = test::k_created;
  ev.last_timestamp = k_now - 60 * test::k_second;
  ev.count = 4;
  std::vector<event_object> events = {ev};
  auto t = parse_json(table_json(events, at_now()));
  CHECK(names_of(t, 0) == strings{"Last Seen", "Type", "Reason", "Object", "Message"});
  CHECK(names_of(t, 1) == strings{"Subobject", "Source", "First Seen", "Count", "Name"});
  CHECK(cells_of(t["rows"][0]) == strings{"60s (x4 over 5m)", "Warning", "BackOff", "pod/web-x7k2q", "",
                                          "berth-agent, node1", "Back-off restarting failed container", "5m", "4",
                                          "web-x7k2q.17a"});
}

TEST_CASE("namespaces and component statuses") {
  namespace_object ns;
  ns.metadata = test::meta("default", "");
  std::vector<namespace_object> namespaces = {ns};
  auto n = parse_json(table_json(namespaces, at_now()));
  CHECK(names_of(n, 0) == strings{"Name", "Status", "Age"});
  CHECK(cells_of(n["rows"][0]) == strings{"default", "Active", "5m"});
  ns.metadata.name = "team-a";
  ns.status.phase = model::namespace_phase::terminating;
  namespaces = {ns};
  CHECK(cells_of(parse_json(table_json(namespaces, at_now()))["rows"][0]) == strings{"team-a", "Terminating", "5m"});

  std::vector<component_status> cs = {{"journal", true, "ok", ""}, {"store", false, "", "behind"}};
  auto c = parse_json(table_json(cs, at_now()));
  CHECK(names_of(c, 0) == strings{"Name", "Status", "Message", "Error"});
  CHECK(cells_of(c["rows"][0]) == strings{"journal", "Healthy", "ok", ""});
  CHECK(cells_of(c["rows"][1]) == strings{"store", "Unhealthy", "", "behind"});
  CHECK(text(c["rows"][1]["object"]["metadata"]["name"]) == "store");
}

TEST_CASE("watch events after the first carry rows only, like the apiserver's NoHeaders") {
  std::vector<model::pod> pods = {test::running_pod()};
  table_options later = at_now();
  later.column_definitions = false;
  auto t = parse_json(table_json(pods, later));
  CHECK(t["columnDefinitions"].size() == 0);
  CHECK(t["rows"].size() == 1);
}

TEST_CASE("invariant: every row has one cell per column, for every kind, empty lists included") {
  auto check = [](const std::string& body, std::size_t rows) {
    auto t = parse_json(body);
    CHECK(t["rows"].size() == rows);
    for (const auto& row : t["rows"]) CHECK(row["cells"].size() == t["columnDefinitions"].size());
    CHECK(t["columnDefinitions"].size() >= 3);
  };
  std::vector<model::pod> pods = {test::running_pod(), model::pod{}};
  check(table_json(pods, at_now()), 2);
  check(table_json(std::span<const model::pod>{}, at_now()), 0);
  std::vector<model::replication_controller> rcs = {test::web_rc(), model::replication_controller{}};
  check(table_json(rcs, at_now()), 2);
  std::vector<model::service> services = {test::web_service(), model::service{}};
  check(table_json(services, at_now()), 2);
  std::vector<model::endpoints> endpoints = {test::web_endpoints(), model::endpoints{}};
  check(table_json(endpoints, at_now()), 2);
  std::vector<model::node> nodes = {test::ready_node(), model::node{}};
  check(table_json(nodes, at_now()), 2);
  std::vector<event_object> events = {event_object{}};
  check(table_json(events, at_now()), 1);
  std::vector<namespace_object> namespaces = {namespace_object{}};
  check(table_json(namespaces, at_now()), 1);
  std::vector<component_status> cs = {component_status{}};
  check(table_json(cs, at_now()), 1);
}

}  // namespace berth::kube
