#include "actors/store/watch_filter.hpp"

#include <doctest/doctest.h>

#include "tests/model/fold_fixture.hpp"

namespace berth::store {
namespace {

using actors::kind;
using actors::watch_event_type;
using namespace model::testing;

watcher watcher_of(const std::string& labels, const std::string& ns = "", const std::string& fields = "") {
  std::string error;
  auto w = make_watcher(kind::pod, ns, labels, fields, error);
  REQUIRE_MESSAGE(w, error);
  return *w;
}

model::pod labelled(std::string name, std::string app, std::string ns = "default") {
  auto p = make_pod(std::move(name));
  p.metadata.namespace_ = std::move(ns);
  p.metadata.labels = {{"app", std::move(app)}};
  return p;
}

std::optional<watch_event_type> type_of(const watcher& w, const touched_object& t) {
  auto e = event_for(w, t, 1);
  if (!e) return std::nullopt;
  return e->type;
}

TEST_CASE("selector transitions: starts matching ADDED, keeps MODIFIED, stops DELETED (with the object before)") {
  auto w = watcher_of("app=web");
  auto web = actors::any_object(labelled("p", "web"));
  auto db = actors::any_object(labelled("p", "db"));
  using t = watch_event_type;
  struct row {
    std::optional<actors::any_object> before, after;
    std::optional<t> want;
  };
  for (const auto& r : std::vector<row>{{std::nullopt, db, std::nullopt},
                                        {db, web, t::added},
                                        {web, web, t::modified},
                                        {web, db, t::deleted},
                                        {db, std::nullopt, std::nullopt},
                                        {std::nullopt, web, t::added},
                                        {web, std::nullopt, t::deleted}}) {
    touched_object tch{kind::pod, {"default", "p"}, r.before, r.after};
    CHECK(type_of(w, tch) == r.want);
    if (r.want == t::deleted) CHECK(actors::meta_of(event_for(w, tch, 1)->object).labels.at("app") == "web");
  }
}

TEST_CASE("a namespaced watcher sees only its namespace; other kinds are ignored; nodes ignore the namespace") {
  auto w = watcher_of("", "prod");
  CHECK_FALSE(type_of(w, {kind::pod, {"default", "a"}, std::nullopt, actors::any_object(labelled("a", "x"))}));
  CHECK(type_of(w, {kind::pod, {"prod", "b"}, std::nullopt, actors::any_object(labelled("b", "x", "prod"))}));
  CHECK_FALSE(type_of(w, {kind::service, {"prod", "s"}, std::nullopt, actors::any_object(make_service("s"))}));
  std::string error;
  auto nodes = make_watcher(kind::node, "prod", "", "", error);
  REQUIRE(nodes);
  CHECK(event_for(*nodes, {kind::node, {"", "n1"}, std::nullopt, actors::any_object(make_node("n1"))}, 1));
}

TEST_CASE("bad selectors are refused with the selector named") {
  std::string error;
  CHECK_FALSE(make_watcher(kind::pod, "", "a in (", "", error));
  CHECK(error.rfind("invalid label selector: ", 0) == 0);
  CHECK_FALSE(make_watcher(kind::pod, "", "", "spec.nodeName", error));
  CHECK(error.rfind("invalid field selector: ", 0) == 0);
  CHECK_FALSE(make_watcher(kind::service, "", "", "spec.nodeName=n1", error));
  CHECK(error.find("select pods only") != std::string::npos);
}

TEST_CASE("events filters: kind, namespace, name and uid terms; endpoints only when named") {
  auto row = [](kind k, std::string ns, std::string name, std::string uid) {
    event_row r;
    r.k = k;
    r.meta.namespace_ = std::move(ns);
    r.meta.name = std::move(name);
    r.meta.uid = std::move(uid);
    return r;
  };
  struct c {
    event_filter f;
    event_row r;
    bool want;
  };
  for (const auto& x : std::vector<c>{
           {{}, row(kind::pod, "default", "a", "u1"), true},
           {{}, row(kind::endpoints, "default", "s", "u2"), false},
           {{"Endpoints", "", "", ""}, row(kind::endpoints, "default", "s", "u2"), true},
           {{"Pod", "", "", ""}, row(kind::service, "default", "s", "u3"), false},
           {{"", "prod", "", ""}, row(kind::pod, "default", "a", "u1"), false},
           {{"", "prod", "", ""}, row(kind::node, "", "n1", "u4"), true},
           {{"", "", "a", ""}, row(kind::pod, "default", "a", "u1"), true},
           {{"", "", "a", "other"}, row(kind::pod, "default", "a", "u1"), false},
       }) {
    CAPTURE(x.f.kind);
    CAPTURE(x.r.meta.name);
    CHECK(matches(x.f, x.r) == x.want);
  }
}

}  // namespace
}  // namespace berth::store
