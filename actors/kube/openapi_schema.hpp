#pragma once
// The types of the OpenAPI document (openapi.hpp) as one data table
// (openapi_schema.cpp; the core/v1 fields in openapi_fields.hpp): every
// object berthd serves under /api/v1, field by field, with what kubectl
// explain prints and what kubectl apply's patch computation reads.
//
// The table describes what berthd accepts and returns, not all of
// Kubernetes: a field the manifest decoder (actors/manifest/decode*.cpp)
// rejects as "not supported" is absent, so `kubectl explain` does not offer
// it. A field's type is written as a small grammar:
//
//   type   = scalar | "[]" type | "map[string]" type | NAME
//   scalar = "string" | "integer" | "int64" | "boolean"
//   NAME   = the last component of a type's name in the table ("Container",
//            "Quantity", "ObjectMeta")
//
// Pure constant data.

#include <span>
#include <string_view>

#include "actors/kube/resources.hpp"

namespace berth::kube {

struct openapi_field {
  std::string_view name;
  std::string_view type;  // the grammar above
  std::string_view description;
  bool required = false;
  /// For a list: the key its elements are merged by in a strategic merge
  /// patch (patch.cpp); "" = the list is replaced whole.
  std::string_view merge_key = {};
  std::span<const std::string_view> values = {};  // the values berthd accepts, when it checks them
};

/// How a type is written: an object with properties, or one of the
/// apimachinery scalars that are strings (or numbers) on the wire.
enum class openapi_shape { object, date_time, quantity, int_or_string };

struct openapi_type {
  std::string_view name;  // "io.k8s.api.core.v1.Pod"
  std::string_view description;
  std::span<const openapi_field> fields;
  group_version_kind gvk = {};  // kind "" = not a kind of its own
  openapi_shape shape = openapi_shape::object;
};

/// Every type, kinds first, each after the kinds that use it.
std::span<const openapi_type> openapi_types();

/// The type whose name is `name` or ends with "." + `name`; nullptr for none.
const openapi_type* find_openapi_type(std::string_view name);

}  // namespace berth::kube
