#include "actors/store/watch_registry.hpp"

#include <doctest/doctest.h>

#include "tests/model/fold_fixture.hpp"

namespace berth::store {
namespace {

using actors::kind;
using actors::watch_event_type;
using namespace model::testing;

struct recorded {
  std::vector<std::pair<watch_event_type, std::string>> events;
  std::vector<std::string> closed;
};

watcher watcher_of(const std::string& labels, recorded& out, const std::string& ns = "") {
  actors::watch_cmd cmd;
  cmd.k = kind::pod;
  cmd.namespace_ = ns;
  cmd.label_selector = labels;
  std::string error;
  auto w = make_watcher(cmd, error);
  REQUIRE(w);
  w->on_event = [&out](actors::watch_event e) { out.events.emplace_back(e.type, actors::meta_of(e.object).name); };
  w->on_closed = [&out](std::string why) { out.closed.push_back(why); };
  return *w;
}

model::pod labelled(std::string name, std::string app, std::string ns = "default") {
  auto p = make_pod(std::move(name));
  p.metadata.namespace_ = std::move(ns);
  p.metadata.labels = {{"app", std::move(app)}};
  return p;
}

TEST_CASE("a pod that starts matching is ADDED, keeps matching MODIFIED, stops matching DELETED") {
  recorded out;
  watch_registry r;
  r.add(1, watcher_of("app=web", out));
  auto web = actors::any_object(labelled("p", "web"));
  auto db = actors::any_object(labelled("p", "db"));
  r.notify(1, {{kind::pod, {"default", "p"}, std::nullopt, db}});
  r.notify(2, {{kind::pod, {"default", "p"}, db, web}});
  r.notify(3, {{kind::pod, {"default", "p"}, web, web}});
  r.notify(4, {{kind::pod, {"default", "p"}, web, db}});
  r.notify(5, {{kind::pod, {"default", "p"}, db, std::nullopt}});
  using t = watch_event_type;
  CHECK(out.events == std::vector<std::pair<t, std::string>>{{t::added, "p"}, {t::modified, "p"}, {t::deleted, "p"}});
}

TEST_CASE("a namespaced watcher sees only its namespace; other kinds are ignored") {
  recorded out;
  watch_registry r;
  r.add(7, watcher_of("", out, "prod"));
  r.notify(1, {{kind::pod, {"default", "a"}, std::nullopt, actors::any_object(labelled("a", "x"))}});
  r.notify(2, {{kind::pod, {"prod", "b"}, std::nullopt, actors::any_object(labelled("b", "x", "prod"))}});
  r.notify(3, {{kind::service, {"prod", "s"}, std::nullopt, actors::any_object(make_service("s"))}});
  REQUIRE(out.events.size() == 1);
  CHECK(out.events[0].second == "b");
  r.remove(7);
  CHECK(r.size() == 0);
}

TEST_CASE("bad selectors are refused with the selector named") {
  actors::watch_cmd cmd;
  cmd.label_selector = "a in (";
  std::string error;
  CHECK_FALSE(make_watcher(cmd, error));
  CHECK(error.rfind("invalid label selector: ", 0) == 0);
  cmd.label_selector = "";
  cmd.field_selector = "spec.nodeName";
  CHECK_FALSE(make_watcher(cmd, error));
  CHECK(error.rfind("invalid field selector: ", 0) == 0);
}

TEST_CASE("send_current gives every selected object as ADDED") {
  model::cluster_state s;
  s.pods.emplace(model::object_key{"default", "a"}, labelled("a", "web"));
  s.pods.emplace(model::object_key{"default", "b"}, labelled("b", "db"));
  recorded out;
  send_current(watcher_of("app=web", out), s);
  REQUIRE(out.events.size() == 1);
  CHECK(out.events[0] == std::pair{watch_event_type::added, std::string("a")});
}

}  // namespace
}  // namespace berth::store
