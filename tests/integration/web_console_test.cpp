// The web console end to end: a real berthd with hollow nodes and an RC of 3,
// its /console page and /api/introspect/ JSON over plain HTTP, and the page
// driven by Debian's headless Chromium (tools/install-deps installs it; the
// test fails, not skips, without it).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include <capnp/compat/json.h>
#include <capnp/message.h>

#include "actors/manifest/decode.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "schema/introspect.capnp.h"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/http_get.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;
using testing::bearer;
using testing::berthd_process;
using testing::eventually;
using testing::http_get;
using testing::http_response;

namespace {

actors::any_object rc_of(const std::string& name, int replicas) {
  auto yaml = "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name +
              "\nspec:\n  replicas: " + std::to_string(replicas) +
              "\n  template:\n    metadata:\n      labels:\n        app: " + name +
              "\n    spec:\n      containers:\n      - name: web\n        image: busybox\n";
  auto r = manifest::decode_manifests(yaml, "test.yaml");
  REQUIRE(r.ok());
  REQUIRE(r.objects.size() == 1);
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

/// berthd, 3 hollow nodes and the RC "web" of 3 running pods.
struct cluster {
  berthd_process berthd{testing::make_temp_dir("berth-web")};
  std::unique_ptr<agent::hollow_fleet> fleet;
  std::vector<std::string> pod_names;

  cluster() {
    berthd.start();
    agent::hollow_config c;
    c.server = berthd.rpc_address();
    c.security = testing::security_of(berthd);
    c.token = berthd.node_token();
    c.heartbeat_interval = std::chrono::milliseconds(200);
    for (int i = 1; i <= 3; ++i) c.nodes.push_back({"n" + std::to_string(i), "2", "4Gi", 110, {}});
    fleet = std::make_unique<agent::hollow_fleet>(c);
    REQUIRE(fleet->start() == "");
    cli::client client(berthd.rpc_address(), berthd.admin_token(), testing::security_of(berthd));
    REQUIRE(client.create(rc_of("web", 3)).result == actors::outcome::code::ok);
    REQUIRE(eventually([&] {
      pod_names.clear();
      for (auto& o : client.list(actors::kind::pod, "default", "app=web").items) {
        const auto& p = std::get<model::pod>(o);
        if (p.status.phase == model::pod_phase::running) pod_names.push_back(p.metadata.name);
      }
      return pod_names.size() == 3;
    }));
  }

  /// The actor names the console must show.
  std::vector<std::string> expected_actors() const {
    std::vector<std::string> out = {"store", "scheduler", "rc/default/web"};
    for (auto& p : pod_names) out.push_back("pod/default/" + p);
    return out;
  }

  /// The actor names /api/introspect/actors lists, decoded with the schema.
  std::set<std::string> api_actor_names() const {
    auto r = http_get(berthd.http_address(), "/api/introspect/actors", bearer(berthd.admin_token()));
    REQUIRE(r.status_line == "HTTP/1.1 200 OK");
    capnp::MallocMessageBuilder message;
    auto root = message.initRoot<schema::Introspection::ActorsResults>();
    capnp::JsonCodec codec;
    codec.decode(kj::StringPtr(r.body.c_str()), root);
    std::set<std::string> names;
    for (auto a : root.getActors()) names.insert(a.getName().cStr());
    return names;
  }
};

bool contains_all(const std::set<std::string>& have, const std::vector<std::string>& want) {
  return std::all_of(want.begin(), want.end(), [&](const std::string& w) { return have.count(w) > 0; });
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Debian's chromium (CHROMIUM overrides); "" when there is none.
std::string find_chromium() {
  if (const char* c = std::getenv("CHROMIUM"); c && *c) return c;
  for (const char* p : {"/usr/bin/chromium", "/usr/bin/chromium-browser"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

struct chromium_run {
  int exit_code = -1;
  std::string out, err;
};

/// Runs headless Chromium on `url` with a fresh profile and HOME (removed
/// after), talking to 127.0.0.1 only: every other host name resolves to
/// nothing. Killed (its whole process group) if it has not exited after 120 s.
chromium_run run_chromium(const std::string& url, std::vector<std::string> extra) {
  auto chromium = find_chromium();
  REQUIRE_MESSAGE(!chromium.empty(), "chromium is not installed (tools/install-deps installs Debian's chromium)");
  auto home = testing::make_temp_dir("berth-chromium");
  std::vector<std::string> args = {chromium,
                                   "--headless",
                                   "--no-sandbox",
                                   "--disable-gpu",
                                   "--disable-background-networking",
                                   "--disable-component-update",
                                   "--disable-default-apps",
                                   "--disable-extensions",
                                   "--disable-sync",
                                   "--no-first-run",
                                   "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                                   "--user-data-dir=" + home + "/profile",
                                   "--virtual-time-budget=8000"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url);
  std::vector<std::string> env = {"HOME=" + home, "XDG_CONFIG_HOME=" + home + "/config",
                                  "XDG_CACHE_HOME=" + home + "/cache", "XDG_RUNTIME_DIR=" + home, "PATH=/usr/bin:/bin"};
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::setpgid(0, 0);
    int out = ::open((home + "/stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = ::open((home + "/stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(out, 1);
    ::dup2(err, 2);
    std::vector<char*> argv, envp;
    for (auto& a : args) argv.push_back(a.data());
    for (auto& e : env) envp.push_back(e.data());
    argv.push_back(nullptr);
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  chromium_run run;
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(home + "/stdout");
  run.err = read_file(home + "/stderr");
  std::filesystem::remove_all(home);
  return run;
}

/// The actor rows of the console's table in a dumped DOM (<tr data-actor="NAME">).
std::set<std::string> table_actors(const std::string& dom) {
  static const std::regex row(R"re(<tr data-actor="([^"]*)")re");
  std::set<std::string> names;
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), row); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1].str());
  return names;
}

std::string screenshot_path() {
  if (const char* p = std::getenv("WEB_CONSOLE_SCREENSHOT"); p && *p) return p;
  return "web-console.png";
}

std::uint32_t big_endian_u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

}  // namespace

TEST_CASE("the console page is served without a token, every /api/ path only with the admin token") {
  berthd_process b(testing::make_temp_dir("berth-web"));
  b.start();
  auto page = http_get(b.http_address(), "/console");
  CHECK(page.status_line == "HTTP/1.1 200 OK");
  CHECK(page.headers.find("Content-Type: text/html; charset=utf-8") != std::string::npos);
  CHECK(page.body.find("<script src=\"/console/console.js\"></script>") != std::string::npos);
  CHECK(http_get(b.http_address(), "/console/").body == page.body);
  auto js = http_get(b.http_address(), "/console/console.js");
  CHECK(js.status_line == "HTTP/1.1 200 OK");
  CHECK(js.headers.find("Content-Type: text/javascript; charset=utf-8") != std::string::npos);
  CHECK(js.body.find("'/api/introspect/actors'") != std::string::npos);
  auto css = http_get(b.http_address(), "/console/console.css");
  CHECK(css.headers.find("Content-Type: text/css; charset=utf-8") != std::string::npos);
  CHECK(http_get(b.http_address(), "/console/nope.js").status_line == "HTTP/1.1 404 Not Found");

  const std::string refused = "{\"error\":\"this path needs the admin token: Authorization: Bearer TOKEN\"}\n";
  for (const char* path : {"/api/introspect/actors", "/api/introspect/summary", "/api/introspect/actors/store",
                           "/api/introspect/trace?actor=store", "/api/nope"}) {
    CAPTURE(path);
    auto none = http_get(b.http_address(), path);
    CHECK(none.status_line == "HTTP/1.1 401 Unauthorized");
    CHECK(none.headers.find("Content-Type: application/json") != std::string::npos);
    CHECK(none.body == refused);
    CHECK(http_get(b.http_address(), path, bearer(b.node_token())).body == refused);  // the node token is not enough
  }
  auto unknown = http_get(b.http_address(), "/api/nope", bearer(b.admin_token()));
  CHECK(unknown.status_line == "HTTP/1.1 404 Not Found");
  CHECK(unknown.body == "{\"error\":\"no such path: /api/nope\"}\n");
}

TEST_CASE("/api/introspect lists, inspects and traces the actors of a cluster with an RC of 3") {
  cluster c;
  const auto& b = c.berthd;
  const auto token = b.admin_token();
  REQUIRE(eventually([&] { return contains_all(c.api_actor_names(), c.expected_actors()); }));

  auto process = http_get(b.http_address(), "/api/introspect/process", bearer(token));
  CHECK(process.status_line == "HTTP/1.1 200 OK");
  CHECK(process.body.find("\"role\":\"berthd\"") != std::string::npos);
  CHECK(process.body.find("\"version\":\"0.1.0\"") != std::string::npos);

  auto rc = http_get(b.http_address(), "/api/introspect/actors/rc%2Fdefault%2Fweb", bearer(token));
  CHECK(rc.status_line == "HTTP/1.1 200 OK");
  CHECK(rc.body.find("\"name\":\"rc/default/web\"") != std::string::npos);
  CHECK(rc.body.find("\"kind\":\"rc\"") != std::string::npos);
  CHECK(rc.body.find("\"stateJson\":\"{") != std::string::npos);
  CHECK(rc.body.find("\"error\"") == std::string::npos);  // the codec leaves out an unset error
  // A hand-typed name with plain slashes finds the same actor.
  CHECK(http_get(b.http_address(), "/api/introspect/actors/rc/default/web", bearer(token))
            .body.find("\"name\":\"rc/default/web\"") != std::string::npos);

  auto pod = http_get(b.http_address(), "/api/introspect/actors/pod%2Fdefault%2F" + c.pod_names[0], bearer(token));
  CHECK(pod.body.find("\"owner\":\"rc/default/web\"") != std::string::npos);

  auto missing = http_get(b.http_address(), "/api/introspect/actors/pod%2Fdefault%2Fnope", bearer(token));
  CHECK(missing.status_line == "HTTP/1.1 404 Not Found");
  CHECK(missing.body == "{\"error\":\"no actor named pod/default/nope\"}\n");

  auto trace =
      http_get(b.http_address(), "/api/introspect/trace?actor=rc%2Fdefault%2Fweb&forMs=300&max=10000", bearer(token));
  CHECK(trace.status_line == "HTTP/1.1 200 OK");
  CHECK(trace.body.rfind("{\"stopped\":\"time\",\"events\":[", 0) == 0);
  auto no_actor = http_get(b.http_address(), "/api/introspect/trace?forMs=300", bearer(token));
  CHECK(no_actor.status_line == "HTTP/1.1 400 Bad Request");
  CHECK(no_actor.body == "{\"error\":\"trace needs ?actor=ID-or-name\"}\n");
  CHECK(http_get(b.http_address(), "/api/introspect/trace?actor=store&forMs=soon", bearer(token)).body ==
        "{\"error\":\"forMs must be a whole number of milliseconds\"}\n");
  CHECK(http_get(b.http_address(), "/api/introspect/trace?actor=nope&forMs=300", bearer(token)).body ==
        "{\"error\":\"no actor named nope\"}\n");

  auto summary = http_get(b.http_address(), "/api/introspect/summary", bearer(token));
  CHECK(summary.status_line == "HTTP/1.1 200 OK");
  CHECK(summary.body.rfind("{\"timeNs\":\"", 0) == 0);
  CHECK(summary.body.find("\"handled\":\"") != std::string::npos);
  CHECK(summary.body.find("\"journal\":{\"records\":\"") != std::string::npos);
}

TEST_CASE("headless Chromium shows the cluster's actors in the console's table, and a screenshot is saved") {
  cluster c;
  REQUIRE(eventually([&] { return contains_all(c.api_actor_names(), c.expected_actors()); }));
  const auto url = "http://" + c.berthd.http_address() + "/console#token=" + c.berthd.admin_token();

  auto dump = run_chromium(url, {"--dump-dom"});
  INFO("chromium stderr: ", dump.err);
  REQUIRE(dump.exit_code == 0);
  auto shown = table_actors(dump.out);
  for (const auto& name : c.expected_actors()) {
    CAPTURE(name);
    CHECK(shown.count(name) == 1);
  }

  // The second run also opens the RC's detail pane, for a fuller picture.
  const auto png = screenshot_path();
  std::filesystem::remove(png);
  auto shot = run_chromium(url + "&actor=rc%2Fdefault%2Fweb",
                           {"--screenshot=" + png, "--window-size=1400,900", "--hide-scrollbars"});
  INFO("chromium stderr: ", shot.err);
  REQUIRE(shot.exit_code == 0);
  auto bytes = read_file(png);
  REQUIRE(bytes.size() > 24);
  CHECK(bytes.substr(0, 8) == "\x89PNG\r\n\x1a\n");
  CHECK(big_endian_u32(bytes, 16) == 1400);  // IHDR width
  CHECK(big_endian_u32(bytes, 20) == 900);   // IHDR height
  CHECK(bytes.size() > 20'000);              // a rendered page, not a blank one
}
