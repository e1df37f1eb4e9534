// `berth rolling-update` end to end: the real berth binary against a real
// berthd with hollow nodes (whose pods turn Running and Ready like real
// ones): the whole update, an interrupted one resumed, --rollback, --image,
// and bad input that changes nothing.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <csignal>
#include <string>
#include <vector>

#include "tests/cli/hollow_cluster.hpp"

using namespace berth;
using testing::cluster;
using testing::eventually;
using testing::lines_of;
using testing::process_result;
using testing::words_of;

namespace {

/// An RC of `replicas` busybox pods, app=web plus version=VERSION.
std::string web_rc(const std::string& name, const std::string& version, int replicas) {
  return fmt::format(R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: {0}
spec:
  replicas: {2}
  selector:
    app: web
    version: {1}
  template:
    metadata:
      labels:
        app: web
        version: {1}
    spec:
      containers:
      - name: web
        image: busybox
        command: ["sleep", "3600"]
)",
                     name, version, replicas);
}

const std::vector<std::string> k_fast = {"--update-period", "0s", "--poll-interval", "100ms", "--timeout", "1m"};

std::vector<std::string> with_fast(std::vector<std::string> args) {
  args.insert(args.end(), k_fast.begin(), k_fast.end());
  return args;
}

/// NAME → DESIRED of every RC `berth get rc` lists.
std::map<std::string, std::string> rcs(cluster& k) {
  std::map<std::string, std::string> out;
  for (const auto& row : k.rows({"get", "rc"})) out[row.at(0)] = row.at(1);
  return out;
}

/// `n` pods matching `selector`, every one Running and READY 1/1 (none terminating).
bool ready_pods(cluster& k, const std::string& selector, std::size_t n) {
  auto rows = k.rows({"get", "pods", "-l", selector});
  return rows.size() == n && std::all_of(rows.begin(), rows.end(), [](const auto& row) {
           return row.size() == 5 && row[1] == "1/1" && row[2] == "Running";
         });
}

/// The event types `berth history rc/NAME` lists, in order.
std::vector<std::string> history_types(cluster& k, const std::string& name) {
  std::vector<std::string> types;
  for (const auto& l : lines_of(k.berth({"history", "rc/" + name}).out))
    if (l.rfind("seq ", 0) == 0) types.push_back(words_of(l).at(4));
  return types;
}

/// A cluster running RC `web` (v1) with two ready pods, and web-v2.yaml beside it.
struct update_fixture {
  cluster k;
  std::string v2;
  update_fixture() {
    auto created = k.berth({"create", "-f", k.home.write("web.yaml", web_rc("web", "v1", 2))});
    REQUIRE(created.exit_code == 0);
    v2 = k.home.write("web-v2.yaml", web_rc("web-v2", "v2", 2));
    REQUIRE(eventually([&] { return ready_pods(k, "app=web,version=v1", 2); }));
  }
};

/// Runs `berth rolling-update web ARGS --update-period 1m ...` in the
/// background and kills it (SIGKILL, nothing to clean up) once the first
/// step's new pod is ready: web at 2, its successor at 1, as a crash would
/// leave them. Returns the successor's name.
std::string interrupt_after_first_step(update_fixture& f, std::vector<std::string> args) {
  std::map<std::string, std::string> env{{"BERTH_SERVER", f.k.berthd.rpc_address()},
                                         {"BERTH_TOKEN", f.k.berthd.admin_token()},
                                         {"BERTH_CA", f.k.berthd.ca_file()},
                                         {"HOME", f.k.home.path()}};
  args.insert(args.begin(), {"rolling-update", "web"});
  args.insert(args.end(), {"--update-period", "1m", "--poll-interval", "100ms"});
  testing::background_process update(testing::berth_exe(), args, env);
  std::string next;
  REQUIRE(eventually([&] {
    auto first = lines_of(update.out());
    if (first.size() < 2 || first[0].rfind("Creating ", 0) != 0) return false;
    next = first[0].substr(std::string("Creating ").size());
    return first[1] == fmt::format("Updating web replicas: 1, {} replicas: 1", next) && ready_pods(f.k, "app=web", 3);
  }));
  update.signal(SIGKILL);
  update.stop();
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}, {next, "1"}});
  return next;
}

std::string interrupt_after_first_step(update_fixture& f) { return interrupt_after_first_step(f, {"-f", f.v2}); }

}  // namespace

TEST_CASE("rolling-update -f: web's pods replaced one by one by web-v2's; only web-v2 is left, its pods ready") {
  update_fixture f;
  auto r = f.k.berth(with_fast({"rolling-update", "web", "-f", f.v2}));
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "Creating web-v2\n"
        "Updating web replicas: 1, web-v2 replicas: 1\n"
        "Updating web replicas: 0, web-v2 replicas: 2\n"
        "Update succeeded. Deleting web\n"
        "web-v2\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web-v2", "2"}});
  CHECK(eventually([&] { return ready_pods(f.k, "app=web", 2) && ready_pods(f.k, "version=v2", 2); }));
  // The rollout's annotations are gone from the survivor.
  CHECK(f.k.berth({"get", "rc", "web-v2", "-o", "yaml"}).out.find("kubectl.kubernetes.io") == std::string::npos);

  // Every step was an ordinary command, so the journal tells the story.
  CHECK(history_types(f.k, "web") ==
        std::vector<std::string>{"objectCreated", "objectReplaced", "rcScaled", "rcScaled", "objectDeleted"});
  CHECK(history_types(f.k, "web-v2") ==
        std::vector<std::string>{"objectCreated", "rcScaled", "rcScaled", "objectReplaced"});
  auto web_history = f.k.berth({"history", "rc/web"}).out;
  CHECK(web_history.find("spec.replicas: 2 → 1") != std::string::npos);
  CHECK(web_history.find("spec.replicas: 1 → 0") != std::string::npos);
}

TEST_CASE("rolling-update refuses bad input, naming the problem, and changes nothing") {
  update_fixture f;
  auto same_name = f.k.home.write("same.yaml", web_rc("web", "v2", 2));
  auto same_selector = f.k.home.write("overlap.yaml", web_rc("web-v2", "v1", 2));
  auto two = f.k.home.write("two.yaml", web_rc("a", "v2", 1) + "---\n" + web_rc("b", "v3", 1));
  struct row {
    std::vector<std::string> args;
    std::string err;  // what stderr starts with
  };
  const std::vector<row> rows = {
      {{"rolling-update", "nope", "-f", f.v2},
       "Error from server (NotFound): replicationcontrollers \"nope\" not found\n"},
      {{"rolling-update", "web", "-f", same_name},
       fmt::format("error: {} cannot have the same name as the existing replication controller web\n", same_name)},
      {{"rolling-update", "web", "-f", same_selector},
       fmt::format(
           "error: {} must specify a matching key with non-equal value in Selector for web (selector of web: "
           "app=web,version=v1; of web-v2: app=web,version=v1), or both controllers would claim the same pods\n",
           same_selector)},
      {{"rolling-update", "web", "-f", two},
       fmt::format("error: {}: expected one ReplicationController, the new controller, found 2 object(s)\n", two)},
      {{"rolling-update", "web", "-f", f.v2, "-n", "other"},
       "Error from server (NotFound): replicationcontrollers \"web\" not found\n"},
      {{"rolling-update", "web", "--image", "busybox"},
       "error: --image: container \"web\" of web already runs busybox; name a different image\n"},
      {{"rolling-update", "web", "--rollback"},
       "error: web has no update in progress to roll back (no kubectl.kubernetes.io/next-controller-id annotation)\n"},
      {{"rolling-update", "web", "-f", f.v2, "--image", "x"},
       "error: --filename and --image can not both be specified\nUsage: berth rolling-update OLD "},
      {{"rolling-update", "web", "-f", f.v2, "--timeout", "soon"},
       "error: --timeout: expected a duration like 500ms, 10s or 2m, got \"soon\"\nUsage: berth rolling-update OLD "},
  };
  for (const auto& r : rows) {
    CAPTURE(r.args);
    auto out = f.k.berth(r.args);
    CHECK(out.exit_code == 1);
    CHECK(out.err.substr(0, r.err.size()) == r.err);  // the parser's errors go on with the usage
    CHECK(out.out == "");
  }
  // A web-v2 that is not web's successor is not taken over.
  REQUIRE(f.k.berth({"create", "-f", f.v2}).exit_code == 0);
  auto taken = f.k.berth(with_fast({"rolling-update", "web", "-f", f.v2}));
  CHECK(taken.exit_code == 1);
  CHECK(taken.err.rfind("error: replication controller web-v2 already exists and is not an update of web", 0) == 0);

  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}, {"web-v2", "2"}});
  CHECK(history_types(f.k, "web") == std::vector<std::string>{"objectCreated"});
}

TEST_CASE("an interrupted rolling-update continues from the counts when run again") {
  update_fixture f;
  interrupt_after_first_step(f);
  // Another successor is refused while this update is half done.
  auto v3 = f.k.home.write("web-v3.yaml", web_rc("web-v3", "v3", 2));
  auto other = f.k.berth(with_fast({"rolling-update", "web", "-f", v3}));
  CHECK(other.exit_code == 1);
  CHECK(other.err ==
        "error: an update of web to web-v2 is in progress: run it again to finish it, or roll it back with berth "
        "rolling-update web --rollback\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}, {"web-v2", "1"}});
  auto r = f.k.berth(with_fast({"rolling-update", "web", "-f", f.v2}));
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  // web-v2 already has its first pod: web comes down to 1 before web-v2 grows again.
  CHECK(r.out ==
        "Continuing update with existing controller web-v2.\n"
        "Updating web replicas: 1, web-v2 replicas: 1\n"
        "Updating web replicas: 0, web-v2 replicas: 2\n"
        "Update succeeded. Deleting web\n"
        "web-v2\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web-v2", "2"}});
  CHECK(eventually([&] { return ready_pods(f.k, "app=web", 2) && ready_pods(f.k, "version=v2", 2); }));
}

TEST_CASE("--rollback after an interruption: web back to its size, web-v2 deleted, web's annotations gone") {
  update_fixture f;
  interrupt_after_first_step(f);
  auto r = f.k.berth(with_fast({"rolling-update", "web", "--rollback"}));
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out ==
        "Rolling back web-v2 to web\n"
        "Stopping web-v2 replicas: 1 -> 0\n"
        "Rollback succeeded. Deleting web-v2\n"
        "web\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}});
  CHECK(eventually([&] { return ready_pods(f.k, "app=web", 2) && ready_pods(f.k, "version=v1", 2); }));
  CHECK(f.k.berth({"get", "rc", "web", "-o", "yaml"}).out.find("kubectl.kubernetes.io") == std::string::npos);
}

TEST_CASE("rolling-update --image: web-HASH runs the new image; web's selector and pods got deployment=OLDHASH first") {
  update_fixture f;
  auto r = f.k.berth(with_fast({"rolling-update", "web", "--image", "busybox:1.36"}));
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 5);
  REQUIRE(lines[0].rfind("Creating web-", 0) == 0);
  const std::string next = lines[0].substr(std::string("Creating ").size());
  CHECK(next.size() == std::string("web-").size() + 8);
  CHECK(lines[1] == fmt::format("Updating web replicas: 1, {} replicas: 1", next));
  CHECK(lines[2] == fmt::format("Updating web replicas: 0, {} replicas: 2", next));
  CHECK(lines[3] == "Update succeeded. Deleting web");
  CHECK(lines[4] == next);

  CHECK(rcs(f.k) == std::map<std::string, std::string>{{next, "2"}});
  const std::string hash = next.substr(4);
  CHECK(eventually([&] { return ready_pods(f.k, "deployment=" + hash, 2) && ready_pods(f.k, "app=web", 2); }));
  auto wide = f.k.rows({"get", "rc", "-o", "wide"});
  REQUIRE(wide.size() == 1);
  CHECK(wide[0].at(6) == "busybox:1.36");
  CHECK(wide[0].at(7) == fmt::format("app=web,deployment={},version=v1", hash));
  // Before web came down, its selector, template and pods were relabelled (three applies and the pods').
  auto history = f.k.berth({"history", "rc/web"}).out;
  CHECK(history.find("spec.selector") != std::string::npos);

  // A second update starts from web-HASH and names its successor web-HASH2, not web-HASH-HASH2.
  auto again = f.k.berth(with_fast({"rolling-update", next, "--image", "busybox:1.37"}));
  CHECK(again.exit_code == 0);
  auto again_lines = lines_of(again.out);
  REQUIRE_FALSE(again_lines.empty());
  CHECK(again_lines.at(0).size() == std::string("Creating web-").size() + 8);
}

TEST_CASE("an interrupted --image update is found again through web's next-controller-id annotation") {
  update_fixture f;
  auto next = interrupt_after_first_step(f, {"--image", "busybox:1.36"});
  auto r = f.k.berth(with_fast({"rolling-update", "web", "--image", "busybox:1.36"}));
  CHECK(r.err == "");
  CHECK(r.exit_code == 0);
  CHECK(r.out == fmt::format("Continuing update with existing controller {0}.\n"
                             "Updating web replicas: 1, {0} replicas: 1\n"
                             "Updating web replicas: 0, {0} replicas: 2\n"
                             "Update succeeded. Deleting web\n"
                             "{0}\n",
                             next));
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{next, "2"}});
  CHECK(eventually([&] { return ready_pods(f.k, "app=web", 2); }));
}

TEST_CASE("new pods that never get ready: --timeout ends the update with exit 1, and --rollback undoes it") {
  update_fixture f;
  // Requests no hollow node (2 CPUs each) can meet: web-big's pods stay Pending.
  std::string big = web_rc("web-big", "big", 2);
  big.replace(big.find("        command:"), 0, "        resources:\n          requests:\n            cpu: \"64\"\n");
  auto file = f.k.home.write("web-big.yaml", big);
  auto r = f.k.berth(
      {"rolling-update", "web", "-f", file, "--update-period", "0s", "--poll-interval", "100ms", "--timeout", "1s"});
  CHECK(r.exit_code == 1);
  CHECK(r.out == "Creating web-big\nUpdating web replicas: 1, web-big replicas: 1\n");
  CHECK(r.err ==
        "error: timed out after 1s waiting for web-big to have 1 ready pods (1 pods, 0 ready); run the same command "
        "again to continue, or with --rollback to go back\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}, {"web-big", "1"}});

  auto back = f.k.berth(with_fast({"rolling-update", "web", "--rollback"}));
  CHECK(back.exit_code == 0);
  CHECK(back.out ==
        "Rolling back web-big to web\nStopping web-big replicas: 1 -> 0\nRollback succeeded. Deleting "
        "web-big\nweb\n");
  CHECK(rcs(f.k) == std::map<std::string, std::string>{{"web", "2"}});
  CHECK(eventually([&] { return ready_pods(f.k, "app=web", 2); }));
}
