// Decoding of kind Endpoints: what a user writes for a service without a
// selector (Kubernetes' glusterfs and external-service examples).
#include <cctype>

#include "actors/manifest/decode_internal.hpp"

namespace berth::manifest::detail {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

void decode_addresses(reader& r, const YAML::Node& n, const std::string& path,
                      std::vector<model::endpoint_address>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::endpoint_address a;
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      // Go's encoding/json matched field names without regard to case, so
      // Kubernetes v1.0 read the glusterfs example's "IP" as ip.
      if (equals_ignoring_case(key, "ip")) return r.read(v, child_path(p, "ip"), a.ip), true;
      if (key == "nodeName") return r.read(v, fp, a.node_name), true;
      if (key == "targetRef") return decode_object_reference(r, v, fp, a.target_ref), true;
      return false;
    });
    if (is_map) out.push_back(std::move(a));
  });
}

void decode_ports(reader& r, const YAML::Node& n, const std::string& path, std::vector<model::endpoint_port>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::endpoint_port port;  // protocol TCP unless given, as Kubernetes defaults it
    bool is_map = r.fields(item, p, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
      if (key == "name") return r.read(v, fp, port.name), true;
      if (key == "port") return r.read(v, fp, port.port), true;
      if (key == "protocol") return read_protocol(r, v, fp, port.protocol_), true;
      return false;
    });
    if (is_map) out.push_back(std::move(port));
  });
}

}  // namespace

void decode_object_reference(reader& r, const YAML::Node& n, const std::string& path, model::object_reference& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "kind") return r.read(v, fp, out.kind), true;
             if (key == "namespace") return r.read(v, fp, out.namespace_), true;
             if (key == "name") return r.read(v, fp, out.name), true;
             if (key == "uid") return r.read(v, fp, out.uid), true;
             return false;
           },
           {}, {"apiVersion", "resourceVersion", "fieldPath"});
}

model::endpoints decode_endpoints(reader& r, const YAML::Node& n, const std::string& path) {
  model::endpoints obj;
  r.fields(n, path, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
    if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
    if (key == "metadata") return decode_metadata(r, v, fp, obj.metadata), true;
    if (key != "subsets") return false;
    r.read_list(v, fp, [&](const YAML::Node& item, const std::string& p) {
      model::endpoint_subset ss;
      bool is_map = r.fields(item, p, [&](std::string_view k, const YAML::Node& x, const std::string& xp) {
        if (k == "addresses") return decode_addresses(r, x, xp, ss.addresses), true;
        if (k == "notReadyAddresses") return decode_addresses(r, x, xp, ss.not_ready_addresses), true;
        if (k == "ports") return decode_ports(r, x, xp, ss.ports), true;
        return false;
      });
      if (is_map) obj.subsets.push_back(std::move(ss));
    });
    return true;
  });
  return obj;
}

}  // namespace berth::manifest::detail
