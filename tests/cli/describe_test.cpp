// `berth describe` layout: kubectl's aligned "Key:  value" sections and an
// Events section from the object's journal events.
#include <doctest/doctest.h>

#include "actors/reconcile/node_liveness.hpp"
#include "cli/describe.hpp"

using namespace berth;
using namespace berth::cli;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr model::time_ns now = 1'700'000'000 * s;

actors::event_summary event(std::uint64_t seq, std::int64_t ago_s, std::string type, std::string message) {
  return {seq, now - ago_s * s, "command", std::move(type), "user:admin", 0, std::move(message)};
}

model::service web_service() {
  model::service svc;
  svc.metadata.name = "web";
  svc.metadata.namespace_ = "default";
  svc.spec.selector = {{"app", "web"}};
  svc.spec.cluster_ip = "10.0.0.10";
  svc.spec.ports = {{"", model::protocol::tcp, 80, {8080}, 0}};
  return svc;
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_CASE("a service in kubectl's describe layout, with its endpoints and events") {
  model::endpoints e;
  e.subsets = {{{{"10.1.0.5", "n1", {}}}, {}, {{"", 8080, model::protocol::tcp}}}};
  describe_inputs in{{event(7, 45, "objectCreated", "created")}, now, {}, e};
  CHECK(describe_object(web_service(), in) ==
        "Name:              web\n"
        "Namespace:         default\n"
        "Labels:            <none>\n"
        "Annotations:       <none>\n"
        "Selector:          app=web\n"
        "Type:              ClusterIP\n"
        "IP:                10.0.0.10\n"
        "Port:              <unset>  80/TCP\n"
        "TargetPort:        8080/TCP\n"
        "Endpoints:         10.1.0.5:8080\n"
        "Session Affinity:  None\n"
        "Events:\n"
        "  Seq  Age  From        Type           Message\n"
        "  ---  ---  ----        ----           -------\n"
        "  7    45s  user:admin  objectCreated  created\n");
}

TEST_CASE("no events: Events: <none>; no endpoints: Endpoints: <none>") {
  auto text = describe_object(web_service(), {{}, now, {}, std::nullopt});
  CHECK(has_line(text, "Endpoints:         <none>"));
  CHECK(has_line(text, "Events:            <none>"));
}

TEST_CASE("an RC: replicas current/desired, pod phases counted, the template, events") {
  model::replication_controller rc;
  rc.metadata.name = "web";
  rc.metadata.namespace_ = "default";
  rc.metadata.uid = "rc-uid";
  rc.spec.replicas = 3;
  rc.spec.selector = {{"app", "web"}};
  rc.spec.template_.metadata.labels = {{"app", "web"}};
  model::container c;
  c.name = "nginx";
  c.image = "nginx:1.25";
  c.ports = {{"", 80, 0, model::protocol::tcp, ""}};
  rc.spec.template_.spec.containers = {c};
  model::pod running, pending;
  running.status.phase = model::pod_phase::running;
  describe_inputs in{{event(3, 120, "objectCreated", "created"), event(4, 119, "podCreated", "created pod web-abcde")},
                     now,
                     {running, pending},
                     std::nullopt};
  auto text = describe_object(rc, in);
  CHECK(has_line(text, "Name:         web"));
  CHECK(has_line(text, "Selector:     app=web"));
  CHECK(has_line(text, "Replicas:     2 current / 3 desired"));
  CHECK(has_line(text, "Pods Status:  1 Running / 1 Waiting / 0 Succeeded / 0 Failed"));
  CHECK(text.find("\nPod Template:\n"
                  "  Labels:  app=web\n"
                  "  Containers:\n"
                  "    nginx:\n"
                  "      Image:        nginx:1.25\n"
                  "      Port:         80/TCP\n"
                  "      Host Port:    0/TCP\n"
                  "      Environment:  <none>\n"
                  "Events:\n"
                  "  Seq  Age   From        Type           Message\n"
                  "  ---  ---   ----        ----           -------\n"
                  "  3    2m    user:admin  objectCreated  created\n"
                  "  4    119s  user:admin  podCreated     created pod web-abcde\n") != std::string::npos);
}

TEST_CASE("a pod: node, status, controller, container state, conditions") {
  model::pod p;
  p.metadata.name = "web-abcde";
  p.metadata.namespace_ = "default";
  p.metadata.labels = {{"app", "web"}, {"tier", "front"}};
  p.metadata.owner_references = {{"v1", "ReplicationController", "web", "rc-uid", true}};
  p.spec.node_name = "n1";
  model::container c;
  c.name = "nginx";
  c.image = "nginx:1.25";
  c.resources.requests["cpu"] = *model::parse_quantity("100m");
  p.spec.containers = {c};
  p.status.phase = model::pod_phase::running;
  p.status.host_ip = "10.0.0.1";
  p.status.pod_ip = "10.1.0.5";
  p.status.conditions = {{"PodScheduled", model::condition_status::is_true, "", "", 0, 0, 0},
                         {"Ready", model::condition_status::is_true, "", "", 0, 0, 0}};
  model::container_status st;
  st.name = "nginx";
  st.state = model::container_state_running{1'136'214'245LL * s};
  st.ready = true;
  st.restart_count = 1;
  p.status.container_statuses = {st};
  auto text = describe_object(p, {{}, now, {}, std::nullopt});
  CHECK(has_line(text, "Node:           n1/10.0.0.1"));
  CHECK(has_line(text, "Labels:         app=web"));
  CHECK(has_line(text, "                tier=front"));
  CHECK(has_line(text, "Status:         Running"));
  CHECK(has_line(text, "Controlled By:  ReplicationController/web"));
  CHECK(text.find("    State:          Running\n"
                  "      Started:      Mon, 02 Jan 2006 15:04:05 +0000\n"
                  "    Ready:          True\n"
                  "    Restart Count:  1\n"
                  "    Requests:\n"
                  "      cpu:        100m\n") != std::string::npos);
  // Go's tabwriter (so kubectl) aligns the conditions with the Node-Selectors line that follows.
  CHECK(text.find("Conditions:\n"
                  "  Type           Status\n"
                  "  PodScheduled   True\n"
                  "  Ready          True\n"
                  "Node-Selectors:  <none>\n") != std::string::npos);
}

TEST_CASE("a node: conditions table, capacity, and the pods bound to it") {
  model::node n;
  n.metadata.name = "n1";
  n.status.conditions = {
      {"Ready", model::condition_status::is_true, "KubeletReady", "agent is posting ready status", 0, 0, 0}};
  n.status.capacity["cpu"] = *model::parse_quantity("2");
  n.status.addresses = {{"InternalIP", "10.0.0.1"}};
  model::pod p;
  p.metadata.namespace_ = "default";
  p.metadata.name = "web-abcde";
  p.metadata.creation_timestamp = now - 30 * s;
  auto text = describe_object(n, {{}, now, {p}, std::nullopt});
  CHECK(text.rfind("Name:               n1\n", 0) == 0);
  CHECK(text.find("Namespace:") == std::string::npos);
  CHECK(has_line(
      text, "  Ready  True    <unset>            <unset>             KubeletReady  agent is posting ready status"));
  CHECK(has_line(text, "Capacity:"));
  CHECK(has_line(text, "  cpu:  2"));
  CHECK(has_line(text, "  InternalIP:  10.0.0.1"));
  // One column block from System Info to Events, exactly as kubectl's describe node prints it.
  CHECK(has_line(text, "PodCIDR:                      <none>"));
  CHECK(has_line(text, "Non-terminated Pods:          (1 in total)"));
  CHECK(has_line(text, "  default                     web-abcde  0             0                30s"));
}

TEST_CASE("a node: the heartbeat contract from its annotations, the last heartbeat, and flapping") {
  model::node n;
  n.metadata.name = "n1";
  reconcile::annotate(n, {std::chrono::seconds(1), std::chrono::seconds(4), std::chrono::seconds(6)});
  n.status.conditions = {{"Ready", model::condition_status::is_true, "AgentReady",
                          "berth-agent is posting ready status", 0, now - 3 * s, 0}};
  auto text = describe_object(n, {{}, now, {}, std::nullopt});
  CHECK(text.find("Heartbeat:\n") != std::string::npos);
  CHECK(text.find("  Interval:  ") != std::string::npos);
  CHECK(text.find("1s (given by berthd at join)\n") != std::string::npos);
  CHECK(text.find("4s (NotReady after that long without one)\n") != std::string::npos);
  CHECK(text.find("6s (pods evicted after that long NotReady)\n") != std::string::npos);
  CHECK(text.find("(3s ago)\n") != std::string::npos);
  CHECK(text.find("no (0 transitions in the last 10m)\n") != std::string::npos);

  describe_inputs flapping{{}, now, {}, std::nullopt};
  for (int i = 0; i < 8; ++i) {
    actors::event_summary e;
    e.seq = static_cast<std::uint64_t>(10 + i);
    e.time_ns = now - (8 - i) * 20 * s;
    e.type = i % 2 == 0 ? "nodeReadinessDecided" : "nodeReadinessObserved";
    flapping.events.push_back(e);
  }
  auto flapped = describe_object(n, flapping);
  CHECK(flapped.find("yes: 8 Ready/NotReady transitions in the last 10m (more than 6)\n") != std::string::npos);

  model::node old;  // registered before contracts: no annotations
  old.metadata.name = "n0";
  CHECK(describe_object(old, {{}, now, {}, std::nullopt})
            .find("<unknown: registered before berthd gave heartbeat contracts>") != std::string::npos);
}

TEST_CASE("a secret: its type, key names and byte sizes, never the values (as kubectl describe secret)") {
  model::secret x;
  x.metadata.name = "s1";
  x.metadata.namespace_ = "default";
  x.type = "Opaque";
  x.data = {{"a", "b"}, {"password", "hunter2-value"}};
  auto text = describe_object(x, {{}, now, {}, std::nullopt});
  CHECK(text.rfind("Name:", 0) == 0);
  CHECK(text.find("Type:") != std::string::npos);
  CHECK(text.find("Opaque") != std::string::npos);
  CHECK(text.find("\nData\n====\n") != std::string::npos);
  CHECK(text.find("13 bytes") != std::string::npos);
  CHECK(text.find("password:") != std::string::npos);
  CHECK(text.find("hunter2") == std::string::npos);
}

TEST_CASE("a limit range: a row per type and resource, '-' where unset (as kubectl describe limits)") {
  model::limit_range x;
  x.metadata.name = "mylimits";
  x.metadata.namespace_ = "limit-example";
  auto q = [](const char* t) { return *model::parse_quantity(t); };
  x.limits.push_back({model::k_limit_type_pod, {{"cpu", q("2")}}, {{"cpu", q("250m")}}, {}, {}, {}});
  x.limits.push_back({model::k_limit_type_container, {{"memory", q("1Gi")}}, {}, {{"memory", q("100Mi")}}, {}, {}});
  auto text = describe_object(x, {{}, now, {}, std::nullopt});
  CHECK(text.find("Namespace:") != std::string::npos);
  CHECK(text.find("Default Limit") != std::string::npos);
  CHECK_MESSAGE(text.find("Pod         cpu       250m  2    -                -              -\n") != std::string::npos, text);
  CHECK_MESSAGE(text.find("Container   memory    -     1Gi  -                100Mi          -\n") != std::string::npos, text);
}

TEST_CASE("a quota: Used and Hard per resource (as kubectl describe quota)") {
  model::resource_quota x;
  x.metadata.name = "quota";
  x.metadata.namespace_ = "quota-example";
  auto q = [](const char* t) { return *model::parse_quantity(t); };
  x.hard = {{"memory", q("1Gi")}, {"pods", q("10")}};
  x.status.hard = x.hard;
  x.status.used = {{"memory", q("512Mi")}, {"pods", q("1")}};
  auto text = describe_object(x, {{}, now, {}, std::nullopt});
  CHECK_MESSAGE(text.find("Resource    Used   Hard\n--------    ----   ----\nmemory      512Mi  1Gi\npods        1      10\n") !=
                    std::string::npos,
                text);
}
