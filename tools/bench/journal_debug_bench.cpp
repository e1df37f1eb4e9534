// The debugging section of journal_bench (`berth journal|history|why`): on a
// journal of pod lifecycles with causes (as berthd writes them; snapshots
// every 10,000 events, berthd's default), measures
//   debug_replay_to_point_ms   state at a seq (newest snapshot at or before it + fold), median and worst
//   debug_index_build_ms       the object index built from the whole journal (first history/why)
//   debug_history_ms           history of one pod once the index is warm, median and worst
//   debug_why_ms               why of one pod once the index is warm
// and, for offline runs (`--journal DIR`) that keep the index in a cache file
// (actors/debug/index_cache.hpp):
//   debug_index_load_ms              the saved index loaded, checked and caught up (nothing new)
//   debug_index_load_grown_ms        the same after 10,000 more events (catch-up + save again)
//   debug_index_cache_bytes          size of the cache file
//   debug_history_offline_cold_ms    a whole offline history, no cache yet: open + build + save + query + close
//   debug_history_offline_warm_ms    a whole offline history with the cache: open + load + query + close (median of 5)
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <random>
#include <semaphore>

#include "actors/debug/queries.hpp"
#include "actors/debug/source.hpp"
#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tools/bench/bench_report.hpp"
#include "tools/bench/journal_debug_bench.hpp"

namespace berth::bench {
namespace {

using steady = std::chrono::steady_clock;

double ms_since(steady::time_point t) { return std::chrono::duration<double, std::milli>(steady::now() - t).count(); }

model::event make(const char* kind, const std::string& name, std::string principal, std::uint64_t cause,
                  model::event_payload p) {
  model::event e;
  e.header.object = {kind, std::string(kind) == model::k_kind_node ? "" : "default", name, "uid-" + name};
  e.header.principal = std::move(principal);
  e.header.cause = cause;
  e.payload = std::move(p);
  return e;
}

/// Pod lifecycles on 100 nodes, ~10,000 pods alive, every decision caused by
/// the event before it in the pod's life (as berthd's actors record them).
class lifecycle_source {
 public:
  model::event next(std::uint64_t seq) {
    if (nodes_ < 100) {
      model::node n;
      n.metadata.name = fmt::format("node-{}", nodes_);
      n.metadata.uid = "uid-" + n.metadata.name;
      ++nodes_;
      return make(model::k_kind_node, n.metadata.name, "node:" + n.metadata.name, 0, model::node_registered{n});
    }
    if (auto r = removal()) return std::move(*r);
    if (live_.size() < 10'000 || rng_() % 2 == 0) return start(seq);
    return stop(seq);
  }

 private:
  struct life {
    std::uint64_t id, last_seq;
    int step;  // 0 created, 1 bound, 2 running, 3 deleting
    std::string node;
  };
  model::event start(std::uint64_t seq) {
    // Advance a random live pod one step half of the time; otherwise create one.
    if (!live_.empty() && rng_() % 2 == 0) {
      auto& l = live_[rng_() % live_.size()];
      if (l.step < 2) return advance(l, seq);
    }
    auto id = next_id_++;
    model::pod p;
    p.metadata.name = fmt::format("web-{}", id);
    p.metadata.namespace_ = "default";
    p.metadata.uid = "uid-" + p.metadata.name;
    p.metadata.labels = {{"app", "web"}};
    model::container c;
    c.name = "web";
    c.image = "gcr.io/google_samples/gb-frontend:v4";
    p.spec.containers.push_back(c);
    live_.push_back({id, seq, 0, fmt::format("node-{}", rng_() % 100)});
    return make(model::k_kind_pod, p.metadata.name, "controller:replicationcontroller/web", 0, model::pod_created{p});
  }
  model::event advance(life& l, std::uint64_t seq) {
    const std::string name = fmt::format("web-{}", l.id);
    const std::uint64_t cause = l.last_seq;
    l.last_seq = seq;
    if (l.step++ == 0) return make(model::k_kind_pod, name, "controller:scheduler", cause, model::pod_bound{l.node});
    model::pod_status running;
    running.phase = model::pod_phase::running;
    return make(model::k_kind_pod, name, "node:" + l.node, cause, model::pod_status_observed{running});
  }
  model::event stop(std::uint64_t seq) {
    auto at = rng_() % live_.size();
    auto l = live_[at];
    live_[at] = live_.back();
    live_.pop_back();
    // The pod's node reports its containers gone: removed, caused by the deletion.
    removals_.push_back({l.id, seq});
    return make(model::k_kind_pod, fmt::format("web-{}", l.id), "controller:replicationcontroller/web", l.last_seq,
                model::pod_deleted{{"ScaleDown", "fewer replicas"}});
  }
  std::optional<model::event> removal() {
    if (removals_.empty()) return std::nullopt;
    auto [id, cause] = removals_.back();
    removals_.clear();
    return make(model::k_kind_pod, fmt::format("web-{}", id), "controller:pod", cause,
                model::pod_removed{{"Terminated", "every container of the pod has stopped"}});
  }

  std::mt19937_64 rng_{7};
  int nodes_ = 0;
  std::uint64_t next_id_ = 0;
  std::vector<life> live_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> removals_;  // (pod id, seq of its deletion)
};

void build(journal::journal& j, std::uint64_t count, std::uint64_t snapshot_every) {
  {
    lifecycle_source source;
    std::counting_semaphore<> in_flight(20'000);  // outlives the writer: its last callbacks run as it stops
    journal::writer w(j);
    for (std::uint64_t seq = 1; seq <= count; ++seq) {
      auto e = source.next(seq);
      in_flight.acquire();
      w.append(model::type_of(e), model::encode_event(e), [&](const journal::result<journal::append_ack>& r) {
        if (!r.ok()) std::exit(2);
        in_flight.release();
      });
    }
  }
  model::cluster_state state;
  for (auto cursor = j.read_from(1); auto r = cursor->next();) {
    model::apply(state, *model::decode_event(r->seq, r->time_ns, r->type, r->payload));
    if (r->seq % snapshot_every == 0 && !model::write_snapshot(j, state).ok()) std::exit(2);
  }
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

/// One whole offline `history` as `berth history --journal DIR` runs it:
/// open read-only, index (built, or loaded from `cache_dir`), query, close.
double offline_history_ms(const std::string& dir, const std::string& cache_dir, const debug::object_id& id,
                          debug::index_cache_report& state) {
  auto t = steady::now();
  auto opened = debug::local_source::open(dir, cache_dir);
  if (!opened.ok() || !debug::history(*opened.value(), id).ok()) std::exit(2);
  state = opened.value()->index_cache_state();
  opened.value().reset();
  return ms_since(t);
}

/// The index part of a second offline run: load + check + catch up (+ save
/// when it grew). Exits when the cache was not used: that would time a rebuild.
double index_load_ms(const std::string& dir, const std::string& cache_dir, std::uint64_t expect_loaded_to) {
  auto opened = debug::local_source::open(dir, cache_dir);
  if (!opened.ok()) std::exit(2);
  auto t = steady::now();
  if (!opened.value()->object_seqs({model::k_kind_pod, "default", "web-0"}).ok()) std::exit(2);
  const double ms = ms_since(t);
  const auto& state = opened.value()->index_cache_state();
  if (state.loaded_to != expect_loaded_to) {
    fmt::print(stderr, "index cache not used (loaded to {}, expected {}): {}\n", state.loaded_to, expect_loaded_to,
               state.ignored);
    std::exit(2);
  }
  return ms;
}

/// Appends `count` more pod lifecycle events (berthd appending while people debug).
void grow(const std::string& dir, std::uint64_t count) {
  journal::open_options o;
  o.verify_all_on_open = false;
  auto j = journal::journal::open(dir, o);
  if (!j.ok()) std::exit(2);
  lifecycle_source source;
  const std::uint64_t base = j.value()->last_seq();
  std::counting_semaphore<> in_flight(20'000);  // outlives the writer: its last callbacks run as it stops
  journal::writer w(*j.value());
  for (std::uint64_t i = 1; i <= count; ++i) {
    auto e = source.next(base + i);
    in_flight.acquire();
    w.append(model::type_of(e), model::encode_event(e), [&](const journal::result<journal::append_ack>& r) {
      if (!r.ok()) std::exit(2);
      in_flight.release();
    });
  }
}

/// The offline figures: a first and later `history --journal DIR` with an
/// index cache, the index load alone, and the load after the journal grew.
void offline_section(bench_report& report, const std::string& dir, std::uint64_t events) {
  temp_dir cache;
  const debug::object_id id{model::k_kind_pod, "default", "web-12345"};
  debug::index_cache_report state;
  const double cold_ms = offline_history_ms(dir, cache.path, id, state);
  if (state.saved_to != events) std::exit(2);
  const auto bytes = std::filesystem::file_size(state.path);
  std::vector<double> warm;
  for (int i = 0; i < 5; ++i) {
    warm.push_back(offline_history_ms(dir, cache.path, id, state));
    if (state.loaded_to != events) std::exit(2);
  }
  const double load_ms = index_load_ms(dir, cache.path, events);
  const std::uint64_t more = 10'000;
  grow(dir, more);
  const double grown_ms = index_load_ms(dir, cache.path, events);
  report.members.push_back({"debug_index_load_ms", fmt::format("{:.0f}", load_ms)});
  report.members.push_back({"debug_index_load_grown_ms", fmt::format("{:.0f}", grown_ms)});
  report.members.push_back({"debug_index_cache_bytes", fmt::format("{}", bytes)});
  report.members.push_back({"debug_history_offline_cold_ms", fmt::format("{:.0f}", cold_ms)});
  report.members.push_back({"debug_history_offline_warm_ms", fmt::format("{:.0f}", median(warm))});
  report.tables.push_back(
      fmt::format("offline history (`berth history --journal DIR`, whole run: open + index + query + close)\n"
                  "  first run, index built and saved ({:.1f} MB cache file): {:.0f} ms\n"
                  "  later runs, index loaded from the cache: median {:.0f} ms (5 runs)\n"
                  "  index load + check + catch-up alone: {:.0f} ms; after {} more events (+ save): {:.0f} ms\n",
                  bytes / 1e6, cold_ms, median(warm), load_ms, more, grown_ms));
}

}  // namespace

void debug_section(bench_report& report, const bench_options& o) {
  const std::uint64_t events = o.quick ? 100'000 : 1'000'000;
  const std::uint64_t snapshot_every = 10'000;
  temp_dir dir;
  {
    auto j = journal::journal::open(dir.path, {});
    if (!j.ok()) std::exit(2);
    build(*j.value(), events, snapshot_every);
  }
  auto opened = debug::local_source::open(dir.path);  // read-only, as `--journal DIR`
  if (!opened.ok()) std::exit(2);
  auto& s = *opened.value();
  std::mt19937_64 rng(3);
  std::vector<double> replay_ms;
  for (int i = 0; i < 10; ++i) {
    // Worst case for the fold: just before the next snapshot.
    const std::uint64_t seq = (rng() % (events / snapshot_every)) * snapshot_every + snapshot_every - 1;
    auto t = steady::now();
    if (!debug::state_at(s, seq).ok()) std::exit(2);
    replay_ms.push_back(ms_since(t));
  }
  auto t = steady::now();
  if (!s.object_seqs({model::k_kind_pod, "default", "web-0"}).ok()) std::exit(2);
  const double index_ms = ms_since(t);
  std::vector<double> history_ms, why_ms;
  std::size_t entries = 0;
  for (int i = 0; i < 20; ++i) {
    const debug::object_id id{model::k_kind_pod, "default", fmt::format("web-{}", rng() % 50'000)};
    t = steady::now();
    auto h = debug::history(s, id);
    history_ms.push_back(ms_since(t));
    entries += h.ok() ? h.value().size() : 0;
    t = steady::now();
    auto w = debug::why(s, id, debug::k_to_end);
    why_ms.push_back(ms_since(t));
  }
  const auto worst = [](const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); };
  report.members.push_back({"debug_events", fmt::format("{}", events)});
  report.members.push_back({"debug_replay_to_point_ms", fmt::format("{:.1f}", median(replay_ms))});
  report.members.push_back({"debug_replay_to_point_worst_ms", fmt::format("{:.1f}", worst(replay_ms))});
  report.members.push_back({"debug_index_build_ms", fmt::format("{:.0f}", index_ms)});
  report.members.push_back({"debug_history_ms", fmt::format("{:.2f}", median(history_ms))});
  report.members.push_back({"debug_history_worst_ms", fmt::format("{:.2f}", worst(history_ms))});
  report.members.push_back({"debug_why_ms", fmt::format("{:.2f}", median(why_ms))});
  report.tables.push_back(
      fmt::format("debugging: {} events, snapshot every {} (read-only, as `berth journal --journal DIR`)\n"
                  "  replay to a point (snapshot + fold): median {:.1f} ms, worst {:.1f} ms (10 points)\n"
                  "  object index built from the whole journal: {:.0f} ms (once per process / berthd)\n"
                  "  history of one pod (warm index, {} events in 20 pods): median {:.2f} ms, worst {:.2f} ms\n"
                  "  why of one pod (warm index): median {:.2f} ms\n",
                  events, snapshot_every, median(replay_ms), worst(replay_ms), index_ms, entries, median(history_ms),
                  worst(history_ms), median(why_ms)));
  opened.value().reset();
  offline_section(report, dir.path, events);
}

}  // namespace berth::bench
