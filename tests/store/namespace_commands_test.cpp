// Namespaces as store commands: create, apply of labels, delete (Terminating;
// default and kube-system refused), and Kubernetes' NamespaceLifecycle for
// other objects -- nothing new in a namespace that does not exist (NotFound,
// naming the namespace) or is being deleted (Forbidden); nothing planned in
// either case. Also get/list/watch of namespaces.

#include <doctest/doctest.h>

#include "actors/model/namespaces.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/routing.hpp"
#include "actors/store/watch_filter.hpp"
#include "tests/model/fold_fixture.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;
using namespace model::testing;

model::namespace_object ns_named(std::string name) {
  model::namespace_object n;
  n.metadata.name = std::move(name);
  return n;
}

model::pod pod_in(std::string ns, std::string name) {
  auto p = make_pod(std::move(name));
  p.metadata.uid.clear();
  p.metadata.namespace_ = std::move(ns);
  return p;
}

/// Creates namespace `name` through its planned event.
void create_namespace(model::cluster_state& s, const std::string& name) {
  address_book book;
  auto plan = plan_create(s, create_of(actors::any_object(ns_named(name))), book, "uid-" + name);
  REQUIRE_FALSE(plan.answer);
  fold(s, plan.event);
}

}  // namespace

TEST_CASE("create namespace: one namespaceCreated event, Active once folded; a second create already exists") {
  model::cluster_state s;
  address_book book;
  auto n = ns_named("team-a");
  n.metadata.namespace_ = "ignored";
  n.metadata.labels = {{"team", "a"}};
  auto plan = plan_create(s, create_of(actors::any_object(n)), book, "uid-1");
  REQUIRE_FALSE(plan.answer);
  CHECK(plan.action == "created");
  CHECK(std::holds_alternative<model::namespace_created>(plan.event.payload));
  CHECK(plan.event.header.object == model::object_reference{"Namespace", "", "team-a", "uid-1"});
  fold(s, plan.event);
  auto o = answer_after_fold(s, plan, 1);
  REQUIRE(o.result == code::ok);
  const auto& got = std::get<model::namespace_object>(*o.object);
  CHECK(got.metadata.uid == "uid-1");
  CHECK(got.metadata.namespace_.empty());
  CHECK(got.metadata.labels == model::string_map{{"team", "a"}});
  CHECK(got.status.phase == model::namespace_phase::active);
  auto again = plan_create(s, create_of(actors::any_object(ns_named("team-a"))), book, "uid-2");
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);
  CHECK(again.answer->message == "namespaces \"team-a\" already exists");
  for (const char* builtin : {"default", "kube-system"}) {
    auto b = plan_create(s, create_of(actors::any_object(ns_named(builtin))), book, "u");
    REQUIRE(b.answer);
    CHECK(b.answer->result == code::already_exists);
  }
}

TEST_CASE("create namespace: a bad name is invalid, naming the field; dry run writes nothing") {
  model::cluster_state s;
  address_book book;
  auto bad = plan_create(s, create_of(actors::any_object(ns_named("Team_A"))), book, "u");
  REQUIRE(bad.answer);
  CHECK(bad.answer->result == code::invalid);
  REQUIRE(bad.answer->errors.size() == 1);
  CHECK(bad.answer->errors[0].field == "metadata.name");
  auto dry = plan_create(s, create_of(actors::any_object(ns_named("team-a")), false, true), book, "u");
  REQUIRE(dry.answer);
  CHECK(dry.answer->result == code::ok);
  CHECK(dry.answer->action == "created (dry run)");
  CHECK(s.namespaces.empty());
}

TEST_CASE("apply namespace: labels replaced, unchanged when equal, default gets labels too") {
  model::cluster_state s;
  address_book book;
  create_namespace(s, "team-a");
  auto same = plan_create(s, create_of(actors::any_object(ns_named("team-a")), true), book, "u");
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");
  auto labelled = ns_named("team-a");
  labelled.metadata.labels = {{"env", "prod"}};
  auto plan = plan_create(s, create_of(actors::any_object(labelled), true), book, "u");
  REQUIRE_FALSE(plan.answer);
  CHECK(plan.action == "configured");
  CHECK(std::holds_alternative<model::namespace_replaced>(plan.event.payload));
  fold(s, plan.event);
  CHECK(s.namespaces.at("team-a").metadata.labels == model::string_map{{"env", "prod"}});
  CHECK(s.namespaces.at("team-a").metadata.uid == "uid-team-a");
  auto d = ns_named("default");
  d.metadata.labels = {{"x", "y"}};
  auto def = plan_create(s, create_of(actors::any_object(d), true), book, "u");
  REQUIRE_FALSE(def.answer);
  fold(s, def.event);
  CHECK(s.namespaces.at("default").metadata.labels == model::string_map{{"x", "y"}});
}

TEST_CASE("objects are created only in a namespace that exists and is not terminating; nothing is planned otherwise") {
  model::cluster_state s;
  address_book book;
  auto missing = plan_create(s, create_of(actors::any_object(pod_in("team-a", "web"))), book, "u");
  REQUIRE(missing.answer);
  CHECK(missing.answer->result == code::not_found);
  CHECK(missing.answer->message == "namespaces \"team-a\" not found");
  REQUIRE(missing.answer->missing);
  CHECK(missing.answer->missing->kind == kind::namespace_);
  CHECK(missing.answer->missing->name == "team-a");

  create_namespace(s, "team-a");
  auto ok = plan_create(s, create_of(actors::any_object(pod_in("team-a", "web"))), book, "u");
  REQUIRE_FALSE(ok.answer);
  fold(s, ok.event);

  actors::delete_cmd del{"user:test", {kind::namespace_, "", "team-a"}, -1};
  auto deleting = plan_delete(s, del);
  REQUIRE_FALSE(deleting.answer);
  fold(s, deleting.event);
  REQUIRE(model::is_terminating(s, "team-a"));
  for (auto object : {actors::any_object(pod_in("team-a", "other")), actors::any_object([] {
                        auto svc = make_service("front");
                        svc.metadata.uid.clear();
                        svc.metadata.namespace_ = "team-a";
                        return svc;
                      }())}) {
    auto refused = plan_create(s, create_of(object), book, "u");
    REQUIRE(refused.answer);
    CHECK(refused.answer->result == code::forbidden);
    CHECK(refused.answer->message ==
          "unable to create new content in namespace team-a because it is being terminated");
  }
  CHECK(book.held() == 0);  // a refused service holds no address
  // What exists there may still change (apply of the same pod is "unchanged", not refused).
  auto existing = plan_create(s, create_of(actors::any_object(pod_in("team-a", "web")), true), book, "u");
  REQUIRE(existing.answer);
  CHECK(existing.answer->result == code::ok);
}

TEST_CASE("delete namespace: Terminating and answered with it; default and kube-system are forbidden") {
  model::cluster_state s;
  create_namespace(s, "team-a");
  auto plan = plan_delete(s, {"user:test", {kind::namespace_, "", "team-a"}, -1});
  REQUIRE_FALSE(plan.answer);
  CHECK(plan.event.header.object.kind == "Namespace");
  fold(s, plan.event);
  auto o = answer_after_fold(s, plan, s.seq);
  REQUIRE(o.result == code::ok);
  CHECK(std::get<model::namespace_object>(*o.object).status.phase == model::namespace_phase::terminating);
  auto again = plan_delete(s, {"user:test", {kind::namespace_, "", "team-a"}, -1});
  REQUIRE(again.answer);  // already Terminating: nothing more to journal
  CHECK(again.answer->result == code::ok);
  for (const char* builtin : {"default", "kube-system"}) {
    auto refused = plan_delete(s, {"user:test", {kind::namespace_, "", builtin}, -1});
    REQUIRE(refused.answer);
    CHECK(refused.answer->result == code::forbidden);
    CHECK(refused.answer->message == "this namespace may not be deleted");
  }
  auto missing = plan_delete(s, {"user:test", {kind::namespace_, "", "nowhere"}, -1});
  REQUIRE(missing.answer);
  CHECK(missing.answer->result == code::not_found);
  CHECK(missing.answer->message == "namespaces \"nowhere\" not found");
}

TEST_CASE("get and list namespaces: stored and derived, label and metadata.name selectors") {
  model::cluster_state s;
  address_book book;
  auto labelled = ns_named("team-a");
  labelled.metadata.labels = {{"team", "a"}};
  auto plan = plan_create(s, create_of(actors::any_object(labelled)), book, "u");
  fold(s, plan.event);
  auto got = get_object(s, {{kind::namespace_, "ignored", "team-a"}});
  REQUIRE(got.result == code::ok);
  CHECK(actors::meta_of(*got.object).name == "team-a");
  CHECK(get_object(s, {{kind::namespace_, "", "default"}}).result == code::ok);
  CHECK(get_object(s, {{kind::namespace_, "", "nowhere"}}).message == "namespaces \"nowhere\" not found");
  auto names = [](const actors::list_result& r) {
    std::vector<std::string> out;
    for (const auto& o : r.items) out.push_back(actors::meta_of(o).name);
    return out;
  };
  CHECK(names(list_objects(s, {kind::namespace_, "", "", ""})) ==
        std::vector<std::string>{"default", "kube-system", "team-a"});
  CHECK(names(list_objects(s, {kind::namespace_, "", "team=a", ""})) == std::vector<std::string>{"team-a"});
  CHECK(names(list_objects(s, {kind::namespace_, "", "", "metadata.name=default"})) ==
        std::vector<std::string>{"default"});
  CHECK(!list_objects(s, {kind::namespace_, "", "", "status.phase=Active"}).error.empty());
}

TEST_CASE("namespace watch events: ADDED on create, MODIFIED on delete, DELETED on removal; the controller is woken") {
  model::cluster_state s;
  std::string error;
  auto w = make_watcher(kind::namespace_, "", "", "", error);
  REQUIRE(w);
  std::vector<std::string> seen;
  auto on_event = [&](const actors::watch_event& e) {
    const char* type[] = {"ADDED", "MODIFIED", "DELETED"};
    seen.push_back(std::string(type[static_cast<int>(e.type)]) + " " + actors::meta_of(e.object).name);
  };
  // A watch from resourceVersion 0 starts with the list (watch_hub lists, then joins the cache).
  for (const auto& o : list_objects(s, {kind::namespace_, "", "", ""}).items)
    seen.push_back("ADDED " + actors::meta_of(o).name);
  CHECK(seen == std::vector<std::string>{"ADDED default", "ADDED kube-system"});
  seen.clear();
  address_book book;
  auto deliver = [&](const std::vector<touched_object>& touched) {
    bool woken = false;
    for (const auto& t : touched) {
      if (auto ev = event_for(*w, t, s.seq)) on_event(*ev);
      woken = woken || plan_route(s, t).wake_namespaces;
    }
    return woken;
  };
  auto created = plan_create(s, create_of(actors::any_object(ns_named("team-a"))), book, "u");
  CHECK_FALSE(deliver(fold(s, created.event)));
  auto p = plan_create(s, create_of(actors::any_object(pod_in("team-a", "web"))), book, "u-web");
  CHECK_FALSE(deliver(fold(s, p.event)));
  auto deleted = plan_delete(s, {"user:test", {kind::namespace_, "", "team-a"}, -1});
  CHECK(deliver(fold(s, deleted.event)));
  auto inputs = make_namespace_inputs(s);
  REQUIRE(inputs.terminating.size() == 1);
  CHECK(inputs.terminating[0].pods.size() == 1);
  auto pod_gone = plan_delete(s, {"user:test", {kind::pod, "team-a", "web"}, -1});
  CHECK(deliver(fold(s, pod_gone.event)));  // something in a Terminating namespace changed
  model::event removal;
  removal.header.object = {"Namespace", "", "team-a", "u"};
  removal.payload = model::namespace_removed{{"NamespaceEmpty", "nothing left"}};
  deliver(fold(s, removal));
  CHECK(seen == std::vector<std::string>{"ADDED team-a", "MODIFIED team-a", "DELETED team-a"});
  CHECK(make_namespace_inputs(s).terminating.empty());
}
}  // namespace berth::store
