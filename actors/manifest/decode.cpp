#include "actors/manifest/decode.hpp"

#include "actors/manifest/base64.hpp"

#include <cctype>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "actors/manifest/decode_internal.hpp"
#include "actors/manifest/defaults.hpp"
#include "actors/manifest/validate.hpp"

namespace berth::manifest {
namespace {

using detail::read_protocol;
using detail::reader;

constexpr std::string_view k_api_version = "v1";

void decode_owner_references(reader& r, const YAML::Node& n, const std::string& path,
                             std::vector<model::owner_reference>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::owner_reference ref;
    bool is_map = r.fields(item, p,
                           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
                             if (key == "apiVersion") return r.read(v, fp, ref.api_version), true;
                             if (key == "kind") return r.read(v, fp, ref.kind), true;
                             if (key == "name") return r.read(v, fp, ref.name), true;
                             if (key == "uid") return r.read(v, fp, ref.uid), true;
                             if (key == "controller") return r.read(v, fp, ref.controller), true;
                             return false;
                           },
                           {"blockOwnerDeletion"});
    if (is_map) out.push_back(std::move(ref));
  });
}

void decode_replication_controller_spec(reader& r, const YAML::Node& n, const std::string& path,
                                        model::replication_controller_spec& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "replicas") return r.read(v, fp, out.replicas), true;
             if (key == "selector") return r.read(v, fp, out.selector), true;
             if (key == "template") {
               r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
                 if (k == "metadata") return detail::decode_metadata(r, x, p, out.template_.metadata), true;
                 if (k == "spec") return detail::decode_pod_spec(r, x, p, out.template_.spec), true;
                 return false;
               });
               return true;
             }
             return false;
           },
           {"minReadySeconds"});
}

void decode_service_ports(reader& r, const YAML::Node& n, const std::string& path,
                          std::vector<model::service_port>& out) {
  r.read_list(n, path, [&](const YAML::Node& item, const std::string& p) {
    model::service_port port;
    bool is_map = r.fields(item, p,
                           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
                             if (key == "name") return r.read(v, fp, port.name), true;
                             if (key == "port") return r.read(v, fp, port.port), true;
                             if (key == "targetPort") return r.read(v, fp, port.target_port), true;
                             if (key == "nodePort") return r.read(v, fp, port.node_port), true;
                             if (key == "protocol")
                               return read_protocol(r, v, fp, port.protocol_), true;
                             return false;
                           },
                           {"appProtocol"});
    if (is_map) out.push_back(std::move(port));
  });
}

void decode_service_spec(reader& r, const YAML::Node& n, const std::string& path, model::service_spec& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "ports") return decode_service_ports(r, v, fp, out.ports), true;
             if (key == "selector") return r.read(v, fp, out.selector), true;
             if (key == "clusterIP") return r.read(v, fp, out.cluster_ip), true;
             if (key == "type") {
               r.read_enum(v, fp, out.type,
                           {{"ClusterIP", model::service_type::cluster_ip},
                            {"NodePort", model::service_type::node_port},
                            {"LoadBalancer", model::service_type::load_balancer}});
               return true;
             }
             if (key == "sessionAffinity") {
               r.read_enum(v, fp, out.session_affinity_,
                           {{"None", model::session_affinity::none}, {"ClientIP", model::session_affinity::client_ip}});
               return true;
             }
             return false;
           },
           {"externalIPs", "externalName", "externalTrafficPolicy", "internalTrafficPolicy", "loadBalancerIP",
            "loadBalancerSourceRanges", "loadBalancerClass", "healthCheckNodePort", "publishNotReadyAddresses",
            "sessionAffinityConfig", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "allocateLoadBalancerNodePorts",
            "trafficDistribution"});
}

/// A top-level `id` is the object's name in the pre-v1 APIs (v1beta1/2);
/// Kubernetes v1.0 ignored it, and several of its own v1 examples still carry
/// it. berth drops nothing silently: it is accepted only when it says what
/// metadata.name says, and is then redundant.
void check_legacy_id(reader& r, const std::string& path, const std::optional<std::string>& id,
                     const model::object_meta& meta) {
  if (!id || meta.name.empty() || *id == meta.name) return;
  r.add(invalid(child_path(path, "id"), *id,
                fmt::format("must equal metadata.name \"{}\" (id is the pre-v1 name field, which v1 ignores)",
                            meta.name)));
}

/// The fields of one object after apiVersion and kind have been checked.
template <class Object, class SpecFn>
Object decode_object(reader& r, const YAML::Node& n, const std::string& path, SpecFn decode_spec) {
  Object obj;
  std::optional<std::string> legacy_id;
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
             if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
             if (key == "spec") return decode_spec(v, fp, obj.spec), true;
             if (key == "id") return r.read(v, fp, legacy_id.emplace()), true;
             return false;
           },
           {}, {"status"});  // Kubernetes ignores status on create; so do we.
  check_legacy_id(r, path, legacy_id, obj.metadata);
  return obj;
}

/// apiVersion and kind of a document or List item; nullopt after reporting.
std::optional<std::string> check_type(reader& r, const YAML::Node& n, const std::string& path, bool allow_list) {
  const YAML::Node api_version = n["apiVersion"];
  const YAML::Node kind = n["kind"];
  std::string version_text, kind_text;
  bool ok = true;
  if (detail::resolve(api_version) == detail::scalar_type::null) {
    r.add(required(child_path(path, "apiVersion")));
    ok = false;
  } else if (r.read(api_version, child_path(path, "apiVersion"), version_text) && version_text != k_api_version) {
    if (version_text.rfind("v1beta", 0) == 0) {
      // The pre-v1 APIs differ in shape, not only in name: say so rather than list "v1".
      r.add(invalid(child_path(path, "apiVersion"), version_text,
                    fmt::format("{} is not served, use v1 (berth serves only the v1 API)",
                                version_text)));
    } else {
      r.add(unsupported(child_path(path, "apiVersion"), version_text, {k_api_version}));
    }
    ok = false;
  }
  if (detail::resolve(kind) == detail::scalar_type::null) {
    r.add(required(child_path(path, "kind")));
    return std::nullopt;
  }
  if (!r.read(kind, child_path(path, "kind"), kind_text)) return std::nullopt;
  bool known = kind_text == model::k_kind_pod || kind_text == model::k_kind_rc || kind_text == model::k_kind_service ||
               kind_text == model::k_kind_namespace || kind_text == model::k_kind_secret ||
               kind_text == model::k_kind_limit_range || kind_text == model::k_kind_resource_quota ||
               kind_text == model::k_kind_endpoints || kind_text == model::k_kind_persistent_volume ||
               kind_text == model::k_kind_persistent_volume_claim || kind_text == model::k_kind_pod_template ||
               (allow_list && kind_text == "List");
  if (!known) {
    r.add(unsupported(child_path(path, "kind"), kind_text,
                      {model::k_kind_pod, model::k_kind_rc, model::k_kind_service, model::k_kind_namespace,
                       model::k_kind_secret, model::k_kind_limit_range, model::k_kind_resource_quota,
                       model::k_kind_endpoints, model::k_kind_persistent_volume,
                       model::k_kind_persistent_volume_claim, model::k_kind_pod_template}));
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  return kind_text;
}

/// A Namespace: metadata only; spec (finalizers) and status are the server's.
model::namespace_object decode_namespace(reader& r, const YAML::Node& n, const std::string& path) {
  model::namespace_object obj;
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
             if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
             return false;
           },
           {}, {"spec", "status"});
  return obj;
}

/// A Secret: type, data (base64 values), stringData (merged into data, winning).
model::secret decode_secret(reader& r, const YAML::Node& n, const std::string& path) {
  model::secret obj;
  model::string_map data, string_data;
  std::string data_path;
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
             if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
             if (key == "type") return r.read(v, fp, obj.type), true;
             if (key == "data") return data_path = fp, r.read(v, fp, data), true;
             if (key == "stringData") return r.read(v, fp, string_data), true;
             return false;
           });
  for (const auto& [k, v] : data) {
    std::size_t bad = 0;
    auto bytes = base64_decode(v, &bad);
    if (!bytes) {
      r.add(invalid(data_path + "[" + k + "]", "<secret contents redacted>",
                    fmt::format("illegal base64 data at input byte {}", bad)));
      continue;
    }
    obj.data[k] = std::move(*bytes);
  }
  for (const auto& [k, v] : string_data) obj.data[k] = v;
  if (obj.type.empty()) obj.type = model::k_secret_type_opaque;
  return obj;
}

/// A LimitRange: spec.limits[] of type, max, min, default, defaultRequest,
/// maxLimitRequestRatio.
model::limit_range decode_limit_range(reader& r, const YAML::Node& n, const std::string& path) {
  model::limit_range obj;
  auto item_of = [&](const YAML::Node& v, const std::string& p) {
    model::limit_range_item item;
    r.fields(v, p, [&](std::string_view key, const YAML::Node& f, const std::string& fp) {
      if (key == "type") return r.read(f, fp, item.type), true;
      if (key == "max") return r.read(f, fp, item.max), true;
      if (key == "min") return r.read(f, fp, item.min), true;
      if (key == "default") return r.read(f, fp, item.default_), true;
      if (key == "defaultRequest") return r.read(f, fp, item.default_request), true;
      if (key == "maxLimitRequestRatio") return r.read(f, fp, item.max_limit_request_ratio), true;
      return false;
    });
    obj.limits.push_back(std::move(item));
  };
  r.fields(n, path, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
    if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
    if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
    if (key != "spec") return false;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& s, const std::string& sp) {
      if (k == "limits") return r.read_list(s, sp, item_of), true;
      return false;
    });
    return true;
  });
  return obj;
}

/// A PodTemplate: metadata and `template` (a pod's metadata and spec), at the top level.
model::pod_template decode_pod_template(reader& r, const YAML::Node& n, const std::string& path) {
  model::pod_template obj;
  r.fields(n, path, [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
    if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
    if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
    if (key != "template") return false;
    r.fields(v, fp, [&](std::string_view k, const YAML::Node& x, const std::string& p) {
      if (k == "metadata") return detail::decode_metadata(r, x, p, obj.template_.metadata), true;
      if (k == "spec") return detail::decode_pod_spec(r, x, p, obj.template_.spec), true;
      return false;
    });
    return true;
  });
  return obj;
}

/// A ResourceQuota: spec.hard; status is the server's (accepted, ignored).
model::resource_quota decode_resource_quota(reader& r, const YAML::Node& n, const std::string& path) {
  model::resource_quota obj;
  r.fields(
      n, path,
      [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
        if (key == "apiVersion" || key == "kind") return true;  // checked by the caller
        if (key == "metadata") return detail::decode_metadata(r, v, fp, obj.metadata), true;
        if (key != "spec") return false;
        r.fields(v, fp, [&](std::string_view k, const YAML::Node& s, const std::string& sp) {
          if (k == "hard") return r.read(s, sp, obj.hard), true;
          return false;
        });
        return true;
      },
      {}, {"status"});
  return obj;
}

std::optional<manifest_object> decode_typed(reader& r, const YAML::Node& n, const std::string& path,
                                            const std::string& kind) {
  if (kind == model::k_kind_limit_range) return decode_limit_range(r, n, path);
  if (kind == model::k_kind_resource_quota) return decode_resource_quota(r, n, path);
  if (kind == model::k_kind_namespace) return decode_namespace(r, n, path);
  if (kind == model::k_kind_secret) return decode_secret(r, n, path);
  if (kind == model::k_kind_endpoints) return detail::decode_endpoints(r, n, path);
  if (kind == model::k_kind_persistent_volume) return detail::decode_persistent_volume(r, n, path);
  if (kind == model::k_kind_persistent_volume_claim) return detail::decode_persistent_volume_claim(r, n, path);
  if (kind == model::k_kind_pod_template) return decode_pod_template(r, n, path);
  if (kind == model::k_kind_pod) {
    return decode_object<model::pod>(r, n, path, [&](const YAML::Node& v, const std::string& fp, model::pod_spec& s) {
      detail::decode_pod_spec(r, v, fp, s);
    });
  }
  if (kind == model::k_kind_rc) {
    return decode_object<model::replication_controller>(
        r, n, path, [&](const YAML::Node& v, const std::string& fp, model::replication_controller_spec& s) {
          decode_replication_controller_spec(r, v, fp, s);
        });
  }
  return decode_object<model::service>(
      r, n, path,
      [&](const YAML::Node& v, const std::string& fp, model::service_spec& s) { decode_service_spec(r, v, fp, s); });
}

/// Decodes, defaults and validates one object; appends it when it is clean.
void decode_one(const YAML::Node& n, const std::string& path, std::size_t document, field_errors& errors,
                std::vector<decoded_object>& out);

void decode_list(const YAML::Node& n, std::size_t document, field_errors& errors, std::vector<decoded_object>& out) {
  reader r(errors);
  r.fields(n, "", [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
    if (key == "apiVersion" || key == "kind" || key == "metadata") return true;  // ListMeta: nothing to keep
    if (key != "items") return false;
    r.read_list(v, fp,
                [&](const YAML::Node& item, const std::string& p) { decode_one(item, p, document, errors, out); });
    return true;
  });
}

void decode_one(const YAML::Node& n, const std::string& path, std::size_t document, field_errors& errors,
                std::vector<decoded_object>& out) {
  reader r(errors);
  std::size_t before = errors.size();
  if (!r.expect_map(n, path)) return;
  auto kind = check_type(r, n, path, path.empty());
  if (!kind) return;
  if (*kind == "List") return decode_list(n, document, errors, out);
  auto object = decode_typed(r, n, path, *kind);
  std::visit(
      [](auto& o) {
        using T = std::decay_t<decltype(o)>;
        if constexpr (!std::is_same_v<T, model::namespace_object> && !std::is_same_v<T, model::secret> &&
                      !std::is_same_v<T, model::limit_range> && !std::is_same_v<T, model::resource_quota> &&
                      !std::is_same_v<T, model::endpoints> && !std::is_same_v<T, model::persistent_volume> &&
                      !std::is_same_v<T, model::persistent_volume_claim>)
          apply_defaults(o);
      },
      *object);
  // A field that could not be read holds its zero value; validating that would
  // only repeat the decode error in other words, so those fields are skipped.
  std::set<std::string> unreadable;
  for (std::size_t i = before; i < errors.size(); ++i) unreadable.insert(errors[i].field);
  // Validation errors carry paths relative to the object; List items add their prefix.
  for (auto& e : std::visit([](const auto& o) { return validate(o); }, *object)) {
    e.field = e.field.empty() ? path : child_path(path, e.field);
    if (!unreadable.count(e.field)) errors.push_back(std::move(e));
  }
  if (errors.size() == before) out.push_back({std::move(*object), document});
}

}  // namespace

namespace detail {

bool read_protocol(reader& r, const YAML::Node& n, const std::string& path, model::protocol& out) {
  std::string text;
  if (!r.read(n, path, text)) return false;
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text == "TCP" || text == "UDP") {
    out = text == "TCP" ? model::protocol::tcp : model::protocol::udp;
    return true;
  }
  // Not a protocol in any case: the strict reader reports it with the values allowed.
  return r.read_enum(n, path, out, {{"TCP", model::protocol::tcp}, {"UDP", model::protocol::udp}});
}

void decode_metadata(reader& r, const YAML::Node& n, const std::string& path, model::object_meta& out) {
  r.fields(n, path,
           [&](std::string_view key, const YAML::Node& v, const std::string& fp) {
             if (key == "name") return r.read(v, fp, out.name), true;
             if (key == "namespace") return r.read(v, fp, out.namespace_), true;
             if (key == "labels") return r.read(v, fp, out.labels), true;
             if (key == "annotations") return r.read(v, fp, out.annotations), true;
             if (key == "generateName") return r.read(v, fp, out.generate_name), true;
             // Server-set fields, read so that `get -o yaml` output decodes (see decode.hpp).
             if (key == "uid") return r.read(v, fp, out.uid), true;
             if (key == "resourceVersion") return r.read(v, fp, out.resource_version), true;
             if (key == "generation") return r.read(v, fp, out.generation), true;
             if (key == "creationTimestamp") return r.read_time(v, fp, out.creation_timestamp), true;
             if (key == "deletionTimestamp") return r.read_time(v, fp, out.deletion_timestamp), true;
             if (key == "deletionGracePeriodSeconds") return r.read(v, fp, out.deletion_grace_period_seconds), true;
             if (key == "ownerReferences") return decode_owner_references(r, v, fp, out.owner_references), true;
             return false;
           },
           {"finalizers"}, {"selfLink", "managedFields"});
}

}  // namespace detail

std::string manifest_error::to_string() const {
  if (document == 0) return fmt::format("{}: {}", source, error.to_string());
  return fmt::format("{} document {}: {}", source, document, error.to_string());
}

std::vector<std::string> decode_result::error_strings() const {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.to_string());
  return out;
}

decode_result decode_manifests(std::string_view text, std::string_view source_name) {
  decode_result result;
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    // yaml-cpp's marks are 0-based; editors count from 1.
    result.errors.push_back(
        {std::string(source_name),
         0,
         {"", fmt::format("YAML syntax error at line {}, column {}: {}", e.mark.line + 1, e.mark.column + 1, e.msg)}});
    return result;
  }
  for (std::size_t i = 0; i < documents.size(); ++i) {
    if (detail::resolve(documents[i]) == detail::scalar_type::null) continue;
    field_errors errors;
    decode_one(documents[i], "", i + 1, errors, result.objects);
    for (auto& e : errors) result.errors.push_back({std::string(source_name), i + 1, std::move(e)});
  }
  return result;
}

}  // namespace berth::manifest
