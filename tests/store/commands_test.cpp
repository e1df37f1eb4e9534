#include "actors/store/commands.hpp"

#include <doctest/doctest.h>

#include "actors/store/fold_diff.hpp"
#include "tests/model/fold_fixture.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;
using namespace model::testing;

model::pod valid_pod(std::string name) {
  auto p = make_pod(std::move(name));
  p.metadata.uid.clear();
  return p;
}

TEST_CASE("create: a valid pod becomes one objectCreated event with a fresh uid, answered once folded") {
  model::cluster_state s;
  address_book book;
  auto plan = plan_create(s, create_of(actors::any_object(valid_pod("web"))), book, "uid-1");
  REQUIRE_FALSE(plan.answer);
  CHECK(plan.action == "created");
  CHECK(plan.expect_uid == "uid-1");
  CHECK(plan.event.header.object.uid == "uid-1");
  CHECK(plan.event.header.principal == "user:test");
  fold(s, plan.event);
  auto o = answer_after_fold(s, plan, 1);
  CHECK(o.result == code::ok);
  CHECK(o.seq == 1);
  CHECK(actors::meta_of(*o.object).uid == "uid-1");
}

TEST_CASE("create: invalid, already existing, namespace defaulted") {
  model::cluster_state s;
  address_book book;
  auto bad = valid_pod("web");
  bad.spec.containers[0].image.clear();
  auto plan = plan_create(s, create_of(actors::any_object(bad)), book, "u");
  REQUIRE(plan.answer);
  CHECK(plan.answer->result == code::invalid);
  REQUIRE(plan.answer->errors.size() == 1);
  CHECK(plan.answer->errors[0].field == "spec.containers[0].image");

  auto p = valid_pod("web");
  p.metadata.namespace_.clear();
  auto created = plan_create(s, create_of(actors::any_object(p)), book, "u1");
  CHECK(created.key.namespace_ == "default");
  fold(s, created.event);
  auto again = plan_create(s, create_of(actors::any_object(p)), book, "u2");
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);
  CHECK(again.answer->message == "pods \"web\" already exists");
}

TEST_CASE("create that lost a race to a create of the same name answers AlreadyExists") {
  model::cluster_state s;
  address_book book;
  auto first = plan_create(s, create_of(actors::any_object(valid_pod("web"))), book, "u1");
  auto second = plan_create(s, create_of(actors::any_object(valid_pod("web"))), book, "u2");
  fold(s, first.event);
  fold(s, second.event);  // ignored by the fold: the name is taken
  CHECK(answer_after_fold(s, second, 2).result == code::already_exists);
  CHECK(answer_after_fold(s, first, 1).result == code::ok);
}

TEST_CASE("apply: unchanged, configured, pod spec change forbidden, dry run writes nothing") {
  model::cluster_state s;
  address_book book;
  auto rc = make_rc("web", 1);
  rc.spec.template_.metadata.labels = rc.spec.selector;
  rc.spec.template_.spec.containers.resize(1);
  rc.spec.template_.spec.containers[0].name = "web";
  rc.spec.template_.spec.containers[0].image = "nginx";
  rc.metadata.uid.clear();
  auto created = plan_create(s, create_of(actors::any_object(rc)), book, "rc-uid");
  REQUIRE_FALSE(created.answer);
  fold(s, created.event);
  auto same = plan_create(s, create_of(actors::any_object(rc), true), book, "x");
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");
  rc.spec.replicas = 3;
  auto dry = plan_create(s, create_of(actors::any_object(rc), true, true), book, "x");
  REQUIRE(dry.answer);
  CHECK(dry.answer->action == "configured (dry run)");
  auto changed = plan_create(s, create_of(actors::any_object(rc), true), book, "x");
  REQUIRE_FALSE(changed.answer);
  CHECK(changed.action == "configured");
  CHECK(changed.event.header.object.uid == "rc-uid");

  auto p = valid_pod("p");
  fold(s, plan_create(s, create_of(actors::any_object(p)), book, "pu").event);
  p.spec.containers[0].image = "other";
  auto forbidden = plan_create(s, create_of(actors::any_object(p), true), book, "x");
  REQUIRE(forbidden.answer);
  CHECK(forbidden.answer->result == code::invalid);
  REQUIRE(forbidden.answer->errors.size() == 1);
  CHECK(forbidden.answer->errors[0].field == "spec");
  CHECK(forbidden.answer->errors[0].message ==
        "Forbidden: pod updates may not change fields other than labels and annotations");

  // kubectl label / annotate: the spec as stored, new labels: a replace.
  p.spec.containers[0].image = valid_pod("p").spec.containers[0].image;
  p.metadata.labels["tier"] = "web";
  p.metadata.annotations["owner"] = "me";
  auto relabelled = plan_create(s, create_of(actors::any_object(p), true), book, "x");
  REQUIRE_FALSE(relabelled.answer);
  CHECK(relabelled.action == "configured");
  fold(s, relabelled.event);
  const auto& stored = s.pods.at(model::object_key{"default", "p"});
  CHECK(stored.metadata.labels.at("tier") == "web");
  CHECK(stored.metadata.annotations.at("owner") == "me");
}

TEST_CASE("services: two creates before either is folded get different cluster IPs; release frees them") {
  model::cluster_state s;
  address_book book;
  auto a = make_service("a");
  auto b = make_service("b");
  auto pa = plan_create(s, create_of(actors::any_object(a)), book, "ua");
  auto pb = plan_create(s, create_of(actors::any_object(b)), book, "ub");
  REQUIRE_FALSE(pa.answer);
  REQUIRE_FALSE(pb.answer);
  REQUIRE(pa.held.cluster_ip);
  REQUIRE(pb.held.cluster_ip);
  CHECK(*pa.held.cluster_ip != *pb.held.cluster_ip);
  CHECK(book.held() == 2);
  book.release(pa.held);
  book.release(pb.held);
  CHECK(book.held() == 0);
}

TEST_CASE("a refused requested cluster IP names the field") {
  model::cluster_state s;
  address_book book;
  auto svc = make_service("a");
  svc.spec.cluster_ip = "192.168.0.1";
  auto plan = plan_create(s, create_of(actors::any_object(svc)), book, "u");
  REQUIRE(plan.answer);
  CHECK(plan.answer->result == code::invalid);
  REQUIRE_FALSE(plan.answer->errors.empty());
  CHECK(plan.answer->errors[0].field == "spec.clusterIP");
  CHECK(book.held() == 0);
}

TEST_CASE("delete and scale: not found, endpoints deleted by their own event, negative replicas") {
  model::cluster_state s;
  auto missing = plan_delete(s, {"user:test", {kind::pod, "default", "nope"}, -1});
  REQUIRE(missing.answer);
  CHECK(missing.answer->result == code::not_found);
  CHECK(missing.answer->message == "pods \"nope\" not found");
  s.endpoints_.emplace(model::object_key{"default", "e"}, model::endpoints{});
  s.endpoints_.at({"default", "e"}).metadata = meta("default", "e");
  auto ep = plan_delete(s, {"user:test", {kind::endpoints, "default", "e"}, -1});
  CHECK_FALSE(ep.answer);
  CHECK(std::holds_alternative<model::endpoints_removed>(ep.event.payload));
  s.rcs.emplace(model::object_key{"default", "web"}, make_rc("web", 1));
  auto neg = plan_scale(s, {"user:test", {kind::replication_controller, "default", "web"}, -1});
  REQUIRE(neg.answer);
  REQUIRE(neg.answer->errors.size() == 1);
  CHECK(neg.answer->errors[0].field == "spec.replicas");
  auto ok = plan_scale(s, {"user:test", {kind::replication_controller, "default", "web"}, 4});
  CHECK_FALSE(ok.answer);
  CHECK(std::get<model::rc_scaled>(ok.event.payload).replicas == 4);
  auto pod_scale = plan_scale(s, {"user:test", {kind::pod, "default", "web"}, 4});
  REQUIRE(pod_scale.answer);
  CHECK(pod_scale.answer->message == "pods cannot be scaled");
}

TEST_CASE("a replace carrying the resourceVersion it read: Conflict once another write landed, NotFound once gone") {
  model::cluster_state s;
  address_book book;
  auto p = valid_pod("p");
  fold(s, plan_create(s, create_of(actors::any_object(p)), book, "pu").event);
  const auto read_at = s.pods.at({"default", "p"}).metadata.resource_version;

  auto write = [&](std::string tier, std::uint64_t expect) {
    auto changed = p;
    changed.metadata.labels["tier"] = std::move(tier);
    auto cmd = create_of(actors::any_object(changed), true);
    cmd.expect_resource_version = expect;
    return plan_create(s, std::move(cmd), book, "x");
  };
  auto first = write("a", read_at);
  REQUIRE_FALSE(first.answer);
  fold(s, first.event);
  auto second = write("b", read_at);  // read before the first write landed
  REQUIRE(second.answer);
  CHECK(second.answer->result == code::conflict);
  CHECK(second.answer->message ==
        "the object has been modified; please apply your changes to the latest version and try again");
  CHECK_FALSE(write("b", s.seq).answer);  // with the version now stored it goes through
  CHECK_FALSE(write("b", 0).answer);      // no precondition: last writer wins, as a PUT without one

  fold(s, plan_delete(s, actors::delete_cmd{"user:test", {kind::pod, "default", "p"}, 0}).event);
  REQUIRE_FALSE(s.pods.contains({"default", "p"}));
  auto gone = write("c", read_at);
  REQUIRE(gone.answer);
  CHECK(gone.answer->result == code::not_found);
}

TEST_CASE("nodes: clients change spec.unschedulable only (cordon), never create or relabel") {
  model::cluster_state s;
  address_book book;
  model::node n;
  n.metadata.name = "n1";
  n.metadata.labels = {{"kubernetes.io/hostname", "n1"}};
  auto created = plan_create(s, create_of(actors::any_object(n)), book, "x");
  REQUIRE(created.answer);
  CHECK(created.answer->result == code::invalid);
  CHECK(plan_create(s, create_of(actors::any_object(n), true), book, "x").answer->result == code::not_found);

  model::event reg;
  reg.header.object = {"Node", "", "n1", ""};
  reg.payload = model::node_registered{n};
  fold(s, reg);
  CHECK(plan_create(s, create_of(actors::any_object(n), true), book, "x").answer->action == "unchanged");
  auto cordon = n;
  cordon.spec.unschedulable = true;
  CHECK(plan_create(s, create_of(actors::any_object(cordon), true, true), book, "x").answer->action ==
        "configured (dry run)");
  auto plan = plan_create(s, create_of(actors::any_object(cordon), true), book, "x");
  REQUIRE_FALSE(plan.answer);
  CHECK(std::get<model::node_unschedulable>(plan.event.payload).unschedulable);
  fold(s, plan.event);
  CHECK(s.nodes.at("n1").spec.unschedulable);

  auto relabel = cordon;
  relabel.metadata.labels["tier"] = "gpu";
  auto refused = plan_create(s, create_of(actors::any_object(relabel), true), book, "x");
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::invalid);
  CHECK(refused.answer->errors.at(0).field == "metadata.labels");

  auto stale = create_of(actors::any_object(n), true);  // uncordon from a read before the cordon
  stale.expect_resource_version = s.seq - 1;
  auto lost = plan_create(s, std::move(stale), book, "x");
  REQUIRE(lost.answer);
  CHECK(lost.answer->result == code::conflict);
}

TEST_CASE("a deleted object is answered with what it was") {
  model::cluster_state s;
  auto p = make_pod("p");
  s.pods.emplace(model::object_key{"default", "p"}, p);
  auto plan = plan_delete(s, {"user:test", {kind::pod, "default", "p"}, 0});
  REQUIRE_FALSE(plan.answer);
  s.pods.clear();  // as if the fold removed it
  auto o = answer_after_fold(s, plan, 9);
  CHECK(o.action == "deleted");
  CHECK(actors::meta_of(*o.object).name == "p");
}

TEST_CASE("list: selectors filter, bad selectors name themselves, pod fields only for pods") {
  model::cluster_state s;
  auto a = make_pod("a");
  a.metadata.labels = {{"tier", "web"}};
  s.pods.emplace(model::object_key{"default", "a"}, a);
  s.pods.emplace(model::object_key{"default", "b"}, make_pod("b"));
  s.seq = 42;
  auto r = list_objects(s, {kind::pod, "", "tier=web", ""});
  CHECK(r.error.empty());
  CHECK(r.resource_version == 42);
  CHECK(r.items.size() == 1);
  CHECK(list_objects(s, {kind::pod, "", "tier in (", ""}).error.rfind("invalid label selector: ", 0) == 0);
  CHECK(list_objects(s, {kind::service, "", "", "spec.nodeName=n1"}).error ==
        "invalid field selector: spec.nodeName and status.phase select pods only (for services: metadata.name, "
        "metadata.namespace)");
  model::service web;
  web.metadata.name = "web";
  web.metadata.namespace_ = "default";
  s.services.emplace(model::object_key{"default", "web"}, web);
  model::service api = web;
  api.metadata.name = "api";
  s.services.emplace(model::object_key{"default", "api"}, api);
  // kubectl delete waits on metadata.name for every kind.
  auto by_name = list_objects(s, {kind::service, "", "", "metadata.name=web"});
  CHECK(by_name.error.empty());
  REQUIRE(by_name.items.size() == 1);
  CHECK(actors::meta_of(by_name.items[0]).name == "web");
  CHECK(list_objects(s, {kind::service, "", "", "metadata.name!=web,metadata.namespace=default"}).items.size() == 1);
  CHECK(list_objects(s, {kind::service, "", "", "metadata.namespace=other"}).items.empty());
  CHECK(list_objects(s, {kind::pod, "", "", "metadata.name=b"}).items.size() == 1);
  CHECK(get_object(s, {{kind::pod, "default", "zz"}}).result == code::not_found);
}

}  // namespace
}  // namespace berth::store
