#include "actors/kube/tables.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "actors/kube/media_type.hpp"
#include "actors/manifest/columns.hpp"
#include "actors/manifest/emit.hpp"
#include "actors/manifest/render.hpp"

namespace berth::kube {
namespace {

using manifest::detail::doc;

struct column {
  const char* name;
  const char* type;    // "string" or "integer"
  const char* format;  // "name" for the Name column
  const char* description;
  int priority;
};

// Descriptions: the printers' literal texts; where they quote a field's API
// documentation, its first sentence.
constexpr const char* k_name_doc = "Name must be unique within a namespace.";
constexpr const char* k_age_doc =
    "CreationTimestamp is a timestamp representing the server time when this object was created.";

constexpr column k_pod_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic.", 0},
    {"Status", "string", "", "The aggregate status of the containers in this pod.", 0},
    {"Restarts", "string", "",
     "The number of times the containers in this pod have been restarted and when the last container in this pod "
     "has restarted.",
     0},
    {"Age", "string", "", k_age_doc, 0},
    {"IP", "string", "", "podIP address allocated to the pod.", 1},
    {"Node", "string", "", "NodeName indicates in which node this pod is scheduled.", 1},
    {"Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node.", 1},
    {"Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness.", 1},
};

constexpr column k_rc_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Desired", "integer", "", "Replicas is the number of desired replicas.", 0},
    {"Current", "integer", "", "Replicas is the most recently observed number of replicas.", 0},
    {"Ready", "integer", "", "The number of ready replicas for this replication controller.", 0},
    {"Age", "string", "", k_age_doc, 0},
    {"Containers", "string", "", "Names of each container in the template.", 1},
    {"Images", "string", "", "Images referenced by each container in the template.", 1},
    {"Selector", "string", "", "Selector is a label query over pods that should match the Replicas count.", 1},
};

constexpr column k_service_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Type", "string", "", "type determines how the Service is exposed.", 0},
    {"Cluster-IP", "string", "", "clusterIP is the IP address of the service and is usually assigned randomly.", 0},
    {"External-IP", "string", "",
     "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.",
     0},
    {"Port(s)", "string", "", "The list of ports that are exposed by this service.", 0},
    {"Age", "string", "", k_age_doc, 0},
    {"Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1},
};

constexpr column k_endpoints_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Endpoints", "string", "", "The set of all endpoints is the union of all subsets.", 0},
    {"Age", "string", "", k_age_doc, 0},
};

constexpr column k_node_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Status", "string", "", "The status of the node", 0},
    {"Roles", "string", "", "The roles of the node", 0},
    {"Age", "string", "", k_age_doc, 0},
    {"Version", "string", "", "Kubelet Version reported by the node.", 0},
    {"Internal-IP", "string", "", "List of addresses reachable to the node.", 1},
    {"External-IP", "string", "", "List of addresses reachable to the node.", 1},
    {"OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
     1},
    {"Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
     1},
    {"Container-Runtime", "string", "",
     "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1},
};

constexpr column k_event_columns[] = {
    {"Last Seen", "string", "", "The time at which the most recent occurrence of this event was recorded.", 0},
    {"Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future", 0},
    {"Reason", "string", "",
     "This should be a short, machine understandable string that gives the reason for the "
     "transition into the object's current status.",
     0},
    {"Object", "string", "", "The object that this event is about.", 0},
    {"Subobject", "string", "",
     "If referring to a piece of an object instead of an entire object, this string "
     "should contain a valid JSON/Go field access statement.",
     1},
    {"Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1},
    {"Message", "string", "", "A human-readable description of the status of this operation.", 0},
    {"First Seen", "string", "", "The time at which the event was first recorded.", 1},
    {"Count", "string", "", "The number of times this event has occurred.", 1},
    {"Name", "string", "name", k_name_doc, 1},
};

constexpr column k_namespace_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Status", "string", "", "The status of the namespace", 0},
    {"Age", "string", "", k_age_doc, 0},
};

constexpr column k_secret_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Type", "string", "", "The type of the secret", 0},
    {"Data", "string", "", "The number of keys in the secret", 0},
    {"Age", "string", "", k_age_doc, 0},
};

// kubectl 1.20's persistent volume and claim columns (VolumeMode, priority 1, left out).
constexpr column k_volume_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Capacity", "string", "", "How much storage the volume has", 0},
    {"Access Modes", "string", "", "The ways the volume can be mounted", 0},
    {"Reclaim Policy", "string", "", "What happens to the volume when its claim is deleted", 0},
    {"Status", "string", "", "The phase of the volume", 0},
    {"Claim", "string", "", "The claim bound to the volume", 0},
    {"StorageClass", "string", "", "The storage class (berth has none)", 0},
    {"Reason", "string", "", "Why the volume is in its phase", 0},
    {"Age", "string", "", k_age_doc, 0},
};

constexpr column k_claim_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Status", "string", "", "The phase of the claim", 0},
    {"Volume", "string", "", "The volume bound to the claim", 0},
    {"Capacity", "string", "", "The bound volume's storage", 0},
    {"Access Modes", "string", "", "The bound volume's access modes", 0},
    {"StorageClass", "string", "", "The storage class (berth has none)", 0},
    {"Age", "string", "", k_age_doc, 0},
};

constexpr column k_pod_template_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Containers", "string", "", "The template's containers", 0},
    {"Images", "string", "", "The containers' images", 0},
    {"Pod Labels", "string", "", "The labels of the pods made from it", 0},
};

constexpr column k_name_age_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Age", "string", "", k_age_doc, 0},
};

constexpr column k_component_status_columns[] = {
    {"Name", "string", "name", k_name_doc, 0},
    {"Status", "string", "", "Status of the component conditions", 0},
    {"Message", "string", "", "Message of the component conditions", 0},
    {"Error", "string", "", "Error of the component conditions", 0},
};

doc str(std::string s) { return doc::str(std::move(s)); }

std::string or_none(const std::string& s) { return s.empty() ? "<none>" : s; }
std::string or_unknown(const std::string& s) { return s.empty() ? "<unknown>" : s; }

std::string joined(const std::vector<std::string>& v) { return fmt::format("{}", fmt::join(v, ",")); }

// ------------------------------------------------------------- rows

/// "2", or "2 (5m ago)" when the last restart's time is known (printers.go since 1.22).
std::string restarts_cell(const model::pod& p, std::int32_t restarts, model::time_ns now) {
  model::time_ns last = 0;
  for (const auto& c : p.status.container_statuses) {
    if (const auto* t = std::get_if<model::container_state_terminated>(&c.last_state))
      last = std::max(last, t->finished_at);
  }
  if (restarts == 0 || last == 0) return std::to_string(restarts);
  return fmt::format("{} ({} ago)", restarts, manifest::format_age(last, now));
}

doc cells_of(const model::pod& p, model::time_ns now) {
  auto s = manifest::pod_summary(p);
  doc d = doc::list().push(str(p.metadata.name)).push(str(s.ready)).push(str(s.status));
  d.push(str(restarts_cell(p, s.restarts, now))).push(str(manifest::format_age(p.metadata.creation_timestamp, now)));
  d.push(str(or_none(p.status.pod_ip))).push(str(or_none(p.spec.node_name)));
  return d.push(str("<none>")).push(str("<none>"));  // berth nominates no nodes and has no readiness gates
}

doc cells_of(const model::replication_controller& rc, model::time_ns now) {
  std::vector<std::string> names, images;
  for (const auto& c : rc.spec.template_.spec.containers) {
    names.push_back(c.name);
    images.push_back(c.image);
  }
  doc d = doc::list().push(str(rc.metadata.name)).push(doc::integer(rc.spec.replicas));
  d.push(doc::integer(rc.status.replicas)).push(doc::integer(rc.status.ready_replicas));
  d.push(str(manifest::format_age(rc.metadata.creation_timestamp, now)));
  return d.push(str(joined(names))).push(str(joined(images))).push(str(manifest::labels_text(rc.spec.selector)));
}

doc cells_of(const model::service& s, model::time_ns now) {
  doc d = doc::list().push(str(s.metadata.name)).push(str(manifest::service_type_name(s.spec.type)));
  d.push(str(manifest::service_cluster_ip(s))).push(str(manifest::service_external_ip(s)));
  d.push(str(manifest::service_ports(s))).push(str(manifest::format_age(s.metadata.creation_timestamp, now)));
  return d.push(str(manifest::labels_text(s.spec.selector)));
}

doc cells_of(const model::endpoints& e, model::time_ns now) {
  return doc::list()
      .push(str(e.metadata.name))
      .push(str(manifest::endpoints_text(e)))
      .push(str(manifest::format_age(e.metadata.creation_timestamp, now)));
}

std::string address_of(const model::node& n, const char* type) {
  for (const auto& a : n.status.addresses) {
    if (a.type == type) return a.address;
  }
  return "<none>";
}

doc cells_of(const model::node& n, model::time_ns now) {
  const auto& info = n.status.node_info;
  doc d = doc::list().push(str(n.metadata.name)).push(str(manifest::node_status(n)));
  d.push(str(manifest::node_roles(n))).push(str(manifest::format_age(n.metadata.creation_timestamp, now)));
  d.push(str(info.kubelet_version)).push(str(address_of(n, "InternalIP"))).push(str(address_of(n, "ExternalIP")));
  d.push(str(or_unknown(info.os_image))).push(str(or_unknown(info.kernel_version)));
  return d.push(str(or_unknown(info.container_runtime_version)));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

doc cells_of(const event_object& e, model::time_ns now) {
  std::string first = manifest::format_age(e.first_timestamp, now);
  std::string last = e.last_timestamp == 0 ? first : manifest::format_age(e.last_timestamp, now);
  if (e.count > 1) last = fmt::format("{} (x{} over {})", last, e.count, first);
  const auto& ref = e.involved_object;
  std::string object = ref.name.empty() ? lower(ref.kind) : fmt::format("{}/{}", lower(ref.kind), ref.name);
  std::string source =
      e.source_host.empty() ? e.source_component : fmt::format("{}, {}", e.source_component, e.source_host);
  doc d = doc::list().push(str(last)).push(str(e.type)).push(str(e.reason)).push(str(object));
  d.push(str(e.field_path)).push(str(source)).push(str(e.message)).push(str(first));
  return d.push(doc::integer(e.count)).push(str(e.metadata.name));
}

doc cells_of(const namespace_object& n, model::time_ns now) {
  return doc::list()
      .push(str(n.metadata.name))
      .push(str(model::phase_name(n.status.phase)))
      .push(str(manifest::format_age(n.metadata.creation_timestamp, now)));
}

doc cells_of(const model::secret& x, model::time_ns now) {
  return doc::list()
      .push(str(x.metadata.name))
      .push(str(x.type))
      .push(doc::integer(static_cast<std::int64_t>(x.data.size())))
      .push(str(manifest::format_age(x.metadata.creation_timestamp, now)));
}

template <class T>
doc name_age_cells(const T& x, model::time_ns now) {
  return doc::list()
      .push(str(x.metadata.name))
      .push(str(manifest::format_age(x.metadata.creation_timestamp, now)));
}
doc cells_of(const model::limit_range& x, model::time_ns now) { return name_age_cells(x, now); }
doc cells_of(const model::resource_quota& x, model::time_ns now) { return name_age_cells(x, now); }

doc string_cells(const std::vector<std::string>& cells) {
  doc list = doc::list();
  for (const auto& c : cells) list.push(str(c));
  return list;
}
doc cells_of(const model::persistent_volume& x, model::time_ns now) {
  return string_cells(manifest::volume_cells(x, now));
}
doc cells_of(const model::persistent_volume_claim& x, model::time_ns now) {
  return string_cells(manifest::claim_cells(x, now));
}

doc cells_of(const model::pod_template& x, model::time_ns) { return string_cells(manifest::pod_template_cells(x)); }

doc cells_of(const component_status& c, model::time_ns) {
  return doc::list()
      .push(str(c.name))
      .push(str(c.healthy ? "Healthy" : "Unhealthy"))
      .push(str(c.message))
      .push(str(c.error));
}

const model::object_meta& meta_of(const model::pod& o) { return o.metadata; }
const model::object_meta& meta_of(const model::replication_controller& o) { return o.metadata; }
const model::object_meta& meta_of(const model::service& o) { return o.metadata; }
const model::object_meta& meta_of(const model::endpoints& o) { return o.metadata; }
const model::object_meta& meta_of(const model::node& o) { return o.metadata; }
const model::object_meta& meta_of(const event_object& o) { return o.metadata; }
const model::object_meta& meta_of(const namespace_object& o) { return o.metadata; }
const model::object_meta& meta_of(const model::secret& o) { return o.metadata; }
const model::object_meta& meta_of(const model::limit_range& o) { return o.metadata; }
const model::object_meta& meta_of(const model::resource_quota& o) { return o.metadata; }
const model::object_meta& meta_of(const model::persistent_volume& o) { return o.metadata; }
const model::object_meta& meta_of(const model::persistent_volume_claim& o) { return o.metadata; }
const model::object_meta& meta_of(const model::pod_template& o) { return o.metadata; }
model::object_meta meta_of(const component_status& o) {
  model::object_meta m;
  m.name = o.name;
  return m;
}

// ------------------------------------------------------------- the table

doc columns_doc(std::span<const column> columns) {
  doc list = doc::list();
  for (const auto& c : columns) {
    list.push(doc::map()
                  .set("name", str(c.name))
                  .set("type", str(c.type))
                  .set("format", str(c.format))
                  .set("description", str(c.description))
                  .set("priority", doc::integer(c.priority)));
  }
  return list;
}

template <typename Object>
std::string table_of(std::span<const column> columns, std::span<const Object> objects, const table_options& o) {
  doc meta = doc::map().set("resourceVersion", str(std::to_string(o.resource_version)));
  std::string out =
      fmt::format(R"({{"kind":"Table","apiVersion":"meta.k8s.io/v1","metadata":{},"columnDefinitions":{},"rows":[)",
                  manifest::detail::write_json_compact(meta),
                  manifest::detail::write_json_compact(o.column_definitions ? columns_doc(columns) : doc::list()));
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (i != 0) out += ',';
    out += fmt::format(
        R"({{"cells":{},"object":{{"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{}}}}})",
        manifest::detail::write_json_compact(cells_of(objects[i], o.now)),
        manifest::metadata_json_compact(meta_of(objects[i])));
  }
  return out + "]}";
}

}  // namespace

bool wants_table(const std::string& accept) {
  for (const auto& m : parse_accept(accept)) {
    if (m.type == "application/json" && m.param("as") == "Table" && m.param("g") == "meta.k8s.io" &&
        (m.param("v") == "v1" || m.param("v") == "v1beta1")) {
      return true;
    }
    if (accepts_json(m) && m.param("as").empty()) return false;
  }
  return false;
}

std::string table_json(std::span<const model::pod> objects, const table_options& options) {
  return table_of<model::pod>(k_pod_columns, objects, options);
}
std::string table_json(std::span<const model::replication_controller> objects, const table_options& options) {
  return table_of<model::replication_controller>(k_rc_columns, objects, options);
}
std::string table_json(std::span<const model::service> objects, const table_options& options) {
  return table_of<model::service>(k_service_columns, objects, options);
}
std::string table_json(std::span<const model::endpoints> objects, const table_options& options) {
  return table_of<model::endpoints>(k_endpoints_columns, objects, options);
}
std::string table_json(std::span<const model::node> objects, const table_options& options) {
  return table_of<model::node>(k_node_columns, objects, options);
}
std::string table_json(std::span<const event_object> objects, const table_options& options) {
  return table_of<event_object>(k_event_columns, objects, options);
}
std::string table_json(std::span<const namespace_object> objects, const table_options& options) {
  return table_of<namespace_object>(k_namespace_columns, objects, options);
}
std::string table_json(std::span<const model::secret> objects, const table_options& options) {
  return table_of<model::secret>(k_secret_columns, objects, options);
}
std::string table_json(std::span<const model::limit_range> objects, const table_options& options) {
  return table_of<model::limit_range>(k_name_age_columns, objects, options);
}
std::string table_json(std::span<const model::resource_quota> objects, const table_options& options) {
  return table_of<model::resource_quota>(k_name_age_columns, objects, options);
}
std::string table_json(std::span<const model::persistent_volume> objects, const table_options& options) {
  return table_of<model::persistent_volume>(k_volume_columns, objects, options);
}
std::string table_json(std::span<const model::persistent_volume_claim> objects, const table_options& options) {
  return table_of<model::persistent_volume_claim>(k_claim_columns, objects, options);
}
std::string table_json(std::span<const model::pod_template> objects, const table_options& options) {
  return table_of<model::pod_template>(k_pod_template_columns, objects, options);
}
std::string table_json(std::span<const component_status> objects, const table_options& options) {
  return table_of<component_status>(k_component_status_columns, objects, options);
}

}  // namespace berth::kube
