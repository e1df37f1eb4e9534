// Kubernetes' defaulting, as applied by decode_manifests().
#include <doctest/doctest.h>

#include "actors/manifest/defaults.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using namespace berth::manifest;

namespace {

template <class T>
T decode_one(const std::string& text) {
  auto r = decode_manifests(text, "d.yaml");
  REQUIRE(r.error_strings() == std::vector<std::string>{});
  REQUIRE(r.objects.size() == 1);
  return std::get<T>(r.objects[0].object);
}

model::pod decode_pod(const std::string& container_extra, const std::string& spec_extra = "") {
  return decode_one<model::pod>("apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n" + spec_extra +
                                "  containers:\n  - name: app\n    image: nginx:1.25\n" + container_extra);
}

const std::string k_rc_template =
    "  template:\n    metadata:\n      labels:\n        app: web\n        tier: front\n"
    "    spec:\n      containers:\n      - name: app\n        image: nginx\n";

}  // namespace

TEST_CASE("defaults: namespace is \"default\" unless given") {
  CHECK(decode_pod("").metadata.namespace_ == "default");
  auto p = decode_one<model::pod>(
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: team-a\nspec:\n  containers:\n"
      "  - name: app\n    image: nginx\n");
  CHECK(p.metadata.namespace_ == "team-a");
}

TEST_CASE("defaults: pod spec restartPolicy Always, grace period 30, container port protocol TCP") {
  auto p = decode_pod("    ports:\n    - containerPort: 80\n    - containerPort: 53\n      protocol: UDP\n");
  CHECK(p.spec.restart_policy_ == model::restart_policy::always);
  CHECK(p.spec.termination_grace_period_seconds == 30);
  CHECK(p.spec.containers[0].ports[0].protocol_ == model::protocol::tcp);
  CHECK(p.spec.containers[0].ports[1].protocol_ == model::protocol::udp);
  CHECK(decode_pod("", "  restartPolicy: OnFailure\n  terminationGracePeriodSeconds: 0\n").spec == [] {
    auto s = decode_pod("").spec;
    s.restart_policy_ = model::restart_policy::on_failure;
    s.termination_grace_period_seconds = 0;
    return s;
  }());
}

TEST_CASE("defaults: imagePullPolicy from the image tag when not given") {
  const std::vector<std::pair<std::string, model::pull_policy>> cases = {
      {"nginx", model::pull_policy::always},
      {"nginx:latest", model::pull_policy::always},
      {"nginx:1.25", model::pull_policy::if_not_present},
      {"gcr.io/google_containers/redis:e2e", model::pull_policy::if_not_present},
      {"localhost:5000/nginx", model::pull_policy::always},
      {"localhost:5000/nginx:v1", model::pull_policy::if_not_present},
      {"nginx@sha256:0e072dddd1f7f8fc8909a2ca6f65e76c5f0d2fcfb8be47935ae3457e8bbceb20",
       model::pull_policy::if_not_present},
  };
  for (const auto& [image, policy] : cases) {
    CAPTURE(image);
    CHECK(default_pull_policy(image) == policy);
    auto p = decode_one<model::pod>(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: app\n    image: " +
        image + "\n");
    CHECK(p.spec.containers[0].image_pull_policy == policy);
  }
  CHECK(decode_pod("    imagePullPolicy: Never\n").spec.containers[0].image_pull_policy == model::pull_policy::never);
  CHECK(decode_pod("    imagePullPolicy: Always\n").spec.containers[0].image_pull_policy == model::pull_policy::always);
}

TEST_CASE("defaults: probe timeout 1, period 10, success 1, failure 3; httpGet scheme HTTP and path /") {
  auto c = decode_pod(
               "    livenessProbe:\n      httpGet:\n        port: 8080\n"
               "    readinessProbe:\n      tcpSocket:\n        port: http\n      timeoutSeconds: 0\n      "
               "periodSeconds: 3\n")
               .spec.containers[0];
  REQUIRE(c.liveness_probe.has_value());
  model::probe live{model::http_get_action{"/", {8080}, "", "HTTP", {}}, 0, 1, 10, 1, 3};
  CHECK(*c.liveness_probe == live);
  REQUIRE(c.readiness_probe.has_value());
  model::probe ready{model::tcp_socket_action{{"http"}}, 0, 1, 3, 1, 3};
  CHECK(*c.readiness_probe == ready);
}

TEST_CASE("defaults: RC selector and labels from the template labels, replicas 1") {
  model::string_map labels{{"app", "web"}, {"tier", "front"}};
  auto rc = decode_one<model::replication_controller>(
      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n" + k_rc_template);
  CHECK(rc.spec.replicas == 1);
  CHECK(rc.spec.selector == labels);
  CHECK(rc.metadata.labels == labels);
  CHECK(rc.metadata.namespace_ == "default");
  CHECK(rc.spec.template_.metadata.namespace_.empty());  // Kubernetes leaves the template's alone
}

TEST_CASE("defaults: an RC's explicit selector, labels and replicas 0 are kept") {
  auto rc = decode_one<model::replication_controller>(
      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\n  labels:\n    owner: me\nspec:\n"
      "  replicas: 0\n  selector:\n    app: web\n" +
      k_rc_template);
  CHECK(rc.spec.replicas == 0);
  CHECK(rc.spec.selector == model::string_map{{"app", "web"}});
  CHECK(rc.metadata.labels == model::string_map{{"owner", "me"}});
}

TEST_CASE("defaults: service targetPort = port, protocol TCP, type ClusterIP, sessionAffinity None") {
  auto s = decode_one<model::service>(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: a\n    port: 80\n"
      "  - name: b\n    port: 81\n    targetPort: http\n  - name: c\n    port: 82\n    targetPort: 8082\n    protocol: "
      "UDP\n");
  REQUIRE(s.spec.ports.size() == 3);
  CHECK(s.spec.ports[0].target_port == model::int_or_string{80});
  CHECK(s.spec.ports[1].target_port == model::int_or_string{"http"});
  CHECK(s.spec.ports[2].target_port == model::int_or_string{8082});
  CHECK(s.spec.ports[0].protocol_ == model::protocol::tcp);
  CHECK(s.spec.ports[2].protocol_ == model::protocol::udp);
  CHECK(s.spec.type == model::service_type::cluster_ip);
  CHECK(s.spec.session_affinity_ == model::session_affinity::none);
}

TEST_CASE("defaults: apply_defaults is idempotent") {
  model::api_object rc = decode_one<model::replication_controller>(
      "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: web\nspec:\n" + k_rc_template);
  model::api_object again = rc;
  apply_defaults(again);
  CHECK(again == rc);
}

TEST_CASE("defaults: port protocols in any case, as Kubernetes v1.0 accepted them, are stored canonical") {
  auto p = decode_pod("    ports:\n    - containerPort: 80\n      protocol: tcp\n    - containerPort: 53\n      protocol: Udp\n");
  REQUIRE(p.spec.containers[0].ports.size() == 2);
  CHECK(p.spec.containers[0].ports[0].protocol_ == model::protocol::tcp);
  CHECK(p.spec.containers[0].ports[1].protocol_ == model::protocol::udp);
  auto s = decode_one<model::service>(
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: dns\nspec:\n  selector:\n    app: dns\n  ports:\n"
      "  - port: 53\n    protocol: udp\n");
  CHECK(s.spec.ports.at(0).protocol_ == model::protocol::udp);
}

TEST_CASE("the pre-v1 top-level id is accepted when it repeats metadata.name (Kubernetes v1.0's own examples)") {
  auto p = decode_one<model::pod>(
      "apiVersion: v1\nkind: Pod\nid: web\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: app\n    image: nginx\n");
  CHECK(p.metadata.name == "web");
}
