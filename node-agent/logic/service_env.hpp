#pragma once
// The environment variables Kubernetes 1.x gave every container for the
// services of its namespace that existed when it started (kubelet's
// getServiceEnvVarMap): `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT`,
// `<NAME>_SERVICE_PORT_<PORTNAME>`, and the Docker-links style
// `<NAME>_PORT`, `<NAME>_PORT_<port>_<PROTO>`, `..._PROTO`, `..._PORT`, `..._ADDR`.
// NAME is the service name upper-cased with '-' turned into '_'. Pure.

#include <string>
#include <vector>

#include "actors/model/objects.hpp"

namespace berth::agent {

/// The variables for a container in `namespace_`, in a stable order (by
/// service name). Services without a cluster IP (headless, or "") are skipped.
std::vector<model::env_var> service_env(const std::vector<model::service>& services, const std::string& namespace_);

}  // namespace berth::agent
