// Every guestbook manifest from Kubernetes v1.2.0 decodes, unchanged, with no
// errors and the objects the files describe.
#include <doctest/doctest.h>

#include "actors/model/quantity.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using namespace berth::manifest;
using berth::manifest::test::read_example;

namespace {

const std::string k_dir = "guestbook-v1.2.0/";

decode_result decode_example(const std::string& name) {
  auto r = decode_manifests(read_example(k_dir + name), name);
  CHECK(r.error_strings() == std::vector<std::string>{});
  return r;
}

const model::replication_controller& rc_at(const decode_result& r, std::size_t i) {
  return std::get<model::replication_controller>(r.objects.at(i).object);
}

const model::service& svc_at(const decode_result& r, std::size_t i) {
  return std::get<model::service>(r.objects.at(i).object);
}

model::quantity q(const char* text) { return *model::parse_quantity(text); }

void check_requests(const model::container& c) {
  CHECK(c.resources.requests == model::resource_list{{"cpu", q("100m")}, {"memory", q("100Mi")}});
  CHECK(c.resources.limits.empty());
}

void check_frontend_rc(const model::replication_controller& rc, const char* image) {
  model::string_map labels{{"app", "guestbook"}, {"tier", "frontend"}};
  CHECK(rc.metadata.name == "frontend");
  CHECK(rc.metadata.namespace_ == "default");
  CHECK(rc.metadata.labels == labels);
  CHECK(rc.spec.replicas == 3);
  CHECK(rc.spec.selector == labels);  // defaulted from the template
  CHECK(rc.spec.template_.metadata.labels == labels);
  REQUIRE(rc.spec.template_.spec.containers.size() == 1);
  const auto& c = rc.spec.template_.spec.containers[0];
  CHECK(c.name == "php-redis");
  CHECK(c.image == image);
  CHECK(c.image_pull_policy == model::pull_policy::if_not_present);
  check_requests(c);
  CHECK(c.env == std::vector<model::env_var>{{"GET_HOSTS_FROM", "dns"}});
  REQUIRE(c.ports.size() == 1);
  CHECK(c.ports[0].container_port == 80);
  CHECK(c.ports[0].protocol_ == model::protocol::tcp);
  CHECK(rc.spec.template_.spec.restart_policy_ == model::restart_policy::always);
}

void check_redis_master_rc(const model::replication_controller& rc) {
  model::string_map labels{{"app", "redis"}, {"role", "master"}, {"tier", "backend"}};
  CHECK(rc.metadata.name == "redis-master");
  CHECK(rc.metadata.labels == labels);
  CHECK(rc.spec.replicas == 1);
  CHECK(rc.spec.selector == labels);
  const auto& c = rc.spec.template_.spec.containers.at(0);
  CHECK(c.name == "master");
  CHECK(c.image == "gcr.io/google_containers/redis:e2e");  // the trailing comment is not part of it
  CHECK(c.env.empty());
  check_requests(c);
  CHECK(c.ports.at(0).container_port == 6379);
}

void check_redis_slave_rc(const model::replication_controller& rc) {
  model::string_map labels{{"app", "redis"}, {"role", "slave"}, {"tier", "backend"}};
  CHECK(rc.metadata.name == "redis-slave");
  CHECK(rc.spec.replicas == 2);
  CHECK(rc.spec.selector == labels);
  const auto& c = rc.spec.template_.spec.containers.at(0);
  CHECK(c.name == "slave");
  CHECK(c.image == "gcr.io/google_samples/gb-redisslave:v1");
  CHECK(c.env == std::vector<model::env_var>{{"GET_HOSTS_FROM", "dns"}});
  check_requests(c);
  CHECK(c.ports.at(0).container_port == 6379);
}

void check_service(const model::service& s, const char* name, std::int32_t port, const model::string_map& selector) {
  CHECK(s.metadata.name == name);
  CHECK(s.metadata.namespace_ == "default");
  CHECK(s.metadata.labels == selector);
  REQUIRE(s.spec.ports.size() == 1);
  CHECK(s.spec.ports[0].port == port);
  CHECK(s.spec.ports[0].target_port == model::int_or_string{port});  // given, or defaulted to port
  CHECK(s.spec.ports[0].protocol_ == model::protocol::tcp);
  CHECK(s.spec.selector == selector);
  CHECK(s.spec.type == model::service_type::cluster_ip);
  CHECK(s.spec.session_affinity_ == model::session_affinity::none);
  CHECK(s.spec.cluster_ip.empty());
}

const model::string_map k_frontend{{"app", "guestbook"}, {"tier", "frontend"}};
const model::string_map k_master{{"app", "redis"}, {"role", "master"}, {"tier", "backend"}};
const model::string_map k_slave{{"app", "redis"}, {"role", "slave"}, {"tier", "backend"}};

}  // namespace

TEST_CASE("guestbook frontend-controller.yaml: labels commented out, so they default from the template") {
  auto r = decode_example("frontend-controller.yaml");
  REQUIRE(r.objects.size() == 1);
  CHECK(r.objects[0].document == 1);
  check_frontend_rc(rc_at(r, 0), "gcr.io/google_samples/gb-frontend:v4");
}

TEST_CASE("guestbook redis-master-controller.yaml") {
  auto r = decode_example("redis-master-controller.yaml");
  REQUIRE(r.objects.size() == 1);
  check_redis_master_rc(rc_at(r, 0));
}

TEST_CASE("guestbook redis-slave-controller.yaml") {
  auto r = decode_example("redis-slave-controller.yaml");
  REQUIRE(r.objects.size() == 1);
  check_redis_slave_rc(rc_at(r, 0));
}

TEST_CASE("guestbook services: frontend, redis-master (explicit targetPort), redis-slave") {
  auto frontend = decode_example("frontend-service.yaml");
  REQUIRE(frontend.objects.size() == 1);
  check_service(svc_at(frontend, 0), "frontend", 80, k_frontend);
  auto master = decode_example("redis-master-service.yaml");
  REQUIRE(master.objects.size() == 1);
  check_service(svc_at(master, 0), "redis-master", 6379, k_master);
  auto slave = decode_example("redis-slave-service.yaml");
  REQUIRE(slave.objects.size() == 1);
  check_service(svc_at(slave, 0), "redis-slave", 6379, k_slave);
}

TEST_CASE("guestbook all-in-one/frontend.yaml: a service and an RC in two documents") {
  auto r = decode_example("all-in-one/frontend.yaml");
  REQUIRE(r.objects.size() == 2);
  CHECK(r.objects[0].document == 1);
  CHECK(r.objects[1].document == 2);
  check_service(svc_at(r, 0), "frontend", 80, k_frontend);
  check_frontend_rc(rc_at(r, 1), "gcr.io/google_samples/gb-frontend:v3");
}

TEST_CASE("guestbook all-in-one/redis-slave.yaml") {
  auto r = decode_example("all-in-one/redis-slave.yaml");
  REQUIRE(r.objects.size() == 2);
  check_service(svc_at(r, 0), "redis-slave", 6379, k_slave);
  check_redis_slave_rc(rc_at(r, 1));
}

TEST_CASE("guestbook all-in-one/guestbook-all-in-one.yaml: six objects in document order") {
  auto r = decode_example("all-in-one/guestbook-all-in-one.yaml");
  REQUIRE(r.objects.size() == 6);
  for (std::size_t i = 0; i < 6; ++i) CHECK(r.objects[i].document == i + 1);
  check_service(svc_at(r, 0), "redis-master", 6379, k_master);
  check_redis_master_rc(rc_at(r, 1));
  check_service(svc_at(r, 2), "redis-slave", 6379, k_slave);
  check_redis_slave_rc(rc_at(r, 3));
  check_service(svc_at(r, 4), "frontend", 80, k_frontend);
  check_frontend_rc(rc_at(r, 5), "gcr.io/google_samples/gb-frontend:v3");
}
