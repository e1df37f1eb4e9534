#pragma once
// The `paths` of the api/v1 OpenAPI document (openapi.hpp): an operation for
// each verb resources.hpp lists, on the paths berthd answers, each carrying
// the x-kubernetes-group-version-kind kubectl looks operations up by and the
// query parameters berthd reads. Internal to the kube JSON library. Pure.

#include <string_view>

#include "actors/manifest/emit.hpp"

namespace berth::kube::detail {

/// {"/api/v1/namespaces/{namespace}/pods": {"get": …, "post": …}, …}.
manifest::detail::doc openapi_paths();

/// {"$ref":"#/components/schemas/<name>"}.
manifest::detail::doc schema_ref(std::string_view name);

}  // namespace berth::kube::detail
