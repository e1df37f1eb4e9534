// Kubernetes container lifecycle hooks (postStart, preStop) and the
// termination message fields: decoding, defaults, validation with field
// paths, and rendering as the API server shows them.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "actors/manifest/render.hpp"
#include "tests/manifest/test_util.hpp"

using berth::manifest::test::errors_of;
using strings = std::vector<std::string>;
namespace model = berth::model;

namespace {

std::string pod(const std::string& container_extra) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n"
         "    image: nginx:1.25\n    ports:\n    - name: http\n      containerPort: 8080\n" +
         container_extra;
}

std::string d1(const std::string& e) { return "test.yaml document 1: " + e; }

const model::pod& only_pod(const std::string& text) {
  static berth::manifest::decode_result result;
  result = berth::manifest::decode_manifests(text, "test.yaml");
  REQUIRE(result.errors.empty());
  REQUIRE(result.objects.size() == 1);
  return std::get<model::pod>(result.objects[0].object);
}

const model::container& only_container(const std::string& text) { return only_pod(text).spec.containers.at(0); }

}  // namespace

TEST_CASE("lifecycle: postStart exec and preStop httpGet decode, with defaults") {
  const auto& c = only_container(pod(
      "    lifecycle:\n"
      "      postStart:\n        exec:\n          command: [sh, -c, \"echo hi > /tmp/x\"]\n"
      "      preStop:\n        httpGet:\n          port: http\n"
      "          httpHeaders:\n          - name: X-Stop\n            value: now\n"
      "    terminationMessagePath: /tmp/msg\n"
      "    terminationMessagePolicy: FallbackToLogsOnError\n"));
  REQUIRE(c.lifecycle_);
  REQUIRE(c.lifecycle_->post_start);
  CHECK(std::get<model::exec_action>(*c.lifecycle_->post_start).command ==
        strings{"sh", "-c", "echo hi > /tmp/x"});
  REQUIRE(c.lifecycle_->pre_stop);
  const auto& http = std::get<model::http_get_action>(*c.lifecycle_->pre_stop);
  CHECK(http.port.value == model::int_or_string{std::string("http")}.value);
  CHECK(http.path == "/");       // defaulted
  CHECK(http.scheme == "HTTP");  // defaulted
  REQUIRE(http.http_headers.size() == 1);
  CHECK(http.http_headers[0] == model::http_header{"X-Stop", "now"});
  CHECK(c.termination_message_path == "/tmp/msg");
  CHECK(c.termination_message_policy_ == model::termination_message_policy::fallback_to_logs_on_error);
}

TEST_CASE("lifecycle: a container without the fields gets Kubernetes' defaults") {
  const auto& c = only_container(pod(""));
  CHECK_FALSE(c.lifecycle_);
  CHECK(c.termination_message_path == "/dev/termination-log");
  CHECK(c.termination_message_policy_ == model::termination_message_policy::file);
  // kubectl 1.32 sends the defaults back on apply: accepted, same model.
  const model::container given = only_container(pod("    terminationMessagePath: /dev/termination-log\n"
                                                    "    terminationMessagePolicy: File\n"));
  const model::container absent = only_container(pod(""));
  CHECK(given == absent);
  // An empty path is defaulted as a missing one.
  CHECK(only_container(pod("    terminationMessagePath: \"\"\n")).termination_message_path == "/dev/termination-log");
}

TEST_CASE("probes take httpHeaders too (the agent sends them)") {
  const auto& c = only_container(pod("    livenessProbe:\n      httpGet:\n        port: 80\n        httpHeaders:\n"
                                     "        - name: X-Probe\n          value: berth\n"));
  REQUIRE(c.liveness_probe);
  CHECK(std::get<model::http_get_action>(c.liveness_probe->handler).http_headers ==
        std::vector<model::http_header>{{"X-Probe", "berth"}});
}

TEST_CASE("lifecycle: tcpSocket hooks and rendering as the API server shows them") {
  const model::pod p = only_pod(pod("    lifecycle:\n      preStop:\n        tcpSocket:\n          port: 8080\n"));
  auto yaml = berth::manifest::to_yaml(model::api_object{p});
  CHECK(yaml.find("    lifecycle:\n      preStop:\n        tcpSocket:\n          port: 8080\n") != std::string::npos);
  CHECK(yaml.find("    terminationMessagePath: /dev/termination-log\n    terminationMessagePolicy: File\n") !=
        std::string::npos);
  // The rendering decodes back to the same pod.
  CHECK(only_pod(yaml).spec == p.spec);
}

TEST_CASE("lifecycle: refusals name the field") {
  struct bad_case {
    std::string name;
    std::string text;
    strings errors;
  };
  const std::vector<bad_case> cases = {
      {"no handler",
       pod("    lifecycle:\n      postStart: {}\n"),
       {d1("spec.containers[0].lifecycle.postStart: Required value: must specify a handler type")}},
      {"two handlers",
       pod("    lifecycle:\n      preStop:\n        exec:\n          command: [\"true\"]\n"
           "        tcpSocket:\n          port: 80\n"),
       {d1("spec.containers[0].lifecycle.preStop: Forbidden: may not specify more than 1 handler type")}},
      {"exec without command",
       pod("    lifecycle:\n      postStart:\n        exec: {}\n"),
       {d1("spec.containers[0].lifecycle.postStart.exec.command: Required value")}},
      {"port out of range",
       pod("    lifecycle:\n      preStop:\n        httpGet:\n          port: 70000\n"),
       {d1("spec.containers[0].lifecycle.preStop.httpGet.port: Invalid value: 70000: must be between 1 and "
           "65535, inclusive")}},
      {"bad port name",
       pod("    lifecycle:\n      postStart:\n        tcpSocket:\n          port: Not_A_Name\n"),
       {d1("spec.containers[0].lifecycle.postStart.tcpSocket.port: Invalid value: \"Not_A_Name\": must contain "
           "only alpha-numeric characters (a-z, 0-9), and hyphens (-)")}},
      {"bad scheme",
       pod("    lifecycle:\n      postStart:\n        httpGet:\n          port: 80\n          scheme: FTP\n"),
       {d1("spec.containers[0].lifecycle.postStart.httpGet.scheme: Unsupported value: \"FTP\": supported values: "
           "\"HTTP\", \"HTTPS\"")}},
      {"bad header name",
       pod("    lifecycle:\n      postStart:\n        httpGet:\n          port: 80\n"
           "          httpHeaders:\n          - name: \"a b\"\n            value: x\n"),
       {d1("spec.containers[0].lifecycle.postStart.httpGet.httpHeaders[0].name: Invalid value: \"a b\": a valid "
           "HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for "
           "validation is '[-A-Za-z0-9]+')")}},
      {"relative terminationMessagePath",
       pod("    terminationMessagePath: tmp/msg\n"),
       {d1("spec.containers[0].terminationMessagePath: Invalid value: \"tmp/msg\": must be an absolute path")}},
      {"unknown terminationMessagePolicy",
       pod("    terminationMessagePolicy: Always\n"),
       {d1("spec.containers[0].terminationMessagePolicy: Unsupported value: \"Always\": supported values: \"File\", "
           "\"FallbackToLogsOnError\"")}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(errors_of(c.text) == c.errors);
  }
}
