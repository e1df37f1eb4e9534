#pragma once
// metav1.Status bodies, shaped and worded as kube-apiserver's
// k8s.io/apimachinery pkg/api/errors builds them, because kubectl prints them
// verbatim ("Error from server (NotFound): pods "x" not found") and client
// libraries branch on `reason` and `code`:
//
//   {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
//    "message":"pods \"x\" not found","reason":"NotFound",
//    "details":{"name":"x","kind":"pods"},"code":404}
//
// `details.kind` is the resource plural for NotFound, AlreadyExists, Conflict,
// Forbidden and MethodNotAllowed (they take a GroupResource), but the Kind for
// Invalid (it takes a GroupKind). Core-group details carry no `group`.
//
// On a watch, an error is not an HTTP status: the stream (already 200) sends
// {"type":"ERROR","object":<Status>} (objects_json.hpp watch_event_json) —
// this is how a too-old resourceVersion (expired(), 410) reaches kubectl.
// Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/manifest/field_error.hpp"

namespace berth::kube {

/// An HTTP status code and its JSON body (Content-Type application/json).
struct reply {
  int code = 200;
  std::string body;
};

/// 404 `pods "x" not found`, reason NotFound, details {name, kind: plural}.
reply not_found(std::string_view plural, std::string_view name);

/// 404 for a path that names nothing: "the server could not find the requested
/// resource", details {} (the apiserver's answer to an unknown URL).
reply path_not_found();

/// 409 `pods "x" already exists`, reason AlreadyExists.
reply already_exists(std::string_view plural, std::string_view name);

/// 409 `Operation cannot be fulfilled on pods "x": <message>`, reason Conflict.
reply conflict(std::string_view plural, std::string_view name, std::string_view message);

/// The message of a resourceVersion precondition that failed, as the
/// apiserver's optimistic concurrency writes it.
inline constexpr std::string_view k_object_modified =
    "the object has been modified; please apply your changes to the latest version and try again";

/// A cause of an Invalid status: {"reason":"FieldValueRequired","message":"Required value","field":"spec..."}.
struct status_cause {
  std::string reason;  // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, FieldValueDuplicate, ...
  std::string message;
  std::string field;
  bool operator==(const status_cause&) const = default;
};

/// The causes of berth's validation errors. The reason is read from the
/// message the factories in field_error.hpp write ("Required value" →
/// FieldValueRequired, "Invalid value" → FieldValueInvalid, "Unsupported value"
/// → FieldValueNotSupported, "Duplicate value" → FieldValueDuplicate,
/// "Forbidden" → FieldValueForbidden, "Too long" → FieldValueTooLong;
/// "Unknown field" and anything else → FieldValueInvalid).
std::vector<status_cause> causes_of(const manifest::field_errors& errors);

/// 422 `Pod "x" is invalid: spec.containers[0].image: Required value` (several
/// errors: `... is invalid: [a: ..., b: ...]`), reason Invalid, details
/// {name, kind: Kind, causes}.
reply invalid(std::string_view kind, std::string_view name, const manifest::field_errors& errors);

/// 401 "Unauthorized", reason Unauthorized.
reply unauthorized();

/// 403 `pods "x" is forbidden: <message>` (`pods is forbidden: ...` without a
/// name), reason Forbidden.
reply forbidden(std::string_view plural, std::string_view name, std::string_view message);

/// 400 with `message` as given, reason BadRequest.
reply bad_request(std::string_view message);

/// 405 `<verb> is not supported on resources of kind "pods"`, reason MethodNotAllowed.
reply method_not_allowed(std::string_view plural, std::string_view verb);

/// 410 with `message`, reason Gone.
reply gone(std::string_view message);

/// 410 with `message`, reason Expired (a resourceVersion or continue token too old).
reply expired(std::string_view message);

/// 410 Expired "too old resource version: <requested> (<oldest>)", as the
/// watch cache words it; `oldest` is the oldest version still watchable.
reply too_old_resource_version(std::uint64_t requested, std::uint64_t oldest);

/// 413 "Request entity too large: <message>", reason RequestEntityTooLarge.
reply request_too_large(std::string_view message);

/// 415 "the body of the request was in an unknown format - accepted media
/// types include: <accepted>", reason UnsupportedMediaType; `accepted` is
/// the comma-separated list (PATCH: the three patch types berthd applies).
reply unsupported_media_type(std::string_view accepted);

/// 500 "Internal error occurred: <message>", reason InternalError, the message
/// also as details.causes[0].message.
reply internal_error(std::string_view message);

/// 503 with `message`, reason ServiceUnavailable.
reply service_unavailable(std::string_view message);

/// 200 {"status":"Success","details":{name, kind: plural, uid}}: what DELETE
/// answers for resources whose registry does not return the deleted object
/// (resources.hpp delete_returns_object: pods, services and namespaces answer
/// with the object instead — a terminating pod or namespace as it now is).
reply success_status(std::string_view plural, std::string_view name, std::string_view uid);

}  // namespace berth::kube
