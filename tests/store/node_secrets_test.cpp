// Which secrets each node may see (actors/store/node_secrets.hpp): only those
// the pods bound to it reference, in their own namespace; and which changes
// make the store look again (routing).
#include "actors/store/node_secrets.hpp"

#include <doctest/doctest.h>

#include <random>

#include "actors/store/routing.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::store {
namespace {

using actors::kind;
using namespace model::testing;

model::secret secret_named(std::string ns, std::string name, std::uint64_t rv = 1) {
  model::secret s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  s.metadata.resource_version = rv;
  s.sealed = {"k1", "nonce", "ciphertext"};
  return s;
}

model::pod with_secret_volume(model::pod p, std::string secret) {
  p.spec.volumes.push_back({"v-" + secret, model::secret_volume{std::move(secret), 0644, {}}});
  return p;
}

model::pod with_secret_env(model::pod p, std::string secret) {
  model::env_var e;
  e.name = "X";
  e.value_from = model::env_var_source{};
  e.value_from->secret_key_ref = model::secret_key_selector{std::move(secret), "k"};
  p.spec.containers.at(0).env.push_back(std::move(e));
  return p;
}

void put(model::cluster_state& s, model::pod p) {
  model::object_key key{p.metadata.namespace_, p.metadata.name};
  s.pods.insert_or_assign(key, std::move(p));
}

void put(model::cluster_state& s, model::secret x) {
  model::object_key key{x.metadata.namespace_, x.metadata.name};
  s.secrets.insert_or_assign(key, std::move(x));
}

std::vector<std::string> names(const std::vector<model::secret>& list) {
  std::vector<std::string> out;
  for (const auto& x : list) out.push_back(x.metadata.namespace_ + "/" + x.metadata.name);
  return out;
}

model::cluster_state three_nodes() {
  model::cluster_state s;
  for (auto* n : {"a", "b"}) put(s, secret_named("default", n));
  put(s, secret_named("default", "unused"));
  put(s, secret_named("shop", "a"));
  put(s, with_secret_volume(make_pod("on-n1", "n1"), "a"));
  put(s, with_secret_env(with_secret_volume(make_pod("also-n1", "n1"), "a"), "b"));
  put(s, with_secret_env(make_pod("on-n2", "n2"), "missing"));
  put(s, with_secret_volume(make_pod("pending"), "unused"));  // not bound: no node sees it
  auto shop = with_secret_volume(make_pod("shop-pod", "n3"), "a");
  shop.metadata.namespace_ = "shop";
  put(s, shop);
  return s;
}

TEST_CASE("secrets_for_nodes: only what the node's pods reference, from their namespace, sorted, each once") {
  auto s = three_nodes();
  auto sets = secrets_for_nodes(s, {"n1", "n2", "n3", "n4"});
  REQUIRE(sets.size() == 4);
  CHECK(names(sets["n1"]) == std::vector<std::string>{"default/a", "default/b"});
  CHECK(sets["n2"].empty());  // its pod references a secret that does not exist
  CHECK(names(sets["n3"]) == std::vector<std::string>{"shop/a"});
  CHECK(sets["n4"].empty());  // no pods
  CHECK(sets["n1"][0].sealed == s.secrets.at({"default", "a"}).sealed);  // as folded: sealed

  // Only the nodes asked for are computed.
  CHECK(secrets_for_nodes(s, {"n2"}).size() == 1);
}

TEST_CASE("secrets_for_nodes: a node sees no secret of another node's pods, whatever the state (randomized)") {
  for (unsigned seed = 1; seed <= 200; ++seed) {
    std::mt19937 rng(seed);
    model::cluster_state s;
    const std::vector<std::string> nodes = {"n1", "n2", "n3", ""};
    for (int i = 0; i < 8; ++i) put(s, secret_named(rng() % 2 ? "default" : "shop", "s" + std::to_string(rng() % 6)));
    for (int i = 0; i < 12; ++i) {
      auto p = make_pod("p" + std::to_string(i), nodes[rng() % nodes.size()]);
      p.metadata.namespace_ = rng() % 2 ? "default" : "shop";
      for (unsigned r = rng() % 3; r > 0; --r)
        p = rng() % 2 ? with_secret_volume(p, "s" + std::to_string(rng() % 6))
                      : with_secret_env(p, "s" + std::to_string(rng() % 6));
      put(s, std::move(p));
    }
    auto sets = secrets_for_nodes(s, {"n1", "n2", "n3"});
    for (const auto& [node, list] : sets) {
      for (const auto& x : list) {
        // Each secret sent is referenced by a pod bound to that node, in the secret's namespace.
        bool referenced = false;
        for (const auto& [_, p] : s.pods) {
          if (p.spec.node_name != node || p.metadata.namespace_ != x.metadata.namespace_) continue;
          for (const auto& n : model::referenced_secrets(p.spec)) referenced = referenced || n == x.metadata.name;
        }
        CHECK_MESSAGE(referenced, "seed ", seed, ": ", node, " got ", x.metadata.namespace_, "/", x.metadata.name);
      }
      // And every existing referenced secret is sent.
      for (const auto& [_, p] : s.pods) {
        if (p.spec.node_name != node) continue;
        for (const auto& n : model::referenced_secrets(p.spec)) {
          if (!s.secrets.count({p.metadata.namespace_, n})) continue;
          bool sent = false;
          for (const auto& x : list) sent = sent || (x.metadata.namespace_ == p.metadata.namespace_ && x.metadata.name == n);
          CHECK_MESSAGE(sent, "seed ", seed, ": ", node, " misses ", p.metadata.namespace_, "/", n);
        }
      }
    }
  }
}

TEST_CASE("versions_of tells a replaced secret from the same one") {
  auto v1 = versions_of({secret_named("default", "a", 4)});
  CHECK(v1 == versions_of({secret_named("default", "a", 4)}));
  CHECK(v1 != versions_of({secret_named("default", "a", 9)}));
  CHECK(v1 != versions_of({}));
}

TEST_CASE("changes_node_secrets: creation, removal, binding and changed references; not status changes") {
  auto bound = with_secret_volume(make_pod("p", "n1"), "a");
  auto unbound = with_secret_volume(make_pod("p"), "a");
  auto status_only = bound;
  status_only.status.phase = model::pod_phase::running;
  auto more = with_secret_env(bound, "b");
  auto plain = make_pod("q", "n1");
  auto plain_unbound = make_pod("q");
  struct row {
    const char* what;
    const model::pod* before;
    const model::pod* after;
    bool expected;
  };
  const std::vector<row> rows = {
      {"created", nullptr, &bound, true},      {"removed", &bound, nullptr, true},
      {"bound", &unbound, &bound, true},       {"status only", &bound, &status_only, false},
      {"a new reference", &bound, &more, true}, {"nothing", nullptr, nullptr, false},
      {"a pod without secrets created", nullptr, &plain, false},
      {"a pod without secrets bound", &plain_unbound, &plain, false},
      {"a pod without secrets removed", &plain, nullptr, false},
  };
  for (const auto& r : rows) {
    INFO(r.what);
    CHECK(changes_node_secrets(r.before, r.after) == r.expected);
  }
}

TEST_CASE("routing: a secret's change looks at every node; a bound pod's new references at its node") {
  model::cluster_state s;
  auto secret = secret_named("default", "a");
  auto plan = plan_route(s, {kind::secret, {"default", "a"}, std::nullopt, actors::any_object(secret)});
  CHECK(plan.push_secrets);

  auto unbound = with_secret_volume(make_pod("p"), "a");
  auto bound = with_secret_volume(make_pod("p", "n1"), "a");
  plan = plan_route(s, {kind::pod, {"default", "p"}, actors::any_object(unbound), actors::any_object(bound)});
  CHECK(plan.secret_nodes == std::vector<std::string>{"n1"});
  CHECK_FALSE(plan.push_secrets);

  auto running = bound;
  running.status.phase = model::pod_phase::running;
  plan = plan_route(s, {kind::pod, {"default", "p"}, actors::any_object(bound), actors::any_object(running)});
  CHECK(plan.secret_nodes.empty());
}

}  // namespace
}  // namespace berth::store
