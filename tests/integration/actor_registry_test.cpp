// The introspection registry fed by real CAF actors (instrumented<>): exact
// counts under concurrent senders, the mailbox of a blocked actor, traces in
// order with their limits, state asked of the actor, who spawned whom.
#include <doctest/doctest.h>

#include <caf/all.hpp>

#include <fmt/format.h>

#include <chrono>
#include <future>
#include <thread>

#include "actors/introspect/instrumented.hpp"
#include "actors/introspect/state_json.hpp"

using namespace berth;
using namespace std::chrono_literals;

namespace {

using block_atom = caf::atom_constant<caf::atom("block")>;

struct counter_state {
  static inline const char* name = "counter";
  std::int64_t seen = 0;
  std::int64_t sum = 0;
};
using counter_self = caf::stateful_actor<counter_state, introspect::instrumented<>>*;

/// Counts ints; (block) waits until `gate` opens.
caf::behavior counter(counter_self self, std::string name, std::shared_future<void> gate) {
  introspect::enroll(self, "test", name, "", [self] {
    return introspect::json_object().num("seen", self->state.seen).num("sum", self->state.sum).done();
  });
  return {
      [=](int i) {
        ++self->state.seen;
        self->state.sum += i;
      },
      [=](block_atom) { gate.wait(); },
  };
}

struct relay_state {
  static inline const char* name = "relay";
};
using relay_self = caf::stateful_actor<relay_state, introspect::instrumented<>>*;

/// Spawns a counter (its child) and forwards every int to it.
caf::behavior relay(relay_self self, std::shared_future<void> gate) {
  introspect::enroll(self, "test", "relay", "", [] { return std::string("{}"); });
  auto child = self->spawn<caf::linked>(counter, std::string("child"), gate);
  return {[=](int i) { self->send(child, i); }};
}

bool eventually(const std::function<bool()>& f, std::chrono::milliseconds limit = 10s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return f();
}

std::shared_future<void> open_gate() {
  std::promise<void> p;
  p.set_value();
  return p.get_future().share();
}

std::string state_of(introspect::registry& r, const std::string& name) {
  auto answer = std::make_shared<std::promise<std::string>>();
  r.inspect(name, [answer](std::optional<std::string> s, std::string error) {
    answer->set_value(s ? *s : "error: " + error);
  });
  return answer->get_future().get();
}

}  // namespace

TEST_CASE("N messages sent from 4 threads are exactly N handled, and the state says so") {
  introspect::system_config cfg;
  caf::actor_system sys{cfg};
  auto& reg = *cfg.registry;
  auto a = sys.spawn(counter, std::string("a"), open_gate());
  REQUIRE(eventually([&] { return reg.find("test/a").has_value(); }));
  constexpr int per_thread = 2500;
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t)
    senders.emplace_back([&] {
      for (int i = 1; i <= per_thread; ++i) caf::anon_send(a, i);
    });
  for (auto& t : senders) t.join();
  REQUIRE(eventually([&] { return reg.find("test/a")->handled == 4 * per_thread; }));
  auto info = *reg.find("test/a");
  CHECK(info.handled == 10'000);
  CHECK(info.mailbox == 0);
  CHECK(info.kind == "test");
  CHECK(info.last_message == "int32_t");
  CHECK(info.processing.count == 10'000);
  CHECK(state_of(reg, "test/a") == "{\"seen\":10000,\"sum\":12505000}");
  // The state request is a message too: counted, never left in the mailbox.
  CHECK(eventually([&] { return reg.find("test/a")->handled == 10'001; }));
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_CASE("a blocked actor's mailbox rises with every message, and falls to 0 once it runs again") {
  introspect::system_config cfg;
  caf::actor_system sys{cfg};
  auto& reg = *cfg.registry;
  std::promise<void> gate;
  auto a = sys.spawn(counter, std::string("blocked"), gate.get_future().share());
  // An actor is listed once its behavior function ran (it enrolls there).
  REQUIRE(eventually([&] { return reg.find("test/blocked").has_value(); }));
  caf::anon_send(a, block_atom::value);
  for (int i = 0; i < 100; ++i) caf::anon_send(a, i);
  // The blocking message counts until it has been handled.
  CHECK(reg.find("test/blocked")->mailbox == 101);
  CHECK(reg.find("test/blocked")->handled == 0);
  gate.set_value();
  REQUIRE(eventually([&] { return reg.find("test/blocked")->mailbox == 0; }));
  CHECK(reg.find("test/blocked")->handled == 101);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

TEST_CASE("a trace sees messages in and out in order, and stops at its limit") {
  introspect::system_config cfg;
  caf::actor_system sys{cfg};
  auto& reg = *cfg.registry;
  std::promise<void> gate;
  auto r = sys.spawn(relay, gate.get_future().share());
  REQUIRE(eventually([&] { return reg.find("test/child").has_value(); }));

  auto trace = reg.trace("test/relay", {10s, 4});
  REQUIRE(trace);
  CHECK(reg.find("test/relay")->tracing);
  for (int i = 1; i <= 10; ++i) caf::anon_send(r, i);
  REQUIRE(eventually([&] { return trace->stopped_reason() == "limit"; }));
  auto events = trace->take(0);
  REQUIRE(events.size() == 4);
  std::vector<std::string> seen;
  for (const auto& e : events)
    seen.push_back(fmt::format("{} {} {} {}", e.seq, e.outgoing ? "out" : "in", e.peer, e.text));
  CHECK(seen == std::vector<std::string>{"1 in (anonymous) (1)", "2 out test/child (1)", "3 in (anonymous) (2)",
                                         "4 out test/child (2)"});
  CHECK(events[0].type == "int32_t");
  CHECK(events[0].bytes == 4);
  // An ended trace costs nothing more: nothing is traced any longer.
  CHECK(!reg.find("test/relay")->tracing);
  CHECK(!reg.tracing_anything());
  caf::anon_send(r, 11);
  CHECK(trace->events() == 4);
  gate.set_value();
  caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
}

TEST_CASE("a trace also stops when its time is up, or when its actor exits") {
  introspect::system_config cfg;
  caf::actor_system sys{cfg};
  auto& reg = *cfg.registry;
  auto a = sys.spawn(counter, std::string("t"), open_gate());
  REQUIRE(eventually([&] { return reg.find("test/t").has_value(); }));
  auto timed = reg.trace("test/t", {50ms, 100});
  auto until_exit = reg.trace("#" + std::to_string(a.id()), {10s, 100});
  REQUIRE(timed);
  REQUIRE(until_exit);
  REQUIRE(eventually([&] { return timed->stopped_reason() == "time"; }));
  CHECK(until_exit->stopped_reason() == "");
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  REQUIRE(eventually([&] { return until_exit->stopped_reason() == "actor exited"; }));
  CHECK(!reg.find("test/t"));
  CHECK(!reg.trace("test/t", {}));  // no such actor any more
  CHECK(state_of(reg, "test/t") == "error: no actor named test/t");
}

TEST_CASE("an actor records who spawned it, and the registry keeps counts of exited kinds") {
  introspect::system_config cfg;
  caf::actor_system sys{cfg};
  auto& reg = *cfg.registry;
  auto r = sys.spawn(relay, open_gate());
  REQUIRE(eventually([&] { return reg.find("test/child").has_value(); }));
  auto child = *reg.find("test/child");
  auto parent = *reg.find("test/relay");
  CHECK(child.parent == parent.id);
  CHECK(child.parent_name == "test/relay");
  CHECK(parent.parent == 0);
  for (int i = 0; i < 3; ++i) caf::anon_send(r, i);
  REQUIRE(eventually([&] { return reg.find("test/child")->handled == 3; }));
  caf::anon_send_exit(r, caf::exit_reason::user_shutdown);  // the child is linked: it stops too
  REQUIRE(eventually([&] { return reg.size() == 0; }));
  CHECK(reg.handled_by_exited().at("test") >= 6);  // 3 at the relay, 3 at the child
}

TEST_CASE("an actor system made without a system_config has no registry, and its actors still work") {
  caf::actor_system_config plain;
  caf::actor_system sys{plain};
  CHECK(introspect::registry_of(sys) == nullptr);
  auto a = sys.spawn(counter, std::string("plain"), open_gate());
  caf::scoped_actor self{sys};
  self->send(a, 1);
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}
