#pragma once
// Kubernetes' protobuf request bodies (Content-Type
// application/vnd.kubernetes.protobuf), as far as berthd reads them: kubectl
// 1.32 sends `kubectl create namespace` this way (its typed clients prefer
// protobuf for built-in kinds) and does not fall back to JSON on a 415.
//
//   body     = "k8s\0" unknown                  (4 magic bytes, then one message)
//   unknown  = runtime.Unknown { 1: typeMeta {1: apiVersion, 2: kind},
//                                2: raw (the object's own message),
//                                3: contentEncoding, 4: contentType }
//   Namespace (k8s.io.api.core.v1) = { 1: metadata ObjectMeta, 2: spec, 3: status }
//   ObjectMeta = { 1: name, 2: generateName, 3: namespace, 11: labels, 12: annotations, ... }
//   map<string,string> entries = repeated { 1: key, 2: value }
//
// Only what a client may write is kept (name, generateName, namespace,
// labels, annotations); server-set metadata, spec.finalizers and status are
// skipped like every other field, as the JSON decoder ignores status. Pure;
// never trusts a length: bad bytes are an error naming where and why.

#include <optional>
#include <string>
#include <string_view>

#include "actors/model/objects.hpp"

namespace berth::kube {

/// The protobuf media type.
inline constexpr std::string_view k_protobuf_type = "application/vnd.kubernetes.protobuf";

/// A runtime.Unknown: the type of the object and its encoded message.
struct protobuf_unknown {
  std::string api_version;
  std::string kind;
  std::string raw;
  std::string content_encoding;
  std::string content_type;
  bool operator==(const protobuf_unknown&) const = default;
};

/// The envelope of a protobuf body; nullopt and `error` ("protobuf body: ...")
/// when the magic is missing or the message is malformed.
std::optional<protobuf_unknown> decode_protobuf_envelope(std::string_view body, std::string& error);

/// A core/v1 Namespace message (the envelope's raw); nullopt and `error` when malformed.
std::optional<model::namespace_object> decode_protobuf_namespace(std::string_view raw, std::string& error);

/// A core/v1 Secret message ({1: metadata, 2: data map<string,bytes>, 3:
/// type, 4: stringData map<string,string>}; `kubectl create secret` sends
/// it): stringData merged into data (stringData wins), type "Opaque" when
/// unset; nullopt and `error` when malformed.
std::optional<model::secret> decode_protobuf_secret(std::string_view raw, std::string& error);

}  // namespace berth::kube
