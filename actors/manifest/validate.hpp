#pragma once
// Validation of pods, replication controllers and services, with Kubernetes'
// rules and messages (pkg/apis/core/validation).
//
// Run by decode_manifests() after defaulting, and by the API server on every
// create and replace. Pure; every error is collected (never only the first).
// Field paths are relative to the object: `metadata.name`, `spec.ports[0].port`.
// Enumerations (restartPolicy, protocol, service type, ...) cannot hold a bad
// value in the model; the decoder reports those while reading the text.

#include <cstdint>

#include "actors/manifest/field_error.hpp"
#include "actors/model/events.hpp"

namespace berth::manifest {

/// The range service nodePorts must fall in (kube-apiserver's
/// --service-node-port-range; berthd makes it configurable later).
struct node_port_range {
  std::int32_t min = 30000;
  std::int32_t max = 32767;
};

/// Name a DNS-1123 subdomain, namespace a DNS-1123 label, labels,
/// annotations, the pod spec (containers, ports, env, resources, probes).
field_errors validate(const model::pod& p);

/// Metadata as for pods; replicas >= 0; a selector that matches the template's
/// labels; the template's pod spec, whose restartPolicy must be Always.
field_errors validate(const model::replication_controller& rc);

/// Name a DNS-1035 label; ports (numbers, names, targetPort, nodePort within
/// `range` and only for NodePort/LoadBalancer); clusterIP; selector.
field_errors validate(const model::service& s, node_port_range range = {});

/// Name a DNS-1123 label (at most 63 characters), labels and annotations.
/// metadata.namespace is not looked at: namespaces are cluster-scoped, and
/// the store clears it, as the apiserver does for cluster-scoped objects.
field_errors validate(const model::namespace_object& n);

/// Kubernetes' limit on a secret's data, all values together (bytes).
inline constexpr std::size_t k_max_secret_size = 1024 * 1024;

/// Name (DNS-1123 subdomain), labels, annotations; each data key matches
/// [-._a-zA-Z0-9]+ (at most 253 characters: `data[bad key]: Invalid value:
/// "bad key": ...`); the values together at most 1 MiB (`data: Too long`).
/// stringData is merged into data before this (decode) and not seen here.
field_errors validate(const model::secret& x);

/// Name, labels, annotations; each spec.limits[i]: type Container or Pod;
/// max, min, default, defaultRequest, maxLimitRequestRatio of cpu and memory
/// only, not negative; min <= default <= max; no defaults for type Pod;
/// ratios >= 1. Field paths as Kubernetes' (`spec.limits[1].min[cpu]`).
field_errors validate(const model::limit_range& x);

/// Name, labels, annotations; spec.hard names k_quota_resources only
/// (actors/model/quota.hpp), amounts not negative, counts whole.
field_errors validate(const model::resource_quota& x);
/// Endpoints written by a user (validate_endpoints.cpp): name a DNS-1123
/// subdomain; each subset has addresses (or notReadyAddresses) and ports;
/// each ip a dotted-quad IPv4 address not unspecified, loopback or
/// link-local; nodeName a DNS-1123 subdomain; each port 1..65535, its name a
/// DNS-1123 label, required and unique when the subset has several.
field_errors validate(const model::endpoints& e);

/// A PersistentVolume (validate_storage.cpp): name a DNS-1123 subdomain, no
/// namespace; accessModes (at least one of ReadWriteOnce, ReadOnlyMany,
/// ReadWriteMany); capacity `storage` only, above zero; exactly one source
/// (hostPath, nfs, gcePersistentDisk, ...) valid as a pod volume's; a
/// claimRef names a PersistentVolumeClaim with its namespace.
field_errors validate(const model::persistent_volume& x);

/// A PersistentVolumeClaim: name, namespace, labels; accessModes as for
/// volumes; resources.requests `storage` only, above zero.
field_errors validate(const model::persistent_volume_claim& x);

/// A PodTemplate: name, namespace, labels; the template's labels and pod spec
/// as a pod's (`template.spec.containers: Required value`).
field_errors validate(const model::pod_template& x);

/// Dispatches on the alternative.
field_errors validate(const model::api_object& o, node_port_range range = {});

}  // namespace berth::manifest
