// The real `berth` binary against a real berthd (temporary journal) with
// hollow nodes on the real node protocol: what a user types and sees.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>

#include "actors/manifest/decode.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/cli/hollow_cluster.hpp"
#include "tests/cli/run_process.hpp"
#include "tests/cli/temp_files.hpp"
#include "tests/cli/text_lines.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;
using testing::berth_exe;
using testing::cluster;
using testing::eventually;
using testing::lines_of;
using testing::process_result;
using testing::words_of;

namespace {

const char* k_web = R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: web
spec:
  replicas: 3
  selector:
    app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: busybox
        resources:
          requests:
            cpu: 100m
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 8080
)";

}  // namespace

TEST_CASE("create -f a multi-document file, then get, describe, scale and delete through the berth binary") {
  cluster k;
  auto web = k.home.write("web.yaml", k_web);
  auto created = k.berth({"create", "-f", web});
  CHECK(created.err == "");
  CHECK(created.out == "replicationcontroller/web created\nservice/web created\n");
  CHECK(created.exit_code == 0);
  REQUIRE(eventually([&] { return k.web_running(3); }));

  auto pods = k.berth({"get", "pods"});
  auto pod_lines = lines_of(pods.out);
  REQUIRE(pod_lines.size() == 4);
  CHECK(words_of(pod_lines[0]) == std::vector<std::string>{"NAME", "READY", "STATUS", "RESTARTS", "AGE"});
  CHECK(pod_lines[0].rfind("NAME        READY   STATUS    RESTARTS   AGE", 0) == 0);  // web-xxxxx is 9 wide
  for (std::size_t i = 1; i < 4; ++i) {
    auto w = words_of(pod_lines[i]);
    CHECK(w[0].rfind("web-", 0) == 0);
    CHECK(w[0].size() == 9);
    CHECK(w[3] == "0");
  }

  // berthd forwards logs to the pod's node agent; hollow agents say they have none.
  auto logs = k.berth({"logs", words_of(pod_lines[1])[0], "-f", "--tail", "5"});
  CHECK(logs.exit_code == 1);
  CHECK(logs.err == "error: hollow nodes run no containers: there are no logs\n");

  auto wide = k.rows({"get", "po", "-o", "wide"});
  REQUIRE(wide.size() == 3);
  for (const auto& row : wide) {
    REQUIRE(row.size() == 7);
    CHECK((row[6] == "n1" || row[6] == "n2" || row[6] == "n3"));
  }

  CHECK(words_of(lines_of(k.berth({"get", "rc"}).out).at(0)) ==
        std::vector<std::string>{"NAME", "DESIRED", "CURRENT", "READY", "AGE"});
  REQUIRE(eventually([&] {
    auto rc = k.rows({"get", "rc"});
    return rc.size() == 1 && rc[0].size() == 5 && rc[0][0] == "web" && rc[0][1] == "3" && rc[0][2] == "3" &&
           rc[0][3] == "3";
  }));

  auto svc = k.berth({"get", "svc"});
  CHECK(words_of(lines_of(svc.out).at(0)) ==
        std::vector<std::string>{"NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"});
  auto svc_row = k.rows({"get", "services"}).at(0);
  REQUIRE(svc_row.size() == 6);
  CHECK(svc_row[0] == "web");
  CHECK(svc_row[1] == "ClusterIP");
  CHECK(svc_row[3] == "<none>");
  CHECK(svc_row[4] == "80/TCP");

  auto nodes = k.berth({"get", "nodes"});
  CHECK(words_of(lines_of(nodes.out).at(0)) == std::vector<std::string>{"NAME", "STATUS", "AGE", "VERSION"});
  auto node_rows = k.rows({"get", "minions"});
  REQUIRE(node_rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(node_rows[i][0] == fmt::format("n{}", i + 1));
    CHECK(node_rows[i][1] == "Ready");
  }

  REQUIRE(eventually([&] {
    auto ep = k.rows({"get", "ep", "web"});
    return ep.size() == 1 && ep[0].size() == 3 && std::count(ep[0][1].begin(), ep[0][1].end(), ',') == 2;
  }));

  auto name = k.berth({"get", "rc", "-o", "name"});
  CHECK(name.out == "replicationcontroller/web\n");
  auto pod_names = lines_of(k.berth({"get", "pods", "-o", "name"}).out);
  CHECK(pod_names.size() == 3);
  CHECK(pod_names.at(0).rfind("pod/web-", 0) == 0);

  auto json = k.berth({"get", "rc", "web", "-o", "json"});
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"kind\": \"ReplicationController\"") != std::string::npos);
  auto back = manifest::decode_manifests(json.out, "get.json");
  CHECK(back.error_strings() == std::vector<std::string>{});
  REQUIRE(back.objects.size() == 1);
  CHECK(std::get<model::replication_controller>(back.objects[0].object).spec.replicas == 3);

  auto yaml = k.berth({"get", "svc", "-o", "yaml"});
  CHECK(yaml.out.rfind("apiVersion: v1\nitems:\n- apiVersion: v1\n", 0) == 0);
  CHECK(yaml.out.find("\nkind: List\n") != std::string::npos);
  CHECK(manifest::decode_manifests(yaml.out, "get.yaml").objects.size() == 1);

  auto describe = k.berth({"describe", "rc", "web"});
  CHECK(describe.exit_code == 0);
  CHECK(describe.out.rfind("Name:         web\nNamespace:    default\nSelector:     app=web\n", 0) == 0);
  CHECK(describe.out.find("\nReplicas:     3 current / 3 desired\n") != std::string::npos);
  CHECK(describe.out.find("\nPods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n") != std::string::npos);
  auto events_at = describe.out.find("\nEvents:\n  Seq ");
  REQUIRE(events_at != std::string::npos);
  CHECK(describe.out.find("user:admin", events_at) != std::string::npos);

  auto scaled = k.berth({"scale", "rc", "web", "--replicas=1"});
  CHECK(scaled.out == "replicationcontroller/web scaled\n");
  CHECK(scaled.exit_code == 0);
  REQUIRE(eventually([&] {
    return k.web_running(1) && lines_of(k.berth({"get", "pods", "-o", "name"}).out).size() == 1;
  }));
  CHECK(k.berth({"scale", "--replicas=2", "rc/web"}).out == "replicationcontroller/web scaled\n");
  REQUIRE(eventually([&] { return k.web_running(2); }));

  auto again = k.berth({"create", "-f", web});
  CHECK(again.exit_code == 1);
  CHECK(again.err ==
        "Error from server (AlreadyExists): replicationcontrollers \"web\" already exists\n"
        "Error from server (AlreadyExists): services \"web\" already exists\n");

  auto deleted = k.berth({"delete", "svc", "web"});
  CHECK(deleted.out == "service \"web\" deleted\n");
  CHECK(deleted.exit_code == 0);
  auto gone = k.berth({"get", "svc", "web"});
  CHECK(gone.exit_code == 1);
  CHECK(gone.err == "Error from server (NotFound): services \"web\" not found\n");

  auto by_file = k.berth({"delete", "-f", web});
  CHECK(by_file.out == "replicationcontroller \"web\" deleted\n");
  CHECK(by_file.err == "Error from server (NotFound): services \"web\" not found\n");
  CHECK(by_file.exit_code == 1);
  REQUIRE(eventually([&] { return k.berth({"get", "pods", "-o", "name"}).out.empty(); }));
  auto none = k.berth({"get", "rc"});
  CHECK(none.out == "");
  CHECK(none.err == "No resources found in default namespace.\n");
  CHECK(none.exit_code == 0);
}

TEST_CASE("an invalid manifest exits 1 with its field error; valid documents beside it are still created") {
  cluster k;
  auto bad = k.home.write("bad.yaml", R"(apiVersion: v1
kind: ReplicationController
metadata:
  name: broken
spec:
  selector: {app: broken}
  template:
    metadata:
      labels: {app: broken}
    spec:
      containers:
      - name: c
---
apiVersion: v1
kind: Service
metadata:
  name: fine
spec:
  ports:
  - port: 80
)");
  auto r = k.berth({"create", "-f", bad});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "error: " + bad + " document 1: spec.template.spec.containers[0].image: Required value\n");
  CHECK(r.out == "service/fine created\n");
  CHECK(k.berth({"get", "rc", "-o", "name"}).out == "");
  CHECK(k.berth({"get", "svc", "-o", "name"}).out == "service/fine\n");
}

TEST_CASE("--dry-run validates on the server, prints what would be created, and creates nothing") {
  cluster k;
  auto web = k.home.write("web.yaml", k_web);
  auto r = k.berth({"create", "-f", web, "--dry-run"});
  CHECK(r.err == "");
  CHECK(r.out == "replicationcontroller/web created (dry run)\nservice/web created (dry run)\n");
  CHECK(r.exit_code == 0);
  auto applied = k.berth({"apply", "-f", web, "--dry-run"});
  CHECK(applied.exit_code == 0);
  CHECK(applied.out.find(" (dry run)\n") != std::string::npos);
  auto rc = k.berth({"get", "rc"});
  CHECK(rc.out == "");
  CHECK(rc.err == "No resources found in default namespace.\n");
  CHECK(k.berth({"get", "svc", "-o", "name"}).out == "");
  CHECK(k.berth({"get", "pods", "-o", "name"}).out == "");
}

TEST_CASE("apply creates, then configures; stdin and directories are manifests too") {
  cluster k;
  auto first = k.berth({"apply", "-f", "-"}, {}, k_web);
  CHECK(first.out == "replicationcontroller/web created\nservice/web created\n");
  std::string changed = k_web;
  changed.replace(changed.find("replicas: 3"), 11, "replicas: 2");
  auto second = k.berth({"apply", "-f", "-"}, {}, changed);
  CHECK(second.out.rfind("replicationcontroller/web configured\n", 0) == 0);
  CHECK(second.exit_code == 0);

  testing::temp_dir dir("berth-cli-dir");
  dir.write("b.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  ports: [{port: 81}]\n");
  dir.write("a.json",
            R"({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": 82}]}})");
  dir.write("notes.txt", "not a manifest");
  auto from_dir = k.berth({"create", "-f", dir.path()});
  CHECK(from_dir.out == "service/a created\nservice/b created\n");
  CHECK(from_dir.exit_code == 0);
}

TEST_CASE("get -w prints the table, then a line per change") {
  cluster k;
  auto web = k.home.write("web.yaml", k_web);
  REQUIRE(k.berth({"create", "-f", web}).exit_code == 0);
  testing::background_process watch(
      berth_exe(), {"get", "svc", "-w"},
      {{"BERTH_SERVER", k.berthd.rpc_address()}, {"BERTH_TOKEN", k.berthd.admin_token()}, {"BERTH_CA", k.berthd.ca_file()}, {"HOME", k.home.path()}});
  REQUIRE(eventually([&] { return lines_of(watch.out()).size() == 2; }));
  auto db =
      k.home.write("db.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  ports: [{port: 81}]\n");
  REQUIRE(k.berth({"create", "-f", db}).exit_code == 0);
  REQUIRE(eventually([&] { return lines_of(watch.out()).size() >= 3; }));
  auto lines = lines_of(watch.stop());
  CHECK(words_of(lines[0]).at(0) == "NAME");
  CHECK(words_of(lines[1]).at(0) == "web");
  CHECK(words_of(lines[2]).at(0) == "db");
  CHECK(words_of(lines[2]).at(4) == "81/TCP");
  CHECK(lines[2].find("ClusterIP") == lines[0].find("TYPE"));  // the table's columns are kept
}

TEST_CASE("connection problems exit 2; a missing token exits 1 and says how to get one") {
  cluster k;
  auto wrong = k.berth({"get", "pods"}, {{"BERTH_TOKEN", "not-the-token"}});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.err ==
        "error: berthd at " + k.berthd.rpc_address() + ": login refused: the token is not valid for this cluster\n");
  CHECK(wrong.out == "");

  auto unreachable = k.berth({"--server", "127.0.0.1:1", "get", "pods"});
  CHECK(unreachable.exit_code == 2);
  CHECK(unreachable.err.rfind("error: cannot reach berthd at 127.0.0.1:1: ", 0) == 0);

  auto no_token = k.berth({"get", "pods"}, {{"BERTH_TOKEN", ""}});
  CHECK(no_token.exit_code == 1);
  CHECK(no_token.err == "error: no token for berthd at " + k.berthd.rpc_address() +
                            ": berthd writes DATA_DIR/admin.token; pass --token-file DATA_DIR/admin.token or set "
                            "BERTH_TOKEN (or put token-file: in ~/.berth/config)\n");

  auto token_file = k.berth({"--token-file", k.berthd.data_dir() + "/admin.token", "get", "nodes", "-o", "name"},
                            {{"BERTH_TOKEN", ""}});
  CHECK(token_file.exit_code == 0);
  CHECK(token_file.out == "node/n1\nnode/n2\nnode/n3\n");
}

TEST_CASE("~/.berth/config supplies server and token-file when flags and environment do not") {
  cluster k;
  std::filesystem::create_directories(k.home.path() + "/.berth");
  k.home.write(".berth/config",
               fmt::format("server: {}\ntoken-file: {}/admin.token\n", k.berthd.rpc_address(), k.berthd.data_dir()));
  auto r = k.berth({"get", "nodes", "-o", "name"}, {{"BERTH_TOKEN", ""}, {"BERTH_SERVER", ""}});
  CHECK(r.err == "");
  CHECK(r.out == "node/n1\nnode/n2\nnode/n3\n");
}

TEST_CASE("version, logs of an unknown pod, and bad arguments") {
  cluster k;
  auto v = k.berth({"version"});
  CHECK(v.exit_code == 0);
  CHECK(v.out.rfind("Client Version: 0.1.0\nServer Version: 0.1.0\nJournal Seq: ", 0) == 0);

  auto logs = k.berth({"logs", "nope"});
  CHECK(logs.exit_code == 1);
  CHECK(logs.err == "error: pods \"nope\" not found\n");

  auto bad = k.berth({"get"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err ==
        "error: you must specify the type of resource to get; use one of: pods (po), replicationcontrollers (rc), "
        "services (svc), endpoints (ep), nodes (no, minions)\n"
        "Usage: berth get KIND [NAME...] [-l SELECTOR] [--field-selector SELECTOR] [-n NAMESPACE | -A] "
        "[-o wide|json|yaml|name] [-w]\n");

  auto selector = k.berth({"get", "pods", "-l", "a in (b"});
  CHECK(selector.exit_code == 1);
  CHECK(selector.err.rfind("error: ", 0) == 0);
}

TEST_CASE("namespaces: create -f, get, objects in them, NotFound for a missing one, delete removes what is inside") {
  cluster k;
  auto missing = k.berth({"create", "-n", "team-a", "-f", "-"}, {}, k_web);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err == "Error from server (NotFound): namespaces \"team-a\" not found\n"
                       "Error from server (NotFound): namespaces \"team-a\" not found\n");
  CHECK(k.berth({"get", "rc", "-A", "-o", "name"}).out == "");

  auto ns = k.home.write("ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {team: a}\n");
  auto created = k.berth({"create", "-f", ns});
  CHECK(created.err == "");
  CHECK(created.out == "namespace/team-a created\n");
  auto listed = k.berth({"get", "namespaces"});
  REQUIRE(listed.exit_code == 0);
  auto rows = lines_of(listed.out);
  REQUIRE(rows.size() == 4);
  CHECK(words_of(rows[0]) == std::vector<std::string>{"NAME", "STATUS", "AGE"});
  CHECK(words_of(rows[1])[0] == "default");
  CHECK(words_of(rows[2])[0] == "kube-system");
  CHECK(words_of(rows[3])[0] == "team-a");
  CHECK(words_of(rows[3])[1] == "Active");
  CHECK(k.berth({"get", "ns", "-l", "team=a", "-o", "name"}).out == "namespace/team-a\n");

  auto inside = k.berth({"create", "-n", "team-a", "-f", "-"}, {}, k_web);
  CHECK(inside.err == "");
  CHECK(inside.out == "replicationcontroller/web created\nservice/web created\n");
  REQUIRE(eventually([&] { return lines_of(k.berth({"get", "pods", "-n", "team-a", "-o", "name"}).out).size() == 3; }));

  auto kept = k.berth({"delete", "namespace", "default"});
  CHECK(kept.exit_code == 1);
  CHECK(kept.err == "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be "
                    "deleted\n");
  auto deleted = k.berth({"delete", "namespace", "team-a"});
  CHECK(deleted.err == "");
  CHECK(deleted.out == "namespace \"team-a\" deleted\n");
  // Its RC, service, endpoints and pods go (the hollow nodes stop the pods), then the namespace.
  CHECK(eventually([&] { return k.berth({"get", "ns", "team-a"}).exit_code == 1; }, 30));
  for (const char* kind : {"pods", "rc", "svc", "endpoints"}) {
    CAPTURE(kind);
    CHECK(k.berth({"get", kind, "-A", "-o", "name"}).out == "");
  }
  auto history = k.berth({"history", "namespace/team-a"});
  CHECK(history.out.find("namespaceCreated") != std::string::npos);
  CHECK(history.out.find("namespaceRemoved") != std::string::npos);
}

TEST_CASE("limit ranges and quotas through the berth binary: create -f, get, describe, a refusal, delete") {
  cluster k;
  auto file = k.home.write("policy.yaml", R"(apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    default: {cpu: 100m, memory: 512Mi}
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: quota
spec:
  hard: {pods: "1", cpu: "20", memory: 1Gi}
)");
  auto created = k.berth({"create", "-f", file});
  CHECK(created.err == "");
  CHECK(created.out == "limitrange/limits created\nresourcequota/quota created\n");
  auto table = k.berth({"get", "limits"});
  CHECK(words_of(lines_of(table.out).at(0)) == std::vector<std::string>{"NAME", "AGE"});
  CHECK(words_of(lines_of(table.out).at(1)).at(0) == "limits");
  auto pod = k.home.write("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p1}\nspec:\n  containers:\n"
                                      "  - name: c\n    image: busybox\n");
  REQUIRE(k.berth({"create", "-f", pod}).exit_code == 0);
  auto described = k.berth({"describe", "quota", "quota"});
  CHECK_MESSAGE(described.out.find("memory      512Mi  1Gi") != std::string::npos, described.out);
  CHECK_MESSAGE(described.out.find("pods        1      1") != std::string::npos, described.out);
  auto second = k.home.write("pod2.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p2}\nspec:\n  containers:\n"
                                          "  - name: c\n    image: busybox\n");
  auto refused = k.berth({"create", "-f", second});
  CHECK(refused.exit_code != 0);
  CHECK_MESSAGE(refused.err.find("pods \"p2\" is forbidden: exceeded quota: quota, requested: pods=1, used: pods=1, "
                                 "limited: pods=1") != std::string::npos,
                refused.err);
  auto deleted = k.berth({"delete", "quota", "quota"});
  CHECK_MESSAGE(deleted.exit_code == 0, deleted.err);
  CHECK(k.berth({"get", "quota", "quota"}).exit_code != 0);
}

TEST_CASE("berthd refuses a token file that group or others can read, naming it and the fix") {
  const auto dir = testing::make_temp_dir("berth-token-mode");
  {
    testing::berthd_process first(dir);  // writes admin.token and node.token 0600
    first.start();
  }
  const auto token = dir + "/admin.token";
  std::filesystem::permissions(token, std::filesystem::perms::group_read | std::filesystem::perms::others_read,
                               std::filesystem::perm_options::add);
  const char* berthd = std::getenv("BERTHD");
  REQUIRE(berthd != nullptr);
  // timeout: a berthd that wrongly starts is stopped rather than hanging the test.
  auto r = testing::run_process("/usr/bin/timeout",
                                {"20", berthd, "--data-dir", dir, "--listen", "127.0.0.1:0", "--http-listen",
                                 "127.0.0.1:0", "--api-listen", "none"});
  CHECK(r.exit_code != 0);
  CHECK(r.exit_code != 124);  // refused at once, not stopped by the timeout
  CHECK_MESSAGE(r.err.find("token file " + token +
                           " is readable or writable by group or others (mode 0644): run chmod 600 " + token) !=
                    std::string::npos,
                r.err);
  std::filesystem::permissions(token, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}
