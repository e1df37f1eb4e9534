// The berthd crash campaign (tools/chaos/crash): rounds of `kill -9` at a
// random moment while clients create, delete and scale and hollow nodes bind
// and report. After every restart it checks etcd's promise, as a client can
// see it:
//   - every acknowledged write is in the journal at the seq it was acknowledged
//     with (the record there decodes and names that object), and the journal
//     reaches at least the highest acknowledged seq;
//   - the state shows it: an acknowledged create exists unless an acknowledged
//     delete followed, an acknowledged delete is gone or terminating, an RC
//     has the replicas of its last acknowledged scale;
//   - no pod is created twice: once nodes are back, every RC converges to
//     exactly its replicas;
//   - berthd opens the journal checking every record (the default), so a
//     restart that serves at all found no damage.
// Exit status 0 only when nothing was lost or duplicated. `--json` prints one
// object: rounds, acknowledged, lost, duplicated, not_converged,
// restart_ms_p50, restart_ms_max.
#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "actors/manifest/decode.hpp"
#include "actors/model/codec.hpp"
#include "journal/record.hpp"
#include "cli/client.hpp"
#include "node-agent/hollow/hollow_fleet.hpp"
#include "tests/integration/berthd_process.hpp"
#include "tests/integration/rpc_security_of.hpp"

using namespace berth;

namespace {

struct options {
  int rounds = 100;
  int clients = 4;
  int nodes = 5;
  bool json = false;
  std::string berthd;
};

/// One write: acknowledged (seq > 0), or in flight when berthd died (seq 0:
/// it may or may not have become durable, and either is right).
struct acked {
  enum class op { create_pod, delete_pod, create_rc, scale_rc } what;
  std::string name;
  std::int32_t replicas = 0;  // create_rc, scale_rc
  std::uint64_t seq = 0;
};

actors::any_object decode_one(const std::string& yaml) {
  auto r = manifest::decode_manifests(yaml, "crash.yaml");
  if (!r.ok() || r.objects.size() != 1) throw std::runtime_error("bad manifest in the campaign itself");
  return std::visit([](const auto& o) { return actors::any_object(o); }, r.objects[0].object);
}

std::string pod_yaml(const std::string& name) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name +
         "\nspec:\n  containers:\n  - name: c\n    image: busybox\n    resources:\n      requests:\n        cpu: 1m\n";
}

std::string rc_yaml(const std::string& name, int replicas) {
  return "apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: " + name + "\nspec:\n  replicas: " +
         std::to_string(replicas) + "\n  template:\n    metadata:\n      labels:\n        rc: " + name +
         "\n    spec:\n      containers:\n      - name: c\n        image: busybox\n        resources:\n"
         "          requests:\n            cpu: 1m\n";
}

actors::object_key pod_key(const std::string& n) { return {actors::kind::pod, "default", n}; }
actors::object_key rc_key(const std::string& n) { return {actors::kind::replication_controller, "default", n}; }

agent::hollow_config fleet_of(const testing::berthd_process& b, int n) {
  agent::hollow_config c;
  c.server = b.rpc_address();
  c.security = testing::security_of(b);
  c.token = b.node_token();
  for (int i = 1; i <= n; ++i) c.nodes.push_back({"crash-n" + std::to_string(i), "64", "64Gi", 500, {}});
  return c;
}

/// One client's writes until berthd dies: acknowledged ones go into `out`.
void client_loop(const testing::berthd_process& b, int round, int id, std::uint64_t seed, std::vector<acked>& out) {
  std::mt19937_64 rng(seed);
  acked in_flight{acked::op::create_pod, "", 0, 0};
  try {
    cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
    std::vector<std::string> pods, rcs;
    for (int n = 0;; ++n) {
      const auto name = fmt::format("r{}-c{}-{}", round, id, n);
      const auto pick = rng() % 10;
      // As many pod deletes as creates, so that the cluster stays the same size over many rounds.
      if (pick < 3 || (pick < 6 && pods.empty())) {
        in_flight = {acked::op::create_pod, name, 0, 0};
        auto o = c.create(decode_one(pod_yaml(name)));
        if (o.result == actors::outcome::code::ok) out.push_back({acked::op::create_pod, name, 0, o.seq}), pods.push_back(name);
      } else if (pick < 6) {
        auto victim = pods[rng() % pods.size()];
        in_flight = {acked::op::delete_pod, victim, 0, 0};
        auto o = c.remove(pod_key(victim), 0);
        if (o.result == actors::outcome::code::ok) out.push_back({acked::op::delete_pod, victim, 0, o.seq});
        pods.erase(std::find(pods.begin(), pods.end(), victim));
      } else if (pick < 8 || rcs.empty()) {
        const int replicas = static_cast<int>(rng() % 4);
        in_flight = {acked::op::create_rc, name, replicas, 0};
        auto o = c.create(decode_one(rc_yaml(name, replicas)));
        if (o.result == actors::outcome::code::ok) out.push_back({acked::op::create_rc, name, replicas, o.seq}), rcs.push_back(name);
      } else {
        const auto rc = rcs[rng() % rcs.size()];
        const int replicas = static_cast<int>(rng() % 5);
        in_flight = {acked::op::scale_rc, rc, replicas, 0};
        auto o = c.scale(rc_key(rc), replicas);
        if (o.result == actors::outcome::code::ok) out.push_back({acked::op::scale_rc, rc, replicas, o.seq});
      }
    }
  } catch (const std::exception&) {
    // berthd was killed: the write in flight may or may not be there.
    if (!in_flight.name.empty()) out.push_back(in_flight);
  }
}

struct tally {
  std::uint64_t acknowledged = 0, lost = 0, duplicated = 0, not_converged = 0;
  std::vector<double> restart_ms;
};

/// Checks every write acknowledged so far against the restarted berthd: the
/// records of the writes from `first_new` on (earlier ones were read back
/// after earlier restarts, and records never change), and the state of every
/// object.
void check(const testing::berthd_process& b, const std::vector<acked>& all, std::size_t first_new, tally& t) {
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  std::uint64_t max_seq = 0;
  // The last acknowledged write of each object; objects whose later write
  // was in flight at a kill may show either state and are not judged.
  std::map<std::string, const acked*> last_of_pod, last_of_rc;
  std::set<std::string> uncertain;
  for (const auto& a : all) {
    if (a.seq == 0) {
      uncertain.insert(a.name);
      continue;
    }
    max_seq = std::max(max_seq, a.seq);
    uncertain.erase(a.name);
    (a.what == acked::op::create_pod || a.what == acked::op::delete_pod ? last_of_pod : last_of_rc)[a.name] = &a;
  }
  if (c.version().journal_seq < max_seq) {
    fmt::print(stderr, "crash: journal ends at {}, below the acknowledged seq {}\n", c.version().journal_seq, max_seq);
    ++t.lost;
  }
  auto lost = [&](const acked& a, const std::string& why) {
    fmt::print(stderr, "crash: lost {} (seq {}): {}\n", a.name, a.seq, why);
    ++t.lost;
  };
  for (std::size_t i = first_new; i < all.size(); ++i) {
    const auto& a = all[i];
    if (a.seq == 0) continue;
    // The journal holds, at the acknowledged seq, an event about that very object.
    auto stored = c.journal_read(a.seq, 1);
    if (stored.empty() || journal::decode_key(stored[0].key) != a.seq) {
      lost(a, "no record at its seq");
      continue;
    }
    auto frame = journal::decode_event_frame(a.seq, stored[0].value);
    if (!frame) {
      lost(a, "its record does not decode: " + frame.err().reason);
      continue;
    }
    std::string error;
    auto e = model::decode_event(a.seq, frame.value().time_ns, frame.value().type, frame.value().payload, &error);
    if (!e || e->header.object.name != a.name) lost(a, "the record at its seq is about something else " + error);
  }
  std::map<std::string, model::pod> pods;
  for (auto& o : c.list(actors::kind::pod, "default").items) {
    auto& p = std::get<model::pod>(o);
    pods.emplace(p.metadata.name, std::move(p));
  }
  std::map<std::string, model::replication_controller> rcs;
  for (auto& o : c.list(actors::kind::replication_controller, "default").items) {
    auto& rc = std::get<model::replication_controller>(o);
    rcs.emplace(rc.metadata.name, std::move(rc));
  }
  for (const auto& [name, a] : last_of_pod) {
    if (uncertain.count(name)) continue;
    auto it = pods.find(name);
    const bool exists = it != pods.end();
    const bool terminating = exists && it->second.metadata.deletion_timestamp != 0;
    if (a->what == acked::op::create_pod && (!exists || terminating)) lost(*a, "created, but gone");
    if (a->what == acked::op::delete_pod && exists && !terminating) lost(*a, "deleted, but still there");
  }
  for (const auto& [name, a] : last_of_rc) {
    if (uncertain.count(name)) continue;
    auto it = rcs.find(name);
    if (it == rcs.end()) {
      lost(*a, "RC gone");
      continue;
    }
    if (it->second.spec.replicas != a->replicas)
      lost(*a, fmt::format("replicas {} instead of {}", it->second.spec.replicas, a->replicas));
  }
  t.acknowledged = static_cast<std::uint64_t>(std::count_if(all.begin(), all.end(), [](const acked& a) { return a.seq != 0; }));
}

/// Once nodes are back, every RC has exactly its replicas, none twice.
void check_converged(const testing::berthd_process& b, const std::vector<acked>& all, tally& t) {
  cli::client c(b.rpc_address(), b.admin_token(), testing::security_of(b));
  std::set<std::string> rcs;
  for (const auto& a : all)
    if (a.what == acked::op::create_rc || a.what == acked::op::scale_rc) rcs.insert(a.name);
  for (const auto& name : rcs) {
    // What the RC asks for as stored (check() compared it with the acknowledged writes).
    auto got = c.get(rc_key(name));
    if (got.result != actors::outcome::code::ok) continue;  // a create in flight that did not land
    const auto replicas = std::get<model::replication_controller>(*got.object).spec.replicas;
    std::size_t active = 0;
    const bool ok = testing::eventually(
        [&] {
          active = 0;
          for (const auto& o : c.list(actors::kind::pod, "default", "rc=" + name).items)
            if (std::get<model::pod>(o).metadata.deletion_timestamp == 0) ++active;
          return active == static_cast<std::size_t>(replicas);
        },
        30);
    if (!ok) {
      fmt::print(stderr, "crash: RC {} has {} active pods, wants {}\n", name, active, replicas);
      if (active > static_cast<std::size_t>(replicas)) ++t.duplicated; else ++t.not_converged;
    }
  }
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

int run(const options& o) {
  if (!o.berthd.empty()) ::setenv("BERTHD", o.berthd.c_str(), 1);
  testing::berthd_process b(testing::make_temp_dir("berth-crash"), {"--snapshot-every", "500"});
  b.start();
  std::mt19937_64 rng(20261206);
  std::vector<acked> all;
  std::size_t checked_from = 0;
  tally t;
  for (int round = 1; round <= o.rounds; ++round) {
    {
      agent::hollow_fleet fleet(fleet_of(b, o.nodes));
      if (auto why = fleet.start(); !why.empty()) throw std::runtime_error("hollow nodes: " + why);
      std::vector<std::vector<acked>> per_client(static_cast<std::size_t>(o.clients));
      std::vector<std::thread> threads;
      for (int i = 0; i < o.clients; ++i)
        threads.emplace_back(client_loop, std::cref(b), round, i, rng(), std::ref(per_client[static_cast<std::size_t>(i)]));
      std::this_thread::sleep_for(std::chrono::milliseconds(200 + rng() % 800));
      b.kill9();
      for (auto& th : threads) th.join();
      checked_from = all.size();
      for (auto& v : per_client) all.insert(all.end(), v.begin(), v.end());
    }
    const auto started = std::chrono::steady_clock::now();
    b.start();
    t.restart_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count());
    check(b, all, checked_from, t);
    if (!o.json)
      fmt::print("round {:3}: {:6} acknowledged so far, restart {:6.1f} ms, lost {}\n", round, t.acknowledged,
                 t.restart_ms.back(), t.lost);
  }
  {
    agent::hollow_fleet fleet(fleet_of(b, o.nodes));
    if (auto why = fleet.start(); !why.empty()) throw std::runtime_error("hollow nodes: " + why);
    check_converged(b, all, t);
  }
  const double p50 = percentile(t.restart_ms, 0.5), max = percentile(t.restart_ms, 1.0);
  if (o.json)
    fmt::print("{{\"rounds\":{},\"acknowledged\":{},\"lost\":{},\"duplicated\":{},\"not_converged\":{},"
               "\"restart_ms_p50\":{:.1f},\"restart_ms_max\":{:.1f}}}\n",
               o.rounds, t.acknowledged, t.lost, t.duplicated, t.not_converged, p50, max);
  else
    fmt::print("{} rounds: {} writes acknowledged, {} lost, {} duplicated, {} RCs not converged; restart p50 {:.1f} "
               "ms, max {:.1f} ms\n",
               o.rounds, t.acknowledged, t.lost, t.duplicated, t.not_converged, p50, max);
  return t.lost == 0 && t.duplicated == 0 && t.not_converged == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(a + ": needs a value");
      return argv[++i];
    };
    try {
      if (a == "--rounds") o.rounds = std::stoi(value());
      else if (a == "--clients") o.clients = std::stoi(value());
      else if (a == "--nodes") o.nodes = std::stoi(value());
      else if (a == "--berthd") o.berthd = value();
      else if (a == "--json") o.json = true;
      else throw std::invalid_argument("unknown flag " + a);
      if (o.rounds < 1 || o.clients < 1 || o.nodes < 1) throw std::invalid_argument(a + ": must be at least 1");
    } catch (const std::exception& e) {
      fmt::print(stderr, "crash_campaign: {}\nUsage: crash_campaign [--rounds N] [--clients N] [--nodes N] "
                         "[--berthd PATH] [--json]\n", e.what());
      return 2;
    }
  }
  try {
    return run(o);
  } catch (const std::exception& e) {
    fmt::print(stderr, "crash_campaign: {}\n", e.what());
    return 2;
  }
}
