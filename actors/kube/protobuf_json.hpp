#pragma once
// Kubernetes' protobuf request bodies turned into the JSON the apiserver would
// have been sent, for the kinds kubectl's typed `create` subcommands send as
// protobuf besides namespaces and secrets (protobuf.hpp): `kubectl create
// service clusterip|nodeport|...` (Service) and `kubectl create quota`
// (ResourceQuota), plus Endpoints and LimitRange, which client libraries'
// typed clients may send the same way.
//
// The JSON then goes through the manifest decoder like any JSON body, so a
// protobuf body gets exactly the validation and field errors a JSON one gets.
// Fields berth does not read (status, server-set metadata, newer fields) are
// skipped. Go's generated marshalling writes every non-pointer field, empty
// or not, so a singular string, number or bool at its zero value is taken as
// absent, as `omitempty` has it in JSON. Pure; never trusts a length.

#include <optional>
#include <string>
#include <string_view>

#include "actors/kube/protobuf.hpp"

namespace berth::kube {

/// True for the kinds protobuf_object_json() transcodes.
bool protobuf_json_kind(std::string_view kind);

/// The object of `u` (apiVersion v1, a kind protobuf_json_kind() accepts) as
/// one JSON object text with apiVersion and kind set; nullopt and `error`
/// ("Service at byte 12: ...") when the message is malformed.
std::optional<std::string> protobuf_object_json(const protobuf_unknown& u, std::string& error);

}  // namespace berth::kube
