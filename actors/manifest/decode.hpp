#pragma once
// Kubernetes v1 manifests (YAML or JSON, one or many documents) → model objects.
//
// The pipeline for each document is decode → apply_defaults → validate, and
// every problem found on the way is reported (never only the first):
//
//   guestbook.yaml document 2: spec.selector: Required value
//
// What is accepted:
// - apiVersion v1, kind Pod, ReplicationController, Service or Namespace, or
//   kind List whose `items` are such objects (their errors are under
//   `items[i].`). A Namespace has metadata only (its spec.finalizers and
//   status are the server's: accepted and ignored). A Secret has type, data
//   (values base64) and stringData (plain text), merged into data with
//   stringData winning; stringData is never kept apart. Endpoints have
//   subsets (written by users for services without a selector).
// - Every field of the model a user may write. Fields Kubernetes has but
//   berth does not support yet (volumes, securityContext, ...) are errors
//   ("Forbidden: not supported by berth yet"); unknown fields are errors
//   ("Unknown field"). Nothing is dropped silently, with two documented
//   exceptions that Kubernetes also ignores on create: `status` (accepted
//   and ignored) and the server-written bookkeeping `metadata.selfLink` and
//   `metadata.managedFields`.
// - Server-set metadata (uid, resourceVersion, generation, creationTimestamp,
//   deletionTimestamp, deletionGracePeriodSeconds, ownerReferences) is decoded,
//   so that `berth get -o yaml` output can be read back; the API server owns
//   those fields and overwrites them on create.
// - Types follow the YAML 1.2 core schema, strictly, as Kubernetes does:
//   `replicas: "3"` is a type error, `value: 5` in an env var too.
// - A YAML syntax error rejects the whole text (its line and column given).

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/manifest/field_error.hpp"
#include "actors/model/events.hpp"

namespace berth::manifest {

/// A field error and where it came from.
struct manifest_error {
  std::string source;        // file name, "-" for stdin, as the caller named it
  std::size_t document = 0;  // 1-based document number; 0: the text as a whole
  field_error error;
  bool operator==(const manifest_error&) const = default;

  /// "guestbook.yaml document 2: spec.selector: Required value"
  /// ("guestbook.yaml: ..." when document is 0).
  std::string to_string() const;
};

/// What a manifest may hold: the kinds users create.
using manifest_object =
    std::variant<model::pod, model::replication_controller, model::service, model::namespace_object, model::secret,
                 model::limit_range, model::resource_quota, model::endpoints, model::persistent_volume,
                 model::persistent_volume_claim, model::pod_template>;

/// One decoded, defaulted and valid object.
struct decoded_object {
  manifest_object object;
  std::size_t document = 0;  // 1-based, the document it came from
  bool operator==(const decoded_object&) const = default;
};

struct decode_result {
  /// Objects in document order (List items in item order). An object whose
  /// document or item had any error is left out.
  std::vector<decoded_object> objects;
  std::vector<manifest_error> errors;

  bool ok() const { return errors.empty(); }
  /// Every error's to_string(), in order (handy for printing and tests).
  std::vector<std::string> error_strings() const;
};

/// Decodes all documents of `text`. Empty documents are skipped (but still
/// counted, so document numbers match the `---` separators). Pure: no I/O.
decode_result decode_manifests(std::string_view text, std::string_view source_name);

}  // namespace berth::manifest
