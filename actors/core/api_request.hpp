#pragma once
// The facade's calls as one message type for the store actor (one handler,
// dispatched with std::visit in store_api.cpp). Local-only values.

#include <cstdint>
#include <string>
#include <variant>

#include "actors/control_plane.hpp"
#include "actors/core/messages.hpp"

namespace berth::actors {

struct create_request {
  std::string principal;
  any_object object;
  bool dry_run = false;
  bool is_apply = false;  // apply: create, or replace when it exists
  control_plane::callback<outcome> done;
};
struct delete_request {
  std::string principal;
  object_key key;
  std::int64_t grace_period_seconds = -1;
  control_plane::callback<outcome> done;
};
struct scale_request {
  std::string principal;
  object_key key;
  std::int32_t replicas = 0;
  control_plane::callback<outcome> done;
};
struct get_request {
  object_key key;
  control_plane::callback<outcome> done;
};
struct list_request {
  kind k = kind::pod;
  std::string namespace_;
  std::string label_selector;
  std::string field_selector;
  control_plane::callback<list_result> done;
};
struct watch_request {
  std::uint64_t id = 0;
  kind k = kind::pod;
  std::string namespace_;
  std::string label_selector;
  std::string field_selector;
  std::uint64_t from_resource_version = 0;
  control_plane::callback<watch_event> on_event;
  control_plane::callback<std::string> on_closed;
};
struct cancel_watch_request {
  std::uint64_t id = 0;
};
struct object_events_request {
  object_key key;
  std::uint32_t limit = 20;
  control_plane::callback<std::vector<event_summary>> done;
};
struct join_request {
  model::node node;
  link_ptr link;
  control_plane::callback<outcome> done;
};
struct heartbeat_request {
  std::string node_name;
};
struct pod_status_request {
  std::string node_name;
  std::string namespace_;
  std::string name;
  std::string uid;
  model::pod_status status;
};
struct pod_terminated_request {
  std::string node_name;
  std::string namespace_;
  std::string name;
  std::string uid;
};
struct disconnect_request {
  std::string node_name;
  link_ptr link;
};

struct api_request {
  std::variant<create_request, delete_request, scale_request, get_request, list_request, watch_request,
               cancel_watch_request, object_events_request, join_request, heartbeat_request,
               pod_status_request, pod_terminated_request, disconnect_request>
      body;
};

}  // namespace berth::actors
