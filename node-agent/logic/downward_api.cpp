#include "node-agent/logic/downward_api.hpp"

#include <fmt/format.h>

namespace berth::agent {
namespace {

/// Go's strconv.Quote for the characters labels and annotations hold.
std::string go_quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20 || c == 0x7f)
          out += fmt::format("\\x{:02x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

/// Kubernetes' fieldpath.FormatMap: `k="v"` lines, sorted, no trailing newline.
std::string format_map(const model::string_map& m) {
  std::string out;
  for (const auto& [k, v] : m) {
    if (!out.empty()) out += '\n';
    out += k + "=" + go_quote(v);
  }
  return out;
}

}  // namespace

std::string downward_api_value(const model::pod& pod, const std::string& field_path) {
  if (field_path == "metadata.name") return pod.metadata.name;
  if (field_path == "metadata.namespace") return pod.metadata.namespace_;
  if (field_path == "metadata.labels") return format_map(pod.metadata.labels);
  if (field_path == "metadata.annotations") return format_map(pod.metadata.annotations);
  if (field_path == "status.podIP") return pod.status.pod_ip;
  if (field_path == "spec.nodeName") return pod.spec.node_name;
  return "";  // spec.serviceAccountName: no service accounts yet
}

std::string env_value(const model::pod& pod, const model::env_var& e) {
  if (e.value_from && e.value_from->field_ref) return downward_api_value(pod, e.value_from->field_ref->field_path);
  return e.value;
}

}  // namespace berth::agent
