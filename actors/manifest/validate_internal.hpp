#pragma once
// Validation pieces shared by validate.cpp (objects, metadata, services) and
// validate_pod.cpp (pod specs). Internal to the manifest library.

#include <string>
#include <string_view>

#include "actors/manifest/field_error.hpp"
#include "actors/manifest/names.hpp"
#include "actors/model/objects.hpp"

namespace berth::manifest::detail {

/// One `Invalid value: "<value>": <msg>` per message.
void add_invalid(field_errors& errors, const std::string& path, std::string_view value, const messages& msgs);

/// Label keys and values (also selectors and nodeSelector).
void validate_labels(const model::string_map& labels, const std::string& path, field_errors& errors);

/// Annotation keys and total size.
void validate_annotations(const model::string_map& annotations, const std::string& path, field_errors& errors);

/// A port given as number or IANA name (targetPort, probe ports); unset is Required.
void validate_port_num_or_name(const model::int_or_string& port, const std::string& path, field_errors& errors);

/// A pod spec at `path` ("spec" or "spec.template.spec").
void validate_pod_spec(const model::pod_spec& spec, const std::string& path, field_errors& errors);

}  // namespace berth::manifest::detail
