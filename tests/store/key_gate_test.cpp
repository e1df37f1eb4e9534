#include "actors/store/key_gate.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

namespace berth::store {
namespace {

TEST_CASE("key_gate: commands on one object run one after the other, in arrival order") {
  key_gate gate;
  std::vector<std::string> ran;
  gate.enter("pods/default/web", [&] { ran.push_back("put-1"); });
  gate.enter("pods/default/web", [&] { ran.push_back("put-2"); });
  gate.enter("pods/default/web", [&] { ran.push_back("delete"); });
  CHECK(ran == std::vector<std::string>{"put-1"});
  CHECK(gate.busy() == 1);
  CHECK(gate.held() == 2);

  gate.leave("pods/default/web");  // put-1 answered
  CHECK(ran == std::vector<std::string>{"put-1", "put-2"});
  gate.leave("pods/default/web");
  CHECK(ran == std::vector<std::string>{"put-1", "put-2", "delete"});
  gate.leave("pods/default/web");
  CHECK(gate.busy() == 0);
  CHECK(gate.held() == 0);
}

TEST_CASE("key_gate: other objects are not held") {
  key_gate gate;
  int ran = 0;
  gate.enter("pods/default/a", [&] { ++ran; });
  gate.enter("pods/default/b", [&] { ++ran; });
  gate.enter("services/default/a", [&] { ++ran; });
  CHECK(ran == 3);
  CHECK(gate.busy() == 3);
  CHECK(gate.held() == 0);
}

TEST_CASE("key_gate: a command answered at once lets the next run at once, however many are queued") {
  key_gate gate;
  const std::string key = "replicationcontrollers/default/front";
  std::vector<int> ran;
  std::function<void(int)> answered_at_once = [&](int i) {
    ran.push_back(i);
    gate.leave(key);
  };
  gate.enter(key, [&] { ran.push_back(0); });  // in flight: the rest queue
  for (int i = 1; i <= 1000; ++i) gate.enter(key, [&, i] { answered_at_once(i); });
  CHECK(ran.size() == 1);
  gate.leave(key);
  REQUIRE(ran.size() == 1001);
  for (int i = 0; i <= 1000; ++i) CHECK(ran[static_cast<std::size_t>(i)] == i);
  CHECK(gate.busy() == 0);
}

TEST_CASE("key_gate: leaving an object with nothing in flight is harmless") {
  key_gate gate;
  gate.leave("pods/default/none");
  CHECK(gate.busy() == 0);
}

}  // namespace
}  // namespace berth::store
