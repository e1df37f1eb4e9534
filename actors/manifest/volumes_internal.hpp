#pragma once
// Pod volumes and container volume mounts: decoding, validation and
// rendering, kept together (decode_volumes.cpp, validate_volumes.cpp,
// render_volumes.cpp) and called from the pod code. Internal to the manifest
// library.

#include <string>
#include <vector>

#include "actors/manifest/emit.hpp"
#include "actors/manifest/field_error.hpp"
#include "actors/manifest/yaml_reader.hpp"
#include "actors/model/objects.hpp"

namespace berth::manifest::detail {

/// spec.volumes: a volume without a source becomes an emptyDir (Kubernetes'
/// defaulting); a second source is "Forbidden: may not specify more than 1
/// volume type"; sources berth does not know are "not supported by berth yet".
/// The source named `key` (hostPath, nfs, ...) into `out`; false for a key
/// that is not a volume source berth stores. Also a PersistentVolume's spec.
bool decode_volume_source(reader& r, std::string_view key, const YAML::Node& v, const std::string& fp,
                          model::volume_source& out);
/// The checks of one source; `path` is the source's (spec.volumes[0].nfs, spec.hostPath).
void validate_volume_source(const model::volume_source& source, const std::string& path, field_errors& errors);
doc volume_source_doc(const model::volume_source& source);

void decode_volumes(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::volume>& out);

/// containers[i].volumeMounts.
void decode_volume_mounts(reader& r, const YAML::Node& n, const std::string& path,
                          std::vector<model::volume_mount>& out);

/// Names (DNS labels, unique) and each source's required fields, as
/// Kubernetes v1 validates them.
void validate_volumes(const std::vector<model::volume>& volumes, const std::string& path, field_errors& errors);

/// Mounts name an existing volume; mountPath absolute and unique in the
/// container; subPath relative without "..".
void validate_volume_mounts(const std::vector<model::volume_mount>& mounts, const std::vector<model::volume>& volumes,
                            const std::string& path, field_errors& errors);

doc volumes_doc(const std::vector<model::volume>& volumes);
doc volume_mounts_doc(const std::vector<model::volume_mount>& mounts);

}  // namespace berth::manifest::detail
