// metav1.Status bodies: codes, reasons and messages as kube-apiserver words them.
#include <doctest/doctest.h>

#include <string>

#include "actors/kube/status.hpp"
#include "tests/kube/json_parse.hpp"

namespace berth::kube {
namespace {

using test::parse_json;
using test::text;

}  // namespace

TEST_CASE("not found: exactly the body kubectl prints as Error from server (NotFound)") {
  auto r = not_found("pods", "x");
  CHECK(r.code == 404);
  CHECK(
      r.body ==
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \"x\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404})");
}

TEST_CASE("codes, reasons and messages") {
  struct row {
    reply r;
    int code;
    const char* reason;
    std::string message;
  };
  const row rows[] = {
      {path_not_found(), 404, "NotFound", "the server could not find the requested resource"},
      {already_exists("pods", "web"), 409, "AlreadyExists", R"(pods "web" already exists)"},
      {conflict("replicationcontrollers", "web", k_object_modified), 409, "Conflict",
       R"(Operation cannot be fulfilled on replicationcontrollers "web": the object has been modified; please apply your changes to the latest version and try again)"},
      {unauthorized(), 401, "Unauthorized", "Unauthorized"},
      {forbidden("pods", "", R"(User "system:anonymous" cannot list resource "pods")"), 403, "Forbidden",
       R"(pods is forbidden: User "system:anonymous" cannot list resource "pods")"},
      {forbidden("pods", "x", "no"), 403, "Forbidden", R"(pods "x" is forbidden: no)"},
      {bad_request("the name of the object (a) does not match the name on the URL (b)"), 400, "BadRequest",
       "the name of the object (a) does not match the name on the URL (b)"},
      {method_not_allowed("componentstatuses", "create"), 405, "MethodNotAllowed",
       R"(create is not supported on resources of kind "componentstatuses")"},
      {gone("watch closed"), 410, "Gone", "watch closed"},
      {too_old_resource_version(5, 120), 410, "Expired", "too old resource version: 5 (120)"},
      {request_too_large("limit is 3145728"), 413, "RequestEntityTooLarge",
       "Request entity too large: limit is 3145728"},
      {unsupported_media_type("application/json-patch+json, application/merge-patch+json"), 415, "UnsupportedMediaType",
       "the body of the request was in an unknown format - accepted media types include: "
       "application/json-patch+json, application/merge-patch+json"},
      {internal_error("journal append failed"), 500, "InternalError", "Internal error occurred: journal append failed"},
      {service_unavailable("berthd is replaying its journal"), 503, "ServiceUnavailable",
       "berthd is replaying its journal"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.r.body);
    CHECK(r.r.code == r.code);
    auto s = parse_json(r.r.body);
    CHECK(text(s["kind"]) == "Status");
    CHECK(text(s["apiVersion"]) == "v1");
    CHECK(text(s["status"]) == "Failure");
    CHECK(text(s["reason"]) == r.reason);
    CHECK(text(s["message"]) == r.message);
    CHECK(s["code"].as<int>() == r.code);
  }
}

TEST_CASE("details: the resource plural for name-based errors, none for generic ones") {
  auto conflict_details = parse_json(conflict("pods", "x", "m").body)["details"];
  CHECK(text(conflict_details["name"]) == "x");
  CHECK(text(conflict_details["kind"]) == "pods");
  CHECK(!conflict_details["group"]);
  CHECK(!parse_json(bad_request("b").body)["details"]);
  CHECK(!parse_json(path_not_found().body)["details"]);
  auto internal = parse_json(internal_error("boom").body)["details"];
  CHECK(text(internal["causes"][0]["message"]) == "boom");
}

TEST_CASE("invalid: one error inline, the Kind (not the plural) in details, each error a cause") {
  auto r = invalid("Pod", "x", {manifest::required("spec.containers[0].image")});
  CHECK(r.code == 422);
  auto s = parse_json(r.body);
  CHECK(text(s["reason"]) == "Invalid");
  CHECK(text(s["message"]) == R"(Pod "x" is invalid: spec.containers[0].image: Required value)");
  CHECK(text(s["details"]["kind"]) == "Pod");
  CHECK(text(s["details"]["name"]) == "x");
  REQUIRE(s["details"]["causes"].size() == 1);
  auto cause = s["details"]["causes"][0];
  CHECK(text(cause["reason"]) == "FieldValueRequired");
  CHECK(text(cause["message"]) == "Required value");
  CHECK(text(cause["field"]) == "spec.containers[0].image");
}

TEST_CASE("invalid: several errors in brackets, a repeated one once") {
  manifest::field_errors errors = {
      manifest::required("spec.containers[0].image"),
      manifest::invalid("spec.replicas", std::int64_t{-1}, "must be greater than or equal to 0"),
      manifest::required("spec.containers[0].image"),
  };
  auto s = parse_json(invalid("ReplicationController", "web", errors).body);
  CHECK(
      text(s["message"]) ==
      R"(ReplicationController "web" is invalid: [spec.containers[0].image: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0])");
  CHECK(s["details"]["causes"].size() == 3);
}

TEST_CASE("causes_of: the cause reason follows the field error's kind") {
  manifest::field_errors errors = {
      manifest::required("a"),
      manifest::invalid("b", "x", "bad"),
      manifest::unsupported("c", "Sometimes", {"Always", "Never"}),
      manifest::duplicate("d", "web"),
      manifest::forbidden("e", "may not be set"),
      manifest::too_long("f", 63),
      manifest::unknown_field("g"),
  };
  std::vector<std::string> reasons;
  for (const auto& c : causes_of(errors)) reasons.push_back(c.reason);
  CHECK(reasons == std::vector<std::string>{"FieldValueRequired", "FieldValueInvalid", "FieldValueNotSupported",
                                            "FieldValueDuplicate", "FieldValueForbidden", "FieldValueTooLong",
                                            "FieldValueInvalid"});
  CHECK(causes_of(errors)[1].message == R"(Invalid value: "x": bad)");
  CHECK(causes_of(errors)[1].field == "b");
}

TEST_CASE("success status: what DELETE answers for resources that do not return the object") {
  auto r = success_status("replicationcontrollers", "web", "0b9c-uid");
  CHECK(r.code == 200);
  CHECK(
      r.body ==
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","details":{"name":"web","kind":"replicationcontrollers","uid":"0b9c-uid"}})");
}

}  // namespace berth::kube
