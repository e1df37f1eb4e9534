// `berth console`'s pure parts, part 2: the actors table, a top frame,
// inspect, trace lines, JSON pretty-printing, the spawn tree and nodes.
#include <doctest/doctest.h>

#include "cli/console_render.hpp"
#include "cli/console_tree.hpp"

using namespace berth::cli;

namespace {

constexpr std::int64_t s = 1'000'000'000;
constexpr std::int64_t now = 1'700'000'000 * s;  // 2023-11-14T22:13:20Z

actor_row actor(std::uint64_t id, std::string name, std::string kind, std::uint64_t parent = 0,
                std::string owner = "") {
  actor_row a;
  a.id = id;
  a.name = std::move(name);
  a.kind = std::move(kind);
  a.parent = parent;
  a.owner = std::move(owner);
  a.spawned_ns = now - 300 * s;
  return a;
}

actor_row busy_store() {
  auto a = actor(7, "store", "store");
  a.mailbox = 3;
  a.handled = 1200;
  a.rate = 40.25;
  a.processing.bounds = {0.00001, 0.0001, 0.001};
  a.processing.counts = {0, 100, 0, 0};
  a.processing.count = 100;
  a.processing.sum_seconds = 0.005;
  a.last_message = "std::shared_ptr<berth::actors::append>";
  a.last_message_ns = now - 2 * s;
  return a;
}

}  // namespace

TEST_CASE("the actors table has kubectl's layout and every column") {
  auto idle = actor(9, "pod/default/web-a", "pod", 7, "rc/default/web");
  CHECK(render_actors({busy_store(), idle}, now) ==
        "NAME                KIND    MAILBOX   HANDLED   RATE/S   P50    P99    LAST MESSAGE    AGE\n"
        "store               store   3         1200      40.2     55µs   99µs   append 2s ago   5m\n"
        "pod/default/web-a   pod     0         0         0.0      -      -      <none>          5m\n");
}

TEST_CASE("an empty actors table says so") { CHECK(render_actors({}, now) == "No actors found.\n"); }

TEST_CASE("a top frame: header with totals, then the rows sorted and cut to fit") {
  process_row p{"berthd", "0.1.0", now - 3600 * s, 3, {}};
  auto a = actor(9, "pod/default/web-a", "pod");
  a.rate = 1.5;
  auto b = actor(10, "pod/default/web-b", "pod");
  b.mailbox = 4;
  CHECK(render_top(p, {busy_store(), a, b}, sort_key::rate, now, 2) ==
        "berthd 0.1.0  up 60m  3 actors  41.8 msg/s  sorted by rate  (q quit, m mailbox, r rate)\n"
        "\n"
        "NAME                KIND    MAILBOX   HANDLED   RATE/S   P50    P99    LAST MESSAGE    AGE\n"
        "store               store   3         1200      40.2     55µs   99µs   append 2s ago   5m\n"
        "pod/default/web-a   pod     0         0         1.5      -      -      <none>          5m\n"
        "… 1 more\n");
  CHECK(render_top(p, {a, b}, sort_key::mailbox, now, 0) ==
        "berthd 0.1.0  up 60m  2 actors  1.5 msg/s  sorted by mailbox  (q quit, m mailbox, r rate)\n"
        "\n"
        "NAME                KIND   MAILBOX   HANDLED   RATE/S   P50   P99   LAST MESSAGE   AGE\n"
        "pod/default/web-b   pod    4         0         0.0      -     -     <none>         5m\n"
        "pod/default/web-a   pod    0         0         1.5      -     -     <none>         5m\n");
}

TEST_CASE("inspect prints key: value lines, then the state pretty-printed and indented") {
  auto a = busy_store();
  a.parent = 1;
  a.parent_name = "main";
  CHECK(render_inspect(a, R"({"seq":42,"objects":{"pods":3},"nodes":[]})", now) ==
        "name: store\n"
        "id: 7\n"
        "kind: store\n"
        "object: <none>\n"
        "parent: main (#1)\n"
        "owner: <none>\n"
        "spawned: Tue, 14 Nov 2023 22:08:20 +0000 (5m ago)\n"
        "mailbox: 3\n"
        "handled: 1200\n"
        "rate: 40.2/s\n"
        "processing: p50 55µs, p99 99µs, mean 50µs over 100 messages\n"
        "last message: append 2s ago\n"
        "tracing: false\n"
        "state:\n"
        "  {\n"
        "    \"seq\": 42,\n"
        "    \"objects\": {\n"
        "      \"pods\": 3\n"
        "    },\n"
        "    \"nodes\": []\n"
        "  }\n");
}

TEST_CASE("inspect of an actor that never ran a message") {
  auto a = actor(9, "pod/default/web-a", "pod", 7, "rc/default/web");
  a.object = "default/web-a";
  a.parent_name = "store";
  a.tracing = true;
  auto text = render_inspect(a, "{}", now);
  CHECK(text.find("object: default/web-a\nparent: store (#7)\nowner: rc/default/web\n") != std::string::npos);
  CHECK(text.find("processing: no messages yet\nlast message: <none>\ntracing: true\nstate:\n  {}\n") !=
        std::string::npos);
}

TEST_CASE("pretty_json indents objects and lists and leaves strings alone") {
  struct row {
    const char* in;
    const char* out;
  };
  const row rows[] = {
      {"{}", "{}"},
      {"[]", "[]"},
      {"{ }", "{}"},
      {"42", "42"},
      {R"({"a":1})", "{\n  \"a\": 1\n}"},
      {R"([1,2])", "[\n  1,\n  2\n]"},
      {R"({"a":[{"b":"x, y: {z}"}],"c":{}})",
       "{\n  \"a\": [\n    {\n      \"b\": \"x, y: {z}\"\n    }\n  ],\n  \"c\": {}\n}"},
      {R"({"q":"say \"hi\", {ok}"})", "{\n  \"q\": \"say \\\"hi\\\", {ok}\"\n}"},
      {"{\n \"a\" : true }", "{\n  \"a\": true\n}"},
      {"}}", "\n}\n}"},  // unbalanced: no negative indentation
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(pretty_json(r.in) == r.out);
  }
}

TEST_CASE("short_type drops shared_ptr, const and namespaces, and keeps atoms and templates whole") {
  struct row {
    const char* in;
    const char* out;
  };
  const row rows[] = {
      {"update", "update"},
      {"std::shared_ptr<berth::actors::api_request>", "api_request"},
      {"std::shared_ptr<berth::actors::scheduling_inputs const>", "scheduling_inputs"},
      {"std::shared_ptr<const berth::x>", "x"},
      {"berth::actors::tick", "tick"},
      {"uint64_t", "uint64_t"},
      {"std::vector<berth::model::pod>", "std::vector<berth::model::pod>"},
      {"", ""},
  };
  for (const auto& r : rows) {
    CAPTURE(r.in);
    CHECK(short_type(r.in) == r.out);
  }
}

TEST_CASE("trace lines: UTC time, arrow by direction, peer, type, size, text") {
  trace_row in{1, now + 123'000'000, "in", "store", 7, "update", 120, "pod default/web-a phase=Running"};
  trace_row out{2, now + 5 * s, "out", "#12", 12, "std::shared_ptr<berth::actors::ack const>", 16, ""};
  CHECK(render_trace_event(in) == "22:13:20.123  <- store  update  120 B  pod default/web-a phase=Running\n");
  CHECK(render_trace_event(out) == "22:13:25.000  -> #12  ack  16 B\n");
  CHECK(render_trace_end("limit", 3) == "stopped: limit (3 events)\n");
  CHECK(render_trace_end("actor exited", 1) == "stopped: actor exited (1 event)\n");
  CHECK(clock_time(0) == "00:00:00.000");
  CHECK(clock_time(-1'000'000) == "23:59:59.999");
}

TEST_CASE("tree: objects under their owner, the rest under their parent, siblings by name") {
  std::vector<actor_row> actors{
      actor(1, "store", "store"),
      actor(2, "scheduler", "scheduler", 1),
      actor(3, "rc/default/web", "rc", 1),
      actor(4, "pod/default/web-b", "pod", 1, "rc/default/web"),
      actor(5, "pod/default/web-a", "pod", 1, "rc/default/web"),
      actor(6, "pod/default/lone", "pod", 1),
      actor(7, "service/default/web", "service", 1),
      actor(8, "node/n1", "node", 99),  // parent not listed: a root
  };
  CHECK(render_tree(build_tree(actors)) ==
        "node/n1\n"
        "store\n"
        "├── pod/default/lone\n"
        "├── rc/default/web\n"
        "│   ├── pod/default/web-a\n"
        "│   └── pod/default/web-b\n"
        "├── scheduler\n"
        "└── service/default/web\n");
}

TEST_CASE("tree: an owner that is gone falls back to the parent; owner cycles still show everyone") {
  std::vector<actor_row> actors{actor(1, "store", "store"), actor(2, "pod/default/orphan", "pod", 1, "rc/default/gone"),
                                actor(3, "a", "x", 0, "b"), actor(4, "b", "x", 0, "a")};
  auto roots = build_tree(actors);
  CHECK(render_tree(roots) ==
        "store\n"
        "└── pod/default/orphan\n"
        "a\n"
        "└── b\n");
  CHECK(
      tree_json(roots) ==
      R"({"tree":[{"name":"store","kind":"store","children":[{"name":"pod/default/orphan","kind":"pod","children":[]}]},)"
      R"({"name":"a","kind":"x","children":[{"name":"b","kind":"x","children":[]}]}]})");
}

TEST_CASE("nodes: each node's actors as a tree under it, or the error") {
  std::vector<node_row> nodes{
      {"n1",
       "",
       {actor(1, "node/n1", "node"), actor(2, "pod/default/web-a", "pod", 1, "node/n1"),
        actor(3, "pod/default/web-b", "pod", 1, "node/n1")}},
      {"n2", "the agent did not answer within 5 s", {}},
      {"n3", "", {}},
  };
  CHECK(render_nodes(nodes) ==
        "n1\n"
        "└── node/n1\n"
        "    ├── pod/default/web-a\n"
        "    └── pod/default/web-b\n"
        "n2: error: the agent did not answer within 5 s\n"
        "n3 (no actors)\n");
  CHECK(render_nodes({}) == "No nodes connected.\n");
}
