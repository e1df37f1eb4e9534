// LimitRange and ResourceQuota: their fold rules and codec, the limit-range
// admission (defaults, then min / max / ratio, in Kubernetes' words) and the
// quota's counting and refusals, as table tests over pure functions.

#include <doctest/doctest.h>

#include "actors/model/codec.hpp"
#include "actors/model/limit_ranges.hpp"
#include "actors/model/quota.hpp"
#include "tests/model/fold_fixture.hpp"

namespace berth::model {
namespace {

using testing::fold_fixture;
using testing::make_pod;
using testing::ref;

quantity q(const char* text) { return *parse_quantity(text); }

resource_list rl(std::initializer_list<std::pair<const char*, const char*>> entries) {
  resource_list out;
  for (const auto& [k, v] : entries) out[k] = q(v);
  return out;
}

/// limitrange/limits.yaml of the Kubernetes v1.0 examples.
limit_range example_limits() {
  limit_range x;
  x.metadata.name = "mylimits";
  x.metadata.namespace_ = "default";
  x.limits.push_back({k_limit_type_pod, rl({{"cpu", "2"}, {"memory", "1Gi"}}), rl({{"cpu", "250m"}, {"memory", "6Mi"}}),
                      {}, {}, {}});
  x.limits.push_back({k_limit_type_container, rl({{"cpu", "2"}, {"memory", "1Gi"}}),
                      rl({{"cpu", "250m"}, {"memory", "6Mi"}}), rl({{"cpu", "250m"}, {"memory", "100Mi"}}), {}, {}});
  return x;
}

pod pod_with_limits(std::string name, resource_list limits, resource_list requests = {}) {
  pod p = make_pod(std::move(name));
  p.spec.containers[0].resources.limits = std::move(limits);
  p.spec.containers[0].resources.requests = std::move(requests);
  return p;
}

TEST_CASE("limit ranges: defaults fill what a container leaves out, and only that") {
  std::vector<limit_range> ranges = {example_limits()};
  pod none = make_pod("nginx");
  CHECK(admit_limits(ranges, none) == "");
  CHECK(none.spec.containers[0].resources.limits == rl({{"cpu", "250m"}, {"memory", "100Mi"}}));
  CHECK(none.spec.containers[0].resources.requests.empty());

  pod some = pod_with_limits("valid-pod", rl({{"cpu", "1"}}));
  CHECK(admit_limits(ranges, some) == "");
  CHECK(some.spec.containers[0].resources.limits == rl({{"cpu", "1"}, {"memory", "100Mi"}}));

  limit_range with_request;
  with_request.limits.push_back({k_limit_type_container, {}, {}, {}, rl({{"memory", "64Mi"}}), {}});
  pod r = make_pod("r");
  apply_limit_defaults({with_request}, r);
  CHECK(r.spec.containers[0].resources.requests == rl({{"memory", "64Mi"}}));
  CHECK(r.spec.containers[0].resources.limits.empty());
}

TEST_CASE("limit ranges: the refusals, worded as Kubernetes words them") {
  struct row {
    const char* what;
    pod p;
    std::string why;
  };
  const row rows[] = {
      {"invalid-pod.yaml: cpu limit 3 over both maxima",
       pod_with_limits("invalid-pod", rl({{"cpu", "3"}, {"memory", "100Mi"}})),
       "[maximum cpu usage per Pod is 2, but limit is 3, maximum cpu usage per Container is 2, but limit is 3]"},
      {"valid-pod.yaml", pod_with_limits("valid-pod", rl({{"cpu", "1"}, {"memory", "512Mi"}})), ""},
      {"under the minimum (the request defaults to the limit)",
       pod_with_limits("small", rl({{"cpu", "1"}, {"memory", "4Mi"}})),
       "[minimum memory usage per Pod is 6Mi, but request is 4Mi, minimum memory usage per Container is 6Mi, but "
       "request is 4Mi]"},
      {"a request under the minimum, its limit fine",
       pod_with_limits("req", rl({{"cpu", "1"}, {"memory", "64Mi"}}), rl({{"cpu", "100m"}})),
       "[minimum cpu usage per Pod is 250m, but request is 100m, minimum cpu usage per Container is 250m, but "
       "request is 100m]"},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    pod p = r.p;
    CHECK(admit_limits({example_limits()}, p) == r.why);
  }
}

TEST_CASE("limit ranges: a pod's bounds are on the sum of its containers; a single refusal has no brackets") {
  limit_range pod_max;
  pod_max.limits.push_back({k_limit_type_pod, rl({{"memory", "1Gi"}}), {}, {}, {}, {}});
  pod p = pod_with_limits("two", rl({{"memory", "600Mi"}}));
  p.spec.containers.push_back(p.spec.containers[0]);
  p.spec.containers[1].name = "sidecar";
  CHECK(admit_limits({pod_max}, p) == "maximum memory usage per Pod is 1Gi, but limit is 1200Mi");

  pod unbounded = make_pod("unbounded");
  CHECK(admit_limits({pod_max}, unbounded) == "maximum memory usage per Pod is 1Gi.  No limit is specified");
}

TEST_CASE("limit ranges: maxLimitRequestRatio") {
  limit_range ratio;
  ratio.limits.push_back({k_limit_type_container, {}, {}, {}, {}, rl({{"cpu", "2"}})});
  pod ok = pod_with_limits("ok", rl({{"cpu", "1"}}), rl({{"cpu", "500m"}}));
  CHECK(admit_limits({ratio}, ok) == "");
  pod over = pod_with_limits("over", rl({{"cpu", "1"}}), rl({{"cpu", "250m"}}));
  CHECK(admit_limits({ratio}, over) ==
        "maximum cpu limit to request ratio per Container is 2, but provided ratio is 4.000000");
  pod none = make_pod("none");
  CHECK(admit_limits({ratio}, none) == "maximum cpu limit to request ratio per Container is 2, but no limit is specified");
}

TEST_CASE("limit ranges: forbidden() is Kubernetes' admission refusal") {
  CHECK(forbidden("pods", "x", "maximum cpu usage per Container is 2, but limit is 3") ==
        "pods \"x\" is forbidden: maximum cpu usage per Container is 2, but limit is 3");
}

resource_quota example_quota(std::string ns = "default") {
  resource_quota x;
  x.metadata.name = "quota";
  x.metadata.namespace_ = std::move(ns);
  x.hard = rl({{"cpu", "20"},
               {"memory", "1Gi"},
               {"persistentvolumeclaims", "10"},
               {"pods", "10"},
               {"replicationcontrollers", "20"},
               {"resourcequotas", "1"},
               {"secrets", "10"},
               {"services", "5"}});
  return x;
}

TEST_CASE("quota: usage counted from the state, per namespace") {
  cluster_state s;
  s.resource_quotas[{"default", "quota"}] = example_quota();
  auto put = [&](pod p) { s.pods[{p.metadata.namespace_, p.metadata.name}] = std::move(p); };
  put(pod_with_limits("a", rl({{"cpu", "100m"}, {"memory", "512Mi"}})));
  put(pod_with_limits("b", rl({{"cpu", "250m"}})));
  pod done = pod_with_limits("done", rl({{"cpu", "1"}, {"memory", "1Gi"}}));
  done.status.phase = pod_phase::succeeded;  // finished pods use nothing
  put(done);
  pod elsewhere = pod_with_limits("c", rl({{"cpu", "1"}}));
  elsewhere.metadata.namespace_ = "other";
  put(elsewhere);
  s.services[{"default", "web"}] = testing::make_service("web");
  s.rcs[{"default", "rc"}] = testing::make_rc("rc", 1);

  auto used = namespace_usage(s, "default");
  CHECK(to_string(used["pods"]) == "2");
  CHECK(to_string(used["cpu"]) == "350m");
  CHECK(to_string(used["memory"]) == "512Mi");
  CHECK(to_string(used["services"]) == "1");
  CHECK(to_string(used["replicationcontrollers"]) == "1");
  CHECK(to_string(used["resourcequotas"]) == "1");
  CHECK(to_string(used["secrets"]) == "0");

  auto shown = with_status(s, example_quota());
  CHECK(shown.status.hard == shown.hard);
  CHECK(shown.status.used.size() == shown.hard.size());
  CHECK(to_string(shown.status.used["pods"]) == "2");
}

TEST_CASE("quota: refusals, worded as Kubernetes words them") {
  cluster_state s;
  s.resource_quotas[{"default", "quota"}] = example_quota();
  pod bare = make_pod("nginx-x");
  CHECK(quota_refusal(s, "default", kind::pod, &bare) == "failed quota: quota: must specify cpu,memory");
  pod cpu_only = pod_with_limits("p", rl({{"cpu", "1"}}));
  CHECK(quota_refusal(s, "default", kind::pod, &cpu_only) == "failed quota: quota: must specify memory");
  pod fits = pod_with_limits("p", rl({{"cpu", "100m"}, {"memory", "512Mi"}}));
  CHECK(quota_refusal(s, "default", kind::pod, &fits) == "");
  pod big = pod_with_limits("p", rl({{"cpu", "100m"}, {"memory", "2Gi"}}));
  CHECK(quota_refusal(s, "default", kind::pod, &big) ==
        "exceeded quota: quota, requested: memory=2Gi, used: memory=0, limited: memory=1Gi");
  CHECK(quota_refusal(s, "other", kind::pod, &bare) == "");  // no quota there

  for (int i = 0; i < 10; ++i) {
    pod p = pod_with_limits("p" + std::to_string(i), rl({{"cpu", "100m"}, {"memory", "10Mi"}}));
    s.pods[{"default", p.metadata.name}] = p;
  }
  CHECK(quota_refusal(s, "default", kind::pod, &fits) ==
        "exceeded quota: quota, requested: pods=1, used: pods=10, limited: pods=10");
  CHECK(quota_refusal(s, "default", kind::resource_quota) ==
        "exceeded quota: quota, requested: resourcequotas=1, used: resourcequotas=1, limited: resourcequotas=1");
  CHECK(quota_refusal(s, "default", kind::service) == "");
  CHECK(quota_refusal(s, "default", kind::limit_range) == "");  // not counted
}

TEST_CASE("quota: usage admitted earlier in a batch counts (pending)") {
  cluster_state s;
  auto one = example_quota();
  one.hard = rl({{"pods", "1"}});
  s.resource_quotas[{"default", "quota"}] = one;
  pod p = make_pod("a");
  CHECK(quota_refusal(s, "default", kind::pod, &p, {}) == "");
  CHECK(quota_refusal(s, "default", kind::pod, &p, usage_of(p)) ==
        "exceeded quota: quota, requested: pods=1, used: pods=1, limited: pods=1");
}

TEST_CASE("fold: limit ranges and quotas are created, replaced and removed") {
  fold_fixture f;
  auto lr = example_limits();
  lr.metadata.uid = "u1";
  CHECK(f.fold(limit_range_created{lr}, ref(k_kind_limit_range, "default", "mylimits", "u1")) ==
        apply_outcome::applied);
  CHECK(f.fold(limit_range_created{lr}, ref(k_kind_limit_range, "default", "mylimits", "u1")) ==
        apply_outcome::ignored);
  auto changed = lr;
  changed.limits.pop_back();
  CHECK(f.fold(limit_range_replaced{changed}, ref(k_kind_limit_range, "default", "mylimits", "u1")) ==
        apply_outcome::applied);
  CHECK(f.s.limit_ranges.at({"default", "mylimits"}).limits.size() == 1);
  CHECK(f.s.limit_ranges.at({"default", "mylimits"}).metadata.generation == 2);

  auto rq = example_quota();
  rq.metadata.uid = "u2";
  rq.status.used = rl({{"pods", "3"}});  // a client's status is never kept
  CHECK(f.fold(resource_quota_created{rq}, ref(k_kind_resource_quota, "default", "quota", "u2")) ==
        apply_outcome::applied);
  CHECK(f.s.resource_quotas.at({"default", "quota"}).status.used.empty());
  CHECK(f.fold(resource_quota_removed{{"Deleted", "by test"}}, ref(k_kind_resource_quota, "default", "quota", "x")) ==
        apply_outcome::ignored);  // wrong uid
  CHECK(f.fold(resource_quota_removed{{"Deleted", "by test"}}, ref(k_kind_resource_quota, "default", "quota", "u2")) ==
        apply_outcome::applied);
  CHECK(f.s.resource_quotas.empty());
  CHECK(f.fold(limit_range_removed{{"Deleted", "by test"}}, ref(k_kind_limit_range, "default", "mylimits")) ==
        apply_outcome::applied);
  CHECK(f.s.limit_ranges.empty());

  // A refusal needs its RC and changes nothing else.
  CHECK(f.fold(pod_create_refused{{"FailedCreate", "x"}}, ref(k_kind_rc, "default", "web")) == apply_outcome::ignored);
}

TEST_CASE("codec: the new events and snapshot lists round-trip") {
  auto lr = example_limits();
  lr.metadata.uid = "u1";
  event e;
  e.seq = 1;
  e.time = 5;
  e.header.object = ref(k_kind_limit_range, "default", "mylimits", "u1");
  e.payload = limit_range_created{lr};
  auto bytes = encode_event(e);
  auto back = decode_event(1, 5, type_of(e), bytes);
  REQUIRE(back.has_value());
  CHECK(*back == e);

  e.payload = resource_quota_created{example_quota()};
  back = decode_event(1, 5, type_of(e), encode_event(e));
  REQUIRE(back.has_value());
  CHECK(*back == e);

  e.payload = pod_create_refused{{"FailedCreate", "Error creating: pods \"a\" is forbidden: x"}};
  back = decode_event(1, 5, type_of(e), encode_event(e));
  REQUIRE(back.has_value());
  CHECK(*back == e);

  cluster_state empty;  // its hash is pinned by namespaces_compat_test: lists left unset
  cluster_state with;
  with.limit_ranges[{"default", "mylimits"}] = lr;
  with.resource_quotas[{"default", "quota"}] = example_quota();
  auto decoded = decode_snapshot(encode_snapshot(with));
  REQUIRE(decoded.has_value());
  CHECK(*decoded == with);
  CHECK(hash_state(with) != hash_state(empty));
}

}  // namespace
}  // namespace berth::model
