// `berth journal|history|why` end to end: a scripted scenario on a real
// berthd with hollow nodes (create an RC of 3 → scale to 5 → a node stops
// heartbeating → NotReady → eviction → replacements → scale to 2 → delete),
// then the debugging commands at each step, online (through berthd) and
// offline (--journal on berthd's live directory), which must agree.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>
#include <sstream>

#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/cli/run_process.hpp"
#include "tests/cli/temp_files.hpp"
#include "tests/cli/text_lines.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;
using testing::eventually;
using testing::lines_of;
using testing::process_result;
using testing::words_of;

namespace {

const char* k_rc = R"(apiVersion: v1
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
)";

/// RFC 3339 with every nanosecond, so that the time names exactly that event.
std::string rfc3339_ns(std::int64_t t) {
  std::time_t secs = t / 1'000'000'000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, t % 1'000'000'000);
}

struct scenario {
  testing::temp_dir home{"berth-jdebug-home"};
  testing::data_dir_cleanup data{"berth-jdebug"};
  testing::berthd_process berthd{
      data.path,
      {"--heartbeat-interval", "100ms", "--grace-period", "1s", "--eviction-timeout", "1s", "--snapshot-every", "20"}};
  std::unique_ptr<agent::hollow_fleet> fleet;
  std::unique_ptr<cli::client> api;

  scenario() {
    berthd.start();
    agent::hollow_config c;
    c.server = berthd.rpc_address();
    c.security = testing::security_of(berthd);
    c.token = berthd.node_token();
    c.heartbeat_interval = std::chrono::milliseconds(100);
    for (int i = 1; i <= 3; ++i) c.nodes.push_back({fmt::format("n{}", i), "4", "8Gi", 110, {}});
    fleet = std::make_unique<agent::hollow_fleet>(c);
    REQUIRE(fleet->start() == "");
    api = std::make_unique<cli::client>(berthd.rpc_address(), berthd.admin_token(), testing::security_of(berthd));
  }

  /// Runs berth; XDG_CACHE_HOME unset, so offline history/why keep their
  /// index under HOME/.cache unless `extra_env` says otherwise.
  process_result berth(const std::vector<std::string>& args, const std::map<std::string, std::string>& extra_env = {}) {
    std::map<std::string, std::string> env{{"BERTH_SERVER", berthd.rpc_address()},
                                           {"BERTH_TOKEN", berthd.admin_token()},
                                           {"BERTH_CA", berthd.ca_file()},
                                           {"HOME", home.path()},
                                           {"XDG_CACHE_HOME", ""}};
    for (const auto& [k, v] : extra_env) env[k] = v;
    const char* exe = std::getenv("BERTH");
    REQUIRE_MESSAGE(exe != nullptr, "BERTH is not set");
    return testing::run_process(exe, args, env);
  }

  /// Runs a debugging command online and offline; they must agree; returns the online run.
  process_result both(std::vector<std::string> args) {
    auto online = berth(args);
    args.push_back("--journal");
    args.push_back(berthd.data_dir() + "/journal");
    auto offline = berth(args);
    transcript(args, online);
    CHECK(online.out == offline.out);
    CHECK(online.err == offline.err);
    CHECK(online.exit_code == offline.exit_code);
    args.back() = berthd.data_dir();  // --journal also takes the data directory holding it
    auto from_data_dir = berth(args);
    CHECK(from_data_dir.out == online.out);
    CHECK(from_data_dir.exit_code == online.exit_code);
    return online;
  }

  /// With JOURNAL_E2E_TRANSCRIPT=FILE, appends each command and its output
  /// there (how docs/journal-debugging.md got its examples).
  static void transcript(const std::vector<std::string>& args, const process_result& r) {
    const char* path = std::getenv("JOURNAL_E2E_TRANSCRIPT");
    if (path == nullptr) return;
    std::string line = "$ berth";
    for (const auto& a : args) line += " " + a;
    if (FILE* f = std::fopen(path, "a")) {
      fmt::print(f, "{}\n{}{}(exit {})\n\n", line, r.out, r.err, r.exit_code);
      std::fclose(f);
    }
  }

  std::vector<model::pod> pods() {
    std::vector<model::pod> out;
    for (auto& o : api->list(actors::kind::pod, "default", "app=web").items) out.push_back(std::get<model::pod>(o));
    return out;
  }
  /// `n` pods, none terminating, all Running (and none on `avoid`).
  bool settled(std::size_t n, const std::string& avoid = "") {
    auto ps = pods();
    return ps.size() == n && std::all_of(ps.begin(), ps.end(), [&](const model::pod& p) {
             return p.metadata.deletion_timestamp == 0 && p.status.phase == model::pod_phase::running &&
                    p.spec.node_name != avoid;
           });
  }
  /// The last seq once the journal stopped moving (200 ms without an event).
  std::uint64_t quiet_seq() {
    std::uint64_t last = 0;
    REQUIRE(eventually([&] {
      auto now = api->version().journal_seq;
      bool quiet = now == last;
      last = now;
      if (!quiet) ::usleep(200'000);
      return quiet;
    }));
    return last;
  }
  std::set<std::string> pod_names_at(const std::string& point) {
    auto r = both({"journal", "replay", "--at", point, "pods", "-o", "name"});
    std::set<std::string> names;
    for (auto& l : lines_of(r.out)) names.insert(l);
    return names;
  }
  std::int64_t time_of(std::uint64_t seq) {
    auto r = berth({"journal", "export", "--since", std::to_string(seq), "--until", std::to_string(seq)});
    auto at = r.out.find("\"timeNs\":\"");
    REQUIRE(at != std::string::npos);
    return std::stoll(r.out.substr(at + 10));
  }
};

/// The names of the files in `dir` (none when it does not exist).
std::vector<std::string> files_in(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::set<std::string> pod_names(const std::vector<model::pod>& ps) {
  std::set<std::string> out;
  for (const auto& p : ps) out.insert("pod/" + p.metadata.name);
  return out;
}

}  // namespace

TEST_CASE("the scenario replayed, diffed, explained and verified, online and offline alike") {
  scenario s;
  auto rc_file = s.home.write("rc.yaml", k_rc);
  REQUIRE(s.berth({"create", "-f", rc_file}).exit_code == 0);
  REQUIRE(eventually([&] { return s.settled(3); }));
  const auto step1 = s.quiet_seq();
  const auto pods1 = pod_names(s.pods());

  auto scaled5 = s.api->scale({actors::kind::replication_controller, "default", "web"}, 5);
  REQUIRE(scaled5.seq > step1);
  REQUIRE(eventually([&] { return s.settled(5); }));
  const auto step2 = s.quiet_seq();
  const auto pods2 = pod_names(s.pods());
  std::vector<std::string> on_n2;
  for (const auto& p : s.pods())
    if (p.spec.node_name == "n2") on_n2.push_back(p.metadata.name);
  REQUIRE(!on_n2.empty());

  s.fleet->set_heartbeating("n2", false);
  REQUIRE(eventually([&] { return s.settled(5, "n2"); }, 30));
  const auto step3 = s.quiet_seq();
  const auto pods3 = pod_names(s.pods());

  auto scaled2 = s.api->scale({actors::kind::replication_controller, "default", "web"}, 2);
  REQUIRE(eventually([&] { return s.settled(2, "n2"); }));
  const auto step4 = s.quiet_seq();
  const auto pods4 = pod_names(s.pods());

  REQUIRE(s.berth({"delete", "rc", "web"}).exit_code == 0);
  REQUIRE(eventually([&] { return s.pods().empty(); }));
  const auto step5 = s.quiet_seq();

  {  // "replay at each step's seq and time shows exactly the pods of that step"
    const std::vector<std::pair<std::uint64_t, std::set<std::string>>> steps = {
        {step1, pods1}, {step2, pods2}, {step3, pods3}, {step4, pods4}, {step5, {}}};
    for (const auto& [seq, expected] : steps) {
      CHECK(s.pod_names_at(std::to_string(seq)) == expected);
      CHECK(s.pod_names_at(rfc3339_ns(s.time_of(seq))) == expected);
    }
    auto wide = s.both({"journal", "replay", "--at", std::to_string(step3), "pods", "-o", "wide"});
    auto rows = lines_of(wide.out);
    REQUIRE(rows.size() == 6);
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(words_of(rows[i]).back() != "n2");
    auto nodes = s.both({"journal", "replay", "--at", std::to_string(step3), "nodes"});
    CHECK(words_of(lines_of(nodes.out).at(2)).at(1) == "NotReady");
  }

  {  // "history lists the RC's events in order"
    auto h = s.both({"history", "rc/web"});
    CHECK(h.exit_code == 0);
    std::vector<std::string> types;
    for (const auto& l : lines_of(h.out))
      if (l.rfind("seq ", 0) == 0) types.push_back(words_of(l).at(4));
    CHECK(types == std::vector<std::string>{"objectCreated", "rcScaled", "rcScaled", "objectDeleted"});
    CHECK(h.out.find("    spec.replicas: 3 → 5\n") != std::string::npos);
    CHECK(h.out.find("    spec.replicas: 5 → 2\n") != std::string::npos);
  }

  {  // "why a pod evicted from n2 is gone, and why a pod of the scale-up exists"
    auto gone = s.both({"why", "pod/" + on_n2[0]});
    CHECK(gone.exit_code == 0);
    const auto first = lines_of(gone.out).at(0);
    CHECK(first.rfind(fmt::format("pod/{} removed (", on_n2[0]), 0) == 0);
    CHECK(first.find(" ← evicted by node controller (") != std::string::npos);
    CHECK(first.find(" ← node n2 NotReady since ") != std::string::npos);

    std::vector<std::string> added;
    std::set_difference(pods2.begin(), pods2.end(), pods1.begin(), pods1.end(), std::back_inserter(added));
    REQUIRE(added.size() == 2);
    auto made = s.both({"why", added[0], "--at", std::to_string(step2)});
    auto line = lines_of(made.out).at(0);
    CHECK(line.find(" ← RC web reconciled to 5 replicas ← scaled to 5 by admin at ") != std::string::npos);
    CHECK(line.find(fmt::format("(command seq {})", scaled5.seq)) != std::string::npos);

    // A replacement of a pod lost with n2 names that pod's eviction.
    std::vector<std::string> replacements;
    std::set_difference(pods3.begin(), pods3.end(), pods2.begin(), pods2.end(), std::back_inserter(replacements));
    REQUIRE(!replacements.empty());
    auto replaced = s.both({"why", replacements[0], "--at", std::to_string(step3)});
    auto chain = lines_of(replaced.out).at(0);
    INFO(chain);
    CHECK(std::any_of(on_n2.begin(), on_n2.end(), [&](const std::string& lost) {
      return chain.find(fmt::format(" ← RC web reconciled ← pod/{} evicted by node controller (", lost)) !=
             std::string::npos;
    }));
  }

  {  // "diff between two steps lists the pods created and the RC's new replicas"
    auto d = s.both({"journal", "diff", std::to_string(step1), std::to_string(step2)});
    std::vector<std::string> added;
    std::set_difference(pods2.begin(), pods2.end(), pods1.begin(), pods1.end(), std::back_inserter(added));
    for (const auto& name : added) CHECK(d.out.find("created " + name + "\n") != std::string::npos);
    CHECK(d.out.find("changed rc/web\n") != std::string::npos);
    CHECK(d.out.find("    spec.replicas: 3 → 5\n") != std::string::npos);
    CHECK(d.out.find("deleted ") == std::string::npos);
  }

  {  // "ls, show, export and verify agree online and offline"
    CHECK(s.both({"journal", "ls"}).exit_code == 0);
    CHECK(s.both({"journal", "ls", "--kind", "rc", "--type", "rcScaled", "-o", "json"})
              .out.find("\"scaled to 2 replicas\"") != std::string::npos);
    CHECK(s.both({"journal", "show", std::to_string(scaled2.seq), "-o", "json"}).exit_code == 0);
    CHECK(lines_of(s.both({"journal", "export"}).out).size() == step5);
    auto v = s.both({"journal", "verify"});
    CHECK(v.exit_code == 0);
    CHECK(lines_of(v.out).back() == "journal OK");
  }

  {  // "bad input: unknown object, time before the first event, seq beyond the end, malformed time"
    auto unknown = s.both({"history", "pod/nope"});
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err == "error: no event in the journal names pod/nope\n");
    auto early = s.both({"journal", "replay", "--at", "2000-01-01T00:00:00Z", "pods"});
    CHECK(early.exit_code == 1);
    CHECK(early.err.rfind("error: 2000-01-01T00:00:00Z is before the first event (seq 1 at ", 0) == 0);
    auto beyond = s.both({"journal", "replay", "--at", "99999999", "pods"});
    CHECK(beyond.exit_code == 1);
    CHECK(beyond.err.rfind("error: seq 99999999 is beyond the end of the journal (last seq ", 0) == 0);
    auto malformed = s.both({"why", "rc/web", "--at", "yesterday"});
    CHECK(malformed.exit_code == 1);
    CHECK(malformed.err ==
          "error: malformed point 'yesterday': expected a sequence number or an RFC 3339 time "
          "like 2026-11-26T10:15:00Z\n");
  }
  {  // "offline history keeps its object index outside the journal; a second run reads it and agrees"
    const std::string journal = s.berthd.data_dir() + "/journal";
    testing::temp_dir cache{"berth-jdebug-cache"};
    const std::vector<std::string> history{"history", "rc/web", "--until", std::to_string(step5)};
    auto offline = [&](std::vector<std::string> extra, const std::map<std::string, std::string>& env = {}) {
      auto args = history;
      args.insert(args.end(), {"--journal", journal});
      args.insert(args.end(), extra.begin(), extra.end());
      return s.berth(args, env);
    };
    const auto online = s.berth(history);
    REQUIRE(online.exit_code == 0);
    const auto cold = offline({"--index-cache", cache.path()});
    const auto files = files_in(cache.path());
    REQUIRE(files.size() == 1);
    CHECK(files[0].size() > 6);
    CHECK(files[0].substr(files[0].size() - 6) == ".index");
    const auto warm = offline({"--index-cache", cache.path()});
    CHECK(cold.out == online.out);
    CHECK(warm.out == cold.out);
    CHECK(warm.err == cold.err);
    CHECK(warm.exit_code == 0);
    CHECK(files_in(cache.path()) == files);
    // Without --index-cache: $XDG_CACHE_HOME, else HOME/.cache (where the runs above went).
    CHECK(files_in(s.home.path() + "/.cache/berth/journal-index") == files);
    testing::temp_dir xdg{"berth-jdebug-xdg"};
    CHECK(offline({}, {{"XDG_CACHE_HOME", xdg.path()}}).out == online.out);
    CHECK(files_in(xdg.path() + "/berth/journal-index") == files);
    // --no-index-cache: the same answer, nothing written.
    testing::temp_dir none{"berth-jdebug-none"};
    CHECK(offline({"--no-index-cache"}, {{"XDG_CACHE_HOME", none.path()}}).out == online.out);
    CHECK(files_in(none.path()).empty());
    auto online_only = s.berth({"history", "rc/web", "--no-index-cache"});
    CHECK(online_only.exit_code == 1);
    CHECK(online_only.err.rfind(
              "error: --no-index-cache applies only with --journal DIR (berthd keeps its object index in memory)\n",
              0) == 0);
  }
}
