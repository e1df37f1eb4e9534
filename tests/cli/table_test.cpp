// Table layout (Go's tabwriter as kubectl uses it), each kind's columns, and
// the -o yaml/json/name output of lists.
#include <doctest/doctest.h>

#include "actors/manifest/decode.hpp"
#include "actors/manifest/render.hpp"
#include "cli/output.hpp"
#include "cli/tables.hpp"

using namespace berth;
using namespace berth::cli;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr model::time_ns now = 1'700'000'000 * s;

model::condition ready_true() { return {"Ready", model::condition_status::is_true, "", "", 0, 0, 0}; }

model::pod running_pod(std::string name, std::string node) {
  model::pod p;
  p.metadata.name = std::move(name);
  p.metadata.namespace_ = "default";
  p.metadata.creation_timestamp = now - 5 * 60 * s;
  p.spec.containers.resize(1);
  p.spec.node_name = std::move(node);
  p.status.phase = model::pod_phase::running;
  p.status.pod_ip = "10.1.0.5";
  p.status.conditions = {ready_true()};
  model::container_status c;
  c.state = model::container_state_running{1};
  c.ready = true;
  p.status.container_statuses = {c};
  return p;
}

std::vector<actors::any_object> decode_all(const std::string& yaml) {
  auto r = manifest::decode_manifests(yaml, "t.yaml");
  REQUIRE(r.ok());
  std::vector<actors::any_object> out;
  for (auto& o : r.objects) out.push_back(std::visit([](auto& x) { return actors::any_object(x); }, o.object));
  return out;
}

const char* k_two_objects = R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {app: web}
spec:
  containers:
  - name: c
    image: busybox
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
)";

}  // namespace

TEST_CASE("a table's columns are as wide as their widest cell plus three, at least six") {
  cell_lines lines{{"NAME", "READY", "STATUS", "RESTARTS", "AGE"}, {"web-x7k2q", "1/1", "Running", "0", "5m"}};
  CHECK(table_layout(lines) ==
        "NAME        READY   STATUS    RESTARTS   AGE\n"
        "web-x7k2q   1/1     Running   0          5m\n");
  CHECK(table_layout({{"A", "B"}, {"x", "y"}}) == "A     B\nx     y\n");
}

TEST_CASE("describe's layout aligns each run of key lines on its own, padding two") {
  cell_lines lines{{"Name:", "web"},          {"Namespace:", "default"}, {"Containers:"},        {"  web:"},
                   {"    Image:", "busybox"}, {"    Port:", "80/TCP"},   {"Labels:", "app=web"}, {"", "tier=front"}};
  CHECK(tab_layout(lines, 0, 2) ==
        "Name:       web\n"
        "Namespace:  default\n"
        "Containers:\n"
        "  web:\n"
        "    Image:  busybox\n"
        "    Port:   80/TCP\n"
        "Labels:     app=web\n"  // the block that began at Image: runs on (Go's rule)
        "            tier=front\n");
}

TEST_CASE("watch rows keep the table's column widths; a wider cell pushes the rest right") {
  cell_lines lines{{"NAME", "STATUS", "AGE"}, {"a", "Running", "1m"}};
  auto widths = table_widths(lines);
  CHECK(widths == std::vector<std::size_t>{7, 10, 6});
  CHECK(table_row({"b", "Pending", "0s"}, widths) == "b      Pending   0s\n");
  CHECK(table_row({"a-much-longer-name", "Terminating", "2m"}, widths) == "a-much-longer-name   Terminating   2m\n");
}

TEST_CASE("pods: NAME READY STATUS RESTARTS AGE; wide adds IP and NODE; -A adds NAMESPACE first") {
  actors::any_object p = running_pod("web-x7k2q", "n1");
  table_options narrow{false, false, now};
  CHECK(object_header(actors::kind::pod, narrow) == cell_line{"NAME", "READY", "STATUS", "RESTARTS", "AGE"});
  CHECK(object_row(p, narrow) == cell_line{"web-x7k2q", "1/1", "Running", "0", "5m"});
  table_options wide{true, true, now};
  CHECK(object_header(actors::kind::pod, wide) ==
        cell_line{"NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"});
  CHECK(object_row(p, wide) == cell_line{"default", "web-x7k2q", "1/1", "Running", "0", "5m", "10.1.0.5", "n1"});
  auto unbound = running_pod("x", "");
  unbound.status.pod_ip.clear();
  CHECK(object_row(unbound, wide) == cell_line{"default", "x", "1/1", "Running", "0", "5m", "<none>", "<none>"});
}

TEST_CASE("--show-labels adds a last LABELS column to every kind, <none> when there are none") {
  auto p = running_pod("web-x7k2q", "n1");
  p.metadata.labels = {{"app", "web"}, {"tier", "front"}};
  table_options labels{false, false, now, true};
  CHECK(object_header(actors::kind::pod, labels) == cell_line{"NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"});
  CHECK(object_row(actors::any_object(p), labels) ==
        cell_line{"web-x7k2q", "1/1", "Running", "0", "5m", "app=web,tier=front"});
  model::node n;
  n.metadata.name = "n1";
  auto row = object_row(actors::any_object(n), labels);
  CHECK(row.back() == "<none>");
  CHECK(object_header(actors::kind::node, labels).back() == "LABELS");
}

TEST_CASE("rc: DESIRED from the spec, CURRENT and READY from the status or from counted pods") {
  model::replication_controller rc;
  rc.metadata.name = "web";
  rc.metadata.uid = "rc-uid";
  rc.metadata.creation_timestamp = now - 3 * 3600 * s;
  rc.spec.replicas = 3;
  rc.spec.selector = {{"app", "web"}};
  rc.spec.template_.spec.containers = {model::container{}};
  rc.spec.template_.spec.containers[0].name = "nginx";
  rc.spec.template_.spec.containers[0].image = "nginx:1.25";
  table_options o{false, false, now};
  CHECK(object_row(rc, o) == cell_line{"web", "3", "0", "0", "3h"});
  CHECK(object_row(rc, o, rc_counts{3, 2}) == cell_line{"web", "3", "3", "2", "3h"});
  rc.status = {2, 1, 1};
  CHECK(object_row(rc, o) == cell_line{"web", "3", "2", "1", "3h"});
  CHECK(object_row(rc, {true, false, now}) == cell_line{"web", "3", "2", "1", "3h", "nginx", "nginx:1.25", "app=web"});
}

TEST_CASE("rc counts from pods: terminating pods and other controllers' pods do not count") {
  model::replication_controller rc;
  rc.metadata.uid = "rc-uid";
  auto owned = [](std::string name, bool ready) {
    auto p = running_pod(std::move(name), "n1");
    p.metadata.owner_references = {{"v1", "ReplicationController", "web", "rc-uid", true}};
    if (!ready) p.status.conditions.clear();
    return p;
  };
  auto terminating = owned("t", true);
  terminating.metadata.deletion_timestamp = now;
  auto other = owned("o", true);
  other.metadata.owner_references[0].uid = "other-uid";
  CHECK(rc_counts_from_pods(rc, {owned("a", true), owned("b", false), terminating, other}) == rc_counts{2, 1});
  CHECK_FALSE(rc_counts_from_status(rc).has_value());
}

TEST_CASE("services, endpoints and nodes rows") {
  model::service svc;
  svc.metadata.name = "web";
  svc.metadata.creation_timestamp = now - 45 * s;
  svc.spec.cluster_ip = "10.0.0.10";
  svc.spec.ports = {{"", model::protocol::tcp, 80, {}, 0}};
  svc.spec.selector = {{"app", "web"}};
  CHECK(object_row(svc, {false, false, now}) == cell_line{"web", "ClusterIP", "10.0.0.10", "<none>", "80/TCP", "45s"});
  CHECK(object_row(svc, {true, false, now}).back() == "app=web");

  model::endpoints e;
  e.metadata.name = "web";
  e.metadata.creation_timestamp = now - 45 * s;
  CHECK(object_row(e, {false, false, now}) == cell_line{"web", "<none>", "45s"});

  model::node n;
  n.metadata.name = "n1";
  n.metadata.creation_timestamp = now - 5 * 86400 * s;
  n.status.conditions = {ready_true()};
  n.status.node_info.kubelet_version = "0.1.0";
  n.status.addresses = {{"InternalIP", "10.0.0.1"}};
  CHECK(object_header(actors::kind::node, {false, true, now}) == cell_line{"NAME", "STATUS", "AGE", "VERSION"});
  CHECK(object_row(n, {false, true, now}) == cell_line{"n1", "Ready", "5d", "0.1.0"});
  CHECK(object_row(n, {true, false, now}) ==
        cell_line{"n1", "Ready", "5d", "0.1.0", "10.0.0.1", "<none>", "<none>", "<none>", "<none>"});
}

TEST_CASE("-o name prints kind/name lines") {
  model::pod p;
  p.metadata.name = "web-x7k2q";
  model::node n;
  n.metadata.name = "n1";
  CHECK(names_text({p, n}) == "pod/web-x7k2q\nnode/n1\n");
  CHECK(names_text({}) == "");
}

TEST_CASE("a composed List is exactly render.hpp's List, in YAML and JSON, also when empty") {
  auto objects = decode_all(k_two_objects);
  std::vector<model::api_object> api{std::get<model::pod>(objects[0]), std::get<model::service>(objects[1])};
  CHECK(list_yaml(objects) == manifest::to_yaml(api));
  CHECK(list_json(objects) == manifest::to_json(api));
  CHECK(list_yaml({}) == manifest::to_yaml(std::vector<model::api_object>{}));
  CHECK(list_json({}) == manifest::to_json(std::vector<model::api_object>{}));
}

TEST_CASE("a List of nodes has each node as render.hpp writes it") {
  model::node n;
  n.metadata.name = "n1";
  auto yaml = list_yaml({n});
  auto item = manifest::to_yaml(n);
  CHECK(yaml.rfind("apiVersion: v1\nitems:\n- ", 0) == 0);
  CHECK(yaml.find("kind: List\n") == yaml.size() - 11);
  CHECK(yaml.find("  kind: Node\n") != std::string::npos);
  CHECK(item.find("kind: Node\n") != std::string::npos);
}
