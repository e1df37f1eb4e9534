#include "actors/kube/channel.hpp"

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include "actors/kube/exec_request.hpp"

using namespace berth::kube;
using what = client_message::what;

namespace {
client_message make(what kind, std::string data = "", std::uint16_t width = 0, std::uint16_t height = 0,
                    std::string error = "") {
  client_message m;
  m.kind = kind;
  m.data = std::move(data);
  m.width = width;
  m.height = height;
  m.error = std::move(error);
  return m;
}

std::string bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}
}  // namespace

TEST_CASE("negotiate_protocol prefers v5, accepts v4, refuses the rest") {
  struct row {
    const char* offered;
    std::optional<stream_protocol> want;
  };
  const row rows[] = {
      {"v5.channel.k8s.io", stream_protocol::v5},
      {"v4.channel.k8s.io", stream_protocol::v4},
      {"v4.channel.k8s.io, v5.channel.k8s.io", stream_protocol::v5},
      {"  v5.channel.k8s.io ,v4.channel.k8s.io", stream_protocol::v5},
      {"v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io", std::nullopt},
      {"base64.channel.k8s.io", std::nullopt},
      {"", std::nullopt},
      {"v5.channel.k8s.iox", std::nullopt},
  };
  for (const auto& r : rows) {
    CAPTURE(r.offered);
    CHECK(negotiate_protocol(r.offered) == r.want);
  }
  CHECK(protocol_name(stream_protocol::v5) == "v5.channel.k8s.io");
  CHECK(protocol_name(stream_protocol::v4) == "v4.channel.k8s.io");
}

TEST_CASE("frame prefixes the channel byte") {
  CHECK(frame(channel::stdout_, "hello\n") == bytes({1}) + "hello\n");
  CHECK(frame(channel::stderr_, "") == bytes({2}));
  CHECK(frame(channel::error, "{}") == bytes({3}) + "{}");
  CHECK(frame(channel::stdout_, bytes({0, 255})) == bytes({1, 0, 255}));
}

TEST_CASE("parse_client_message: stdin, resize, close and the malformed") {
  struct row {
    std::string message;
    stream_protocol protocol;
    client_message want;
  };
  const row rows[] = {
      {bytes({0}) + "data\n", stream_protocol::v5, make(what::stdin_data, "data\n")},
      {bytes({0}), stream_protocol::v4, make(what::stdin_data, "")},
      {bytes({0, 0, 255}), stream_protocol::v4, make(what::stdin_data, bytes({0, 255}))},
      {bytes({4}) + R"({"Width":80,"Height":24})", stream_protocol::v5, make(what::resize, "", 80, 24)},
      {bytes({4}) + R"({"Height":0,"Width":65535})", stream_protocol::v4, make(what::resize, "", 65535, 0)},
      {bytes({255, 0}), stream_protocol::v5, make(what::stdin_close)},
      {bytes({255, 4}), stream_protocol::v5, make(what::ignore)},  // client-go closes resize too
      {bytes({1}) + "x", stream_protocol::v5, make(what::ignore)},
      {bytes({3}), stream_protocol::v5, make(what::ignore)},
      {"", stream_protocol::v5, make(what::error, "", 0, 0, "empty message: expected a channel byte")},
      {bytes({255, 0}), stream_protocol::v4, make(what::error, "", 0, 0, "unknown channel 255 for v4.channel.k8s.io")},
      {bytes({255}), stream_protocol::v5, make(what::error, "", 0, 0, "close message: expected one stream byte, got 0")},
      {bytes({255, 0, 1}), stream_protocol::v5,
       make(what::error, "", 0, 0, "close message: expected one stream byte, got 2")},
      {bytes({9}) + "x", stream_protocol::v5, make(what::error, "", 0, 0, "unknown channel 9 for v5.channel.k8s.io")},
      {bytes({4}) + R"({"Width":-1,"Height":24})", stream_protocol::v5,
       make(what::error, "", 0, 0, "resize: Width: expected a whole number from 0 to 65535, not -1")},
      {bytes({4}) + R"({"Width":80})", stream_protocol::v5,
       make(what::error, "", 0, 0, "resize: Height: required, a whole number from 0 to 65535")},
      {bytes({4}) + R"({"Width":80,"Height":70000})", stream_protocol::v5,
       make(what::error, "", 0, 0, "resize: Height: expected a whole number from 0 to 65535, not 70000")},
      {bytes({4}) + R"([80,24])", stream_protocol::v5,
       make(what::error, "", 0, 0, "resize: expected an object {\"Width\":W,\"Height\":H}")},
  };
  for (const auto& r : rows) {
    CAPTURE(r.message);
    auto got = parse_client_message(r.message, r.protocol);
    CHECK(got.kind == r.want.kind);
    CHECK(got.data == r.want.data);
    CHECK(got.width == r.want.width);
    CHECK(got.height == r.want.height);
    CHECK(got.error == r.want.error);
  }
}

TEST_CASE("parse_resize reports JSON that does not parse") {
  std::string error;
  CHECK_FALSE(parse_resize("{\"Width\":", error));
  CHECK(error.rfind("resize: not JSON: ", 0) == 0);
}

TEST_CASE("exit_status_json: Success, NonZeroExitCode with its cause, unknown codes") {
  CHECK(exit_status_json(0) == R"({"metadata":{},"status":"Success"})");
  for (int code : {1, 3, 127, 255}) {
    CAPTURE(code);
    auto doc = YAML::Load(exit_status_json(code));
    CHECK(doc["status"].as<std::string>() == "Failure");
    CHECK(doc["reason"].as<std::string>() == "NonZeroExitCode");
    REQUIRE(doc["details"]["causes"].size() == 1);
    CHECK(doc["details"]["causes"][0]["reason"].as<std::string>() == "ExitCode");
    CHECK(doc["details"]["causes"][0]["message"].as<std::string>() == std::to_string(code));
  }
  for (int code : {-1, 256}) {
    CAPTURE(code);
    auto doc = YAML::Load(exit_status_json(code));
    CHECK(doc["status"].as<std::string>() == "Failure");
    CHECK(doc["reason"].as<std::string>() == "InternalError");
    CHECK(doc["message"].as<std::string>() ==
          "the command ended, but its exit code is unknown (" + std::to_string(code) + ")");
  }
}

TEST_CASE("failure_status_json quotes its message") {
  auto doc = YAML::Load(failure_status_json("exec \"sh\": not found\n"));
  CHECK(doc["status"].as<std::string>() == "Failure");
  CHECK(doc["message"].as<std::string>() == "exec \"sh\": not found\n");
  CHECK(doc["code"].as<int>() == 500);
}

TEST_CASE("parse_exec_request: commands in order, booleans, container") {
  struct row {
    const char* query;
    bool attach;
    exec_request want;
  };
  const row rows[] = {
      {"command=echo&command=hello&container=c&stdout=true&stderr=true", false,
       {"c", {"echo", "hello"}, false, true, true, false}},
      {"command=sh&command=-c&command=exit%203&stdout=1&stderr=1", false,
       {"", {"sh", "-c", "exit 3"}, false, true, true, false}},
      {"command=sh&stdin=true&stdout=true&tty=true", false, {"", {"sh"}, true, true, false, true}},
      {"command=cat&stdin=true&stdout=false&stderr=0", false, {"", {"cat"}, true, false, false, false}},
      {"container=web&stdout=true&stderr=true", true, {"web", {}, false, true, true, false}},
      {"stdout=true&unknown=1&command=ls", false, {"", {"ls"}, false, true, false, false}},
      {"command=a+b&command=&stdout=true", false, {"", {"a b", ""}, false, true, false, false}},
  };
  for (const auto& r : rows) {
    CAPTURE(r.query);
    std::string error;
    auto got = parse_exec_request(r.query, r.attach, error);
    CHECK(error == "");
    REQUIRE(got);
    CHECK(*got == r.want);
  }
}

TEST_CASE("parse_exec_request: bad input names the parameter") {
  struct row {
    const char* query;
    bool attach;
    const char* error;
  };
  const row rows[] = {
      {"stdout=true", false, "command: required, the command to run and its arguments (command=ls&command=-l)"},
      {"command=ls&stdout=yes", false, "stdout: expected true or false, not \"yes\""},
      {"command=ls&stdin=", false, "stdin: expected true or false, not \"\""},
      {"command=ls", false, "you must specify at least 1 of stdin, stdout, stderr"},
      {"command=ls&stdout=false&stderr=false", false, "you must specify at least 1 of stdin, stdout, stderr"},
      {"command=sh&stdout=true&stderr=true&tty=true", false,
       "tty and stderr cannot both be true (a terminal merges stderr into stdout)"},
      {"command=ls&stdout=true", true, "command: attach takes no command (it joins the container's main process)"},
      {"command=%zz&stdout=true", false, "query: bad percent-escape at byte 8"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.query);
    std::string error;
    CHECK_FALSE(parse_exec_request(r.query, r.attach, error));
    CHECK(error == r.error);
  }
}
