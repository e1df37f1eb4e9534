// Validation of Endpoints written by users (Kubernetes' ValidateEndpoints):
// those of a service without a selector, which the endpoints controller
// leaves to them (docs/services.md).
#include <set>

#include "actors/manifest/validate.hpp"
#include "actors/manifest/validate_internal.hpp"

namespace berth::manifest {
namespace {

using detail::add_invalid;

/// Kubernetes' validateNonSpecialIP: addresses no proxy can forward to.
/// `ip` is a valid dotted quad.
std::string special_range(std::string_view ip) {
  if (ip == "0.0.0.0") return "may not be unspecified (0.0.0.0)";
  if (ip.starts_with("127.")) return "may not be in the loopback range (127.0.0.0/8)";
  if (ip.starts_with("169.254.")) return "may not be in the link-local range (169.254.0.0/16)";
  if (ip.starts_with("224.0.0.")) return "may not be in the link-local multicast range (224.0.0.0/24)";
  return "";
}

void validate_address(const model::endpoint_address& a, const std::string& path, field_errors& errors) {
  const std::string ip_path = child_path(path, "ip");
  if (a.ip.empty()) {
    errors.push_back(required(ip_path));
  } else if (!is_ipv4_address(a.ip)) {
    // berth's networks are IPv4 only (docs/services.md).
    errors.push_back(invalid(ip_path, a.ip, "must be a valid IPv4 address, (e.g. 10.9.8.7)"));
  } else if (auto why = special_range(a.ip); !why.empty()) {
    errors.push_back(invalid(ip_path, a.ip, why));
  }
  if (!a.node_name.empty()) add_invalid(errors, child_path(path, "nodeName"), a.node_name,
                                        check_dns1123_subdomain(a.node_name));
}

void validate_port(const model::endpoint_port& p, bool require_name, const std::string& path,
                   std::set<std::string>& names, field_errors& errors) {
  const std::string name_path = child_path(path, "name");
  // With several ports a service port finds its endpoint port by name.
  if (p.name.empty() && require_name) errors.push_back(required(name_path));
  if (!p.name.empty()) {
    add_invalid(errors, name_path, p.name, check_dns1123_label(p.name));
    if (!names.insert(p.name).second) errors.push_back(duplicate(name_path, p.name));
  }
  for (const auto& m : check_port_number(p.port)) errors.push_back(invalid(child_path(path, "port"), p.port, m));
}

void validate_subset(const model::endpoint_subset& ss, const std::string& path, field_errors& errors) {
  if (ss.addresses.empty() && ss.not_ready_addresses.empty())
    errors.push_back(required(path, "must specify `addresses` or `notReadyAddresses`"));
  if (ss.ports.empty()) errors.push_back(required(child_path(path, "ports")));
  for (std::size_t i = 0; i < ss.addresses.size(); ++i)
    validate_address(ss.addresses[i], index_path(child_path(path, "addresses"), i), errors);
  for (std::size_t i = 0; i < ss.not_ready_addresses.size(); ++i)
    validate_address(ss.not_ready_addresses[i], index_path(child_path(path, "notReadyAddresses"), i), errors);
  std::set<std::string> names;
  for (std::size_t i = 0; i < ss.ports.size(); ++i)
    validate_port(ss.ports[i], ss.ports.size() > 1, index_path(child_path(path, "ports"), i), names, errors);
}

}  // namespace

field_errors validate(const model::endpoints& e) {
  field_errors errors;
  const auto& m = e.metadata;
  if (m.name.empty())
    errors.push_back(required("metadata.name", "name is required: endpoints are named like their service"));
  else
    add_invalid(errors, "metadata.name", m.name, check_dns1123_subdomain(m.name));
  if (!m.namespace_.empty()) add_invalid(errors, "metadata.namespace", m.namespace_, check_dns1123_label(m.namespace_));
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
  for (std::size_t i = 0; i < e.subsets.size(); ++i) validate_subset(e.subsets[i], index_path("subsets", i), errors);
  return errors;
}

}  // namespace berth::manifest
