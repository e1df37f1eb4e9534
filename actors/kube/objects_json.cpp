#include "actors/kube/objects_json.hpp"

#include <fmt/format.h>

#include "actors/manifest/emit.hpp"
#include "actors/manifest/render.hpp"
#include "actors/manifest/timestamp.hpp"
#include "actors/text/json_quote.hpp"

namespace berth::kube {
namespace {

using manifest::detail::doc;

doc str(std::string_view s) { return doc::str(std::string(s)); }

void set_time(doc& d, const char* key, model::time_ns t) {
  if (t != 0) d.set(key, str(manifest::format_rfc3339(t)));
}

/// {"kind":K,"apiVersion":V,"metadata":<metadata>,<body's fields>}: the
/// metadata comes rendered from render.hpp, so it is spliced in as text.
std::string with_metadata(std::string_view kind, std::string_view api_version, const std::string& metadata,
                          const doc& body) {
  std::string out = fmt::format("{{\"kind\":{},\"apiVersion\":{},\"metadata\":{}", text::json_quote(kind),
                                text::json_quote(api_version), metadata);
  std::string rest = manifest::detail::write_json_compact(body);  // "{...}"
  if (rest.size() > 2) out += "," + rest.substr(1, rest.size() - 2);
  return out + "}";
}

}  // namespace

std::string object_json(const model::api_object& o) { return manifest::to_json_compact(o); }
std::string object_json(const model::node& n) { return manifest::to_json_compact(n); }
std::string object_json(const model::endpoints& e) { return manifest::to_json_compact(e); }

std::string object_json(const event_object& e) {
  const auto& ref = e.involved_object;
  doc involved = doc::map().set("kind", str(ref.kind)).set_nonempty("namespace", ref.namespace_);
  involved.set("name", str(ref.name)).set_nonempty("uid", ref.uid).set("apiVersion", str("v1"));
  involved.set_nonempty("fieldPath", e.field_path);
  doc body = doc::map().set("involvedObject", std::move(involved));
  body.set("reason", str(e.reason)).set("message", str(e.message));
  body.set("source", doc::map().set_nonempty("component", e.source_component).set_nonempty("host", e.source_host));
  set_time(body, "firstTimestamp", e.first_timestamp);
  set_time(body, "lastTimestamp", e.last_timestamp);
  body.set("count", doc::integer(e.count)).set("type", str(e.type));
  // Not omitempty in core/v1 Event: kubectl describe reads them as "".
  body.set("reportingComponent", str("")).set("reportingInstance", str(""));
  return with_metadata("Event", "v1", manifest::metadata_json_compact(e.metadata), body);
}

std::string object_json(const namespace_object& n) { return manifest::to_json_compact(n); }

std::string object_json(const model::secret& x) { return manifest::to_json_compact(x); }
std::string object_json(const model::limit_range& x) { return manifest::to_json_compact(x); }
std::string object_json(const model::persistent_volume& x) { return manifest::to_json_compact(x); }
std::string object_json(const model::persistent_volume_claim& x) { return manifest::to_json_compact(x); }
std::string object_json(const model::pod_template& x) { return manifest::to_json_compact(x); }
std::string object_json(const model::resource_quota& x) { return manifest::to_json_compact(x); }

std::string object_json(const component_status& c) {
  doc condition = doc::map().set("type", str("Healthy")).set("status", str(c.healthy ? "True" : "False"));
  condition.set_nonempty("message", c.message).set_nonempty("error", c.error);
  doc body = doc::map().set("conditions", doc::list().push(std::move(condition)));
  model::object_meta meta;
  meta.name = c.name;
  return with_metadata("ComponentStatus", "v1", manifest::metadata_json_compact(meta), body);
}

std::string list_json(std::string_view list_kind, std::uint64_t resource_version, const std::vector<std::string>& items,
                      std::string_view continue_token) {
  doc meta = doc::map().set("resourceVersion", doc::str(std::to_string(resource_version)));
  meta.set_nonempty("continue", std::string(continue_token));
  std::string out = fmt::format("{{\"kind\":{},\"apiVersion\":\"v1\",\"metadata\":{},\"items\":[",
                                text::json_quote(list_kind), manifest::detail::write_json_compact(meta));
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i != 0) out += ',';
    out += items[i];
  }
  return out + "]}";
}

const char* watch_event_name(watch_event_type type) {
  switch (type) {
    case watch_event_type::added: return "ADDED";
    case watch_event_type::modified: return "MODIFIED";
    case watch_event_type::deleted: return "DELETED";
    case watch_event_type::bookmark: return "BOOKMARK";
    case watch_event_type::error: break;
  }
  return "ERROR";
}

std::string watch_event_json(watch_event_type type, std::string_view object_json) {
  return fmt::format("{{\"type\":\"{}\",\"object\":{}}}\n", watch_event_name(type), object_json);
}

std::string bookmark_object_json(std::string_view kind, std::uint64_t resource_version) {
  model::object_meta meta;
  meta.resource_version = resource_version;
  return with_metadata(kind, "v1", manifest::metadata_json_compact(meta), doc::map());
}

std::string selector_text(const model::string_map& selector) {
  std::string out;
  for (const auto& [k, v] : selector) out += fmt::format("{}{}={}", out.empty() ? "" : ",", k, v);
  return out;
}

std::string scale_json(const model::replication_controller& rc) {
  model::object_meta meta;
  meta.name = rc.metadata.name;
  meta.namespace_ = rc.metadata.namespace_;
  meta.uid = rc.metadata.uid;
  meta.resource_version = rc.metadata.resource_version;
  meta.creation_timestamp = rc.metadata.creation_timestamp;
  doc body = doc::map().set("spec", doc::map().set("replicas", doc::integer(rc.spec.replicas)));
  doc status = doc::map().set("replicas", doc::integer(rc.status.replicas));
  body.set("status", std::move(status.set_nonempty("selector", selector_text(rc.spec.selector))));
  return with_metadata("Scale", "autoscaling/v1", manifest::metadata_json_compact(meta), body);
}

}  // namespace berth::kube
