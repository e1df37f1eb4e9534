// The fold section of journal_bench: builds a journal of pod lifecycles
// (create -> bind -> Running -> Ready ... delete -> remove, about 10,000 pods
// alive at any time on 100 nodes), then measures
//   fold_events_per_s         read + check + decode + apply of every record, no snapshots
//   replay_with_snapshots_ms  model::replay to the end with a snapshot every 100,000 events
// (what a restart of berthd costs).
#include <chrono>
#include <deque>
#include <random>
#include <semaphore>
#include <thread>

#include "actors/model/codec.hpp"
#include "actors/model/replay.hpp"
#include "actors/model/state.hpp"
#include "journal/journal.hpp"
#include "journal/writer.hpp"
#include "tools/bench/bench_report.hpp"

namespace berth::bench {
namespace {

using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

/// A plausible stream of events: nodes register, then pods live and die.
class event_source {
 public:
  explicit event_source(std::uint64_t seed) : rng_(seed) {}

  model::event next() {
    if (nodes_ < 100) return node_event(nodes_++);
    if (!pending_.empty()) {
      auto e = std::move(pending_.front());
      pending_.pop_front();
      return e;
    }
    if (live_.size() < 10'000 || rng_() % 2 == 0) {
      start_pod();
    } else {
      stop_pod();
    }
    return next();
  }

 private:
  static model::event make(const std::string& kind, const std::string& ns, const std::string& name,
                           const std::string& uid, std::string principal, model::event_payload payload) {
    model::event e;
    e.header.object = {kind, ns, name, uid};
    e.header.principal = std::move(principal);
    e.payload = std::move(payload);
    return e;
  }

  model::event node_event(int i) {
    model::node n;
    n.metadata.name = fmt::format("node-{}", i);
    n.metadata.uid = fmt::format("node-uid-{}", i);
    n.status.capacity["cpu"] = *model::parse_quantity("8");
    n.status.capacity["memory"] = *model::parse_quantity("32Gi");
    n.status.allocatable = n.status.capacity;
    n.status.conditions.push_back({"Ready", model::condition_status::is_true, "AgentReady", "", 1, 1, 0});
    return make(model::k_kind_node, "", n.metadata.name, n.metadata.uid, "node:" + n.metadata.name,
                model::node_registered{n});
  }

  void start_pod() {
    auto id = next_pod_++;
    model::pod p;
    p.metadata.name = fmt::format("web-{}", id);
    p.metadata.namespace_ = "default";
    p.metadata.uid = fmt::format("uid-{}", id);
    p.metadata.labels = {{"app", "web"}, {"tier", "frontend"}};
    p.metadata.owner_references.push_back({"v1", "ReplicationController", "web", "rc-uid", true});
    model::container c;
    c.name = "php-redis";
    c.image = "gcr.io/google_samples/gb-frontend:v4";
    c.env.push_back({"GET_HOSTS_FROM", "dns"});
    c.ports.push_back({"", 80, 0, model::protocol::tcp, ""});
    c.resources.requests["cpu"] = *model::parse_quantity("100m");
    c.resources.requests["memory"] = *model::parse_quantity("100Mi");
    p.spec.containers.push_back(c);
    const auto& m = p.metadata;
    auto node = fmt::format("node-{}", rng_() % 100);
    model::pod_status running;
    running.phase = model::pod_phase::running;
    running.pod_ip = fmt::format("10.{}.{}.{}", id % 200, id / 200 % 250, id % 250);
    running.container_statuses.push_back(
        {"php-redis", model::container_state_running{1}, {}, false, 0, c.image, "", "docker://" + m.uid});
    auto ready = running;
    ready.conditions.push_back({"Ready", model::condition_status::is_true, "", "", 1, 0, 0});
    ready.container_statuses[0].ready = true;
    pending_.push_back(make(model::k_kind_pod, m.namespace_, m.name, m.uid, "controller:rc", model::pod_created{p}));
    pending_.push_back(
        make(model::k_kind_pod, m.namespace_, m.name, m.uid, "controller:scheduler", model::pod_bound{node}));
    pending_.push_back(
        make(model::k_kind_pod, m.namespace_, m.name, m.uid, "node:" + node, model::pod_status_observed{running}));
    pending_.push_back(
        make(model::k_kind_pod, m.namespace_, m.name, m.uid, "node:" + node, model::pod_status_observed{ready}));
    live_.push_back(id);
  }

  void stop_pod() {
    auto at = rng_() % live_.size();
    auto id = live_[at];
    live_[at] = live_.back();
    live_.pop_back();
    auto name = fmt::format("web-{}", id), uid = fmt::format("uid-{}", id);
    pending_.push_back(make(model::k_kind_pod, "default", name, uid, "controller:rc",
                            model::pod_deleted{{"ScaleDown", "fewer replicas"}}));
    pending_.push_back(make(model::k_kind_pod, "default", name, uid, "controller:pod",
                            model::pod_removed{{"Terminated", "every container stopped"}}));
  }

  std::mt19937_64 rng_;
  int nodes_ = 0;
  std::uint64_t next_pod_ = 0;
  std::vector<std::uint64_t> live_;
  std::deque<model::event> pending_;
};

/// Appends `count` events through the writer, many in flight, so that
/// batches are large (building the journal is not what is measured).
void build_journal(journal::journal& j, std::uint64_t count) {
  event_source source(42);
  journal::writer w(j);
  std::counting_semaphore<> in_flight(20'000);
  for (std::uint64_t i = 1; i <= count; ++i) {
    auto e = source.next();
    in_flight.acquire();
    w.append(model::type_of(e), model::encode_event(e), [&](const journal::result<journal::append_ack>& r) {
      if (!r.ok()) {
        fmt::print(stderr, "journal_bench: append failed: {}\n", r.err().message);
        std::exit(2);
      }
      in_flight.release();
    });
  }
}

/// Folds the journal and stores a snapshot every `every` events, as berthd does.
void add_snapshots(journal::journal& j, std::uint64_t every) {
  model::cluster_state state;
  auto cursor = j.read_from(1);
  while (auto r = cursor->next()) {
    auto e = model::decode_event(r->seq, r->time_ns, r->type, r->payload);
    if (!e) std::exit(2);
    model::apply(state, *e);
    if (r->seq % every == 0) {
      if (auto st = model::write_snapshot(j, state); !st.ok()) {
        fmt::print(stderr, "journal_bench: snapshot failed: {}\n", st.to_string());
        std::exit(2);
      }
    }
  }
}

std::unique_ptr<journal::journal> open_journal(const std::string& dir) {
  journal::open_options o;
  o.verify_all_on_open = false;
  auto j = journal::journal::open(dir, o);
  if (!j.ok()) {
    fmt::print(stderr, "journal_bench: open: {}\n", j.err().message);
    std::exit(2);
  }
  return std::move(j.value());
}

}  // namespace

void fold_section(bench_report& report, const bench_options& o) {
  const std::uint64_t events = o.quick ? 100'000 : 1'000'000;
  const std::uint64_t snapshot_every = events / 10;
  temp_dir dir;
  if (!o.json) fmt::print(stderr, "building a journal of {} events\n", events);
  auto j = open_journal(dir.path);
  build_journal(*j, events);

  // Fold: every record read, checked, decoded and applied; no snapshot yet.
  auto t0 = steady::now();
  auto full = model::replay(*j, model::k_replay_to_end);
  double fold_s = seconds_since(t0);
  if (!full.ok()) {
    fmt::print(stderr, "journal_bench: replay: {}\n", full.err().message);
    std::exit(2);
  }
  // Where the fold's time goes: reading + checking records, then decoding them.
  t0 = steady::now();
  std::uint64_t n = 0;
  for (auto cursor = j->read_from(1); auto r = cursor->next();) n += r->payload.size() > 0;
  double read_s = seconds_since(t0);
  t0 = steady::now();
  for (auto cursor = j->read_from(1); auto r = cursor->next();)
    n += model::decode_event(r->seq, r->time_ns, r->type, r->payload).has_value();
  double decode_s = seconds_since(t0) - read_s;
  add_snapshots(*j, snapshot_every);
  j.reset();
  // Restart: open (checking only the tail, as berthd --fast-open) + newest snapshot + tail.
  t0 = steady::now();
  auto js = open_journal(dir.path);
  auto fast = model::replay(*js, model::k_replay_to_end);
  double restart_ms = seconds_since(t0) * 1000;
  if (!fast.ok() || model::hash_state(fast.value().state) != model::hash_state(full.value().state)) {
    fmt::print(stderr, "journal_bench: replay with snapshots disagrees with the full fold\n");
    std::exit(2);
  }
  double per_s = static_cast<double>(events) / fold_s;
  report.members.push_back({"fold_events", fmt::format("{}", events)});
  report.members.push_back({"fold_events_per_s", fmt::format("{:.0f}", per_s)});
  report.members.push_back({"replay_with_snapshots_ms", fmt::format("{:.1f}", restart_ms)});
  report.members.push_back({"replay_tail_events", fmt::format("{}", fast.value().events_folded)});
  report.members.push_back({"fold_read_s", fmt::format("{:.3f}", read_s)});
  report.members.push_back({"fold_decode_s", fmt::format("{:.3f}", decode_s)});
  report.tables.push_back(
      fmt::format("fold: {} events (pod lifecycles, ~{} pods alive at the end)\n"
                  "  full fold (read + check + decode + apply):  {:.0f} events/s ({:.2f} s)\n"
                  "    of which reading + checking records {:.2f} s, decoding payloads {:.2f} s ({} records)\n"
                  "  restart with snapshots (open + newest snapshot + {} events): {:.1f} ms\n",
                  events, full.value().state.pods.size(), per_s, fold_s, read_s, decode_s, n / 2,
                  fast.value().events_folded, restart_ms));
}

}  // namespace berth::bench
