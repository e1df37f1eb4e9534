#pragma once
// Kubernetes' defaulting for the objects berth supports (pkg/apis/core/v1/defaults.go).
//
// Decoding applies these after reading a manifest and before validating it;
// the API server may apply them again to objects it builds itself (they are
// idempotent). Defaults the model's member initializers already give
// (restartPolicy Always, protocol TCP, service type ClusterIP, sessionAffinity
// None, terminationGracePeriodSeconds 30, replicas 1) need no code here.
//
// imagePullPolicy is the one default that needs to know whether the field was
// written at all (the model has no "unset" pull policy), so the decoder
// applies it through default_pull_policy() while it still knows.

#include <string_view>

#include "actors/model/events.hpp"

namespace berth::manifest {

/// Always when the image has no tag or the tag `latest`, else IfNotPresent
/// (a digest `@sha256:…` counts as a tag).
model::pull_policy default_pull_policy(std::string_view image);

/// Namespace "default"; probe fields that are 0 take Kubernetes' defaults
/// (timeout 1, period 10, success 1, failure 3); httpGet scheme "HTTP", path "/".
void apply_defaults(model::pod& p);

/// As for pods (the template's spec), plus: selector = template labels when
/// empty, metadata.labels = template labels when empty.
void apply_defaults(model::replication_controller& rc);

/// Namespace "default"; the template's spec as a pod's.
void apply_defaults(model::pod_template& t);

/// Namespace "default"; each port's targetPort = port when unset.
void apply_defaults(model::service& s);

/// Dispatches on the alternative.
void apply_defaults(model::api_object& o);

}  // namespace berth::manifest
