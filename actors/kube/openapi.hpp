#pragma once
// The OpenAPI v3 documents kubectl 1.32 reads, shaped as kube-apiserver's
// k8s.io/kube-openapi pkg/handler3 serves them:
//
//   GET /openapi/v3         openapi_v3_index()     {"paths":{"api/v1":{"serverRelativeURL":
//                                                    "/openapi/v3/api/v1?hash=HASH"}}}
//   GET /openapi/v3/api/v1  openapi_v3_api_v1()    an OpenAPI 3.0 document: the paths of
//                                                    resources.hpp and the schemas of
//                                                    openapi_schema.hpp
//
// What kubectl 1.32 does with it (k8s.io/kubectl, k8s.io/cli-runtime v0.32):
// - `explain` finds the resource's kind on its path operations, then the
//   schema whose x-kubernetes-group-version-kind lists it, and prints it;
// - create/apply with --validate=strict (the default) look for a PATCH
//   operation of the kind that takes the `fieldValidation` query parameter;
//   finding it, kubectl leaves validation to the server (berthd always
//   rejects unknown fields, 422) instead of validating client-side;
// - apply on an existing object computes its strategic merge patch from the
//   schemas' x-kubernetes-patch-merge-key/-strategy, so those must be the
//   merge keys berthd's patch.cpp uses, and every field berthd accepts must be
//   in the schema (a field missing there fails the patch computation).
//
// Only api/v1 is listed: rc/scale's autoscaling/v1 Scale is served under
// /api/v1, and its schema is in that document, as kube-apiserver puts it.
// /openapi/v2 stays the empty protobuf document (kube_http.cpp): kubectl
// 1.20 reads v2 as protobuf only, and an empty one turns its client-side
// validation off. Pure.

#include <string>
#include <string_view>

#include "actors/kube/status.hpp"

namespace berth::kube {

/// The OpenAPI 3.0 document of the core group, version v1 (JSON, one line).
std::string openapi_v3_api_v1();

/// A stable hash of `document`: 32 upper-case hex digits (XXH3-128). The
/// apiserver's is a SHA-512; clients only compare it, as a cache key.
std::string openapi_hash(std::string_view document);

/// The /openapi/v3 index for an api/v1 document whose text is `api_v1`: its
/// URL carries openapi_hash(api_v1), so a client's cache key changes exactly
/// when the document does.
std::string openapi_v3_index(std::string_view api_v1);

/// What GET /openapi/v3/<rest> names: the index (rest ""), the api/v1
/// document, or nothing (404).
enum class openapi_v3_target { index, api_v1, not_found };
openapi_v3_target parse_openapi_v3(std::string_view path);

/// Whether `accept` takes JSON (application/json, application/*, */*, none,
/// or something berthd does not know: kube clients all read JSON). Only an
/// Accept header that lists nothing but the protobuf form
/// (application/com.github.proto-openapi.spec.v3@v1.0+protobuf) is refused,
/// because a client that asked only for protobuf would misread JSON.
bool openapi_accepts_json(std::string_view accept);

/// 406 NotAcceptable Status naming the one form berthd serves.
reply openapi_not_acceptable();

}  // namespace berth::kube
