#pragma once
// RFC 3339 timestamps as Kubernetes writes them: "2026-11-26T10:15:00Z".
//
// Kubernetes' metav1.Time has second precision on the wire, so formatting
// drops the sub-second part; parsing accepts fractions and numeric offsets
// ("2026-11-26T11:15:00.5+01:00") and converts to UTC nanoseconds.

#include <optional>
#include <string>
#include <string_view>

#include "actors/model/objects.hpp"

namespace berth::manifest {

/// "YYYY-MM-DDTHH:MM:SSZ" in UTC, seconds truncated toward the past.
std::string format_rfc3339(model::time_ns t);

/// Nanoseconds since the epoch, or nullopt when `text` is not RFC 3339
/// (date, 'T' or 't', time, optional fraction, then 'Z' or ±HH:MM).
std::optional<model::time_ns> parse_rfc3339(std::string_view text);

}  // namespace berth::manifest
