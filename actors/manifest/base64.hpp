#pragma once
// Standard base64 (RFC 4648, with padding): how Kubernetes JSON and YAML
// carry a Secret's data values. Pure.

#include <optional>
#include <string>
#include <string_view>

namespace berth::manifest {

std::string base64_encode(std::string_view bytes);

/// The bytes `text` encodes; nullopt when it is not padded standard base64.
/// `bad_at` is the offset of the first illegal byte (Go's "illegal base64
/// data at input byte N").
std::optional<std::string> base64_decode(std::string_view text, std::size_t* bad_at = nullptr);

}  // namespace berth::manifest
