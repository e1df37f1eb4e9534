// Secrets reach the node agents (actors/core/store_agents.cpp): a node gets
// the secrets its pods reference, opened, on join and whenever that set
// changes (coalesced over 50 ms), and never a secret no pod of it references.
#include "tests/core/store_fixture.hpp"

#include "actors/secrets/sealed.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::actors::test {
namespace {

using code = outcome::code;

/// Installs a keyring for one test case, and the previous one back after it.
struct with_key {
  with_key() : before(secrets::installed_keyring()) {
    secrets::install_keyring(
        std::make_shared<const secrets::keyring>(secrets::make_key(std::string(secrets::k_key_size, 'k'))));
  }
  ~with_key() { secrets::install_keyring(before); }
  std::shared_ptr<const secrets::keyring> before;
};

any_object secret_of(std::string name, std::map<std::string, std::string> data) {
  model::secret x;
  x.metadata.namespace_ = "default";
  x.metadata.name = std::move(name);
  x.data = std::move(data);
  return any_object(x);
}

model::node capacity_node(const std::string& name) {
  auto n = reconcile::test::make_node(name, "8", "16Gi", "110");
  n.metadata.uid.clear();
  return n;
}

std::vector<std::string> summary(const std::vector<model::secret>& list) {
  std::vector<std::string> out;
  for (const auto& s : list) {
    std::string line = s.metadata.namespace_ + "/" + s.metadata.name + ":";
    for (const auto& [k, v] : s.data) line += " " + k + "=" + v;
    CHECK(s.sealed.empty());  // plaintext on the link, not the journal's form
    out.push_back(line);
  }
  return out;
}

struct secrets_fixture : store_fixture {
  /// Lets the coalescing timer fire and everything it causes run.
  void settle() {
    advance_time(std::chrono::milliseconds(60));
    drain();
  }
  with_key key;
};

TEST_CASE_FIXTURE(secrets_fixture, "a node gets its pods' secrets on join, then each change, and no others") {
  REQUIRE(ask(create_cmd{"user:test", secret_of("db", {{"password", "s3cret"}}), false, false}).result == code::ok);
  REQUIRE(ask(create_cmd{"user:test", secret_of("other", {{"x", "never-sent"}}), false, false}).result == code::ok);
  auto pod = reconcile::test::make_pod("uses-db");
  pod.metadata.uid.clear();
  pod.spec.volumes = {{"creds", model::secret_volume{"db", 0644, {}}}};
  REQUIRE(ask(create_cmd{"user:test", any_object(pod), false, false}).result == code::ok);

  // Joining: the set at once (the pod is not bound yet: nothing), then the
  // scheduler binds the pod here and the node's set grows.
  auto link = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n1"), link}).result == code::ok);
  REQUIRE(link->secret_pushes >= 1);
  settle();
  CHECK(summary(link->secrets) == std::vector<std::string>{"default/db: password=s3cret"});
  const auto pushes = link->secret_pushes;

  // A secret no pod of the node uses changes: nothing is sent.
  REQUIRE(ask(create_cmd{"user:test", secret_of("other", {{"x", "still-not"}}), false, true}).result == code::ok);
  settle();
  CHECK(link->secret_pushes == pushes);

  // Replaced: sent again with the new value.
  REQUIRE(ask(create_cmd{"user:test", secret_of("db", {{"password", "rotated"}}), false, true}).result == code::ok);
  settle();
  CHECK(link->secret_pushes == pushes + 1);
  CHECK(summary(link->secrets) == std::vector<std::string>{"default/db: password=rotated"});

  // Removed: the node's set is empty.
  REQUIRE(ask(delete_cmd{"user:test", {kind::secret, "default", "db"}, 0}).result == code::ok);
  settle();
  CHECK(link->secrets.empty());

  // A second node joins: its pods use no secret, so it gets an empty set.
  auto link2 = std::make_shared<recording_link>();
  REQUIRE(ask(join_cmd{capacity_node("n2"), link2}).result == code::ok);
  settle();
  CHECK(link2->secret_pushes == 1);
  CHECK(link2->secrets.empty());
}

}  // namespace
}  // namespace berth::actors::test
