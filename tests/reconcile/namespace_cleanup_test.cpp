// The namespace controller's decision, table tests: what a Terminating
// namespace's contents give, the order of the plan, and convergence.

#include <doctest/doctest.h>

#include "actors/reconcile/namespace_cleanup.hpp"

namespace berth::reconcile {
namespace {

using model::kind;

model::namespace_object ns(std::string name, bool terminating = true) {
  model::namespace_object n;
  n.metadata.name = std::move(name);
  n.metadata.uid = "uid-" + n.metadata.name;
  n.status.phase = terminating ? model::namespace_phase::terminating : model::namespace_phase::active;
  return n;
}

template <class T>
T object(const std::string& ns_name, const std::string& name) {
  T o;
  o.metadata.namespace_ = ns_name;
  o.metadata.name = name;
  o.metadata.uid = "uid-" + name;
  return o;
}

model::pod owned_pod(const std::string& ns_name, const std::string& name, const std::string& rc) {
  auto p = object<model::pod>(ns_name, name);
  p.metadata.owner_references.push_back({"v1", model::k_kind_rc, rc, "uid-" + rc, true});
  return p;
}

/// "delete Pod team/web" lines and "remove team" lines, in plan order.
std::vector<std::string> actions(const namespace_plan& p) {
  std::vector<std::string> out;
  for (const auto& d : p.deletions) out.push_back("delete " + d.object.kind + " " + d.object.namespace_ + "/" + d.object.name);
  for (const auto& r : p.removals) out.push_back("remove " + r.ns.name);
  return out;
}

}  // namespace

TEST_CASE("namespace cleanup, table") {
  struct row {
    const char* name;
    std::vector<terminating_namespace> in;
    std::vector<std::string> want;
  };
  auto web = object<model::pod>("team", "web");
  auto terminating_pod = object<model::pod>("team", "going");
  terminating_pod.metadata.deletion_timestamp = 5;
  auto rc = object<model::replication_controller>("team", "front");
  auto svc = object<model::service>("team", "front");
  const std::vector<row> rows = {
      {"an empty Terminating namespace is removed", {{ns("team"), {}, {}, {}, {}, {}}}, {"remove team"}},
      {"an Active namespace is left alone", {{ns("team", false), {web}, {rc}, {svc}, {}, {}}}, {}},
      {"a pod no RC controls is deleted", {{ns("team"), {web}, {}, {}, {}, {}}}, {"delete Pod team/web"}},
      {"a terminating pod is waited for", {{ns("team"), {terminating_pod}, {}, {}, {}, {}}}, {}},
      {"an RC's pod goes with its RC",
       {{ns("team"), {owned_pod("team", "front-x", "front")}, {rc}, {}, {}, {}}},
       {"delete ReplicationController team/front"}},
      {"an RC's pod whose RC is gone is the garbage collector's", {{ns("team"), {owned_pod("team", "front-x", "front")}, {}, {}, {}, {}}}, {}},
      {"RCs, then services, then pods",
       {{ns("team"), {web, terminating_pod}, {rc}, {svc}, {}, {}}},
       {"delete ReplicationController team/front", "delete Service team/front", "delete Pod team/web"}},
      {"a secret goes with its namespace, after the pods",
       {{ns("team"), {web}, {}, {}, {object<model::secret>("team", "token")}}},
       {"delete Pod team/web", "delete Secret team/token"}},
      {"limit ranges and quotas go last: they would refuse nothing once the rest is gone",
       {{ns("team"), {web}, {}, {}, {}, {}, {object<model::limit_range>("team", "limits")},
         {object<model::resource_quota>("team", "quota")}}},
       {"delete Pod team/web", "delete LimitRange team/limits", "delete ResourceQuota team/quota"}},
      {"namespaces in name order, whatever the input order",
       {{ns("zeta"), {}, {}, {}, {}, {}}, {ns("alpha"), {object<model::pod>("alpha", "p")}, {}, {}, {}, {}}},
       {"delete Pod alpha/p", "remove zeta"}},
      {"secrets, then endpoints no service owns, after the rest",
       {{ns("team"), {web}, {}, {}, {object<model::secret>("team", "creds")}, {object<model::endpoints>("team", "ext")}}},
       {"delete Pod team/web", "delete Secret team/creds", "delete Endpoints team/ext"}},
      {"a namespace holding only a user's endpoints is not empty",
       {{ns("team"), {}, {}, {}, {}, {object<model::endpoints>("team", "ext")}}},
       {"delete Endpoints team/ext"}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.name);
    auto plan = plan_namespace_cleanup(r.in);
    CHECK(actions(plan) == r.want);
    CHECK(plan.empty() == r.want.empty());
  }
}

TEST_CASE("each deletion names its object by kind, uid and the namespace being deleted") {
  auto plan = plan_namespace_cleanup({{ns("team"), {object<model::pod>("team", "web")}, {}, {}, {}, {}}});
  REQUIRE(plan.deletions.size() == 1);
  const auto& d = plan.deletions[0];
  CHECK(d.kind == kind::pod);
  CHECK(d.object == model::object_reference{model::k_kind_pod, "team", "web", "uid-web"});
  CHECK(d.why.reason == "NamespaceTerminating");
  CHECK(d.why.message == "namespace \"team\" is being deleted");
  auto removal = plan_namespace_cleanup({{ns("team"), {}, {}, {}, {}, {}}});
  REQUIRE(removal.removals.size() == 1);
  CHECK(removal.removals[0].ns == model::object_reference{model::k_kind_namespace, "", "team", "uid-team"});
  CHECK(removal.removals[0].why.reason == "NamespaceEmpty");
  CHECK(removal.to_string() == "remove namespace team: NamespaceEmpty: nothing is left in namespace \"team\"\n");
}

TEST_CASE("re-running on what the plan leaves converges to removing the namespace once") {
  // The plan deletes the RC and the service and the free pod; the RC's pods
  // leave with the RC (garbage collector), a terminating pod when its node is done.
  std::vector<terminating_namespace> in = {
      {ns("team"), {object<model::pod>("team", "web"), owned_pod("team", "front-x", "front")},
       {object<model::replication_controller>("team", "front")}, {object<model::service>("team", "front")}, {}, {}}};
  auto first = plan_namespace_cleanup(in);
  CHECK(first.deletions.size() == 3);
  CHECK(first.removals.empty());
  // After the fold: the unbound pod is gone, the RC and service too; the
  // garbage collector made the RC's pod terminating.
  auto going = owned_pod("team", "front-x", "front");
  going.metadata.deletion_timestamp = 9;
  auto second = plan_namespace_cleanup({{ns("team"), {going}, {}, {}, {}, {}}});
  CHECK(second.empty());
  auto third = plan_namespace_cleanup({{ns("team"), {}, {}, {}, {}, {}}});
  CHECK(actions(third) == std::vector<std::string>{"remove team"});
}
}  // namespace berth::reconcile
