#include "actors/kube/status.hpp"

#include <set>

#include <fmt/format.h>

#include "actors/manifest/emit.hpp"

namespace berth::kube {
namespace {

using manifest::detail::doc;

doc str(std::string_view s) { return doc::str(std::string(s)); }

/// `"x"` as Go's %q writes it: the apiserver's messages quote names with %q.
std::string quoted(std::string_view s) { return manifest::go_quoted(s); }

/// A Failure status; `details` is left out when empty, as `omitempty` does.
reply failure(int code, std::string_view reason, std::string_view message, doc details = doc::map()) {
  doc d = doc::map().set("kind", str("Status")).set("apiVersion", str("v1")).set("metadata", doc::map());
  d.set("status", str("Failure")).set("message", str(message)).set("reason", str(reason));
  if (!details.empty()) d.set("details", std::move(details));
  d.set("code", doc::integer(code));
  return {code, manifest::detail::write_json_compact(d)};
}

doc name_kind(std::string_view name, std::string_view kind) {
  return doc::map().set_nonempty("name", std::string(name)).set("kind", str(kind));
}

/// "plural "name"" or just "plural" without a name, as Kubernetes' GroupResource messages.
std::string subject(std::string_view plural, std::string_view name) {
  return name.empty() ? std::string(plural) : fmt::format("{} {}", plural, quoted(name));
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string cause_reason(std::string_view message) {
  static constexpr std::pair<std::string_view, std::string_view> k_reasons[] = {
      {"Required value", "FieldValueRequired"},
      {"Invalid value", "FieldValueInvalid"},
      {"Unsupported value", "FieldValueNotSupported"},
      {"Duplicate value", "FieldValueDuplicate"},
      {"Forbidden", "FieldValueForbidden"},
      {"Too long", "FieldValueTooLong"},
  };
  for (const auto& [prefix, reason] : k_reasons) {
    if (starts_with(message, prefix)) return std::string(reason);
  }
  return "FieldValueInvalid";
}

}  // namespace

reply not_found(std::string_view plural, std::string_view name) {
  return failure(404, "NotFound", fmt::format("{} not found", subject(plural, name)), name_kind(name, plural));
}

reply path_not_found() { return failure(404, "NotFound", "the server could not find the requested resource"); }

reply already_exists(std::string_view plural, std::string_view name) {
  return failure(409, "AlreadyExists", fmt::format("{} already exists", subject(plural, name)),
                 name_kind(name, plural));
}

reply conflict(std::string_view plural, std::string_view name, std::string_view message) {
  return failure(409, "Conflict",
                 fmt::format("Operation cannot be fulfilled on {}: {}", subject(plural, name), message),
                 name_kind(name, plural));
}

std::vector<status_cause> causes_of(const manifest::field_errors& errors) {
  std::vector<status_cause> out;
  for (const auto& e : errors) out.push_back({cause_reason(e.message), e.message, e.field});
  return out;
}

reply invalid(std::string_view kind, std::string_view name, const manifest::field_errors& errors) {
  // utilerrors.Aggregate: one error as is, several in brackets, repeats once.
  std::vector<std::string> texts;
  std::set<std::string> seen;
  for (const auto& e : errors) {
    if (seen.insert(e.to_string()).second) texts.push_back(e.to_string());
  }
  std::string message = fmt::format("{} {} is invalid", kind, quoted(name));
  if (texts.size() == 1) message += ": " + texts.front();
  if (texts.size() > 1) message += fmt::format(": [{}]", fmt::join(texts, ", "));
  doc causes = doc::list();
  for (const auto& c : causes_of(errors)) {
    causes.push(doc::map().set("reason", str(c.reason)).set("message", str(c.message)).set_nonempty("field", c.field));
  }
  return failure(422, "Invalid", message, name_kind(name, kind).set_nonempty("causes", std::move(causes)));
}

reply unauthorized() { return failure(401, "Unauthorized", "Unauthorized"); }

reply forbidden(std::string_view plural, std::string_view name, std::string_view message) {
  return failure(403, "Forbidden", fmt::format("{} is forbidden: {}", subject(plural, name), message),
                 name_kind(name, plural));
}

reply bad_request(std::string_view message) { return failure(400, "BadRequest", message); }

reply method_not_allowed(std::string_view plural, std::string_view verb) {
  return failure(405, "MethodNotAllowed",
                 fmt::format("{} is not supported on resources of kind {}", verb, quoted(plural)),
                 doc::map().set("kind", str(plural)));
}

reply gone(std::string_view message) { return failure(410, "Gone", message); }

reply expired(std::string_view message) { return failure(410, "Expired", message); }

reply too_old_resource_version(std::uint64_t requested, std::uint64_t oldest) {
  return expired(fmt::format("too old resource version: {} ({})", requested, oldest));
}

reply request_too_large(std::string_view message) {
  return failure(413, "RequestEntityTooLarge", fmt::format("Request entity too large: {}", message));
}

reply unsupported_media_type(std::string_view accepted) {
  return failure(
      415, "UnsupportedMediaType",
      fmt::format("the body of the request was in an unknown format - accepted media types include: {}", accepted));
}

reply internal_error(std::string_view message) {
  doc causes = doc::list().push(doc::map().set("message", str(message)));
  return failure(500, "InternalError", fmt::format("Internal error occurred: {}", message),
                 doc::map().set("causes", std::move(causes)));
}

reply service_unavailable(std::string_view message) { return failure(503, "ServiceUnavailable", message); }

reply success_status(std::string_view plural, std::string_view name, std::string_view uid) {
  doc details = name_kind(name, plural).set_nonempty("uid", std::string(uid));
  doc d = doc::map().set("kind", str("Status")).set("apiVersion", str("v1")).set("metadata", doc::map());
  d.set("status", str("Success")).set("details", std::move(details));
  return {200, manifest::detail::write_json_compact(d)};
}

}  // namespace berth::kube
