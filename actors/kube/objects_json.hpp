#pragma once
// Object bodies as the Kubernetes API sends them: compact JSON on one line
// with kind and apiVersion (kubectl refuses single objects without them),
// lists with metadata.resourceVersion (what `kubectl get -w` watches from),
// watch events one per line, and the autoscaling/v1 Scale of an RC.
//
// The model kinds render through actors/manifest/render.hpp, so `berth get -o
// json` and the REST API agree field for field. Events and component
// statuses are not journal objects; berthd derives them, and the small value
// types below carry what it derives. Pure.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "actors/model/events.hpp"

namespace berth::kube {

/// A core/v1 Event, as berthd derives it from journal events.
struct event_object {
  model::object_meta metadata;  // name "<object>.<seq in hex>", namespace of the involved object
  model::object_reference involved_object;
  std::string field_path;  // "spec.containers{web}"; "" for the whole object
  std::string reason;
  std::string message;
  std::string type = "Normal";   // "Normal" or "Warning"
  std::string source_component;  // "berthd", "berth-agent"
  std::string source_host;       // the node, for agent events
  model::time_ns first_timestamp = 0;
  model::time_ns last_timestamp = 0;
  std::int32_t count = 1;
  bool operator==(const event_object&) const = default;
};

/// A namespace: a model object now (actors/model/namespaces.hpp says which exist).
using model::namespace_object;

/// One component's health (kubectl get cs): berthd's journal, its store.
struct component_status {
  std::string name;  // "journal"
  bool healthy = true;
  std::string message;  // "ok"
  std::string error;    // why not healthy
  bool operator==(const component_status&) const = default;
};

/// {"kind":...,"apiVersion":"v1","metadata":...,...} on one line, no newline.
std::string object_json(const model::api_object& o);
std::string object_json(const model::node& n);
std::string object_json(const model::endpoints& e);
std::string object_json(const event_object& e);
std::string object_json(const namespace_object& n);
/// A secret with its data opened: base64 values (sealed data shows only its size).
std::string object_json(const model::secret& x);
/// Limit ranges and quotas as the manifest renderer writes them (a quota with its status).
std::string object_json(const model::limit_range& x);
std::string object_json(const model::resource_quota& x);
std::string object_json(const model::persistent_volume& x);
std::string object_json(const model::persistent_volume_claim& x);
std::string object_json(const model::pod_template& x);
std::string object_json(const component_status& c);

/// {"kind":list_kind,"apiVersion":"v1","metadata":{"resourceVersion":rv[,"continue":token]},"items":[...]}
/// `items` are object_json() texts, embedded as given.
std::string list_json(std::string_view list_kind, std::uint64_t resource_version, const std::vector<std::string>& items,
                      std::string_view continue_token = {});

enum class watch_event_type { added, modified, deleted, bookmark, error };

/// "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR".
const char* watch_event_name(watch_event_type type);

/// {"type":"ADDED","object":<object_json>}\n — one line of a watch stream
/// (the object must be one line: object_json, a Table body, or a Status body
/// for ERROR).
std::string watch_event_json(watch_event_type type, std::string_view object_json);

/// A BOOKMARK event's object: only kind, apiVersion and metadata.resourceVersion.
std::string bookmark_object_json(std::string_view kind, std::uint64_t resource_version);

/// The autoscaling/v1 Scale of `rc` (GET/PATCH .../replicationcontrollers/x/scale):
/// metadata name, namespace, uid, resourceVersion, creationTimestamp; spec.replicas;
/// status.replicas and status.selector as selector text ("app=web,tier=front").
std::string scale_json(const model::replication_controller& rc);

/// A label selector's text: "a=b,c=d" in key order, "" when empty (labels.SelectorFromSet).
std::string selector_text(const model::string_map& selector);

}  // namespace berth::kube
