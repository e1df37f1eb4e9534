#pragma once
// Kubernetes' name and value rules (k8s.io/apimachinery/pkg/util/validation).
//
// Each check returns the list of messages Kubernetes gives for a bad value,
// word for word (including the double space its RegexError puts after each
// example), and an empty list for a good one. Validation turns each message
// into one `Invalid value` field error, as kube-apiserver does.

#include <string>
#include <string_view>
#include <vector>

namespace berth::manifest {

using messages = std::vector<std::string>;

/// RFC 1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters
/// (container names, namespaces, service port names).
messages check_dns1123_label(std::string_view value);

/// RFC 1123 subdomain: dot-separated labels, at most 253 characters (pod and
/// RC names, node names).
messages check_dns1123_subdomain(std::string_view value);

/// RFC 1035 label: starts with a letter, at most 63 characters (service names).
messages check_dns1035_label(std::string_view value);

/// Label key / qualified name: optional DNS subdomain prefix and '/', then a
/// name of at most 63 characters [A-Za-z0-9][-A-Za-z0-9_.]* ending alphanumeric.
messages check_label_key(std::string_view value);

/// Label value: empty, or like a label key's name part.
messages check_label_value(std::string_view value);

/// IANA_SVC_NAME (container port names, named target ports): at most 15
/// characters of [-a-z0-9], at least one letter, no "--", no hyphen at an end.
messages check_port_name(std::string_view value);

/// Environment variable name: [-._a-zA-Z][-._a-zA-Z0-9]*, not ".", "..", "..*".
messages check_env_var_name(std::string_view value);

/// Port number 1..65535.
messages check_port_number(long long value);

/// True for a dotted-quad IPv4 address ("10.0.0.1"; no leading zeros).
bool is_ipv4_address(std::string_view value);

}  // namespace berth::manifest
