#pragma once
// Field selectors (`--field-selector`, `?fieldSelector=`): the fields
// Kubernetes indexes. metadata.name and metadata.namespace select objects of
// every kind (kubectl delete waits on `metadata.name=NAME` for any kind);
// spec.nodeName and status.phase only pods.
//
// Grammar (spaces around terms and operators are ignored):
//
//   selector := ε | term ( "," term )*
//   term     := FIELD ( "=" | "==" | "!=" ) VALUE     VALUE: any text without ","
//   FIELD    := "metadata.name" | "metadata.namespace" | "spec.nodeName" | "status.phase"
//
// Commas cannot be escaped (no supported field holds one). `==` folds into `=`,
// so parse(to_string(s)) == s.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/objects.hpp"
#include "actors/reconcile/result.hpp"

namespace berth::reconcile {

enum class pod_field : std::uint8_t { name, namespace_, node_name, phase };

/// One term: `field = value` or, when `negated`, `field != value`.
struct field_requirement {
  pod_field field = pod_field::name;
  bool negated = false;
  std::string value;
  bool operator==(const field_requirement&) const = default;
};

/// All terms must hold; the empty selector matches every pod.
struct field_selector {
  std::vector<field_requirement> requirements;
  bool empty() const { return requirements.empty(); }
  bool operator==(const field_selector&) const = default;
};

/// Parses `spec.nodeName=n1,status.phase!=Running`. An unknown field is an error
/// naming it and the supported ones; a term without an operator names its offset.
result<field_selector> parse_field_selector(std::string_view text);

/// True when `p` satisfies every term. Phases compare by Kubernetes' name
/// ("Running"); an unbound pod has spec.nodeName "".
bool matches(const field_selector& s, const model::pod& p);

/// True when every term names a field every kind has (metadata.name,
/// metadata.namespace): such a selector can select any kind.
bool metadata_only(const field_selector& s);

/// For any kind: true when `m` satisfies every term (metadata_only(s) must hold).
bool matches(const field_selector& s, const model::object_meta& m);

/// Canonical text; parses back to `s`.
std::string to_string(const field_selector& s);

/// The API name of a field: "spec.nodeName".
const char* field_name(pod_field f);

}  // namespace berth::reconcile
