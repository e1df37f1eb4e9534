#pragma once
// Decoders of the parts of an object, shared by decode.cpp (objects, metadata,
// RC and service specs) and decode_pod.cpp (pod specs and containers).
// Internal to the manifest library.

#include <string>

#include "actors/manifest/yaml_reader.hpp"
#include "actors/model/objects.hpp"

namespace berth::manifest::detail {

/// metadata: name, namespace, labels, annotations, generateName and the
/// server-set fields (see decode.hpp).
void decode_metadata(reader& r, const YAML::Node& n, const std::string& path, model::object_meta& out);

/// A port protocol, "TCP" or "UDP". Case-insensitive, as Kubernetes v1.0's
/// validation was (its examples write `protocol: tcp`); stored canonical.
bool read_protocol(reader& r, const YAML::Node& n, const std::string& path, model::protocol& out);

/// kind Endpoints: metadata and subsets (addresses, notReadyAddresses, ports).
model::endpoints decode_endpoints(reader& r, const YAML::Node& n, const std::string& path);

/// An ObjectReference (an endpoint's targetRef, a volume's claimRef): kind,
/// namespace, name, uid; apiVersion, resourceVersion and fieldPath accepted
/// and dropped (decode_endpoints.cpp).
void decode_object_reference(reader& r, const YAML::Node& n, const std::string& path, model::object_reference& out);

/// PersistentVolume and PersistentVolumeClaim manifests (decode_storage.cpp).
model::persistent_volume decode_persistent_volume(reader& r, const YAML::Node& n, const std::string& path);
model::persistent_volume_claim decode_persistent_volume_claim(reader& r, const YAML::Node& n,
                                                              const std::string& path);

/// A pod spec (pods and RC templates).
void decode_pod_spec(reader& r, const YAML::Node& n, const std::string& path, model::pod_spec& out);

}  // namespace berth::manifest::detail
