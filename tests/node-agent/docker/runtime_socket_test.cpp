// The runtime interface over a unix socket: serve, connect, call.

#include "node-agent/runtime/runtime_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "tests/node-agent/docker/docker_test_util.hpp"

using namespace berth::agent;
using namespace berth::agent::docker::test;
using berth::agent::docker::json_string;

namespace {

std::string socket_path() { return fmt::format("/tmp/berth-runtime-test-{}.sock", ::getpid()); }

// Leaves a socket file nobody listens on, as a killed server would.
void make_stale_socket(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
  ::close(fd);
}

}  // namespace

TEST_CASE_FIXTURE(docker_fixture, "runtime socket: version over a socket replacing a stale file") {
  auto path = socket_path();
  ::unlink(path.c_str());
  make_stale_socket(path);
  auto serving = serve_runtime(*io.provider, path, runtime).eagerlyEvaluate(nullptr);

  auto connection = runtime_connection::connect(*io.provider, path).wait(io.waitScope);
  auto reply = connection->runtime().versionRequest().send().wait(io.waitScope);
  CHECK(str(reply.getRuntimeName()) == "docker");
  CHECK(str(reply.getApiVersion()) == json_string(docker_get("/version").root(), {"ApiVersion"}));

  // A second server on the same path is refused while the first one listens.
  bool refused = false;
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { auto second = serve_runtime(*io.provider, path, runtime); })) {
    refused = true;
    CHECK(std::string(e->getDescription().cStr()) == fmt::format("a runtime is already served on {}", path));
  }
  CHECK(refused);
  ::unlink(path.c_str());
}

TEST_CASE("runtime socket: a path that is not a socket is not removed") {
  auto io = kj::setupAsyncIo();
  auto path = socket_path() + ".file";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fclose(f);
  }
  berth::schema::Runtime::Client none = KJ_EXCEPTION(FAILED, "unused");
  KJ_IF_MAYBE (e, kj::runCatchingExceptions([&] { (void)serve_runtime(*io.provider, path, none); })) {
    CHECK(std::string(e->getDescription().cStr()) == fmt::format("runtime socket {} exists and is not a socket", path));
  } else {
    FAIL("serve_runtime accepted a regular file");
  }
  struct stat st {};
  CHECK(::stat(path.c_str(), &st) == 0);
  ::unlink(path.c_str());
}

TEST_CASE("runtime socket: connecting where nobody listens fails") {
  auto io = kj::setupAsyncIo();
  auto path = socket_path() + ".none";
  ::unlink(path.c_str());
  auto result = kj::runCatchingExceptions([&] { runtime_connection::connect(*io.provider, path).wait(io.waitScope); });
  CHECK(result != nullptr);
  CHECK(runtime_socket_path("unix:/run/x.sock") == "/run/x.sock");
  CHECK(runtime_socket_path("tcp:1.2.3.4") == "");
}
