#include "actors/store/watch_cache.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "actors/model/codec.hpp"
#include "journal/writer.hpp"
#include "tests/model/fold_fixture.hpp"
#include "tests/model/generators.hpp"

namespace berth::store {
namespace {

using actors::kind;
using actors::watch_event_type;
using t = watch_event_type;
using namespace model::testing;

/// What a watcher was handed: type, object name, seq; its close; a backlog
/// the test sets; and, like the REST front, a "rendering" memoized per slot.
struct recording_sink final : cache_sink {
  struct item {
    t type;
    std::string name;
    std::uint64_t seq;
    bool operator==(const item&) const = default;
  };
  std::vector<item> items;
  std::optional<std::pair<close_code, std::string>> closed;
  std::size_t backlog = 0;
  std::size_t* renders = nullptr;  // counts renderings done by any sink sharing it

  void deliver(const delivery& d) override {
    const auto& name = d.event ? d.event->meta.name : actors::meta_of(*d.object).name;
    items.push_back({d.type, name, d.seq});
    if (d.memo && !d.memo->by_format[0]) {
      d.memo->by_format[0] = std::make_shared<const std::string>(name);
      if (renders) ++*renders;
    }
    backlog += 100;
  }
  std::size_t backlog_bytes() const override { return backlog; }
  void close(close_code code, const std::string& why) override { closed = {code, why}; }
};

model::pod labelled(std::string name, std::string app, std::string ns = "default") {
  auto p = make_pod(std::move(name));
  p.metadata.namespace_ = std::move(ns);
  p.metadata.labels = {{"app", std::move(app)}};
  return p;
}

std::shared_ptr<const fold_batch> batch(std::uint64_t seq, std::vector<touched_object> touched) {
  return std::make_shared<const fold_batch>(fold_batch{seq, std::move(touched), nullptr});
}

touched_object created(const model::pod& p) {
  return {kind::pod, {p.metadata.namespace_, p.metadata.name}, std::nullopt, actors::any_object(p)};
}

watch_spec pods(const std::string& labels = "", const std::string& ns = "") {
  std::string error;
  auto w = make_watcher(kind::pod, ns, labels, "", error);
  REQUIRE_MESSAGE(w, error);
  return *w;
}

/// A cache started at seq 10 with pods p11..p(10+n) created at seqs 11..10+n.
watch_cache cache_with(std::size_t n, cache_limits limits = {}) {
  watch_cache c(limits);
  c.start(10);
  for (std::size_t i = 1; i <= n; ++i) c.fold(batch(10 + i, {created(labelled(fmt::format("p{}", 10 + i), "web"))}));
  return c;
}

TEST_CASE("the window keeps batches up to its count, then drops the oldest and moves its start") {
  cache_limits limits;
  limits.max_changes = 3;
  auto c = cache_with(5, limits);
  CHECK(c.seq() == 15);
  CHECK(c.changes() == 3);
  CHECK(c.window_start() == 12);  // holds 13, 14, 15
  CHECK(c.covers(12));
  CHECK_FALSE(c.covers(11));
}

TEST_CASE("the window's bytes bound drops the oldest too, but never the newest batch") {
  cache_limits limits;
  limits.max_bytes = 1;  // smaller than any batch
  auto c = cache_with(4, limits);
  CHECK(c.changes() == 1);
  CHECK(c.window_start() == 13);
  CHECK(c.bytes() >= estimated_bytes(actors::any_object(labelled("p14", "web"))));
}

TEST_CASE("a watch from inside the window gets exactly the batches after its resourceVersion, then live ones") {
  struct row {
    std::uint64_t from;
    std::vector<std::uint64_t> seqs;
  };
  for (const auto& r : std::vector<row>{{15, {16}}, {13, {14, 15, 16}}, {12, {13, 14, 15, 16}}, {20, {}}}) {
    CAPTURE(r.from);
    cache_limits limits;
    limits.max_changes = 3;
    auto c = cache_with(5, limits);  // window (12, 15]
    auto sink = std::make_shared<recording_sink>();
    c.add(1, pods(), r.from, sink);
    c.fold(batch(16, {created(labelled("p16", "web"))}));
    std::vector<std::uint64_t> seqs;
    for (const auto& i : sink->items) seqs.push_back(i.seq);
    CHECK(seqs == r.seqs);
    CHECK_FALSE(sink->closed);
  }
}

TEST_CASE("a watch from before the window is closed as expired (410), one seq inside is not") {
  cache_limits limits;
  limits.max_changes = 3;
  auto c = cache_with(5, limits);
  auto old = std::make_shared<recording_sink>();
  c.add(1, pods(), 11, old);
  REQUIRE(old->closed);
  CHECK(old->closed->first == close_code::expired);
  CHECK(old->closed->second == "too old resource version: 11 (12)");
  CHECK(c.watchers() == 0);
  auto edge = std::make_shared<recording_sink>();
  c.add(2, pods(), 12, edge);
  CHECK_FALSE(edge->closed);
  CHECK(edge->items.size() == 3);
}

TEST_CASE("an object that starts matching is ADDED, keeps matching MODIFIED, stops matching DELETED") {
  watch_cache c;
  c.start(0);
  auto sink = std::make_shared<recording_sink>();
  c.add(1, pods("app=web"), 0, sink);
  auto web = actors::any_object(labelled("p", "web"));
  auto db = actors::any_object(labelled("p", "db"));
  c.fold(batch(1, {{kind::pod, {"default", "p"}, std::nullopt, db}}));
  c.fold(batch(2, {{kind::pod, {"default", "p"}, db, web}}));
  c.fold(batch(3, {{kind::pod, {"default", "p"}, web, web}}));
  c.fold(batch(4, {{kind::pod, {"default", "p"}, web, db}}));
  c.fold(batch(5, {{kind::pod, {"default", "p"}, db, std::nullopt}}));
  c.fold(batch(6, {{kind::pod, {"default", "p"}, std::nullopt, web}}));
  c.fold(batch(7, {{kind::pod, {"default", "p"}, web, std::nullopt}}));
  using item = recording_sink::item;
  CHECK(sink->items == std::vector<item>{{t::added, "p", 2}, {t::modified, "p", 3}, {t::deleted, "p", 4},
                                         {t::added, "p", 6}, {t::deleted, "p", 7}});
}

TEST_CASE("each change is rendered once however many watchers it is handed to") {
  watch_cache c;
  c.start(0);
  std::size_t renders = 0;
  std::vector<std::shared_ptr<recording_sink>> sinks;
  for (std::uint64_t id = 1; id <= 100; ++id) {
    sinks.push_back(std::make_shared<recording_sink>());
    sinks.back()->renders = &renders;
    c.add(id, pods(), 0, sinks.back());
  }
  c.fold(batch(1, {created(labelled("a", "web")), created(labelled("b", "web"))}));
  c.fold(batch(2, {created(labelled("c", "web"))}));
  CHECK(renders == 3);
  for (const auto& s : sinks) CHECK(s->items.size() == 3);
  // A late watcher replayed from the window reuses the same renderings.
  auto late = std::make_shared<recording_sink>();
  late->renders = &renders;
  c.add(101, pods(), 0, late);
  CHECK(late->items.size() == 3);
  CHECK(renders == 3);
}

TEST_CASE("a watcher past its backlog limit is closed as too slow; the others go on") {
  cache_limits limits;
  limits.watcher_backlog_bytes = 250;  // each delivery adds 100 to the sink's backlog
  watch_cache c(limits);
  c.start(0);
  auto slow = std::make_shared<recording_sink>();
  auto fast = std::make_shared<recording_sink>();
  c.add(1, pods(), 0, slow);
  c.add(2, pods(), 0, fast);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    c.fold(batch(seq, {created(labelled(fmt::format("p{}", seq), "web"))}));
    fast->backlog = 0;  // this client reads everything at once
  }
  REQUIRE(slow->closed);
  CHECK(slow->closed->first == close_code::too_slow);
  CHECK(slow->closed->second.find("300 bytes not taken (limit 250)") != std::string::npos);
  CHECK(slow->items.size() == 3);
  CHECK(fast->items.size() == 5);
  CHECK_FALSE(fast->closed);
  CHECK(c.watchers() == 1);
  CHECK_FALSE(c.bookmark(1));
  CHECK(c.bookmark(2) == 5u);
}

TEST_CASE("a watcher handed nothing is not closed for a backlog it already had") {
  cache_limits limits;
  limits.watcher_backlog_bytes = 10;
  watch_cache c(limits);
  c.start(0);
  auto other = std::make_shared<recording_sink>();
  other->backlog = 1000;
  c.add(1, pods("app=db"), 0, other);
  c.fold(batch(1, {created(labelled("p", "web"))}));
  CHECK_FALSE(other->closed);
}

TEST_CASE("a bookmark carries the cache's seq, or the watch's own start when that is newer") {
  auto c = cache_with(2);
  c.add(1, pods(), 12, std::make_shared<recording_sink>());
  c.add(2, pods(), 30, std::make_shared<recording_sink>());  // listed at 30, the cache is behind
  CHECK(c.bookmark(1) == 12u);
  CHECK(c.bookmark(2) == 30u);
  c.remove(1);
  CHECK_FALSE(c.bookmark(1));
}

model::event bound_event(std::uint64_t seq, const model::pod& p, const std::string& node) {
  model::event e;
  e.seq = seq;
  e.time = 1'000'000'000 * static_cast<std::int64_t>(seq);
  e.header.object = pod_ref(p.metadata.name, p.metadata.uid);
  e.header.object.namespace_ = p.metadata.namespace_;
  e.header.principal = "scheduler";
  e.payload = model::pod_bound{node};
  return e;
}

TEST_CASE("an events watch gets one Event per object a listed journal event touched, filtered by its terms") {
  watch_cache c;
  c.start(0);
  auto all = std::make_shared<recording_sink>();
  auto one = std::make_shared<recording_sink>();
  auto nodes_only = std::make_shared<recording_sink>();
  c.add(1, event_filter{}, 0, all);
  c.add(2, event_filter{"Pod", "default", "b", ""}, 0, one);
  c.add(3, event_filter{"Node", "", "", ""}, 0, nodes_only);
  for (const auto* name : {"a", "b"}) {
    auto p = labelled(name, "web");
    auto bound = p;
    bound.spec.node_name = "n1";
    auto e = std::make_shared<const model::event>(bound_event(name[0] == 'a' ? 1 : 2, p, "n1"));
    c.fold(std::make_shared<const fold_batch>(fold_batch{e->seq,
                                                         {{kind::pod, {"default", name}, p, bound}},
                                                         e}));
  }
  model::event beat;
  beat.seq = 3;
  beat.header.object = node_ref("n1");
  beat.payload = model::node_heartbeat{};
  auto n = actors::any_object(make_node("n1"));
  c.fold(std::make_shared<const fold_batch>(
      fold_batch{3, {{kind::node, {"", "n1"}, n, n}}, std::make_shared<const model::event>(beat)}));
  using item = recording_sink::item;
  CHECK(all->items == std::vector<item>{{t::added, "a", 1}, {t::added, "b", 2}});  // heartbeats are not Events
  CHECK(one->items == std::vector<item>{{t::added, "b", 2}});
  CHECK(nodes_only->items.empty());
}

// ---------------------------------------------------------------- randomized invariant

/// The folded batches of a random event stream.
std::vector<std::shared_ptr<const fold_batch>> batches_of(const std::vector<model::event>& events) {
  model::cluster_state s;
  std::vector<std::shared_ptr<const fold_batch>> out;
  for (const auto& e : events) {
    auto touched = fold_and_diff(s, e);
    out.push_back(std::make_shared<const fold_batch>(
        fold_batch{e.seq, std::move(touched), std::make_shared<const model::event>(e)}));
  }
  return out;
}

/// What a watch from `from` must get: each batch after it, filtered (the spec).
std::vector<recording_sink::item> expected(const std::vector<std::shared_ptr<const fold_batch>>& batches,
                                           const watch_spec& spec, std::uint64_t from) {
  std::vector<recording_sink::item> out;
  for (const auto& b : batches) {
    if (b->seq <= from) continue;
    std::vector<std::optional<event_row>> rows(b->touched.size());
    select(
        spec, *b,
        [&](std::size_t i) -> const event_row* {
          rows[i] = row_of(*b->event, b->touched[i]);
          return rows[i] ? &*rows[i] : nullptr;
        },
        [&](const selected& s) {
          if (s.is_event) return out.push_back({s.type, rows[s.change]->meta.name, b->seq});
          const auto& tch = b->touched[s.change];
          const auto& o = s.type == t::deleted ? *tch.before : *tch.after;
          out.push_back({s.type, actors::meta_of(o).name, b->seq});
        });
  }
  return out;
}

watch_spec random_spec(std::mt19937_64& g, const std::vector<std::shared_ptr<const fold_batch>>& batches) {
  if (g() % 5 == 0) return event_filter{};
  auto k = model::k_all_kinds[g() % model::k_all_kinds.size()];
  std::string ns, fields;
  // Namespaces and names that occur in the stream, so that filters select something.
  const auto& b = batches[g() % batches.size()];
  if (!b->touched.empty()) {
    const auto& key = b->touched[g() % b->touched.size()].key;
    if (g() % 2) ns = key.namespace_;
    if (g() % 3 == 0) fields = "metadata.name=" + key.name;
  }
  std::string error;
  auto w = make_watcher(k, ns, "", fields, error);
  REQUIRE_MESSAGE(w, error);
  return *w;
}

TEST_CASE("randomized: a watch from r gets the fold's changes after r filtered by its selector, exactly once, in order") {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    std::mt19937_64 g(seed);
    auto batches = batches_of(model::testing::random_stream(seed, 300));
    cache_limits limits;
    limits.max_changes = 40 + g() % 200;
    watch_cache c(limits);
    c.start(0);
    struct watch {
      watch_spec spec;
      std::uint64_t from;
      std::shared_ptr<recording_sink> sink;
    };
    std::vector<watch> watches;
    for (const auto& b : batches) {
      c.fold(b);
      if (g() % 10 == 0) {  // a watcher joins from somewhere in the window
        auto from = c.window_start() + g() % (c.seq() - c.window_start() + 1);
        watches.push_back({random_spec(g, batches), from, std::make_shared<recording_sink>()});
        c.add(watches.size(), watches.back().spec, from, watches.back().sink);
      }
    }
    REQUIRE(!watches.empty());
    for (const auto& w : watches) {
      CHECK_FALSE(w.sink->closed);
      CHECK(w.sink->items == expected(batches, w.spec, w.from));
    }
  }
}

/// A journal in a fresh temporary directory, removed afterwards.
class temp_journal {
 public:
  temp_journal() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "berth-watch-cache-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir_ = tmpl;
    auto j = journal::journal::open(dir_ + "/journal", journal::open_options{});
    REQUIRE_MESSAGE(j.ok(), j.err().message);
    journal_ = std::move(j).value();
  }
  ~temp_journal() {
    journal_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  journal::journal& get() { return *journal_; }

 private:
  std::string dir_;
  std::unique_ptr<journal::journal> journal_;
};

TEST_CASE("randomized: catching up from the journal gives what the window would have given") {
  temp_journal tj;
  auto events = model::testing::random_stream(7, 300);
  {
    journal::writer w(tj.get());
    for (const auto& e : events) {
      auto ack = w.append(model::type_of(e), model::encode_event(e)).get();
      REQUIRE_MESSAGE(ack.ok(), ack.err().message);
    }
  }
  // The journal stamps its own times: the batches compare by type, name and seq only.
  auto batches = batches_of(events);
  std::mt19937_64 g(7);
  for (int round = 0; round < 30; ++round) {
    auto spec = random_spec(g, batches);
    std::uint64_t from = 1 + g() % 250;
    std::uint64_t to = from + g() % (300 - from + 1);
    CAPTURE(from);
    CAPTURE(to);
    std::vector<caught_up_item> items;
    auto error = catch_up(tj.get(), spec, from, to, items);
    REQUIRE_FALSE(error);
    std::vector<recording_sink::item> got;
    for (const auto& i : items)
      got.push_back({i.type, i.event ? i.event->meta.name : actors::meta_of(*i.object).name, i.seq});
    auto want = expected(batches, spec, from);
    std::erase_if(want, [&](const auto& i) { return i.seq > to; });
    CHECK(got == want);
  }
}

}  // namespace
}  // namespace berth::store
