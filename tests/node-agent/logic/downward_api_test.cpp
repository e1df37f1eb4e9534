// The downward API values and the container spec hash of the Kubernetes 1.0
// container fields.
#include <doctest/doctest.h>

#include "node-agent/logic/downward_api.hpp"
#include "node-agent/logic/pod_actions.hpp"

using namespace berth;

TEST_CASE("downward_api_values_are_rendered_as_kubelet_does") {
  model::pod p;
  p.metadata.name = "web-1";
  p.metadata.namespace_ = "prod";
  p.metadata.labels = {{"app", "web"}, {"tier", "a\"b"}};
  p.spec.node_name = "n1";
  p.status.pod_ip = "172.17.0.5";
  CHECK(agent::downward_api_value(p, "metadata.name") == "web-1");
  CHECK(agent::downward_api_value(p, "metadata.namespace") == "prod");
  CHECK(agent::downward_api_value(p, "metadata.labels") == "app=\"web\"\ntier=\"a\\\"b\"");
  CHECK(agent::downward_api_value(p, "metadata.annotations") == "");
  CHECK(agent::downward_api_value(p, "status.podIP") == "172.17.0.5");
  CHECK(agent::downward_api_value(p, "spec.nodeName") == "n1");
  CHECK(agent::downward_api_value(p, "spec.serviceAccountName") == "");
  model::env_var e{"MY_IP", "", model::env_var_source{model::object_field_selector{"v1", "status.podIP"}, {}}};
  CHECK(agent::env_value(p, e) == "172.17.0.5");
  CHECK(agent::env_value(p, model::env_var{"A", "b"}) == "b");
}

TEST_CASE("container_spec_hash_changes_with_the_new_fields_only_when_they_are_used") {
  model::container base;
  base.name = "app";
  base.image = "busybox";
  base.env = {model::env_var{"A", "b"}};
  const auto h = agent::container_spec_hash(base);
  auto with = [&](auto change) {
    model::container c = base;
    change(c);
    return agent::container_spec_hash(c);
  };
  CHECK(with([](model::container& c) { c.stdin = true; }) != h);
  CHECK(with([](model::container& c) { c.tty = true; }) != h);
  CHECK(with([](model::container& c) { c.security_context_ = model::security_context{}; }) != h);
  CHECK(with([](model::container& c) {
          c.security_context_ = model::security_context{};
          c.security_context_->run_as_user = 1000;
        }) != with([](model::container& c) { c.security_context_ = model::security_context{}; }));
  CHECK(with([](model::container& c) {
          c.env[0].value = "";
          c.env[0].value_from = model::env_var_source{model::object_field_selector{"v1", "metadata.name"}, {}};
        }) != with([](model::container& c) { c.env[0].value = ""; }));
}
