// Persistent volumes and claims as store commands (actors/store/volume_commands.cpp),
// what their folds touch and wake (fold_diff, routing), what each node is sent
// (claims_for_nodes), and the volume controller's inputs.

#include <doctest/doctest.h>

#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/node_secrets.hpp"
#include "actors/store/routing.hpp"
#include "tests/model/fold_fixture.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create;
using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;
using namespace model::testing;

model::persistent_volume volume(const std::string& name, const char* storage = "10Gi") {
  model::persistent_volume v;
  v.metadata.name = name;
  v.spec.capacity[model::k_resource_storage] = *model::parse_quantity(storage);
  v.spec.access_modes = {model::k_access_read_write_once};
  v.spec.source = model::host_path_volume{"/tmp/data01"};
  return v;
}

model::persistent_volume_claim claim(const std::string& name, const char* storage = "3Gi") {
  model::persistent_volume_claim c;
  c.metadata.name = name;
  c.spec.access_modes = {model::k_access_read_write_once};
  c.spec.resources.requests[model::k_resource_storage] = *model::parse_quantity(storage);
  return c;
}

command_plan plan(model::cluster_state& s, actors::any_object o, bool apply = false, const std::string& uid = "u1") {
  address_book book;
  return plan_create(s, create_of(std::move(o), apply), book, uid);
}

/// Folds the volume controller's binding of `claim_name` to `volume_name`.
std::vector<touched_object> bind(model::cluster_state& s, const std::string& claim_name, const std::string& volume_name) {
  model::event e;
  e.header.object = {model::k_kind_persistent_volume_claim, "default", claim_name, ""};
  e.header.principal = "controller:volume";
  e.payload = model::volume_claim_bound{volume_name};
  return fold(s, e);
}

std::vector<std::string> fields_of(const actors::outcome& o) {
  std::vector<std::string> out;
  for (const auto& e : o.errors) out.push_back(e.field + ": " + e.message);
  return out;
}

}  // namespace

TEST_CASE("persistent volume: created cluster-scoped, listed, replaced by apply, deleted") {
  model::cluster_state s;
  auto v = volume("pv0001");
  v.metadata.namespace_ = "";
  auto p = plan(s, v);
  REQUIRE_FALSE(p.answer);
  CHECK(std::holds_alternative<model::persistent_volume_created>(p.event.payload));
  CHECK(p.event.header.object == model::object_reference{"PersistentVolume", "", "pv0001", "u1"});
  fold(s, p.event);
  CHECK(list_objects(s, {kind::persistent_volume, "", "", ""}).items.size() == 1);
  CHECK(list_objects(s, {kind::persistent_volume, "default", "", ""}).items.size() == 1);  // not namespaced

  auto again = plan(s, volume("pv0001"));
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);
  CHECK(again.answer->message == "persistentvolumes \"pv0001\" already exists");

  auto same = plan(s, volume("pv0001"), true);
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");

  auto changed = plan(s, volume("pv0001", "20Gi"), true);
  REQUIRE_FALSE(changed.answer);
  CHECK(std::holds_alternative<model::persistent_volume_replaced>(changed.event.payload));
  fold(s, changed.event);
  CHECK(s.volumes.at("pv0001").spec.capacity.at("storage") == *model::parse_quantity("20Gi"));

  auto gone = plan_delete(s, {"user:test", {kind::persistent_volume, "", "pv0001"}});
  REQUIRE_FALSE(gone.answer);
  CHECK(std::holds_alternative<model::persistent_volume_removed>(gone.event.payload));
  fold(s, gone.event);
  CHECK(s.volumes.empty());
}

TEST_CASE("persistent volume and claim validation name the field, as Kubernetes does") {
  model::cluster_state s;
  auto v = volume("Bad_Name");
  v.spec.access_modes = {"ReadWriteSometimes"};
  v.spec.capacity.clear();
  auto p = plan(s, v);
  REQUIRE(p.answer);
  CHECK(p.answer->result == code::invalid);
  auto fields = fields_of(*p.answer);
  CAPTURE(fields);
  REQUIRE(fields.size() == 3);
  CHECK(fields[0].rfind("metadata.name: Invalid value: \"Bad_Name\"", 0) == 0);
  CHECK(fields[1] ==
        "spec.accessModes[0]: Unsupported value: \"ReadWriteSometimes\": supported values: \"ReadWriteOnce\", "
        "\"ReadOnlyMany\", \"ReadWriteMany\"");
  CHECK(fields[2] == "spec.capacity[storage]: Required value");

  auto no_source = volume("pv");
  no_source.spec.source = model::empty_dir_volume{};
  auto q = plan(s, no_source);
  REQUIRE(q.answer);
  CHECK(fields_of(*q.answer) == std::vector<std::string>{"spec: Required value: must specify a volume type"});

  auto c = claim("c");
  c.spec.access_modes.clear();
  c.spec.resources.requests.clear();
  auto r = plan(s, c);
  REQUIRE(r.answer);
  CHECK(fields_of(*r.answer) ==
        std::vector<std::string>{"spec.accessModes: Required value: at least 1 access mode is required",
                                 "spec.resources.requests[storage]: Required value"});
}

TEST_CASE("claims: created in their namespace, spec immutable, labels replaced, quota counted, deleted") {
  model::cluster_state s;
  create(s, claim("myclaim-1"), "c1");
  const auto& stored = s.claims.at({"default", "myclaim-1"});
  CHECK(stored.status.phase == model::claim_phase::pending);
  CHECK(stored.metadata.uid == "c1");

  auto more = claim("myclaim-1", "5Gi");
  auto immutable = plan(s, more, true);
  REQUIRE(immutable.answer);
  CHECK(immutable.answer->result == code::invalid);
  CHECK(fields_of(*immutable.answer) == std::vector<std::string>{"spec: Forbidden: field is immutable after creation"});

  // Bound: the manifest applied again (no volumeName) is unchanged; new labels are configured.
  create(s, volume("pv0001"), "v1");
  bind(s, "myclaim-1", "pv0001");
  auto same = plan(s, claim("myclaim-1"), true);
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");
  auto labelled = claim("myclaim-1");
  labelled.metadata.labels["app"] = "web";
  auto relabel = plan(s, labelled, true);
  REQUIRE_FALSE(relabel.answer);
  CHECK(std::holds_alternative<model::persistent_volume_claim_replaced>(relabel.event.payload));

  // A quota on claims refuses the next one.
  model::resource_quota q;
  q.metadata.name = "quota";
  q.hard["persistentvolumeclaims"] = *model::parse_quantity("1");
  create(s, q, "q1");
  auto refused = plan(s, claim("myclaim-2"));
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::forbidden);
  CHECK(refused.answer->message.find("exceeded quota: quota") != std::string::npos);

  // Not in a namespace that does not exist.
  auto elsewhere = claim("c");
  elsewhere.metadata.namespace_ = "nowhere";
  auto missing = plan(s, elsewhere);
  REQUIRE(missing.answer);
  CHECK(missing.answer->result == code::not_found);

  // Deleting the claim releases its volume; both are touched by the fold.
  auto del = plan_delete(s, {"user:test", {kind::persistent_volume_claim, "default", "myclaim-1"}});
  REQUIRE_FALSE(del.answer);
  auto touched = fold(s, del.event);
  REQUIRE(touched.size() == 2);
  CHECK(touched[1].k == kind::persistent_volume);
  CHECK(std::get<model::persistent_volume>(*touched[1].after).status.phase == model::volume_phase::released);
}

TEST_CASE("a binding touches the claim and the volume; both wake the volume controller and push to nodes") {
  model::cluster_state s;
  create(s, volume("pv0001"), "v1");
  create(s, claim("myclaim-1"), "c1");
  auto touched = bind(s, "myclaim-1", "pv0001");
  REQUIRE(touched.size() == 2);
  CHECK(touched[0].k == kind::persistent_volume_claim);
  CHECK(touched[1].k == kind::persistent_volume);
  for (const auto& t : touched) {
    auto route = plan_route(s, t);
    CHECK(route.wake_volumes);
    CHECK(route.push_secrets);  // the nodes' claims ride with their secrets
  }
}

TEST_CASE("each node is sent the bound claims its pods mount, with the volume's source") {
  model::cluster_state s;
  create(s, volume("pv0001"), "v1");
  create(s, claim("myclaim-1"), "c1");
  create(s, claim("waiting"), "c2");
  auto p = make_pod("mypod", "n1");
  p.spec.volumes.push_back({"mypd", model::persistent_volume_claim_volume{"myclaim-1", false}});
  p.spec.volumes.push_back({"later", model::persistent_volume_claim_volume{"waiting", false}});
  s.pods[{"default", "mypod"}] = p;
  CHECK(claims_for_nodes(s, {"n1"}).at("n1").empty());  // nothing bound yet
  bind(s, "myclaim-1", "pv0001");
  auto sets = claims_for_nodes(s, {"n1", "n2"});
  CHECK(sets.at("n2").empty());
  REQUIRE(sets.at("n1").size() == 1);
  const auto& c = sets.at("n1")[0];
  CHECK(c.namespace_ == "default");
  CHECK(c.claim_name == "myclaim-1");
  CHECK(c.volume_name == "pv0001");
  CHECK(std::get<model::host_path_volume>(c.source).path == "/tmp/data01");
  CHECK_FALSE(c.read_only);
  // A pod that mounts a claim is one whose moves change its node's set.
  auto moved = p;
  moved.spec.node_name = "n2";
  CHECK(changes_node_secrets(&p, &moved));
  CHECK_FALSE(changes_node_secrets(&p, &p));
}

TEST_CASE("the volume controller's inputs: every volume, the Pending claims, the recycler pods") {
  model::cluster_state s;
  create(s, volume("pv0001"), "v1");
  create(s, claim("bound"), "c1");
  create(s, claim("pending"), "c2");
  bind(s, "bound", "pv0001");
  auto recycler = make_pod("recycler-for-old");
  recycler.metadata.namespace_ = reconcile::k_recycler_namespace;
  recycler.metadata.labels[reconcile::k_recycler_label] = "old";
  s.pods[{reconcile::k_recycler_namespace, "recycler-for-old"}] = recycler;
  s.pods[{"default", "unrelated"}] = make_pod("unrelated");
  auto in = make_volume_inputs(s);
  CHECK(in.in.volumes.size() == 1);
  REQUIRE(in.in.claims.size() == 1);
  CHECK(in.in.claims[0].metadata.name == "pending");
  REQUIRE(in.in.recyclers.size() == 1);
  CHECK(in.in.recyclers[0].metadata.name == "recycler-for-old");
  // A recycler pod's change wakes the volume controller; an ordinary pod's does not.
  auto r = plan_route(s, {kind::pod, {"kube-system", "recycler-for-old"}, std::nullopt, actors::any_object(recycler)});
  CHECK(r.wake_volumes);
  auto u = plan_route(s, {kind::pod, {"default", "unrelated"}, std::nullopt, actors::any_object(make_pod("unrelated"))});
  CHECK_FALSE(u.wake_volumes);
}

}  // namespace berth::store
