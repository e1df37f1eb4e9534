#pragma once
// Kubernetes resource quantities ("100m", "0.5", "128Mi", "1G", "2e3").
//
// A quantity is held as an exact integer number of thousandths, so that cpu
// ("250m") and memory ("64Mi") share one type and arithmetic never rounds.
// The suffix family the user wrote (binary Ki/Mi/..., decimal k/M/... or none)
// is kept so that printing gives back what people expect.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace berth::model {

struct quantity {
  enum class suffix_family : std::uint8_t { decimal, binary };

  std::int64_t milli = 0;  // the value × 1000: "100m" = 100, "1Ki" = 1'024'000
  suffix_family family = suffix_family::decimal;

  bool operator==(const quantity&) const = default;

  /// Whole units, rounded up (Kubernetes' Value()): "100m" -> 1, "1Ki" -> 1024.
  std::int64_t value() const;
};

/// Parses a quantity. On failure returns nullopt and, when `error` is given,
/// sets it to a Kubernetes-style message
/// ("quantities must match the regular expression ...", "quantity too large").
std::optional<quantity> parse_quantity(std::string_view text, std::string* error = nullptr);

/// Canonical text: "100m", "500m", "2", "128Mi", "1G". parse_quantity(to_string(q)) == q.
std::string to_string(const quantity& q);

}  // namespace berth::model
