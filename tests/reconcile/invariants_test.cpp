// Randomized invariant tests (Nomad style): random inputs from fixed seeds,
// properties that must hold for every one of them. On failure the seed and
// the plan are printed, so the case can be replayed as a table test.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>

#include "actors/reconcile/endpoints.hpp"
#include "actors/reconcile/field_selector.hpp"
#include "actors/reconcile/reconcile_rc.hpp"
#include "actors/reconcile/schedule.hpp"
#include "actors/reconcile/selector.hpp"
#include "tests/reconcile/fixtures.hpp"

namespace berth::reconcile {
namespace {

constexpr int k_rounds = 300;

/// std:: distributions differ between library versions; modulo keeps runs identical.
struct rng {
  std::mt19937_64 gen;
  explicit rng(std::uint64_t seed) : gen(seed) {}
  std::uint64_t below(std::uint64_t n) { return gen() % n; }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
};

const std::vector<model::pod_phase> k_phases = {model::pod_phase::pending, model::pod_phase::running,
                                                model::pod_phase::running, model::pod_phase::succeeded,
                                                model::pod_phase::failed,  model::pod_phase::unknown};

// ------------------------------------------------------------------------ RC

std::vector<model::pod> random_rc_pods(rng& r, const model::replication_controller& rc) {
  std::vector<model::pod> pods;
  const auto n = r.below(13);
  for (std::uint64_t i = 0; i < n; ++i) {
    auto p = test::rc_pod(rc, "web-" + std::to_string(i), static_cast<model::time_ns>(r.below(5)));
    if (r.chance(20)) test::set_owner(p, "other", "other-uid");
    if (r.chance(10)) p.metadata.owner_references.clear();
    if (r.chance(10)) p.metadata.namespace_ = "elsewhere";
    if (r.chance(15)) p.metadata.deletion_timestamp = 1;
    if (r.chance(30)) p.spec.node_name.clear();
    p.status.phase = r.pick(k_phases);
    test::set_ready(p, r.chance(60));
    pods.push_back(std::move(p));
  }
  return pods;
}

std::size_t count_active(const model::replication_controller& rc, const std::vector<model::pod>& pods) {
  return static_cast<std::size_t>(std::count_if(pods.begin(), pods.end(), [&](const auto& p) {
    const auto* c = controller_of(p);
    return c && c->uid == rc.metadata.uid && p.metadata.namespace_ == rc.metadata.namespace_ && is_active(p);
  }));
}

/// The world after the plan: created pods added, deleted pods terminating or gone.
std::vector<model::pod> apply_plan(std::vector<model::pod> pods, const rc_plan& plan, bool remove_now) {
  for (const auto& d : plan.remove) {
    auto it = std::find_if(pods.begin(), pods.end(), [&](const auto& p) { return ref_of(p) == d.pod; });
    REQUIRE(it != pods.end());
    if (remove_now) {
      pods.erase(it);
    } else {
      it->metadata.deletion_timestamp = 99;
    }
  }
  for (const auto& c : plan.create) pods.push_back(c.pod);
  return pods;
}

// ------------------------------------------------------------------ schedule

model::node random_node(rng& r, int i) {
  auto n = test::make_node("n" + std::to_string(i), std::to_string(1 + r.below(4)),
                           std::to_string(1 + r.below(4)) + "Gi", std::to_string(r.below(6)), r.chance(85));
  n.spec.unschedulable = r.chance(10);
  if (r.chance(50)) n.metadata.labels["zone"] = r.chance(50) ? "a" : "b";
  return n;
}

model::pod random_pending_pod(rng& r, int i) {
  auto p = test::make_pod("p" + std::to_string(i));
  if (r.chance(80))
    p.spec.containers[0].resources.requests["cpu"] = test::q(std::to_string(100 * (1 + r.below(15))) + "m");
  if (r.chance(80))
    p.spec.containers[0].resources.requests["memory"] = test::q(std::to_string(64 * (1 + r.below(16))) + "Mi");
  if (r.chance(20)) p.spec.node_selector["zone"] = r.chance(50) ? "a" : "b";
  if (r.chance(20))
    p.spec.containers[0].ports.push_back(
        {"", 80, static_cast<std::int32_t>(8000 + r.below(3)), model::protocol::tcp, ""});
  if (r.chance(50)) test::set_owner(p, "rc", "rc-" + std::to_string(r.below(3)));
  p.metadata.creation_timestamp = static_cast<model::time_ns>(r.below(4));
  return p;
}

/// The filters, restated independently of check_fit.
bool fits_by_hand(const model::pod& p, const node_info& info) {
  const auto& n = info.node;
  if (!model::is_node_ready(n) || n.spec.unschedulable) return false;
  for (const auto& [k, v] : p.spec.node_selector) {
    auto it = n.metadata.labels.find(k);
    if (it == n.metadata.labels.end() || it->second != v) return false;
  }
  for (const auto& c : p.spec.containers) {
    for (const auto& port : c.ports) {
      if (port.host_port != 0 && info.used_ports.count({port.protocol_, "", port.host_port})) return false;
    }
  }
  const auto req = pod_requests(p);
  return info.pod_count < info.allowed_pods && info.requested.milli_cpu + req.milli_cpu <= info.allocatable.milli_cpu &&
         info.requested.memory + req.memory <= info.allocatable.memory;
}

// ----------------------------------------------------------------- endpoints

model::pod random_endpoint_pod(rng& r, int i) {
  auto p = test::running_pod("p" + std::to_string(i), r.chance(85) ? "10.0.0." + std::to_string(r.below(8)) : "");
  p.metadata.namespace_ = r.chance(85) ? "default" : "other";
  p.metadata.labels["app"] = r.chance(70) ? "web" : "api";
  if (r.chance(50)) p.metadata.labels["tier"] = r.chance(50) ? "fe" : "be";
  if (r.chance(10)) p.metadata.deletion_timestamp = 1;
  p.status.phase = r.pick(k_phases);
  test::set_ready(p, r.chance(60));
  if (r.chance(70))
    p.spec.containers[0].ports.push_back(
        {"http", static_cast<std::int32_t>(8080 + r.below(2)), 0, model::protocol::tcp, ""});
  return p;
}

// ------------------------------------------------------------------ selectors

const std::vector<std::string> k_keys = {"a", "app", "tier", "x.io/name", "k-8_s"};
const std::vector<std::string> k_values = {"", "web", "fe", "v1.2", "a_b"};

label_selector random_selector(rng& r) {
  label_selector s;
  const auto n = r.below(5);
  for (std::uint64_t i = 0; i < n; ++i) {
    label_requirement q{r.pick(k_keys), static_cast<selector_op>(r.below(6)), {}};
    if (q.op == selector_op::equals || q.op == selector_op::not_equals) q.values = {r.pick(k_values)};
    if (q.op == selector_op::in || q.op == selector_op::not_in) {
      for (auto m = 1 + r.below(3); m > 0; --m) {
        auto v = r.pick(k_values);
        if (!v.empty()) q.values.push_back(v);  // sets hold non-empty values only
      }
      if (q.values.empty()) q.values = {"web"};
    }
    s.requirements.push_back(std::move(q));
  }
  return s;
}

model::string_map random_labels(rng& r) {
  model::string_map labels;
  for (const auto& k : k_keys) {
    if (r.chance(50)) labels[k] = r.pick(k_values);
  }
  return labels;
}

}  // namespace

TEST_CASE("rc_plans_create_exactly_the_missing_replicas_and_converge") {
  for (int round = 0; round < k_rounds; ++round) {
    rng r(1000 + round);
    const auto rc = test::make_rc("web", static_cast<std::int32_t>(r.below(9)));
    const auto pods = random_rc_pods(r, rc);
    name_generator names(round);
    const auto plan = reconcile_rc(rc, pods, 10, names);
    INFO("seed ", 1000 + round, "\n", plan.to_string());
    const auto active = count_active(rc, pods);
    const auto wanted = static_cast<std::size_t>(rc.spec.replicas);
    CHECK(plan.create.size() == (active < wanted ? wanted - active : 0));
    CHECK(plan.remove.size() == (active > wanted ? active - wanted : 0));
    CHECK(plan.status.replicas == static_cast<std::int32_t>(active));

    std::set<std::string> names_in_ns;
    for (const auto& p : pods) {
      if (p.metadata.namespace_ == "default") names_in_ns.insert(p.metadata.name);
    }
    for (const auto& c : plan.create) CHECK(names_in_ns.insert(c.pod.metadata.name).second);
    for (const auto& d : plan.remove) {
      auto it = std::find_if(pods.begin(), pods.end(), [&](const auto& p) { return ref_of(p) == d.pod; });
      REQUIRE(it != pods.end());
      CHECK(is_active(*it));
      CHECK(controller_of(*it)->uid == rc.metadata.uid);
    }
    for (bool remove_now : {false, true}) {
      name_generator again(round + 1);
      const auto next = reconcile_rc(rc, apply_plan(pods, plan, remove_now), 20, again);
      CHECK_MESSAGE(next.empty(), next.to_string());
      CHECK(next.status.replicas == rc.spec.replicas);
    }
  }
}

TEST_CASE("schedule_never_picks_a_node_failing_a_filter_and_batches_never_overfill") {
  for (int round = 0; round < k_rounds; ++round) {
    rng r(5000 + round);
    std::vector<model::node> nodes;
    for (int i = 0, n = static_cast<int>(r.below(5)); i < n; ++i) nodes.push_back(random_node(r, i));
    std::vector<model::pod> pods;
    for (int i = 0, n = static_cast<int>(r.below(12)); i < n; ++i) pods.push_back(random_pending_pod(r, i));
    const auto infos = build_node_infos(nodes, {});

    for (const auto& p : pods) {
      const auto where = schedule_one(p, infos);
      const bool any_fits = std::any_of(infos.begin(), infos.end(), [&](const auto& i) { return fits_by_hand(p, i); });
      CHECK(where.ok() == any_fits);
      if (!where.ok()) continue;
      auto it = std::find_if(infos.begin(), infos.end(),
                             [&](const auto& i) { return i.node.metadata.name == where.node_name; });
      REQUIRE(it != infos.end());
      CHECK(fits_by_hand(p, *it));
    }

    const auto plan = schedule_batch(pods, infos);
    INFO("seed ", 5000 + round, "\n", plan.to_string());
    CHECK(plan.bindings.size() + plan.failures.size() == pods.size());
    auto bound = pods;
    for (const auto& b : plan.bindings) {
      auto it = std::find_if(bound.begin(), bound.end(), [&](const auto& p) { return ref_of(p) == b.pod; });
      REQUIRE(it != bound.end());
      it->spec.node_name = b.node_name;
    }
    const auto after = build_node_infos(nodes, bound);
    CHECK(after == plan.nodes);
    for (const auto& info : after) {
      CHECK(info.requested.milli_cpu <= info.allocatable.milli_cpu);
      CHECK(info.requested.memory <= info.allocatable.memory);
      CHECK(info.pod_count <= info.allowed_pods);
      if (info.pod_count > 0) {
        CHECK(model::is_node_ready(info.node));
        CHECK_FALSE(info.node.spec.unschedulable);
      }
    }
    for (const auto& b : plan.bindings) {
      auto it = std::find_if(bound.begin(), bound.end(), [&](const auto& p) { return ref_of(p) == b.pod; });
      for (const auto& [k, v] : it->spec.node_selector) {
        auto node =
            std::find_if(nodes.begin(), nodes.end(), [&](const auto& n) { return n.metadata.name == b.node_name; });
        CHECK(node->metadata.labels.count(k) == 1);
        CHECK(node->metadata.labels.at(k) == v);
      }
    }
    // Host ports: no two pods on one node hold the same port.
    std::set<std::pair<std::string, std::int32_t>> held;
    for (const auto& p : bound) {
      for (const auto& port : p.spec.containers[0].ports) {
        if (!p.spec.node_name.empty()) CHECK(held.insert({p.spec.node_name, port.host_port}).second);
      }
    }
  }
}

TEST_CASE("endpoints_hold_only_matching_serving_pods_and_ignore_input_order") {
  for (int round = 0; round < k_rounds; ++round) {
    rng r(9000 + round);
    model::service svc;
    svc.metadata.name = "web";
    svc.metadata.namespace_ = "default";
    svc.spec.selector = {{"app", "web"}};
    if (r.chance(50)) svc.spec.selector["tier"] = "fe";
    model::service_port named;
    named.name = "http";
    named.port = 80;
    named.target_port.value = std::string("http");
    if (r.chance(70)) svc.spec.ports.push_back(named);
    if (r.chance(50)) svc.spec.ports.push_back({"metrics", model::protocol::tcp, 9100, {9100}, 0});

    std::vector<model::pod> pods;
    for (int i = 0, n = static_cast<int>(r.below(10)); i < n; ++i) pods.push_back(random_endpoint_pod(r, i));
    const auto e = compute_endpoints(svc, pods);
    REQUIRE(e.has_value());
    INFO("seed ", 9000 + round);

    std::set<std::string> listed;
    for (const auto& subset : e->subsets) {
      CHECK((subset.addresses.size() + subset.not_ready_addresses.size()) > 0);
      for (const auto* list : {&subset.addresses, &subset.not_ready_addresses}) {
        for (const auto& a : *list) {
          CHECK(listed.insert(a.target_ref.name).second);  // each pod once
          auto it = std::find_if(pods.begin(), pods.end(),
                                 [&](const auto& p) { return p.metadata.name == a.target_ref.name; });
          REQUIRE(it != pods.end());
          CHECK(it->metadata.namespace_ == "default");
          CHECK(matches(from_map(svc.spec.selector), it->metadata.labels));
          CHECK(is_active(*it));
          CHECK(it->status.pod_ip == a.ip);
          CHECK(model::is_pod_ready(*it) == (list == &subset.addresses));
        }
      }
    }
    // Every serving pod with a resolvable port is listed.
    for (const auto& p : pods) {
      const bool serving = p.metadata.namespace_ == "default" && is_active(p) && !p.status.pod_ip.empty() &&
                           matches(from_map(svc.spec.selector), p.metadata.labels);
      const bool has_port =
          svc.spec.ports.empty() || std::any_of(svc.spec.ports.begin(), svc.spec.ports.end(),
                                                [&](const auto& sp) { return resolve_target_port(sp, p).has_value(); });
      CHECK(listed.count(p.metadata.name) == ((serving && has_port) ? 1u : 0u));
    }
    for (int shuffle = 0; shuffle < 3; ++shuffle) {
      auto permuted = pods;
      std::shuffle(permuted.begin(), permuted.end(), r.gen);
      CHECK(compute_endpoints(svc, permuted) == e);
    }
  }
}

TEST_CASE("label_selectors_round_trip_through_their_text") {
  for (int round = 0; round < k_rounds; ++round) {
    rng r(13000 + round);
    const auto s = random_selector(r);
    const auto text = to_string(s);
    INFO("seed ", 13000 + round, " text: ", text);
    const auto parsed = parse_label_selector(text);
    REQUIRE_MESSAGE(parsed.ok(), parsed.error());
    CHECK(to_string(parsed.value()) == to_string(parse_label_selector(to_string(parsed.value())).value()));
    CHECK(parse_label_selector(to_string(parsed.value())) == parsed);
    for (int i = 0; i < 5; ++i) {
      const auto labels = random_labels(r);
      CHECK(matches(parsed.value(), labels) == matches(s, labels));
    }
  }
}

TEST_CASE("field_selectors_round_trip_through_their_text") {
  const std::vector<std::string> values = {"", "n1", "Running", "web-1", "kube-system"};
  for (int round = 0; round < k_rounds; ++round) {
    rng r(17000 + round);
    field_selector s;
    for (auto n = r.below(4); n > 0; --n) {
      s.requirements.push_back({static_cast<pod_field>(r.below(4)), r.chance(50), r.pick(values)});
    }
    const auto parsed = parse_field_selector(to_string(s));
    INFO("seed ", 17000 + round, " text: ", to_string(s));
    REQUIRE_MESSAGE(parsed.ok(), parsed.error());
    CHECK(parsed.value() == s);
  }
}

}  // namespace berth::reconcile
