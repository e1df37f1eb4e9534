#include "tests/model/generators.hpp"

#include <array>
#include <iterator>

#include "actors/model/state.hpp"

namespace berth::model::testing {

std::uint64_t rng::next() {
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::int64_t rng::range(std::int64_t lo, std::int64_t hi) {
  auto span = static_cast<std::uint64_t>(hi - lo) + 1;
  return lo + static_cast<std::int64_t>(span == 0 ? next() : next() % span);
}

std::string rng::text(std::size_t max_len) {
  static const std::array<const char*, 12> k_pieces = {"a", "b", "z", "0", "9", "-", ".", " ", "/", "é", "✓", "Q"};
  std::string out;
  auto n = range(1, static_cast<std::int64_t>(max_len));
  for (std::int64_t i = 0; i < n; ++i) out += k_pieces[static_cast<std::size_t>(range(0, 11))];
  return out;
}

namespace {

std::int32_t some_i32(rng& g) { return static_cast<std::int32_t>(g.range(100, 60000)); }
std::int64_t some_i64(rng& g) { return g.range(1'000'000'000LL, 2'000'000'000'000'000'000LL); }

string_map some_map(rng& g) {
  string_map m;
  auto n = g.range(1, 3);
  for (std::int64_t i = 0; i < n; ++i) m[g.text(8)] = g.text(8);
  return m;
}

std::vector<std::string> some_strings(rng& g) {
  std::vector<std::string> v(static_cast<std::size_t>(g.range(1, 3)));
  for (auto& s : v) s = g.text();
  return v;
}

int_or_string some_port(rng& g) {
  if (g.chance(50)) return {static_cast<std::int32_t>(g.range(1, 65535))};
  return {g.text(6)};
}

resource_list some_resources(rng& g) {
  static const std::vector<std::string> k_names = {"cpu", "memory", "pods", "ephemeral-storage"};
  resource_list r;
  auto n = g.range(1, 3);
  for (std::int64_t i = 0; i < n; ++i) r[g.pick(k_names)] = full_quantity(g);
  return r;
}

probe some_probe(rng& g) {
  probe p;
  switch (g.range(0, 2)) {
    case 0: p.handler = exec_action{some_strings(g)}; break;
    case 1: p.handler = http_get_action{g.text(), some_port(g), g.text(), "HTTPS", {}}; break;
    default: p.handler = tcp_socket_action{some_port(g)}; break;
  }
  p.initial_delay_seconds = some_i32(g);
  p.timeout_seconds = some_i32(g);
  p.period_seconds = some_i32(g);
  p.success_threshold = some_i32(g);
  p.failure_threshold = some_i32(g);
  return p;
}

container some_container(rng& g) {
  container c;
  c.name = g.text();
  c.image = g.text();
  c.command = some_strings(g);
  c.args = some_strings(g);
  c.working_dir = g.text();
  c.env = {{g.text(), g.text()}, {g.text(), g.text()}};
  c.ports = {{g.text(), some_i32(g), some_i32(g), protocol::udp, g.text()}};
  c.resources = {some_resources(g), some_resources(g)};
  c.image_pull_policy = g.chance(50) ? pull_policy::always : pull_policy::never;
  c.liveness_probe = some_probe(g);
  c.readiness_probe = some_probe(g);
  if (g.chance(50)) {
    lifecycle lc;
    if (g.chance(50)) lc.post_start = some_probe(g).handler;
    if (g.chance(50)) {
      lc.pre_stop = http_get_action{g.text(), some_port(g), g.text(), "HTTP", {{g.text(), g.text()}}};
    }
    c.lifecycle_ = std::move(lc);
  }
  if (g.chance(50)) c.termination_message_path = g.text();
  if (g.chance(50)) c.termination_message_policy_ = termination_message_policy::fallback_to_logs_on_error;
  return c;
}

pod_spec some_pod_spec(rng& g) {
  pod_spec s;
  s.containers = {some_container(g)};
  if (g.chance(50)) s.containers.push_back(some_container(g));
  s.restart_policy_ = g.chance(50) ? restart_policy::on_failure : restart_policy::never;
  s.node_selector = some_map(g);
  s.node_name = g.text();
  s.host_network = true;
  s.termination_grace_period_seconds = g.range(31, 600);
  // Derived, not drawn: the generator's later draws stay as they were.
  s.active_deadline_seconds = s.termination_grace_period_seconds + 7;
  s.image_pull_secrets = {{"pull-" + s.node_name}};
  return s;
}

condition some_condition(rng& g) {
  static const std::vector<std::string> k_types = {"Ready", "PodScheduled", "ContainersReady", "Initialized"};
  return {g.pick(k_types), condition_status::is_false, g.text(), g.text(), some_i64(g), some_i64(g), some_i64(g)};
}

container_state some_container_state(rng& g) {
  switch (g.range(0, 3)) {
    case 0: return container_state_waiting{g.text(), g.text()};
    case 1: return container_state_running{some_i64(g)};
    case 2:
      return container_state_terminated{some_i32(g), some_i32(g), g.text(), g.text(),
                                        some_i64(g), some_i64(g), g.text()};
    default: return std::monostate{};
  }
}

pod_status some_pod_status(rng& g) {
  pod_status s;
  s.phase = static_cast<pod_phase>(g.range(1, 4));
  s.conditions = {some_condition(g), some_condition(g)};
  s.message = g.text();
  s.reason = g.text();
  s.host_ip = g.text();
  s.pod_ip = g.text();
  s.start_time = some_i64(g);
  s.container_statuses = {
      {g.text(), some_container_state(g), some_container_state(g), true, some_i32(g), g.text(), g.text(), g.text()}};
  return s;
}

object_reference some_ref(rng& g) { return {g.text(), g.text(), g.text(), g.text()}; }

endpoint_address some_address(rng& g) { return {g.text(), g.text(), some_ref(g)}; }

}  // namespace

quantity full_quantity(rng& g) {
  // Only canonical quantities survive a round trip unchanged (the text form
  // keeps no family for values like "1500m"): normalise through the text.
  quantity q;
  if (g.chance(50)) {
    q = {g.range(1, 1'000'000'000LL) * 1024 * 1000, quantity::suffix_family::binary};
  } else {
    q = {g.range(1, 1'000'000'000'000LL) * (g.chance(50) ? 1000 : 1), quantity::suffix_family::decimal};
  }
  return *parse_quantity(to_string(q));
}

object_meta full_meta(rng& g) {
  object_meta m;
  m.name = g.text();
  m.namespace_ = g.text();
  m.uid = g.text(20);
  m.resource_version = static_cast<std::uint64_t>(some_i64(g));
  m.generation = some_i64(g);
  m.creation_timestamp = some_i64(g);
  m.deletion_timestamp = some_i64(g);
  m.labels = some_map(g);
  m.annotations = some_map(g);
  m.owner_references = {{g.text(), g.text(), g.text(), g.text(), true}};
  m.generate_name = g.text();
  m.deletion_grace_period_seconds = some_i64(g);
  return m;
}

pod full_pod(rng& g) { return {full_meta(g), some_pod_spec(g), some_pod_status(g)}; }

replication_controller full_rc(rng& g) {
  replication_controller rc;
  rc.metadata = full_meta(g);
  rc.spec = {static_cast<std::int32_t>(g.range(2, 1000)), some_map(g), {full_meta(g), some_pod_spec(g)}};
  rc.status = {some_i32(g), some_i32(g), some_i64(g)};
  return rc;
}

service full_service(rng& g) {
  service s;
  s.metadata = full_meta(g);
  s.spec.ports = {{g.text(), protocol::udp, some_i32(g), some_port(g), some_i32(g)}};
  s.spec.selector = some_map(g);
  s.spec.cluster_ip = g.text();
  s.spec.type = g.chance(50) ? service_type::node_port : service_type::load_balancer;
  s.spec.session_affinity_ = session_affinity::client_ip;
  return s;
}

endpoints full_endpoints(rng& g) {
  endpoints e;
  e.metadata = full_meta(g);
  e.subsets = {{{some_address(g), some_address(g)}, {some_address(g)}, {{g.text(), some_i32(g), protocol::udp}}}};
  return e;
}

node full_node(rng& g) {
  node n;
  n.metadata = full_meta(g);
  n.spec = {true, g.text()};
  n.status.capacity = some_resources(g);
  n.status.allocatable = some_resources(g);
  n.status.conditions = {some_condition(g)};
  n.status.addresses = {{"InternalIP", g.text()}, {"Hostname", g.text()}};
  n.status.node_info = {g.text(), g.text(), g.text(), g.text(), g.text(), g.text(), g.text()};
  return n;
}

namespace {

api_object some_api_object(rng& g) {
  switch (g.range(0, 2)) {
    case 0: return full_pod(g);
    case 1: return full_rc(g);
    default: return full_service(g);
  }
}

reason some_reason(rng& g) { return {g.text(), g.text()}; }

node_readiness some_readiness(rng& g) { return {true, g.text(), g.text(), some_i64(g)}; }

namespace_object full_namespace(rng& g) {
  return {full_meta(g), {g.chance(50) ? namespace_phase::terminating : namespace_phase::active}};
}

secret full_secret(rng& g) {
  secret x;
  x.metadata = full_meta(g);
  x.type = g.text();
  x.data[g.text(3)] = g.text(5);
  x.sealed = {g.text(8), g.text(12), g.text(30)};
  return x;
}

limit_range full_limit_range(rng& g) {
  limit_range x;
  x.metadata = full_meta(g);
  x.limits.push_back({g.text(), some_resources(g), some_resources(g), some_resources(g), some_resources(g),
                      some_resources(g)});
  return x;
}

resource_quota full_resource_quota(rng& g) {
  resource_quota x;
  x.metadata = full_meta(g);
  x.hard = some_resources(g);
  if (g.chance(50)) x.status = {some_resources(g), some_resources(g)};
  return x;
}

persistent_volume full_volume(rng& g) {
  persistent_volume x;
  x.metadata = full_meta(g);
  x.spec.capacity = some_resources(g);
  x.spec.access_modes = {g.text(), g.text()};
  x.spec.policy = static_cast<reclaim_policy>(g.range(0, 2));
  if (g.chance(50)) x.spec.claim_ref = some_ref(g);
  if (g.chance(50))
    x.spec.source = host_path_volume{g.text()};
  else
    x.spec.source = nfs_volume{g.text(), g.text(), g.chance(50)};
  x.status = {static_cast<volume_phase>(g.range(0, 4)), g.text(), g.text()};
  return x;
}

persistent_volume_claim full_claim(rng& g) {
  persistent_volume_claim x;
  x.metadata = full_meta(g);
  x.spec.access_modes = {g.text()};
  x.spec.resources = {some_resources(g), some_resources(g)};
  x.spec.volume_name = g.text();
  x.status = {static_cast<claim_phase>(g.range(0, 2)), {g.text()}, some_resources(g)};
  return x;
}

pod_template full_pod_template(rng& g) {
  pod_template x;
  x.metadata = full_meta(g);
  auto p = full_pod(g);
  x.template_ = {p.metadata, p.spec};
  return x;
}

event_payload full_payload(rng& g, std::uint16_t type) {
  switch (type) {
    case 0: return object_created{some_api_object(g)};
    case 1: return object_replaced{some_api_object(g)};
    case 2: return object_deleted{g.range(1, 3600), g.chance(50)};
    case 3: return rc_scaled{static_cast<std::int32_t>(g.range(2, 1000))};
    case 4: return pod_created{full_pod(g)};
    case 5: return pod_bound{g.text()};
    case 6: return pod_unschedulable{some_reason(g)};
    case 7: return pod_evicted{some_reason(g)};
    case 8: return pod_removed{some_reason(g)};
    case 9: return endpoints_updated{full_endpoints(g)};
    case 10: return node_readiness_decided{some_readiness(g)};
    case 11: return node_registered{full_node(g)};
    case 12: return node_readiness_observed{some_readiness(g)};
    case 13: return pod_status_observed{some_pod_status(g)};
    case 15: return node_heartbeat{some_i64(g)};
    case 16: return node_unschedulable{g.range(0, 1) == 1};
    case 17: return namespace_created{full_namespace(g)};
    case 18: return namespace_replaced{full_namespace(g)};
    case 19: return namespace_removed{some_reason(g)};
    case 20: return secret_created{full_secret(g)};
    case 21: return secret_replaced{full_secret(g)};
    case 22: return secret_removed{some_reason(g)};
    case 23: return endpoints_replaced{full_endpoints(g)};
    case 24: return endpoints_removed{some_reason(g)};
    case 25: return reserved_event<25>{};
    case 26: return limit_range_created{full_limit_range(g)};
    case 27: return limit_range_replaced{full_limit_range(g)};
    case 28: return limit_range_removed{some_reason(g)};
    case 29: return resource_quota_created{full_resource_quota(g)};
    case 30: return resource_quota_replaced{full_resource_quota(g)};
    case 31: return resource_quota_removed{some_reason(g)};
    case 32: return pod_create_refused{some_reason(g)};
    case 33: return pod_event_observed{g.text(), g.text(), g.text()};
    case 34: return persistent_volume_created{full_volume(g)};
    case 35: return persistent_volume_replaced{full_volume(g)};
    case 36: return persistent_volume_removed{some_reason(g)};
    case 37: return persistent_volume_claim_created{full_claim(g)};
    case 38: return persistent_volume_claim_replaced{full_claim(g)};
    case 39: return persistent_volume_claim_removed{some_reason(g)};
    case 40: return volume_claim_bound{g.text()};
    case 41: return volume_recycled{some_reason(g)};
    case 42: return volume_reclaim_failed{some_reason(g)};
    case 43: return pod_template_created{full_pod_template(g)};
    case 44: return pod_template_replaced{full_pod_template(g)};
    case 45: return pod_template_removed{some_reason(g)};
    default: return pod_deleted{some_reason(g)};
  }
}

}  // namespace

event full_event(rng& g, std::uint16_t type) {
  event e;
  e.seq = static_cast<std::uint64_t>(some_i64(g));
  e.time = some_i64(g);
  e.header = {some_ref(g), g.text(), static_cast<std::uint64_t>(some_i64(g))};
  e.payload = full_payload(g, type);
  return e;
}

}  // namespace berth::model::testing
