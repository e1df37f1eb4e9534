// Which resource a Kubernetes REST path names, and its query parameters.
#include <doctest/doctest.h>

#include "actors/kube/request_target.hpp"

namespace berth::kube {

TEST_CASE("paths: discovery documents and core/v1 resource paths") {
  using w = request_target::what;
  struct row {
    const char* path;
    w kind;
    const char* ns;
    const char* resource;
    const char* name;
    const char* sub;
  };
  const row rows[] = {
      {"/version", w::version, "", "", "", ""},
      {"/api", w::api, "", "", "", ""},
      {"/api/", w::api, "", "", "", ""},
      {"/apis", w::apis, "", "", "", ""},
      {"/api/v1", w::api_v1, "", "", "", ""},
      {"/openapi/v2", w::openapi_v2, "", "", "", ""},
      {"/openapi/v3/api/v1", w::openapi_v3, "", "", "", ""},
      {"/api/v1/pods", w::resource, "", "pods", "", ""},
      {"/api/v1/namespaces/default/pods", w::resource, "default", "pods", "", ""},
      {"/api/v1/namespaces/default/pods/web", w::resource, "default", "pods", "web", ""},
      {"/api/v1/namespaces/default/pods/web/log", w::resource, "default", "pods", "web", "log"},
      {"/api/v1/namespaces/kube-system/replicationcontrollers/x/scale", w::resource, "kube-system",
       "replicationcontrollers", "x", "scale"},
      {"/api/v1/nodes", w::resource, "", "nodes", "", ""},
      {"/api/v1/nodes/n1/status", w::resource, "", "nodes", "n1", "status"},
      {"/api/v1/namespaces", w::resource, "", "namespaces", "", ""},
      {"/api/v1/namespaces/default", w::resource, "", "namespaces", "default", ""},
      {"/api/v1/namespaces/default/status", w::resource, "", "namespaces", "default", "status"},
      {"/api/v2/pods", w::not_found, "", "", "", ""},
      {"/apis/apps/v1/deployments", w::not_found, "", "", "", ""},
      {"/api/v1/namespaces/default/pods/web/log/extra", w::not_found, "", "", "", ""},
      {"/healthz", w::not_found, "", "", "", ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.path);
    auto t = parse_target(r.path);
    CHECK(t.kind == r.kind);
    CHECK(t.namespace_ == r.ns);
    CHECK(t.resource == r.resource);
    CHECK(t.name == r.name);
    CHECK(t.subresource == r.sub);
  }
}

TEST_CASE("queries: percent-decoded, '+' is a space, bad escapes named by byte") {
  std::string error;
  auto q = parse_query("labelSelector=app%3Dweb%2Ctier%21%3Dcache&limit=500&watch=true&x=a+b&flag", error);
  CHECK(error.empty());
  CHECK(q.at("labelSelector") == "app=web,tier!=cache");
  CHECK(q.at("limit") == "500");
  CHECK(q.at("watch") == "true");
  CHECK(q.at("x") == "a b");
  CHECK(q.at("flag").empty());
  auto bad = parse_query("fieldSelector=metadata.name%3", error);
  CHECK(error == "query: bad percent-escape at byte 27");
  auto [path, query] = split_url("/api/v1/pods?watch=1");
  CHECK(path == "/api/v1/pods");
  CHECK(query == "watch=1");
  CHECK(split_url("/api").second.empty());
}

}  // namespace berth::kube
