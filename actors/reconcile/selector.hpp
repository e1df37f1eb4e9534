#pragma once
// Label selectors, as kubectl writes them (`-l`) and as RCs and services hold
// them (a map of key=value).
//
// Grammar (whitespace between tokens is ignored):
//
//   selector    := ε | requirement ( "," requirement )*
//   requirement := "!" KEY                          does not exist
//                | KEY                              exists
//                | KEY ( "=" | "==" | "!=" ) VALUE  VALUE may be empty: `a=`
//                | KEY ( "in" | "notin" ) "(" VALUE ( "," VALUE )* ")"
//   KEY         := [prefix "/"] name   prefix: DNS subdomain ≤ 253, name ≤ 63
//   VALUE       := ε | name            [A-Za-z0-9] at both ends, [-_.A-Za-z0-9] inside
//
// A parsed selector is canonical: requirements sorted by key (stable, so two
// requirements on one key keep their order), `==` folded into `=`, set values
// sorted and deduplicated. Hence parse(to_string(s)) == s.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/objects.hpp"
#include "actors/reconcile/result.hpp"

namespace berth::reconcile {

enum class selector_op : std::uint8_t { equals, not_equals, in, not_in, exists, does_not_exist };

/// One clause of a selector. `values` holds one value for equals/not_equals,
/// one or more (sorted, unique) for in/not_in, none for exists/does_not_exist.
struct label_requirement {
  std::string key;
  selector_op op = selector_op::exists;
  std::vector<std::string> values;
  bool operator==(const label_requirement&) const = default;
};

/// All requirements must hold (AND). An empty selector matches every label set.
struct label_selector {
  std::vector<label_requirement> requirements;
  bool empty() const { return requirements.empty(); }
  bool operator==(const label_selector&) const = default;
};

/// Parses kubectl syntax. On error the message names the offset (in bytes from
/// the start of `text`) and what was expected:
/// `unexpected ")" at offset 7, expected a label key`.
result<label_selector> parse_label_selector(std::string_view text);

/// The selector of an RC or a service: every key=value must match.
/// An empty map gives the empty selector, which matches everything: callers
/// that mean "no selector" (a service without one) must check first.
label_selector from_map(const model::string_map& selector);

/// True when `labels` satisfy every requirement (Kubernetes semantics: `!=` and
/// `notin` also match when the key is absent).
bool matches(const label_selector& s, const model::string_map& labels);

/// Canonical kubectl text: `a=b,c!=d,e in (x,y),!f`. Parses back to `s`.
std::string to_string(const label_selector& s);

/// Why `key` is not a valid label key, or empty when it is.
std::string check_label_key(std::string_view key);

/// Why `value` is not a valid label value, or empty when it is.
std::string check_label_value(std::string_view value);

}  // namespace berth::reconcile
