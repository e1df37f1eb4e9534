// Validation of PersistentVolumes, PersistentVolumeClaims and PodTemplates, with
// Kubernetes v1's field paths and wording (validate.hpp).
#include "actors/manifest/validate.hpp"
#include "actors/manifest/validate_internal.hpp"
#include "actors/manifest/volumes_internal.hpp"

namespace berth::manifest {
namespace {

void validate_meta(const model::object_meta& m, bool namespaced, field_errors& errors) {
  if (!m.name.empty())
    detail::add_invalid(errors, "metadata.name", m.name, check_dns1123_subdomain(m.name));
  else
    errors.push_back(required("metadata.name", "name or generateName is required"));
  if (namespaced && !m.namespace_.empty())
    detail::add_invalid(errors, "metadata.namespace", m.namespace_, check_dns1123_label(m.namespace_));
  if (!namespaced && !m.namespace_.empty())
    errors.push_back(forbidden("metadata.namespace", "not allowed on this type"));
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
}

void validate_access_modes(const std::vector<std::string>& modes, const std::string& path, field_errors& errors) {
  if (modes.empty()) return errors.push_back(required(path, "at least 1 access mode is required"));
  for (std::size_t i = 0; i < modes.size(); ++i) {
    const auto& m = modes[i];
    if (m != model::k_access_read_write_once && m != model::k_access_read_only_many &&
        m != model::k_access_read_write_many)
      errors.push_back(unsupported(index_path(path, i), m,
                                   {model::k_access_read_write_once, model::k_access_read_only_many,
                                    model::k_access_read_write_many}));
  }
}

/// `storage` present and positive, nothing else (what the binder compares).
void validate_storage(const model::resource_list& list, const std::string& path, field_errors& errors) {
  auto it = list.find(model::k_resource_storage);
  if (it == list.end()) errors.push_back(required(key_path(path, model::k_resource_storage)));
  for (const auto& [name, q] : list) {
    const auto p = key_path(path, name);
    if (name != model::k_resource_storage) errors.push_back(unsupported(p, name, {model::k_resource_storage}));
    else if (q.milli <= 0) errors.push_back(invalid(p, model::to_string(q), "must be greater than zero"));
  }
}

}  // namespace

field_errors validate(const model::persistent_volume& x) {
  field_errors errors;
  validate_meta(x.metadata, false, errors);
  validate_access_modes(x.spec.access_modes, "spec.accessModes", errors);
  validate_storage(x.spec.capacity, "spec.capacity", errors);
  // No source given leaves the model's default (emptyDir), which is not a
  // persistent volume source: the decoder refuses emptyDir, secret and
  // persistentVolumeClaim keys as unknown fields of a PersistentVolumeSpec.
  if (std::holds_alternative<model::empty_dir_volume>(x.spec.source) ||
      std::holds_alternative<model::secret_volume>(x.spec.source) ||
      std::holds_alternative<model::persistent_volume_claim_volume>(x.spec.source))
    errors.push_back(required("spec", "must specify a volume type"));
  else
    detail::validate_volume_source(x.spec.source, child_path("spec", model::volume_type_name(x.spec.source)), errors);
  if (!x.spec.claim_ref.name.empty()) {
    if (x.spec.claim_ref.kind != model::k_kind_persistent_volume_claim)
      errors.push_back(unsupported("spec.claimRef.kind", x.spec.claim_ref.kind,
                                   {model::k_kind_persistent_volume_claim}));
    if (x.spec.claim_ref.namespace_.empty()) errors.push_back(required("spec.claimRef.namespace"));
  }
  return errors;
}

field_errors validate(const model::persistent_volume_claim& x) {
  field_errors errors;
  validate_meta(x.metadata, true, errors);
  validate_access_modes(x.spec.access_modes, "spec.accessModes", errors);
  validate_storage(x.spec.resources.requests, "spec.resources.requests", errors);
  for (const auto& [name, q] : x.spec.resources.limits)
    if (name != model::k_resource_storage)
      errors.push_back(unsupported(key_path("spec.resources.limits", name), name, {model::k_resource_storage}));
  if (!x.spec.volume_name.empty())
    detail::add_invalid(errors, "spec.volumeName", x.spec.volume_name, check_dns1123_subdomain(x.spec.volume_name));
  return errors;
}

field_errors validate(const model::pod_template& x) {
  field_errors errors;
  validate_meta(x.metadata, true, errors);
  detail::validate_labels(x.template_.metadata.labels, "template.metadata.labels", errors);
  detail::validate_annotations(x.template_.metadata.annotations, "template.metadata.annotations", errors);
  detail::validate_pod_spec(x.template_.spec, "template.spec", errors);
  return errors;
}

}  // namespace berth::manifest
