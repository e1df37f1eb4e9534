// Events derived from journal events: Kubernetes' reasons and types, the
// readiness direction, names and timestamps.
#include <doctest/doctest.h>

#include <string>

#include "actors/kube/events_json.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

journal_event_row row(std::string type, std::string message) {
  return {0x2a, 1'700'000'000'000'000'000LL, std::move(type), std::move(message), "user:admin", "Pod", "default", "web",
          "uid-1"};
}

TEST_CASE("journal event types map to Kubernetes' reasons and types") {
  struct expectation {
    const char* type;
    const char* reason;
    const char* kind;
  };
  for (auto e : {expectation{"podBound", "Scheduled", "Normal"},
                 expectation{"podUnschedulable", "FailedScheduling", "Warning"},
                 expectation{"podCreated", "SuccessfulCreate", "Normal"},
                 expectation{"podDeleted", "SuccessfulDelete", "Normal"},
                 expectation{"podEvicted", "Evicted", "Warning"}, expectation{"rcScaled", "Scaled", "Normal"},
                 expectation{"objectCreated", "Created", "Normal"}, expectation{"somethingNew", "SomethingNew", "Normal"}}) {
    CAPTURE(e.type);
    CHECK(reason_of(e.type).reason == e.reason);
    CHECK(reason_of(e.type).type == e.kind);
  }
}

TEST_CASE("node readiness events say which way it went; NotReady is a warning") {
  auto not_ready = row("nodeReadinessDecided", "Node NotReady: no heartbeat for 40s");
  not_ready.kind = "Node";
  auto e = event_of(not_ready);
  CHECK(e.reason == "NodeNotReady");
  CHECK(e.type == "Warning");
  CHECK(e.involved_object.namespace_.empty());
  CHECK(e.metadata.namespace_ == "default");
  auto ready = not_ready;
  ready.message = "Node Ready";
  CHECK(event_of(ready).reason == "NodeReady");
  CHECK(event_of(ready).type == "Normal");
}

TEST_CASE("an event is named after its object and journal seq, and renders as a core/v1 Event") {
  auto e = event_of(row("podBound", "Bound to node n1"));
  CHECK(e.metadata.name == "web.2a");
  CHECK(e.metadata.resource_version == 0x2a);
  CHECK(e.involved_object == model::object_reference{"Pod", "default", "web", "uid-1"});
  CHECK(e.first_timestamp == e.last_timestamp);
  CHECK(e.count == 1);
  auto json = parse_json(object_json(e));
  CHECK(text(json["kind"]) == "Event");
  CHECK(text(json["reason"]) == "Scheduled");
  CHECK(text(json["message"]) == "Bound to node n1");
  CHECK(text(json["involvedObject"]["name"]) == "web");
  CHECK(text(json["source"]["component"]) == "berthd");
}

}  // namespace
}  // namespace berth::kube

namespace berth::kube {

TEST_CASE("namespace events: created, updated, removed; cluster-scoped like a node's") {
  CHECK(reason_of("namespaceCreated").reason == "Created");
  CHECK(reason_of("namespaceReplaced").reason == "Updated");
  CHECK(reason_of("namespaceRemoved").reason == "Removed");
  journal_event_row r{7, 1000, "namespaceRemoved", "Removed: NamespaceEmpty: nothing is left in namespace \"team-a\"",
                      "controller:namespace", "Namespace", "", "team-a", "uid-1"};
  auto e = event_of(r);
  CHECK(e.reason == "Removed");
  CHECK(e.type == "Normal");
  CHECK(e.involved_object == model::object_reference{"Namespace", "", "team-a", "uid-1"});
  CHECK(e.metadata.namespace_ == "default");
}

}  // namespace berth::kube

namespace berth::kube {

TEST_CASE("a node's pod event keeps kubelet's reason, its type, and comes from the agent") {
  auto unhealthy = event_of(row("podEventObserved", "Unhealthy: Liveness probe failed: cat: can't open '/tmp/health'"));
  CHECK(unhealthy.reason == "Unhealthy");
  CHECK(unhealthy.type == "Warning");
  CHECK(unhealthy.message == "Liveness probe failed: cat: can't open '/tmp/health'");
  CHECK(unhealthy.source_component == "berth-agent");
  auto killing = event_of(row("podEventObserved", "Killing: Container liveness failed liveness probe, will be restarted"));
  CHECK(killing.reason == "Killing");
  CHECK(killing.type == "Normal");
  CHECK(killing.message == "Container liveness failed liveness probe, will be restarted");
}

}  // namespace berth::kube
