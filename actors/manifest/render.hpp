#pragma once
// Model objects → Kubernetes-shaped YAML and JSON (what `berth get -o yaml|json`
// prints).
//
// apiVersion and kind first, camelCase field names, quantities in canonical
// form ("100m", "128Mi"), timestamps RFC 3339 UTC with second precision,
// resourceVersion as a string, fields that are empty or zero left out the way
// kubectl shows objects (replicas, protocol, restartPolicy and the probe
// settings are always shown: they have meaningful non-empty defaults), and the
// status included. decode_manifests() of the output gives back the same
// metadata and spec (status is ignored on decoding; sub-second timestamp parts
// are lost).

#include <string>
#include <vector>

#include "actors/model/events.hpp"

namespace berth::manifest {

/// YAML of a pod, replication controller or service.
std::string to_yaml(const model::api_object& o);
/// JSON of a pod, replication controller or service.
std::string to_json(const model::api_object& o);

std::string to_yaml(const model::node& n);
std::string to_json(const model::node& n);

std::string to_yaml(const model::endpoints& e);
std::string to_json(const model::endpoints& e);

/// A namespace: spec.finalizers ["kubernetes"] and status.phase, as Kubernetes shows them.
std::string to_yaml(const model::namespace_object& n);
std::string to_json(const model::namespace_object& n);

/// A secret: data base64, as the API shows it; sealed (unopened) data only
/// as "<encrypted, N bytes>", never its plaintext.
std::string to_yaml(const model::secret& x);
std::string to_json(const model::secret& x);

/// The same JSON on one line, no trailing newline (the Kubernetes API's form:
/// berthd's REST bodies and watch events, actors/kube/objects_json.hpp).
std::string to_json_compact(const model::api_object& o);
std::string to_json_compact(const model::node& n);
std::string to_json_compact(const model::endpoints& e);
std::string to_json_compact(const model::namespace_object& n);
std::string to_json_compact(const model::secret& x);

/// Limit ranges and quotas as the API shows them (a quota's status when it
/// has one: what the store fills in when asked).
std::string to_yaml(const model::limit_range& x);
std::string to_json(const model::limit_range& x);
std::string to_json_compact(const model::limit_range& x);
std::string to_yaml(const model::resource_quota& x);
std::string to_json(const model::resource_quota& x);
std::string to_json_compact(const model::resource_quota& x);

/// Persistent volumes and claims with their folded status.
std::string to_yaml(const model::persistent_volume& x);
std::string to_json(const model::persistent_volume& x);
std::string to_json_compact(const model::persistent_volume& x);
std::string to_yaml(const model::persistent_volume_claim& x);
std::string to_json(const model::persistent_volume_claim& x);
std::string to_json_compact(const model::persistent_volume_claim& x);

/// Pod templates.
std::string to_yaml(const model::pod_template& x);
std::string to_json(const model::pod_template& x);
std::string to_json_compact(const model::pod_template& x);

/// An ObjectMeta alone, on one line (a Table row's PartialObjectMetadata, a
/// Scale's metadata).
std::string metadata_json_compact(const model::object_meta& m);

/// `kind: List` with the objects as items (kubectl's form for several objects).
std::string to_yaml(const std::vector<model::api_object>& objects);
std::string to_json(const std::vector<model::api_object>& objects);

}  // namespace berth::manifest
