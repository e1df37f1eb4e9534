#pragma once
// What a Kubernetes REST request names, from its path and query: the
// discovery documents (/version, /api, /apis, /api/v1, /openapi/...) or a
// resource path of the core group,
//
//   /api/v1/{resource}                                   every namespace / cluster-scoped
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{sub}]]  namespaced
//   /api/v1/{resource}/{name}[/{sub}]                    cluster-scoped (nodes, namespaces)
//
// as apiserver's RequestInfoFactory splits it (k8s.io/apiserver
// pkg/endpoints/request/requestinfo.go). Pure: no I/O.

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::kube {

struct request_target {
  enum class what { version, api, apis, api_v1, openapi_v2, openapi_v3, resource, not_found };
  what kind = what::not_found;
  std::string namespace_;   // "" = all namespaces, or a cluster-scoped resource
  std::string resource;     // "pods"; "namespaces" for /api/v1/namespaces[/NAME]
  std::string name;         // "" = the collection
  std::string subresource;  // "log", "status", "scale", "exec", ...
};

/// Splits `path` (no query string). Anything outside the served paths is not_found.
request_target parse_target(std::string_view path);

/// The query parameters, percent-decoded ('+' is a space). A malformed escape
/// sets `error` ("query: bad percent-escape at byte 12") and returns what was parsed.
std::map<std::string, std::string> parse_query(std::string_view query, std::string& error);

/// The same, every pair in order, repeated keys kept (exec's
/// `command=sh&command=-c&command=...`).
std::vector<std::pair<std::string, std::string>> parse_query_pairs(std::string_view query, std::string& error);

/// Splits "PATH?QUERY" at the first '?'.
std::pair<std::string_view, std::string_view> split_url(std::string_view url);

}  // namespace berth::kube
