// kubectl's column rules: AGE, a pod's READY / STATUS / RESTARTS, a node's STATUS,
// service ports, endpoints.
#include <doctest/doctest.h>

#include "cli/format.hpp"

using namespace berth;
using namespace berth::cli;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t m = 60 * s;
constexpr std::int64_t h = 60 * m;
constexpr std::int64_t d = 24 * h;

model::pod two_container_pod() {
  model::pod p;
  p.metadata.name = "web-x7k2q";
  p.spec.containers.resize(2);
  p.spec.containers[0].name = "a";
  p.spec.containers[1].name = "b";
  return p;
}

model::container_status status(std::string name, model::container_state state, bool ready = false,
                               std::int32_t restarts = 0) {
  model::container_status c;
  c.name = std::move(name);
  c.state = std::move(state);
  c.ready = ready;
  c.restart_count = restarts;
  return c;
}

model::container_state_terminated terminated(std::int32_t code, std::string reason, std::int32_t signal = 0) {
  model::container_state_terminated t;
  t.exit_code = code;
  t.reason = std::move(reason);
  t.signal = signal;
  return t;
}

}  // namespace

TEST_CASE("age below two minutes is seconds, then minutes, hours, days, years like kubectl") {
  CHECK(human_duration(0) == "0s");
  CHECK(human_duration(45 * s) == "45s");
  CHECK(human_duration(119 * s) == "119s");
  CHECK(human_duration(2 * m) == "2m");
  CHECK(human_duration(3 * m) == "3m");
  CHECK(human_duration(3 * m + 20 * s) == "3m20s");
  CHECK(human_duration(10 * m + 59 * s) == "10m");
  CHECK(human_duration(150 * m) == "150m");
  CHECK(human_duration(2 * h + 59 * m + 59 * s) == "179m");
  CHECK(human_duration(3 * h) == "3h");
  CHECK(human_duration(3 * h + 30 * m) == "3h30m");
  CHECK(human_duration(20 * h + 10 * m) == "20h");
  CHECK(human_duration(47 * h) == "47h");
  CHECK(human_duration(2 * d) == "2d");
  CHECK(human_duration(5 * d + 4 * h) == "5d4h");
  CHECK(human_duration(5 * d) == "5d");
  CHECK(human_duration(8 * d + 5 * h) == "8d");
  CHECK(human_duration(400 * d) == "400d");
  CHECK(human_duration(730 * d) == "2y");
  CHECK(human_duration(740 * d) == "2y10d");
  CHECK(human_duration(3000 * d) == "8y");
}

TEST_CASE("age: up to a second of clock skew reads 0s, more is <invalid>, no timestamp is <unknown>") {
  CHECK(human_duration(-1 * s) == "0s");
  CHECK(human_duration(-s / 2) == "0s");
  CHECK(human_duration(-2 * s) == "<invalid>");
  CHECK(format_age(0, 100 * s) == "<unknown>");
  CHECK(format_age(10 * s, 55 * s) == "45s");
}

TEST_CASE("pod without container statuses: READY 0/N and the phase") {
  auto p = two_container_pod();
  CHECK(pod_summary(p) == pod_columns{"0/2", "Pending", 0});
}

TEST_CASE("pod STATUS is the first container's waiting reason: ContainerCreating, CrashLoopBackOff") {
  auto p = two_container_pod();
  p.status.container_statuses = {status("a", model::container_state_waiting{"ContainerCreating", ""}),
                                 status("b", model::container_state_waiting{"ContainerCreating", ""})};
  CHECK(pod_summary(p) == pod_columns{"0/2", "ContainerCreating", 0});
  p.status.phase = model::pod_phase::running;
  p.status.container_statuses = {
      status("a", model::container_state_waiting{"CrashLoopBackOff", "back-off 40s"}, false, 5),
      status("b", model::container_state_running{1}, true, 1)};
  CHECK(pod_summary(p) == pod_columns{"1/2", "CrashLoopBackOff", 6});
  p.status.container_statuses = {status("a", model::container_state_waiting{"ErrImagePull", ""}),
                                 status("b", model::container_state_waiting{"CrashLoopBackOff", ""})};
  CHECK(pod_summary(p).status == "ErrImagePull");
}

TEST_CASE("pod with every container running and ready is Running N/N") {
  auto p = two_container_pod();
  p.status.phase = model::pod_phase::running;
  p.status.container_statuses = {status("a", model::container_state_running{1}, true),
                                 status("b", model::container_state_running{1}, true, 2)};
  CHECK(pod_summary(p) == pod_columns{"2/2", "Running", 2});
  p.status.container_statuses[1].ready = false;  // running but not ready: not counted
  CHECK(pod_summary(p) == pod_columns{"1/2", "Running", 2});
}

TEST_CASE("terminated containers: their reason (Completed, Error), else Signal:N or ExitCode:N") {
  auto p = two_container_pod();
  p.spec.containers.resize(1);
  p.status.phase = model::pod_phase::succeeded;
  p.status.container_statuses = {status("a", terminated(0, "Completed"))};
  CHECK(pod_summary(p) == pod_columns{"0/1", "Completed", 0});
  p.status.phase = model::pod_phase::failed;
  p.status.container_statuses = {status("a", terminated(1, "Error"))};
  CHECK(pod_summary(p).status == "Error");
  p.status.container_statuses = {status("a", terminated(1, ""))};
  CHECK(pod_summary(p).status == "ExitCode:1");
  p.status.container_statuses = {status("a", terminated(137, "", 9))};
  CHECK(pod_summary(p).status == "Signal:9");
}

TEST_CASE("a Completed container beside a running one reads Running if the pod is Ready, else NotReady") {
  auto p = two_container_pod();
  p.status.phase = model::pod_phase::running;
  p.status.container_statuses = {status("a", terminated(0, "Completed")),
                                 status("b", model::container_state_running{1}, true)};
  CHECK(pod_summary(p) == pod_columns{"1/2", "NotReady", 0});
  p.status.conditions = {{"Ready", model::condition_status::is_true, "", "", 0, 0, 0}};
  CHECK(pod_summary(p).status == "Running");
}

TEST_CASE("status.reason overrides the phase (Evicted); deletionTimestamp makes Terminating, or Unknown if NodeLost") {
  auto p = two_container_pod();
  p.status.phase = model::pod_phase::failed;
  p.status.reason = "Evicted";
  CHECK(pod_summary(p).status == "Evicted");
  p.metadata.deletion_timestamp = 5;
  CHECK(pod_summary(p).status == "Terminating");
  p.status.reason = "NodeLost";
  CHECK(pod_summary(p).status == "Unknown");
}

TEST_CASE("node STATUS: Ready, NotReady, Unknown, plus SchedulingDisabled") {
  model::node n;
  CHECK(node_status(n) == "Unknown");
  n.status.conditions = {{"Ready", model::condition_status::is_true, "", "", 0, 0, 0}};
  CHECK(node_status(n) == "Ready");
  n.status.conditions[0].status = model::condition_status::is_false;
  CHECK(node_status(n) == "NotReady");
  n.status.conditions[0].status = model::condition_status::unknown;
  CHECK(node_status(n) == "Unknown");
  n.status.conditions[0].status = model::condition_status::is_true;
  n.spec.unschedulable = true;
  CHECK(node_status(n) == "Ready,SchedulingDisabled");
}

TEST_CASE("service PORT(S) and CLUSTER-IP") {
  model::service svc;
  CHECK(service_ports(svc) == "<none>");
  CHECK(service_cluster_ip(svc) == "<none>");
  svc.spec.ports = {{"http", model::protocol::tcp, 80, {}, 0}, {"dns", model::protocol::udp, 53, {}, 30053}};
  svc.spec.cluster_ip = "10.0.0.10";
  CHECK(service_ports(svc) == "80/TCP,53:30053/UDP");
  CHECK(service_cluster_ip(svc) == "10.0.0.10");
}

TEST_CASE("ENDPOINTS shows at most three ip:port pairs, then how many more") {
  model::endpoints e;
  CHECK(endpoints_text(e) == "<none>");
  model::endpoint_subset subset;
  for (const char* ip : {"10.1.0.5", "10.1.0.6"}) subset.addresses.push_back({ip, "", {}});
  subset.ports = {{"http", 8080, model::protocol::tcp}};
  e.subsets = {subset};
  CHECK(endpoints_text(e) == "10.1.0.5:8080,10.1.0.6:8080");
  e.subsets[0].ports.push_back({"metrics", 9090, model::protocol::tcp});
  CHECK(endpoints_text(e) == "10.1.0.5:8080,10.1.0.6:8080,10.1.0.5:9090 + 1 more...");
  std::string metrics = "metrics";
  CHECK(endpoints_text(e, &metrics) == "10.1.0.5:9090,10.1.0.6:9090");
  e.subsets[0].ports.clear();  // headless, no ports: the addresses alone
  CHECK(endpoints_text(e) == "10.1.0.5,10.1.0.6");
}

TEST_CASE("-o name and delete's subject use kubectl's singular kind names") {
  model::replication_controller rc;
  rc.metadata.name = "web";
  CHECK(object_name(actors::any_object(rc)) == "replicationcontroller/web");
  model::endpoints e;
  e.metadata.name = "web";
  CHECK(object_name(actors::any_object(e)) == "endpoints/web");
  CHECK(quoted_name(actors::kind::pod, "x") == "pod \"x\"");
  CHECK(labels_text({{"app", "web"}, {"tier", "front"}}) == "app=web,tier=front");
  CHECK(labels_text({}) == "<none>");
}

TEST_CASE("describe timestamps are RFC 1123 in UTC") {
  CHECK(format_time(0) == "<unset>");
  CHECK(format_time(1'136'214'245LL * s) == "Mon, 02 Jan 2006 15:04:05 +0000");
}
