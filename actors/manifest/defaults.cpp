#include "actors/manifest/defaults.hpp"

namespace berth::manifest {
namespace {

constexpr const char* k_default_namespace = "default";

void default_namespace(model::object_meta& m) {
  if (m.namespace_.empty()) m.namespace_ = k_default_namespace;
}

void default_probe(std::optional<model::probe>& p) {
  if (!p) return;
  // Kubernetes treats 0 as "not given" for these (its fields are plain int32).
  if (p->timeout_seconds == 0) p->timeout_seconds = 1;
  if (p->period_seconds == 0) p->period_seconds = 10;
  if (p->success_threshold == 0) p->success_threshold = 1;
  if (p->failure_threshold == 0) p->failure_threshold = 3;
  if (auto* http = std::get_if<model::http_get_action>(&p->handler)) {
    if (http->scheme.empty()) http->scheme = "HTTP";
    if (http->path.empty()) http->path = "/";
  }
}

void default_hook(std::optional<model::lifecycle_handler>& h) {
  if (!h) return;
  if (auto* http = std::get_if<model::http_get_action>(&*h)) {
    if (http->scheme.empty()) http->scheme = "HTTP";
    if (http->path.empty()) http->path = "/";
  }
}

void default_pod_spec(model::pod_spec& spec) {
  for (auto& c : spec.containers) {
    default_probe(c.liveness_probe);
    default_probe(c.readiness_probe);
    if (c.lifecycle_) {
      default_hook(c.lifecycle_->post_start);
      default_hook(c.lifecycle_->pre_stop);
    }
    // Kubernetes defaults an empty path, as it does a missing one.
    if (c.termination_message_path.empty()) c.termination_message_path = model::k_default_termination_message_path;
  }
}

}  // namespace

model::pull_policy default_pull_policy(std::string_view image) {
  if (image.find('@') != std::string_view::npos) return model::pull_policy::if_not_present;
  // The tag follows the last ':' after the last '/': "localhost:5000/redis" has none.
  auto slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  auto colon = last.rfind(':');
  if (colon == std::string_view::npos || last.substr(colon + 1) == "latest") return model::pull_policy::always;
  return model::pull_policy::if_not_present;
}

void apply_defaults(model::pod& p) {
  default_namespace(p.metadata);
  default_pod_spec(p.spec);
}

void apply_defaults(model::replication_controller& rc) {
  default_namespace(rc.metadata);
  const auto& template_labels = rc.spec.template_.metadata.labels;
  if (rc.spec.selector.empty()) rc.spec.selector = template_labels;
  if (rc.metadata.labels.empty()) rc.metadata.labels = template_labels;
  default_pod_spec(rc.spec.template_.spec);
}

void apply_defaults(model::pod_template& t) {
  default_namespace(t.metadata);
  default_pod_spec(t.template_.spec);
}

void apply_defaults(model::service& s) {
  default_namespace(s.metadata);
  for (auto& port : s.spec.ports) {
    if (std::holds_alternative<std::monostate>(port.target_port.value)) port.target_port.value = port.port;
  }
}

void apply_defaults(model::api_object& o) {
  std::visit([](auto& x) { apply_defaults(x); }, o);
}

}  // namespace berth::manifest
