// Secrets as store commands (actors/store/commands.cpp, plan_secret): the
// validation Kubernetes does, data sealed before it becomes an event, the
// fold keeping ciphertext, reads opening it -- and, on a real journal, no
// plaintext anywhere in the RocksDB files, events or snapshots.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "actors/secrets/sealed.hpp"
#include "actors/store/commands.hpp"
#include "actors/store/fold_diff.hpp"
#include "actors/store/routing.hpp"
#include "journal/writer.hpp"
#include "tests/store/command_fixture.hpp"

namespace berth::store {
namespace {

using testing::create_of;
using testing::fold;

using actors::kind;
using code = actors::outcome::code;

constexpr const char* k_plain = "hunter2-very-secret-plaintext";

/// Installs a keyring for one test case, and the previous one back after it.
struct with_key {
  explicit with_key(char fill) : before(secrets::installed_keyring()) {
    secrets::install_keyring(
        std::make_shared<const secrets::keyring>(secrets::make_key(std::string(secrets::k_key_size, fill))));
  }
  ~with_key() { secrets::install_keyring(before); }
  std::shared_ptr<const secrets::keyring> before;
};

model::secret secret_named(std::string name, std::map<std::string, std::string> data, std::string ns = "default") {
  model::secret x;
  x.metadata.namespace_ = std::move(ns);
  x.metadata.name = std::move(name);
  x.data = std::move(data);
  return x;
}

std::string all_errors(const actors::outcome& o) {
  std::string out;
  for (const auto& e : o.errors) out += e.field + ": " + e.message + "\n";
  return out;
}

}  // namespace

TEST_CASE("secret validation: keys match [-._a-zA-Z0-9]+, data at most 1 MiB, errors name the field") {
  with_key k('a');
  model::cluster_state s;
  address_book book;
  auto bad = plan_create(s, create_of(secret_named("s1", {{"bad key", "x"}, {"ok.key-1_A", "y"}})), book, "u1");
  REQUIRE(bad.answer);
  CHECK(bad.answer->result == code::invalid);
  CHECK(all_errors(*bad.answer) ==
        "data[bad key]: Invalid value: \"bad key\": must have at most 253 characters and match regex "
        "[-._a-zA-Z0-9]+\n");

  auto big = plan_create(s, create_of(secret_named("s1", {{"a", std::string(1048576, 'x')}, {"b", "y"}})), book, "u1");
  REQUIRE(big.answer);
  CHECK(big.answer->result == code::invalid);
  CHECK(all_errors(*big.answer).find("data: Too long: ") == 0);

  auto exact = plan_create(s, create_of(secret_named("s1", {{"a", std::string(1048576, 'x')}})), book, "u1");
  CHECK_FALSE(exact.answer);

  auto bad_name = plan_create(s, create_of(secret_named("Not_A_Name", {})), book, "u1");
  REQUIRE(bad_name.answer);
  CHECK(bad_name.answer->result == code::invalid);
  CHECK(all_errors(*bad_name.answer).find("metadata.name: Invalid value: \"Not_A_Name\"") == 0);
}

TEST_CASE("create: the event carries ciphertext only; the fold keeps it; get and list open it") {
  with_key k('a');
  model::cluster_state s;
  address_book book;
  auto x = secret_named("s1", {{"password", k_plain}});
  x.type = "";  // defaults to Opaque
  x.metadata.annotations = {{"kubectl.kubernetes.io/last-applied-configuration", std::string("{") + k_plain + "}"}};
  auto plan = plan_create(s, create_of(x), book, "uid-1");
  REQUIRE_FALSE(plan.answer);
  CHECK(plan.action == "created");
  const auto* created = std::get_if<model::secret_created>(&plan.event.payload);
  REQUIRE(created);
  CHECK(created->object.data.empty());
  CHECK_FALSE(created->object.sealed.empty());
  CHECK(created->object.type == "Opaque");
  CHECK(created->object.metadata.annotations.empty());  // sealed with the data
  CHECK(plan.event.header.object == model::object_reference{"Secret", "default", "s1", "uid-1"});
  CHECK(model::encode_event(plan.event).find(k_plain) == std::string::npos);

  auto touched = fold(s, plan.event);
  REQUIRE(touched.size() == 1);
  CHECK(touched[0].k == kind::secret);
  REQUIRE(s.secrets.size() == 1);
  CHECK(s.secrets.begin()->second.data.empty());
  CHECK(model::encode_snapshot(s).find(k_plain) == std::string::npos);

  auto answered = answer_after_fold(s, plan, 1);
  REQUIRE(answered.result == code::ok);
  CHECK(std::get<model::secret>(*answered.object).data.at("password") == k_plain);

  auto got = get_object(s, {{kind::secret, "default", "s1"}});
  REQUIRE(got.result == code::ok);
  const auto& opened = std::get<model::secret>(*got.object);
  CHECK(opened.data.at("password") == k_plain);
  CHECK(opened.sealed.empty());
  CHECK(opened.metadata.uid == "uid-1");
  CHECK(opened.metadata.annotations == x.metadata.annotations);

  actors::list_query q;
  q.k = kind::secret;
  auto listed = list_objects(s, q);
  REQUIRE(listed.error.empty());
  REQUIRE(listed.items.size() == 1);
  CHECK(std::get<model::secret>(listed.items[0]).data.at("password") == k_plain);
  q.namespace_ = "other";
  CHECK(list_objects(s, q).items.empty());

  auto again = plan_create(s, create_of(x), book, "uid-2");
  REQUIRE(again.answer);
  CHECK(again.answer->result == code::already_exists);
  CHECK(again.answer->message == "secrets \"s1\" already exists");
}

TEST_CASE("apply: same data is unchanged; new data is a secretReplaced with fresh ciphertext; delete removes") {
  with_key k('a');
  model::cluster_state s;
  address_book book;
  auto plan = plan_create(s, create_of(secret_named("s1", {{"a", "1"}})), book, "uid-1");
  fold(s, plan.event);
  auto same = plan_create(s, create_of(secret_named("s1", {{"a", "1"}}), true), book, "uid-2");
  REQUIRE(same.answer);
  CHECK(same.answer->action == "unchanged");

  auto changed = secret_named("s1", {{"a", "2"}, {"b", "3"}});
  changed.type = "kubernetes.io/service-account-token";
  auto replace = plan_create(s, create_of(changed, true), book, "uid-2");
  REQUIRE_FALSE(replace.answer);
  const auto* r = std::get_if<model::secret_replaced>(&replace.event.payload);
  REQUIRE(r);
  CHECK(r->object.data.empty());
  CHECK(r->object.sealed != s.secrets.begin()->second.sealed);
  fold(s, replace.event);
  auto got = get_object(s, {{kind::secret, "default", "s1"}});
  REQUIRE(got.result == code::ok);
  const auto& x = std::get<model::secret>(*got.object);
  CHECK(x.type == "kubernetes.io/service-account-token");
  CHECK(x.data == std::map<std::string, std::string>{{"a", "2"}, {"b", "3"}});
  CHECK(x.metadata.uid == "uid-1");

  auto del = plan_delete(s, {"user:test", {kind::secret, "default", "s1"}});
  REQUIRE_FALSE(del.answer);
  CHECK(std::holds_alternative<model::secret_removed>(del.event.payload));
  fold(s, del.event);
  CHECK(s.secrets.empty());
  auto gone = answer_after_fold(s, del, 3);
  REQUIRE(gone.result == code::ok);
  CHECK(std::get<model::secret>(*gone.object).data.at("a") == "2");
  CHECK(get_object(s, {{kind::secret, "default", "s1"}}).result == code::not_found);
}

TEST_CASE("a Terminating namespace's secrets are deleted before it goes; none may be created in it") {
  with_key k('a');
  model::cluster_state s;
  address_book book;
  model::namespace_object ns;
  ns.metadata.name = "team";
  auto mk = plan_create(s, create_of(actors::any_object(ns)), book, "uid-ns");
  fold(s, mk.event);
  fold(s, plan_create(s, create_of(secret_named("s1", {{"a", "1"}}, "team")), book, "uid-s").event);
  fold(s, plan_delete(s, {"user:test", {kind::namespace_, "", "team"}}).event);
  auto in = make_namespace_inputs(s);
  REQUIRE(in.terminating.size() == 1);
  CHECK(in.terminating[0].secrets.size() == 1);
  auto plan = reconcile::plan_namespace_cleanup(in.terminating);
  REQUIRE(plan.deletions.size() == 1);
  CHECK(plan.deletions[0].kind == kind::secret);
  CHECK(plan.deletions[0].object == model::object_reference{"Secret", "team", "s1", "uid-s"});
  CHECK(plan.removals.empty());

  auto refused = plan_create(s, create_of(secret_named("s2", {}, "team")), book, "u");
  REQUIRE(refused.answer);
  CHECK(refused.answer->result == code::forbidden);

  model::event removed;
  removed.header.object = plan.deletions[0].object;
  removed.header.principal = "controller:namespace";
  removed.payload = model::secret_removed{plan.deletions[0].why};
  fold(s, removed);
  CHECK(s.secrets.empty());
  auto again = reconcile::plan_namespace_cleanup(make_namespace_inputs(s).terminating);
  CHECK(again.removals.size() == 1);
}

TEST_CASE("no key installed: creating a secret is refused, reading one is an error naming it") {
  model::cluster_state s;
  address_book book;
  {
    with_key k('a');
    fold(s, plan_create(s, create_of(secret_named("s1", {{"a", "1"}})), book, "u").event);
  }
  auto before = secrets::installed_keyring();
  secrets::install_keyring(nullptr);
  auto plan = plan_create(s, create_of(secret_named("s2", {{"a", "1"}})), book, "u2");
  REQUIRE(plan.answer);
  CHECK(plan.answer->result == code::unavailable);
  auto got = get_object(s, {{kind::secret, "default", "s1"}});
  CHECK(got.result == code::unavailable);
  CHECK(got.message == "secret default/s1: cannot decrypt its data: no encryption key is configured");
  secrets::install_keyring(before);
}

namespace {

/// A journal in a fresh temporary directory, removed afterwards.
class temp_journal {
 public:
  temp_journal() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "berth-secret-journal-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir_ = tmpl;
    open();
  }
  ~temp_journal() {
    journal_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  void open() {
    auto j = journal::journal::open(dir_ + "/journal", journal::open_options{});
    REQUIRE_MESSAGE(j.ok(), j.err().message);
    journal_ = std::move(j).value();
  }
  void close() { journal_.reset(); }
  journal::journal& get() { return *journal_; }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::unique_ptr<journal::journal> journal_;
};

/// True when any file under `dir` contains `needle`.
bool any_file_contains(const std::string& dir, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream f(entry.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("on a real journal: no plaintext in the RocksDB files; replay opens with the key, not without it") {
  with_key k('a');
  temp_journal tj;
  model::cluster_state s;
  address_book book;
  std::vector<model::event> events;
  events.push_back(plan_create(s, create_of(secret_named("s1", {{"password", k_plain}})), book, "uid-1").event);
  fold(s, events.back());
  events.push_back(
      plan_create(s, create_of(secret_named("s1", {{"password", k_plain}, {"more", k_plain}}), true), book, "uid-2")
          .event);
  fold(s, events.back());
  {
    journal::writer w(tj.get());
    for (const auto& e : events) {
      auto ack = w.append(model::type_of(e), model::encode_event(e)).get();
      REQUIRE_MESSAGE(ack.ok(), ack.err().message);
    }
  }
  auto replayed = model::replay(tj.get(), model::k_replay_to_end);
  REQUIRE_MESSAGE(replayed.ok(), replayed.err().message);
  REQUIRE(model::write_snapshot(tj.get(), replayed.value().state).ok());
  tj.close();  // flush everything RocksDB holds to its files
  CHECK(std::filesystem::exists(tj.dir() + "/journal"));
  CHECK_FALSE(any_file_contains(tj.dir(), k_plain));
  CHECK_FALSE(any_file_contains(tj.dir(), "hunter2"));
  tj.open();

  auto again = model::replay(tj.get(), model::k_replay_to_end);
  REQUIRE(again.ok());
  CHECK(model::hash_state(again.value().state) == model::hash_state(replayed.value().state));
  auto got = get_object(again.value().state, {{kind::secret, "default", "s1"}});
  REQUIRE(got.result == code::ok);
  CHECK(std::get<model::secret>(*got.object).data.at("more") == k_plain);

  with_key wrong('b');
  auto refused = get_object(again.value().state, {{kind::secret, "default", "s1"}});
  CHECK(refused.result == code::unavailable);
  CHECK(refused.message.find("secret default/s1: cannot decrypt its data: sealed with key") == 0);
  CHECK(refused.message.find(k_plain) == std::string::npos);
}

}  // namespace berth::store
