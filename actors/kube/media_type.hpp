#pragma once
// Accept headers, split the way the apiserver's content negotiation reads
// them (k8s.io/apiserver pkg/endpoints/handlers/negotiation): a comma list of
// media ranges, each "type/subtype" with ";key=value" parameters. kubectl
// lists its ranges by preference without q values, so callers take the first
// range they can produce. Pure.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace berth::kube {

struct media_range {
  std::string type;                           // "application/json", lower-cased
  std::map<std::string, std::string> params;  // "as" → "Table"; keys lower-cased, values as sent
  bool operator==(const media_range&) const = default;

  /// The parameter's value, or "" when absent.
  std::string param(const std::string& key) const;
};

/// The ranges of `accept`, in order; blanks around separators are dropped.
std::vector<media_range> parse_accept(std::string_view accept);

/// True for "application/json", "application/*" and "*/*".
bool accepts_json(const media_range& m);

}  // namespace berth::kube
