// Rendering as Kubernetes-shaped YAML/JSON, and the decode(render(x)) round trip.
#include <doctest/doctest.h>

#include <random>

#include "actors/manifest/defaults.hpp"
#include "actors/manifest/validate.hpp"
#include "actors/manifest/render.hpp"
#include "actors/manifest/timestamp.hpp"
#include "tests/manifest/test_util.hpp"

using namespace berth;
using namespace berth::manifest;

namespace {

constexpr model::time_ns k_t0 = 1'795'687'200'000'000'000;  // 2026-11-26T10:00:00Z
constexpr model::time_ns k_second = 1'000'000'000;

model::quantity q(const char* text) { return *model::parse_quantity(text); }

model::container container(const char* name, const char* image) {
  model::container c;
  c.name = name;
  c.image = image;
  return c;
}

/// A decoded pod, RC or service as the api_object the renderer takes.
model::api_object as_api_object(const manifest_object& o) {
  REQUIRE_FALSE(std::holds_alternative<model::namespace_object>(o));
  REQUIRE_FALSE(std::holds_alternative<model::secret>(o));
  REQUIRE_FALSE(std::holds_alternative<model::limit_range>(o));
  REQUIRE_FALSE(std::holds_alternative<model::resource_quota>(o));
  REQUIRE_FALSE(std::holds_alternative<model::endpoints>(o));
  return std::visit(
      [](const auto& x) -> model::api_object {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, model::pod> || std::is_same_v<T, model::replication_controller> ||
                      std::is_same_v<T, model::service>)
          return x;
        else
          return model::pod{};  // not reached: the texts here are pods, RCs and services
      },
      o);
}

model::api_object decode_single(const std::string& text, const char* source) {
  auto r = decode_manifests(text, source);
  REQUIRE(r.error_strings() == std::vector<std::string>{});
  REQUIRE(r.objects.size() == 1);
  return as_api_object(r.objects[0].object);
}

}  // namespace

TEST_CASE("timestamps format as RFC 3339 UTC seconds and parse back, offsets and fractions included") {
  CHECK(format_rfc3339(k_t0 + 15 * 60 * k_second + 123) == "2026-11-26T10:15:00Z");
  CHECK(format_rfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339(-1) == "1969-12-31T23:59:59Z");
  CHECK(parse_rfc3339("2026-11-26T10:15:00Z") == k_t0 + 15 * 60 * k_second);
  CHECK(parse_rfc3339("2026-11-26T11:15:00.5+01:00") == k_t0 + 15 * 60 * k_second + k_second / 2);
  CHECK(parse_rfc3339("2026-11-26T05:15:00-05:00") == k_t0 + 15 * 60 * k_second);
  CHECK_FALSE(parse_rfc3339("2026-11-26 10:15:00Z").has_value());
  CHECK_FALSE(parse_rfc3339("2026-02-30T10:15:00Z").has_value());
  CHECK_FALSE(parse_rfc3339("2026-11-26T10:15:00").has_value());
  CHECK_FALSE(parse_rfc3339("2026-11-26T10:15:00Zjunk").has_value());
}

TEST_CASE("render: a guestbook RC as kubectl shows it, YAML with sorted keys") {
  auto rc = std::get<model::replication_controller>(
      decode_single(test::read_example("guestbook-v1.2.0/redis-slave-controller.yaml"), "redis-slave-controller.yaml"));
  rc.metadata.uid = "6a1c0d3e";
  rc.metadata.resource_version = 42;
  rc.metadata.generation = 1;
  rc.metadata.creation_timestamp = k_t0 + 15 * 60 * k_second;
  rc.status.replicas = 2;
  CHECK(to_yaml(rc) ==
        "apiVersion: v1\n"
        "kind: ReplicationController\n"
        "metadata:\n"
        "  creationTimestamp: \"2026-11-26T10:15:00Z\"\n"
        "  generation: 1\n"
        "  labels:\n"
        "    app: redis\n"
        "    role: slave\n"
        "    tier: backend\n"
        "  name: redis-slave\n"
        "  namespace: default\n"
        "  resourceVersion: \"42\"\n"
        "  uid: 6a1c0d3e\n"
        "spec:\n"
        "  replicas: 2\n"
        "  selector:\n"
        "    app: redis\n"
        "    role: slave\n"
        "    tier: backend\n"
        "  template:\n"
        "    metadata:\n"
        "      labels:\n"
        "        app: redis\n"
        "        role: slave\n"
        "        tier: backend\n"
        "    spec:\n"
        "      containers:\n"
        "      - env:\n"
        "        - name: GET_HOSTS_FROM\n"
        "          value: dns\n"
        "        image: gcr.io/google_samples/gb-redisslave:v1\n"
        "        imagePullPolicy: IfNotPresent\n"
        "        name: slave\n"
        "        ports:\n"
        "        - containerPort: 6379\n"
        "          protocol: TCP\n"
        "        resources:\n"
        "          requests:\n"
        "            cpu: 100m\n"
        "            memory: 100Mi\n"
        "        terminationMessagePath: /dev/termination-log\n"
        "        terminationMessagePolicy: File\n"
        "      restartPolicy: Always\n"
        "      terminationGracePeriodSeconds: 30\n"
        "status:\n"
        "  replicas: 2\n");
}

TEST_CASE("render: a service as JSON, fields in Kubernetes' order, four-space indent") {
  auto svc = std::get<model::service>(
      decode_single(test::read_example("guestbook-v1.2.0/frontend-service.yaml"), "frontend-service.yaml"));
  svc.spec.cluster_ip = "10.0.0.12";
  CHECK(to_json(svc) ==
        "{\n"
        "    \"apiVersion\": \"v1\",\n"
        "    \"kind\": \"Service\",\n"
        "    \"metadata\": {\n"
        "        \"name\": \"frontend\",\n"
        "        \"namespace\": \"default\",\n"
        "        \"labels\": {\n"
        "            \"app\": \"guestbook\",\n"
        "            \"tier\": \"frontend\"\n"
        "        }\n"
        "    },\n"
        "    \"spec\": {\n"
        "        \"ports\": [\n"
        "            {\n"
        "                \"protocol\": \"TCP\",\n"
        "                \"port\": 80,\n"
        "                \"targetPort\": 80\n"
        "            }\n"
        "        ],\n"
        "        \"selector\": {\n"
        "            \"app\": \"guestbook\",\n"
        "            \"tier\": \"frontend\"\n"
        "        },\n"
        "        \"clusterIP\": \"10.0.0.12\",\n"
        "        \"type\": \"ClusterIP\",\n"
        "        \"sessionAffinity\": \"None\"\n"
        "    }\n"
        "}\n");
}

TEST_CASE("render: pod status with conditions and container states") {
  model::pod p;
  p.metadata.name = "web";
  p.metadata.namespace_ = "default";
  p.spec.containers.push_back(container("app", "nginx"));
  p.status.phase = model::pod_phase::running;
  p.status.pod_ip = "10.1.0.5";
  p.status.start_time = k_t0;
  model::condition ready;
  ready.type = "Ready";
  ready.status = model::condition_status::is_true;
  ready.last_transition_time = k_t0;
  p.status.conditions.push_back(ready);
  model::container_status cs;
  cs.name = "app";
  cs.ready = true;
  cs.restart_count = 1;
  cs.image = "nginx";
  cs.state = model::container_state_running{k_t0};
  model::container_state_terminated killed;
  killed.exit_code = 137;
  killed.reason = "Error";
  cs.last_state = killed;
  p.status.container_statuses.push_back(cs);
  CHECK(
      to_yaml(p) ==
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: default\nspec:\n  containers:\n"
      "  - image: nginx\n    imagePullPolicy: IfNotPresent\n    name: app\n"
      "    terminationMessagePath: /dev/termination-log\n    terminationMessagePolicy: File\n  restartPolicy: Always\n"
      "  terminationGracePeriodSeconds: 30\nstatus:\n  conditions:\n  - lastTransitionTime: \"2026-11-26T10:00:00Z\"\n"
      "    status: \"True\"\n    type: Ready\n  containerStatuses:\n  - image: nginx\n    lastState:\n      "
      "terminated:\n"
      "        exitCode: 137\n        reason: Error\n    name: app\n    ready: true\n    restartCount: 1\n    state:\n"
      "      running:\n        startedAt: \"2026-11-26T10:00:00Z\"\n  phase: Running\n  podIP: 10.1.0.5\n"
      "  startTime: \"2026-11-26T10:00:00Z\"\n");
}

TEST_CASE("render: nodes and endpoints") {
  model::node n;
  n.metadata.name = "node-1";
  n.spec.unschedulable = true;
  n.status.capacity = {{"cpu", q("4")}, {"memory", q("8Gi")}};
  n.status.addresses = {{"InternalIP", "192.168.1.10"}};
  n.status.node_info.kubelet_version = "berth-0.1.0";
  model::condition lost;
  lost.type = "Ready";
  lost.status = model::condition_status::is_false;
  lost.reason = "NodeLost";
  lost.last_heartbeat_time = k_t0;
  n.status.conditions.push_back(lost);
  CHECK(
      to_yaml(n) ==
      "apiVersion: v1\nkind: Node\nmetadata:\n  name: node-1\nspec:\n  unschedulable: true\nstatus:\n  addresses:\n"
      "  - address: 192.168.1.10\n    type: InternalIP\n  capacity:\n    cpu: \"4\"\n    memory: 8Gi\n  conditions:\n"
      "  - lastHeartbeatTime: \"2026-11-26T10:00:00Z\"\n    reason: NodeLost\n    status: \"False\"\n    type: Ready\n"
      "  nodeInfo:\n    kubeletVersion: berth-0.1.0\n");
  model::endpoints e;
  e.metadata.name = "web";
  e.metadata.namespace_ = "default";
  e.subsets.push_back(
      {{{"10.1.0.5", "node-1", {"Pod", "default", "web-abcde", "u1"}}}, {}, {{"", 80, model::protocol::tcp}}});
  CHECK(
      to_json(e) ==
      "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"Endpoints\",\n    \"metadata\": {\n        \"name\": \"web\",\n"
      "        \"namespace\": \"default\"\n    },\n    \"subsets\": [\n        {\n            \"addresses\": [\n"
      "                {\n                    \"ip\": \"10.1.0.5\",\n                    \"nodeName\": \"node-1\",\n"
      "                    \"targetRef\": {\n                        \"kind\": \"Pod\",\n"
      "                        \"namespace\": \"default\",\n                        \"name\": \"web-abcde\",\n"
      "                        \"uid\": \"u1\"\n                    }\n                }\n            ],\n"
      "            \"ports\": [\n                {\n                    \"port\": 80,\n"
      "                    \"protocol\": \"TCP\"\n                }\n            ]\n        }\n    ]\n}\n");
}

TEST_CASE("render: strings that would read back as something else are quoted") {
  model::pod p;
  p.metadata.name = "web";
  p.metadata.namespace_ = "default";
  p.metadata.annotations = {{"a", "123"},  {"b", "true"},       {"c", "yes"},        {"d", ""},
                            {"e", "x: y"}, {"f", "line\nnext"}, {"g", "say \"hi\""}, {"h", "- item"},
                            {"i", "null"}, {"j", "1.5"},        {"k", "plain text"}};
  p.spec.containers.push_back(container("app", "nginx"));
  std::string yaml = to_yaml(p);
  CHECK(yaml.find(
            "  annotations:\n    a: \"123\"\n    b: \"true\"\n    c: \"yes\"\n    d: \"\"\n    e: \"x: y\"\n"
            "    f: \"line\\nnext\"\n    g: \"say \\\"hi\\\"\"\n    h: \"- item\"\n    i: \"null\"\n    j: \"1.5\"\n"
            "    k: plain text\n") != std::string::npos);
  auto back = std::get<model::pod>(decode_single(yaml, "p.yaml"));
  CHECK(back.metadata.annotations == p.metadata.annotations);
}

// ------------------------------------------------------------- round trip

namespace {

class generator {
 public:
  explicit generator(std::uint64_t seed) : rng_(seed) {}

  int num(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool coin() { return num(0, 1) == 1; }

  std::string dns_label(const char* prefix) { return prefix + std::to_string(num(0, 99999)); }

  /// Any text, including what YAML would misread if it were written plain.
  std::string text() {
    static const std::vector<std::string> tricky = {
        "",     "123",  "true", "no",     "~",         "null",        "1e3",     "0x1F", ".5",  "-",    "a: b",
        "#x",   "x #y", "'q'",  "\"dq\"", "tab\there", "multi\nline", "ünïcödé", "{}",   "[a]", "*ref", "&anchor",
        "!tag", "%p",   "@at",  "`bt`",   "trailing ", " leading",    "a,b",     "|",    ">",   "?",    "key:"};
    if (coin()) return tricky[static_cast<std::size_t>(num(0, static_cast<int>(tricky.size()) - 1))];
    std::string s;
    for (int i = num(1, 12); i > 0; --i) s += static_cast<char>(num(32, 126));
    return s;
  }

  model::string_map labels() {
    model::string_map m;
    static const std::vector<std::string> values = {"web", "123", "true", "v1.2", "a_b", "", "No", "null"};
    for (int i = num(0, 3); i > 0; --i)
      m[(coin() ? "example.com/" : "") + dns_label("k")] = values[static_cast<std::size_t>(num(0, 7))];
    return m;
  }

  model::string_map annotations() {
    model::string_map m;
    for (int i = num(0, 3); i > 0; --i) m[dns_label("note")] = text();
    return m;
  }

  model::object_meta metadata(const char* prefix) {
    model::object_meta m;
    m.name = dns_label(prefix);
    m.namespace_ = coin() ? "default" : dns_label("ns");
    m.labels = labels();
    m.annotations = annotations();
    if (coin()) {
      m.uid = "uid-" + std::to_string(num(0, 1 << 30));
      m.resource_version = static_cast<std::uint64_t>(num(1, 1 << 30));
      m.generation = num(1, 9);
      m.creation_timestamp = k_t0 + num(0, 1 << 30) * k_second;
      if (coin()) m.deletion_timestamp = m.creation_timestamp + num(1, 100) * k_second;
      if (coin()) m.deletion_grace_period_seconds = num(1, 60);
      if (coin()) m.owner_references.push_back({"v1", "ReplicationController", dns_label("rc"), "u", coin()});
    }
    return m;
  }

  model::int_or_string port_ref() {
    if (coin()) return {num(1, 65535)};
    return {dns_label("p").substr(0, 6)};
  }

  model::probe probe(bool liveness) {
    model::probe p;
    switch (num(0, 2)) {
      case 0: p.handler = model::exec_action{{"sh", "-c", text()}}; break;
      case 1:
        p.handler = model::http_get_action{"/" + dns_label("h"), port_ref(), coin() ? "" : "10.0.0.1",
                                           coin() ? "HTTP" : "HTTPS", {}};
        break;
      default: p.handler = model::tcp_socket_action{port_ref()};
    }
    p.initial_delay_seconds = num(0, 30);
    p.timeout_seconds = num(1, 10);
    p.period_seconds = num(1, 60);
    p.success_threshold = liveness ? 1 : num(1, 3);
    p.failure_threshold = num(1, 9);
    return p;
  }

  model::container container(std::size_t index, int& port_counter) {
    model::container c;
    c.name = "c" + std::to_string(index);
    c.image = coin() ? "nginx" : "registry.local:5000/team/app:" + std::to_string(num(1, 9));
    if (coin()) c.command = {"/bin/sh", "-c", text()};
    if (coin()) c.args = {text(), text()};
    if (coin()) c.working_dir = "/srv/" + dns_label("d");
    for (int i = num(0, 2); i > 0; --i) c.env.push_back({"VAR_" + std::to_string(i), text()});
    for (int i = num(0, 2); i > 0; --i) {
      model::container_port p;
      p.container_port = 1000 + port_counter++;
      if (coin()) p.name = "port" + std::to_string(port_counter);
      if (coin()) p.host_port = 20000 + port_counter;
      p.protocol_ = coin() ? model::protocol::tcp : model::protocol::udp;
      if (coin()) p.host_ip = "0.0.0.0";
      c.ports.push_back(p);
    }
    if (coin()) c.resources.requests = {{"cpu", model::quantity{num(1, 4000)}}, {"memory", q("64Mi")}};
    if (coin()) c.resources.limits = {{"cpu", model::quantity{num(4000, 8000)}}, {"memory", q("1Gi")}};
    c.image_pull_policy = static_cast<model::pull_policy>(num(0, 2));
    if (coin()) c.liveness_probe = probe(true);
    if (coin()) c.readiness_probe = probe(false);
    return c;
  }

  model::pod_spec pod_spec(bool for_rc) {
    model::pod_spec s;
    int port_counter = 0;
    for (int i = num(1, 3); i > 0; --i) s.containers.push_back(container(s.containers.size(), port_counter));
    s.restart_policy_ = for_rc ? model::restart_policy::always : static_cast<model::restart_policy>(num(0, 2));
    s.node_selector = labels();
    if (coin()) s.node_name = dns_label("node") + ".local";
    s.termination_grace_period_seconds = num(0, 120);
    return s;
  }

  model::api_object object() {
    switch (num(0, 2)) {
      case 0: return model::pod{metadata("pod"), pod_spec(false), {}};
      case 1: {
        model::replication_controller rc{metadata("rc"), {}, {}};
        rc.spec.replicas = num(0, 50);
        rc.spec.template_.metadata.labels = labels();
        rc.spec.template_.metadata.labels["app"] = dns_label("app");
        if (coin()) rc.spec.selector = {{"app", rc.spec.template_.metadata.labels["app"]}};
        rc.spec.template_.metadata.annotations = annotations();
        rc.spec.template_.spec = pod_spec(true);
        return rc;
      }
      default: {
        model::service s{metadata("svc"), {}};
        s.spec.type = static_cast<model::service_type>(num(0, 2));
        for (int i = num(1, 3); i > 0; --i) {
          model::service_port p{"port" + std::to_string(i), coin() ? model::protocol::tcp : model::protocol::udp,
                                num(1, 65535), coin() ? port_ref() : model::int_or_string{}, 0};
          if (s.spec.type != model::service_type::cluster_ip && coin()) p.node_port = 30000 + i;
          s.spec.ports.push_back(p);
        }
        s.spec.selector = labels();
        s.spec.cluster_ip = coin() ? "" : (coin() ? "None" : "10.0.0." + std::to_string(num(1, 254)));
        if (s.spec.type != model::service_type::cluster_ip && s.spec.cluster_ip == "None") s.spec.cluster_ip.clear();
        s.spec.session_affinity_ = coin() ? model::session_affinity::none : model::session_affinity::client_ip;
        return s;
      }
    }
  }

 private:
  std::mt19937_64 rng_;
};

/// What must survive the round trip: everything but the status.
template <class T>
void check_same_metadata_and_spec(const model::api_object& expected, const model::api_object& actual) {
  const auto& e = std::get<T>(expected);
  const auto& a = std::get<T>(actual);
  CHECK(a.metadata == e.metadata);
  CHECK(a.spec == e.spec);
}

void check_round_trip(const model::api_object& original, const model::api_object& back) {
  REQUIRE(back.index() == original.index());
  switch (original.index()) {
    case 0: check_same_metadata_and_spec<model::pod>(original, back); break;
    case 1: check_same_metadata_and_spec<model::replication_controller>(original, back); break;
    default: check_same_metadata_and_spec<model::service>(original, back);
  }
}

}  // namespace

TEST_CASE("render round trip: decode(to_yaml(x)) and decode(to_json(x)) give back x's metadata and spec") {
  generator gen(42);
  for (int i = 0; i < 500; ++i) {
    model::api_object original = gen.object();
    apply_defaults(original);  // decoding defaults; the property is about defaulted objects
    REQUIRE(validate(original) == field_errors{});
    std::string yaml = to_yaml(original);
    CAPTURE(yaml);
    check_round_trip(original, decode_single(yaml, "round-trip.yaml"));
    std::string json = to_json(original);
    CAPTURE(json);
    check_round_trip(original, decode_single(json, "round-trip.json"));
  }
}

TEST_CASE("render: a List of objects decodes back item by item") {
  generator gen(7);
  std::vector<model::api_object> objects;
  for (int i = 0; i < 5; ++i) {
    objects.push_back(gen.object());
    apply_defaults(objects.back());
  }
  for (const std::string& text : {to_yaml(objects), to_json(objects)}) {
    auto r = decode_manifests(text, "list");
    REQUIRE(r.error_strings() == std::vector<std::string>{});
    REQUIRE(r.objects.size() == objects.size());
    for (std::size_t i = 0; i < objects.size(); ++i) check_round_trip(objects[i], as_api_object(r.objects[i].object));
  }
}

TEST_CASE("a Namespace manifest decodes to its metadata; spec and status are the server's; bad names are named") {
  auto r = decode_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels:\n    team: a\n"
                            "spec:\n  finalizers: [kubernetes]\nstatus:\n  phase: Terminating\n",
                            "ns.yaml");
  REQUIRE(r.error_strings() == std::vector<std::string>{});
  REQUIRE(r.objects.size() == 1);
  const auto& n = std::get<model::namespace_object>(r.objects[0].object);
  CHECK(n.metadata.name == "team-a");
  CHECK(n.metadata.labels == model::string_map{{"team", "a"}});
  CHECK(n.status.phase == model::namespace_phase::active);
  CHECK(to_yaml(n) ==
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  labels:\n    team: a\n  name: team-a\nspec:\n  finalizers:\n"
        "  - kubernetes\nstatus:\n  phase: Active\n");
  auto back = decode_manifests(to_json(n), "ns.json");
  REQUIRE(back.error_strings() == std::vector<std::string>{});
  CHECK(std::get<model::namespace_object>(back.objects[0].object).metadata == n.metadata);
  CHECK(decode_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Team_A\n", "bad.yaml").error_strings() ==
        std::vector<std::string>{"bad.yaml document 1: metadata.name: Invalid value: \"Team_A\": a lowercase RFC 1123 "
                                 "label must consist of lower case alphanumeric characters or '-', and must start and "
                                 "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
                                 "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"});
  CHECK(decode_manifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\nfoo: 1\n", "u.yaml").error_strings() ==
        std::vector<std::string>{"u.yaml document 1: foo: Unknown field"});
}
