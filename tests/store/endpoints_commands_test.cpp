// Endpoints written by users as store commands (actors/store/commands.cpp,
// plan_endpoints): validation with Kubernetes' field paths, created without
// a service, replaced, deleted, dry runs; and the namespace controller's
// inputs, which list only endpoints no service owns.

#include <doctest/doctest.h>

#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/routing.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;

model::endpoints endpoints_named(std::string name, std::vector<std::string> ips,
                                 std::vector<model::endpoint_port> ports = {{"", 1, model::protocol::tcp}}) {
  model::endpoints ep;
  ep.metadata.name = std::move(name);
  model::endpoint_subset ss;
  for (auto& ip : ips) ss.addresses.push_back({std::move(ip), "", {}});
  ss.ports = std::move(ports);
  ep.subsets.push_back(std::move(ss));
  return ep;
}

std::string all_errors(const actors::outcome& o) {
  std::string out;
  for (const auto& e : o.errors) out += e.field + ": " + e.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("endpoints validation: IPv4 addresses, ports, names when several, each error at its field path") {
  model::cluster_state s;
  address_book book;
  auto ep = endpoints_named("db", {"10.0.0.300", "127.0.0.1", ""},
                            {{"", 0, model::protocol::tcp}, {"Bad_Name", 70000, model::protocol::udp},
                             {"x", 5, model::protocol::tcp}, {"x", 6, model::protocol::tcp}});
  ep.subsets.push_back({});
  auto plan = plan_create(s, create_of(ep), book, "u1");
  REQUIRE(plan.answer);
  CHECK(plan.answer->result == code::invalid);
  CHECK(plan.answer->message == "endpoints \"db\" is invalid");
  const auto errors = all_errors(*plan.answer);
  CHECK(errors.find("subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IPv4 address") !=
        std::string::npos);
  CHECK(errors.find("subsets[0].addresses[1].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range "
                    "(127.0.0.0/8)\n") != std::string::npos);
  CHECK(errors.find("subsets[0].addresses[2].ip: Required value\n") != std::string::npos);
  CHECK(errors.find("subsets[0].ports[0].name: Required value\n") != std::string::npos);
  CHECK(errors.find("subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n") !=
        std::string::npos);
  CHECK(errors.find("subsets[0].ports[1].name: Invalid value: \"Bad_Name\": ") != std::string::npos);
  CHECK(errors.find("subsets[0].ports[1].port: Invalid value: 70000: ") != std::string::npos);
  CHECK(errors.find("subsets[0].ports[3].name: Duplicate value: \"x\"\n") != std::string::npos);
  CHECK(errors.find("subsets[1]: Required value: must specify `addresses` or `notReadyAddresses`\n") !=
        std::string::npos);
  CHECK(errors.find("subsets[1].ports: Required value\n") != std::string::npos);
}

TEST_CASE("endpoints: created without a service, replaced, unchanged, deleted; all journaled as user commands") {
  model::cluster_state s;
  address_book book;
  auto created = plan_create(s, create_of(endpoints_named("glusterfs-cluster", {"10.240.106.152"})), book, "u1");
  REQUIRE_FALSE(created.answer);
  CHECK(created.action == "created");
  CHECK(created.event.header.principal == "user:test");
  CHECK(created.event.header.object.kind == "Endpoints");
  CHECK(created.event.header.object.namespace_ == "default");
  CHECK(created.event.header.object.uid == "u1");
  REQUIRE(std::holds_alternative<model::endpoints_replaced>(created.event.payload));
  fold(s, created.event);
  auto got = answer_after_fold(s, created, s.seq);
  REQUIRE(got.result == code::ok);
  CHECK(actors::meta_of(*got.object).uid == "u1");

  auto again = plan_create(s, create_of(endpoints_named("glusterfs-cluster", {"10.0.0.1"})), book, "u2");
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);

  auto same = plan_create(s, create_of(endpoints_named("glusterfs-cluster", {"10.240.106.152"}), true), book, "u2");
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");

  auto dry = plan_create(s, create_of(endpoints_named("glusterfs-cluster", {"10.0.0.7"}), true, true), book, "u2");
  REQUIRE(dry.answer);
  CHECK(dry.answer->action == "configured (dry run)");
  CHECK(s.endpoints_.at({"default", "glusterfs-cluster"}).subsets[0].addresses[0].ip == "10.240.106.152");

  auto applied = plan_create(s, create_of(endpoints_named("glusterfs-cluster", {"10.0.0.7"}), true), book, "u2");
  REQUIRE_FALSE(applied.answer);
  CHECK(applied.action == "configured");
  CHECK(applied.event.header.object.uid == "u1");  // the stored one's: a stale write is ignored by the fold
  fold(s, applied.event);
  CHECK(s.endpoints_.at({"default", "glusterfs-cluster"}).subsets[0].addresses[0].ip == "10.0.0.7");

  auto del = plan_delete(s, {"user:test", {kind::endpoints, "default", "glusterfs-cluster"}, -1});
  REQUIRE_FALSE(del.answer);
  REQUIRE(std::holds_alternative<model::endpoints_removed>(del.event.payload));
  CHECK(std::get<model::endpoints_removed>(del.event.payload).why.message == "deleted by user:test");
  fold(s, del.event);
  CHECK(s.endpoints_.empty());
}

TEST_CASE("endpoints in a namespace that does not exist are refused, as other objects are") {
  model::cluster_state s;
  address_book book;
  auto ep = endpoints_named("db", {"10.0.0.1"});
  ep.metadata.namespace_ = "nowhere";
  auto plan = plan_create(s, create_of(ep), book, "u1");
  REQUIRE(plan.answer);
  CHECK(plan.answer->result == code::not_found);
}

TEST_CASE("a Terminating namespace's controller deletes the endpoints no service owns, not a service's") {
  model::cluster_state s;
  model::namespace_object ns;
  ns.metadata.name = "storage";
  ns.metadata.uid = "ns-uid";
  ns.status.phase = model::namespace_phase::terminating;
  ns.metadata.deletion_timestamp = 5;
  s.namespaces.emplace("storage", ns);
  auto lone = endpoints_named("glusterfs-cluster", {"10.0.0.1"});
  lone.metadata.namespace_ = "storage";
  s.endpoints_.emplace(model::object_key{"storage", "glusterfs-cluster"}, lone);
  auto owned = endpoints_named("web", {"10.0.0.2"});
  owned.metadata.namespace_ = "storage";
  s.endpoints_.emplace(model::object_key{"storage", "web"}, owned);
  model::service svc;
  svc.metadata.namespace_ = "storage";
  svc.metadata.name = "web";
  s.services.emplace(model::object_key{"storage", "web"}, svc);
  auto in = make_namespace_inputs(s);
  REQUIRE(in.terminating.size() == 1);
  REQUIRE(in.terminating[0].endpoints.size() == 1);
  CHECK(in.terminating[0].endpoints[0].metadata.name == "glusterfs-cluster");
}

}  // namespace berth::store
