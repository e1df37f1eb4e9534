// Object, list, watch-event and Scale bodies.
#include <doctest/doctest.h>

#include <string>

#include "actors/kube/objects_json.hpp"
#include "actors/kube/status.hpp"
#include "tests/kube/fixtures.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

}  // namespace

TEST_CASE("single objects: one line, kind and apiVersion first, resourceVersion a string") {
  auto pod = parse_json(object_json(model::api_object{test::running_pod()}));
  CHECK(text(pod["kind"]) == "Pod");
  CHECK(text(pod["apiVersion"]) == "v1");
  CHECK(text(pod["metadata"]["resourceVersion"]) == "42");
  CHECK(text(pod["metadata"]["labels"]["tier"]) == "front");
  CHECK(text(pod["status"]["podIP"]) == "10.1.0.5");
  CHECK(object_json(model::api_object{test::running_pod()}).rfind(R"({"apiVersion":"v1","kind":"Pod",)", 0) == 0);
  CHECK(text(parse_json(object_json(test::ready_node()))["kind"]) == "Node");
  CHECK(!parse_json(object_json(test::ready_node()))["metadata"]["namespace"]);
  CHECK(text(parse_json(object_json(test::web_endpoints()))["subsets"][0]["addresses"][0]["ip"]) == "10.1.0.5");
}

TEST_CASE("list: metadata.resourceVersion (what get -w watches from), items as given, continue when paging") {
  std::vector<std::string> items = {object_json(model::api_object{test::running_pod()}),
                                    object_json(model::api_object{test::web_service()})};
  auto list = parse_json(list_json("PodList", 107, items));
  CHECK(text(list["kind"]) == "PodList");
  CHECK(text(list["apiVersion"]) == "v1");
  CHECK(text(list["metadata"]["resourceVersion"]) == "107");
  CHECK(!list["metadata"]["continue"]);
  REQUIRE(list["items"].size() == 2);
  CHECK(text(list["items"][0]["metadata"]["name"]) == "web-x7k2q");
  CHECK(text(parse_json(list_json("PodList", 1, {}, "tok"))["metadata"]["continue"]) == "tok");
  CHECK(list_json("NodeList", 3, {}) ==
        R"({"kind":"NodeList","apiVersion":"v1","metadata":{"resourceVersion":"3"},"items":[]})");
}

TEST_CASE("watch events: one newline-terminated line each, the five types") {
  std::string object = object_json(model::api_object{test::running_pod()});
  auto line = watch_event_json(watch_event_type::modified, object);
  REQUIRE(!line.empty());
  CHECK(line.back() == '\n');
  line.pop_back();
  auto event = parse_json(line);
  CHECK(text(event["type"]) == "MODIFIED");
  CHECK(text(event["object"]["metadata"]["name"]) == "web-x7k2q");
  CHECK(std::string(watch_event_name(watch_event_type::added)) == "ADDED");
  CHECK(std::string(watch_event_name(watch_event_type::deleted)) == "DELETED");
  CHECK(std::string(watch_event_name(watch_event_type::bookmark)) == "BOOKMARK");

  CHECK(watch_event_json(watch_event_type::bookmark, bookmark_object_json("Pod", 99)) ==
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":"
        "\"99\"}}}\n");

  // A too-old resourceVersion on a watch: a 200 stream whose one event is an ERROR Status.
  auto error = watch_event_json(watch_event_type::error, too_old_resource_version(5, 120).body);
  error.pop_back();
  auto status = parse_json(error)["object"];
  CHECK(status["code"].as<int>() == 410);
  CHECK(text(status["reason"]) == "Expired");
}

TEST_CASE("scale: autoscaling/v1 Scale of an RC, status.selector as text") {
  auto scale = parse_json(scale_json(test::web_rc()));
  CHECK(text(scale["kind"]) == "Scale");
  CHECK(text(scale["apiVersion"]) == "autoscaling/v1");
  CHECK(text(scale["metadata"]["name"]) == "web");
  CHECK(text(scale["metadata"]["namespace"]) == "default");
  CHECK(text(scale["metadata"]["uid"]) == "uid-web");
  CHECK(text(scale["metadata"]["resourceVersion"]) == "42");
  CHECK(!scale["metadata"]["labels"]);
  CHECK(scale["spec"]["replicas"].as<int>() == 3);
  CHECK(scale["status"]["replicas"].as<int>() == 2);
  CHECK(text(scale["status"]["selector"]) == "app=web,tier=front");
  CHECK(selector_text({}).empty());
}

TEST_CASE("derived kinds: Event, Namespace, ComponentStatus") {
  event_object e;
  e.metadata = test::meta("web-x7k2q.17a");
  e.involved_object = {"Pod", "default", "web-x7k2q", "uid-web-x7k2q"};
  e.reason = "Scheduled";
  e.message = "Successfully assigned default/web-x7k2q to node1";
  e.source_component = "berthd";
  e.first_timestamp = e.last_timestamp = test::k_created;
  auto event = parse_json(object_json(e));
  CHECK(text(event["kind"]) == "Event");
  CHECK(text(event["involvedObject"]["name"]) == "web-x7k2q");
  CHECK(text(event["involvedObject"]["kind"]) == "Pod");
  CHECK(text(event["firstTimestamp"]) == "2023-11-14T22:13:20Z");
  CHECK(event["count"].as<int>() == 1);
  CHECK(text(event["type"]) == "Normal");
  CHECK(text(event["source"]["component"]) == "berthd");

  namespace_object ns;
  ns.metadata = test::meta("default", "");
  auto n = parse_json(object_json(ns));
  CHECK(text(n["kind"]) == "Namespace");
  CHECK(text(n["status"]["phase"]) == "Active");
  CHECK(!n["metadata"]["namespace"]);
  CHECK(text(n["spec"]["finalizers"][0]) == "kubernetes");
  ns.status.phase = model::namespace_phase::terminating;
  CHECK(text(parse_json(object_json(ns))["status"]["phase"]) == "Terminating");

  auto cs = parse_json(object_json(component_status{"journal", false, "", "fsync failed"}));
  CHECK(text(cs["kind"]) == "ComponentStatus");
  CHECK(text(cs["metadata"]["name"]) == "journal");
  CHECK(text(cs["conditions"][0]["type"]) == "Healthy");
  CHECK(text(cs["conditions"][0]["status"]) == "False");
  CHECK(text(cs["conditions"][0]["error"]) == "fsync failed");
}

}  // namespace berth::kube
