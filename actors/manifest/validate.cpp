#include "actors/manifest/validate.hpp"

#include <cctype>
#include <iterator>
#include <map>
#include <set>

#include "actors/manifest/validate_internal.hpp"
#include "actors/model/quota.hpp"

namespace berth::manifest {
namespace detail {

void add_invalid(field_errors& errors, const std::string& path, std::string_view value, const messages& msgs) {
  for (const auto& m : msgs) errors.push_back(invalid(path, value, m));
}

void validate_labels(const model::string_map& labels, const std::string& path, field_errors& errors) {
  for (const auto& [key, value] : labels) {
    add_invalid(errors, path, key, check_label_key(key));
    add_invalid(errors, path, value, check_label_value(value));
  }
}

void validate_annotations(const model::string_map& annotations, const std::string& path, field_errors& errors) {
  constexpr std::size_t k_total_limit = 256 * 1024;  // Kubernetes' TotalAnnotationSizeLimitB
  std::size_t total = 0;
  for (const auto& [key, value] : annotations) {
    add_invalid(errors, path, key, check_label_key(key));
    total += key.size() + value.size();
  }
  if (total > k_total_limit) errors.push_back(too_long(path, k_total_limit));
}

void validate_port_num_or_name(const model::int_or_string& port, const std::string& path, field_errors& errors) {
  if (const auto* number = std::get_if<std::int32_t>(&port.value)) {
    for (const auto& m : check_port_number(*number)) errors.push_back(invalid(path, *number, m));
  } else if (const auto* name = std::get_if<std::string>(&port.value)) {
    add_invalid(errors, path, *name, check_port_name(*name));
  } else {
    errors.push_back(required(path));
  }
}

}  // namespace detail

namespace {

using detail::add_invalid;

using name_check = messages (*)(std::string_view);

/// Kubernetes validates generateName as a name whose trailing '-' is masked.
std::string mask_trailing_dash(std::string name) {
  if (name.size() > 1 && name.back() == '-') name.back() = 'a';
  return name;
}

void validate_object_meta(const model::object_meta& m, name_check check_name, field_errors& errors) {
  if (!m.name.empty()) {
    add_invalid(errors, "metadata.name", m.name, check_name(m.name));
  } else if (!m.generate_name.empty()) {
    add_invalid(errors, "metadata.generateName", m.generate_name, check_name(mask_trailing_dash(m.generate_name)));
  } else {
    errors.push_back(required("metadata.name", "name or generateName is required"));
  }
  if (m.namespace_.empty()) {
    errors.push_back(required("metadata.namespace"));
  } else {
    add_invalid(errors, "metadata.namespace", m.namespace_, check_dns1123_label(m.namespace_));
  }
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
}

/// Go's %#v of a map[string]string, which Kubernetes puts in this message.
std::string go_map_literal(const model::string_map& m) {
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ", ";
    first = false;
    out += go_quoted(k) + ":" + go_quoted(v);
  }
  return out + "}";
}

bool selector_matches(const model::string_map& selector, const model::string_map& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

void validate_service_port(const model::service_spec& spec, std::size_t i, node_port_range range,
                           std::set<std::string>& names, std::set<std::pair<std::int32_t, model::protocol>>& node_ports,
                           field_errors& errors) {
  const auto& port = spec.ports[i];
  std::string p = index_path("spec.ports", i);
  std::string name_path = child_path(p, "name");
  // A lone port may stay nameless; with several, endpoints need the names to tell them apart.
  if (port.name.empty() && spec.ports.size() > 1) errors.push_back(required(name_path));
  if (!port.name.empty()) {
    add_invalid(errors, name_path, port.name, check_dns1123_label(port.name));
    if (!names.insert(port.name).second) errors.push_back(duplicate(name_path, port.name));
  }
  auto port_errors = check_port_number(port.port);
  for (const auto& m : port_errors) errors.push_back(invalid(child_path(p, "port"), port.port, m));
  // targetPort defaults to port: a bad port is reported once, not twice.
  bool defaulted_from_bad_port = !port_errors.empty() && port.target_port == model::int_or_string{port.port};
  if (!defaulted_from_bad_port)
    detail::validate_port_num_or_name(port.target_port, child_path(p, "targetPort"), errors);
  if (port.node_port == 0) return;
  std::string node_port_path = child_path(p, "nodePort");
  if (spec.type == model::service_type::cluster_ip) {
    errors.push_back(forbidden(node_port_path, "may not be used when `type` is 'ClusterIP'"));
  } else if (port.node_port < range.min || port.node_port > range.max) {
    errors.push_back(invalid(node_port_path, port.node_port,
                             "provided port is not in the valid range. The range of valid ports is " +
                                 std::to_string(range.min) + "-" + std::to_string(range.max)));
  } else if (!node_ports.insert({port.node_port, port.protocol_}).second) {
    errors.push_back(duplicate(node_port_path, std::int64_t{port.node_port}));
  }
}

void validate_cluster_ip(const model::service_spec& spec, field_errors& errors) {
  const std::string& ip = spec.cluster_ip;
  if (ip.empty()) return;
  if (ip == "None") {
    if (spec.type == model::service_type::node_port)
      errors.push_back(invalid("spec.clusterIP", ip, "may not be set to 'None' for NodePort services"));
    if (spec.type == model::service_type::load_balancer)
      errors.push_back(invalid("spec.clusterIP", ip, "may not be set to 'None' for LoadBalancer services"));
    return;
  }
  if (!is_ipv4_address(ip))
    errors.push_back(invalid("spec.clusterIP", ip, "must be empty, 'None', or a valid IP address"));
}

}  // namespace

field_errors validate(const model::pod& p) {
  field_errors errors;
  validate_object_meta(p.metadata, check_dns1123_subdomain, errors);
  detail::validate_pod_spec(p.spec, "spec", errors);
  return errors;
}

field_errors validate(const model::replication_controller& rc) {
  field_errors errors;
  validate_object_meta(rc.metadata, check_dns1123_subdomain, errors);
  const auto& spec = rc.spec;
  if (spec.replicas < 0)
    errors.push_back(invalid("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  if (spec.selector.empty()) {
    errors.push_back(required("spec.selector"));
  } else {
    detail::validate_labels(spec.selector, "spec.selector", errors);
  }
  const auto& labels = spec.template_.metadata.labels;
  detail::validate_labels(labels, "spec.template.metadata.labels", errors);
  detail::validate_annotations(spec.template_.metadata.annotations, "spec.template.metadata.annotations", errors);
  if (!spec.selector.empty() && !selector_matches(spec.selector, labels)) {
    errors.push_back(invalid_shown("spec.template.metadata.labels", go_map_literal(labels),
                                   "selector does not match template labels"));
  }
  detail::validate_pod_spec(spec.template_.spec, "spec.template.spec", errors);
  // An RC replaces pods that exit; a template that lets them stay dead contradicts it.
  if (spec.template_.spec.restart_policy_ != model::restart_policy::always) {
    const char* policy = spec.template_.spec.restart_policy_ == model::restart_policy::never ? "Never" : "OnFailure";
    errors.push_back(unsupported("spec.template.spec.restartPolicy", policy, {"Always"}));
  }
  return errors;
}

field_errors validate(const model::service& s, node_port_range range) {
  field_errors errors;
  validate_object_meta(s.metadata, check_dns1035_label, errors);
  if (s.spec.ports.empty()) errors.push_back(required("spec.ports"));
  std::set<std::string> names;
  std::set<std::pair<std::int32_t, model::protocol>> node_ports;
  for (std::size_t i = 0; i < s.spec.ports.size(); ++i)
    validate_service_port(s.spec, i, range, names, node_ports, errors);
  detail::validate_labels(s.spec.selector, "spec.selector", errors);
  validate_cluster_ip(s.spec, errors);
  return errors;
}

field_errors validate(const model::namespace_object& n) {
  field_errors errors;
  const auto& m = n.metadata;
  if (!m.name.empty()) {
    add_invalid(errors, "metadata.name", m.name, check_dns1123_label(m.name));
  } else if (!m.generate_name.empty()) {
    add_invalid(errors, "metadata.generateName", m.generate_name, check_dns1123_label(mask_trailing_dash(m.generate_name)));
  } else {
    errors.push_back(required("metadata.name", "name or generateName is required"));
  }
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
  return errors;
}

namespace {
bool is_secret_key(std::string_view key) {
  if (key.empty() || key.size() > 253) return false;
  for (char c : key)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_')) return false;
  return true;
}
}  // namespace

field_errors validate(const model::secret& x) {
  field_errors errors;
  const auto& m = x.metadata;
  if (!m.name.empty()) {
    add_invalid(errors, "metadata.name", m.name, check_dns1123_subdomain(m.name));
  } else if (!m.generate_name.empty()) {
    add_invalid(errors, "metadata.generateName", m.generate_name,
                check_dns1123_subdomain(mask_trailing_dash(m.generate_name)));
  } else {
    errors.push_back(required("metadata.name", "name or generateName is required"));
  }
  if (!m.namespace_.empty()) add_invalid(errors, "metadata.namespace", m.namespace_, check_dns1123_label(m.namespace_));
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
  std::size_t total = 0;
  for (const auto& [key, value] : x.data) {
    // Kubernetes' IsConfigMapKey: a key becomes a file name in a secret
    // volume, so "." and ".." (and ".." prefixes, kubelet's own files) are refused.
    if (!is_secret_key(key))
      errors.push_back(invalid("data[" + key + "]", key,
                               "must have at most 253 characters and match regex [-._a-zA-Z0-9]+"));
    else if (key == "." || key == "..")
      errors.push_back(invalid("data[" + key + "]", key, "must not be '" + key + "'"));
    else if (key.rfind("..", 0) == 0)
      errors.push_back(invalid("data[" + key + "]", key, "must not start with '..'"));
    total += value.size();
  }
  if (total > k_max_secret_size) errors.push_back(too_long("data", k_max_secret_size));
  return errors;
}

namespace {

/// Name, namespace (may be empty: the server's default), labels, annotations.
void validate_policy_meta(const model::object_meta& m, field_errors& errors) {
  if (!m.name.empty())
    add_invalid(errors, "metadata.name", m.name, check_dns1123_subdomain(m.name));
  else
    errors.push_back(required("metadata.name", "name or generateName is required"));
  if (!m.namespace_.empty()) add_invalid(errors, "metadata.namespace", m.namespace_, check_dns1123_label(m.namespace_));
  detail::validate_labels(m.labels, "metadata.labels", errors);
  detail::validate_annotations(m.annotations, "metadata.annotations", errors);
}

/// cpu and memory only (what berth's admission bounds), never negative.
void validate_limit_list(const model::resource_list& list, const std::string& path, field_errors& errors) {
  for (const auto& [name, q] : list) {
    const auto p = key_path(path, name);
    if (name != "cpu" && name != "memory") errors.push_back(unsupported(p, name, {"cpu", "memory"}));
    if (q.milli < 0) errors.push_back(invalid(p, model::to_string(q), "must be greater than or equal to 0"));
  }
}

}  // namespace

field_errors validate(const model::limit_range& x) {
  field_errors errors;
  validate_policy_meta(x.metadata, errors);
  for (std::size_t i = 0; i < x.limits.size(); ++i) {
    const auto& item = x.limits[i];
    const auto path = "spec.limits[" + std::to_string(i) + "]";
    if (item.type.empty())
      errors.push_back(required(path + ".type"));
    else if (item.type != model::k_limit_type_container && item.type != model::k_limit_type_pod)
      errors.push_back(unsupported(path + ".type", item.type, {model::k_limit_type_container, model::k_limit_type_pod}));
    validate_limit_list(item.max, path + ".max", errors);
    validate_limit_list(item.min, path + ".min", errors);
    validate_limit_list(item.default_, path + ".default", errors);
    validate_limit_list(item.default_request, path + ".defaultRequest", errors);
    validate_limit_list(item.max_limit_request_ratio, path + ".maxLimitRequestRatio", errors);
    if (item.type == model::k_limit_type_pod && !item.default_.empty())
      errors.push_back(forbidden(path + ".default", "may not be specified when type is Pod"));
    if (item.type == model::k_limit_type_pod && !item.default_request.empty())
      errors.push_back(forbidden(path + ".defaultRequest", "may not be specified when type is Pod"));
    for (const auto& [name, min] : item.min)
      if (auto max = item.max.find(name); max != item.max.end() && min.milli > max->second.milli)
        errors.push_back(invalid(key_path(path + ".min", name), model::to_string(min),
                                 "min value " + model::to_string(min) + " is greater than max value " +
                                     model::to_string(max->second)));
    for (const auto& [name, def] : item.default_) {
      if (auto max = item.max.find(name); max != item.max.end() && def.milli > max->second.milli)
        errors.push_back(invalid(key_path(path + ".default", name), model::to_string(def),
                                 "default value " + model::to_string(def) + " is greater than max value " +
                                     model::to_string(max->second)));
      if (auto min = item.min.find(name); min != item.min.end() && def.milli < min->second.milli)
        errors.push_back(invalid(key_path(path + ".default", name), model::to_string(def),
                                 "default value " + model::to_string(def) + " is less than min value " +
                                     model::to_string(min->second)));
    }
    for (const auto& [name, ratio] : item.max_limit_request_ratio)
      if (ratio.milli < 1000)
        errors.push_back(invalid(key_path(path + ".maxLimitRequestRatio", name), model::to_string(ratio),
                                 "ratio must be greater than or equal to 1"));
  }
  return errors;
}

field_errors validate(const model::resource_quota& x) {
  field_errors errors;
  validate_policy_meta(x.metadata, errors);
  for (const auto& [name, q] : x.hard) {
    const auto p = key_path("spec.hard", name);
    if (!model::is_quota_resource(name)) {
      std::vector<std::string_view> known(std::begin(model::k_quota_resources), std::end(model::k_quota_resources));
      errors.push_back(unsupported(p, name, known));
    }
    if (q.milli < 0) errors.push_back(invalid(p, model::to_string(q), "must be greater than or equal to 0"));
    if (name != "cpu" && name != "memory" && q.milli % 1000 != 0)
      errors.push_back(invalid(p, model::to_string(q), "must be a whole number of objects"));
  }
  return errors;
}

field_errors validate(const model::api_object& o, node_port_range range) {
  return std::visit(
      [&](const auto& x) -> field_errors {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, model::service>) {
          return validate(x, range);
        } else {
          return validate(x);
        }
      },
      o);
}

}  // namespace berth::manifest
